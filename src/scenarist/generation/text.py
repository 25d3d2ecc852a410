"""Small text helpers shared by analysis, planning and writers (tokenising, slugs, verb forms)."""

from __future__ import annotations

import re
from typing import Any, Iterable

STOPWORDS = frozenset(
    """a an the and or but if then else of to in on at by for with from into onto about as is are was were be been
    being do does did done have has had having it its this that these those there here their they them you your yours
    we our us i me my he she his her him what which who whom whose when where why how all any both each few more most
    other some such no nor not only own same so than too very can will just should would could may might must shall
    also up down out over under again further once per via etc ask asks asked tell tells make sure use uses using
    caller callers customer customers user users agent agents please always never don't do not""".split()
)

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*\}\}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def words(text: str) -> list[str]:
    """Lower-case word tokens of a text."""
    return _WORD.findall(text.lower())


def split_identifier(name: str) -> list[str]:
    """`lookupPatient_byPhone` → ['lookup', 'patient', 'by', 'phone']."""
    spaced = _CAMEL.sub(" ", name).replace("_", " ").replace("-", " ")
    return words(spaced)


def stem(word: str) -> str:
    """A deliberately crude stem so 'bookings', 'booking' and 'book' meet."""
    for suffix in ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            return base + ("y" if suffix == "ies" else "")
    return word


def content_stems(text: str) -> set[str]:
    """Stems of the non-stopword tokens of a text (or identifier)."""
    tokens = split_identifier(text) if " " not in text and ("_" in text or any(c.isupper() for c in text[1:])) else words(text)
    return {stem(t) for t in tokens if t not in STOPWORDS and len(t) > 2}


def slugify(text: str, max_len: int = 48) -> str:
    """ASCII snake_case slug."""
    slug = "_".join(words(text))[:max_len].strip("_")
    return slug or "item"


def humanise_identifier(name: str) -> str:
    """`date_of_birth` → 'date of birth'."""
    return " ".join(split_identifier(name)) or name


def placeholders(text: str) -> list[str]:
    """Names inside `{{…}}` placeholders, in order, deduplicated."""
    seen: list[str] = []
    for name in _PLACEHOLDER.findall(text):
        if name not in seen:
            seen.append(name)
    return seen


def sentences(text: str) -> list[str]:
    """Split prose into sentences (line breaks also end a sentence)."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            out.extend(s.strip() for s in _SENTENCE_END.split(line) if s.strip())
    return out


def flatten_values(value: Any, prefix: str = "") -> Iterable[tuple[str, Any]]:
    """Yield (dotted key, scalar) pairs of a nested JSON value."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from flatten_values(inner, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list):
        for inner in value:
            yield from flatten_values(inner, prefix)
    elif value is not None:
        yield prefix, value


def leaf_key(dotted: str) -> str:
    """Last component of a dotted key."""
    return dotted.rsplit(".", 1)[-1]


def normalise_value(value: Any) -> str:
    """Comparable form of a scalar (case- and punctuation-insensitive for phones, ids…)."""
    return re.sub(r"[\s\-().+/]", "", str(value).lower())


def truncate(text: str, limit: int) -> str:
    """Cut text at a word boundary to at most `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-–—")
    return cut + "…"


_VERB_BASES = frozenset(
    """book cancel reschedule schedule change update check report replace freeze unfreeze block unblock activate
    order place track pay request dispute refund make file submit open close transfer escalate verify confirm find
    look get set add remove renew upgrade downgrade return exchange apply reset manage handle process answer reserve
    rebook modify register enrol enroll sign log collect deliver arrange move review explain increase decrease raise lower
    redeem claim ask start stop pause resume buy sell send receive deposit withdraw issue lock unlock locate""".split()
)

_NOMINALISATIONS = {
    "booking": "book",
    "cancellation": "cancel",
    "replacement": "replace",
    "activation": "activate",
    "payment": "make",
    "refund": "request",
    "dispute": "dispute",
    "complaint": "make",
    "inquiry": "ask about",
    "enquiry": "ask about",
    "tracking": "track",
    "rescheduling": "reschedule",
    "registration": "register",
    "renewal": "renew",
    "change": "make",
    "update": "make",
    "escalation": "request",
    "transfer": "request",
    "status": "check",
}

_FILLER_PREFIXES = ("handling", "managing", "processing", "dealing with", "helping with", "helping callers", "workflow:",
                    "flow:", "task:", "intent:", "scenario:", "use case:")


def verb_base(word: str) -> str | None:
    """Base form of a verb token (gerunds and plain verbs), or None if it is not a known verb."""
    word = word.lower()
    if word in _VERB_BASES:
        return word
    if word.endswith("ing"):
        root = word[:-3]
        for candidate in (root, root + "e", root[:-1] if len(root) > 2 and root[-1] == root[-2] else root):
            if candidate in _VERB_BASES:
                return candidate
    return None


_KIND_VERBS = {"report": "report a", "status": "check the", "payment": "sort out the", "inquiry": "ask about",
               "cancellation": "cancel the", "change": "change the", "booking": "book a"}
# Head nouns that are not "reported" but need help with (symptoms, uncountable problems).
_HELP_NOUNS = frozenset("""pain ache toothache bleeding swelling damage noise outage abuse harassment emergency
    emergencies trouble difficulty difficulties""".split())
# Topics a caller owns, so "ask about your credit limit" rather than "ask about credit limit".
_OWNED_NOUNS = frozenset("""limit balance account card order booking appointment reservation policy plan subscription
    bill statement membership delivery refund claim""".split())
_DETERMINERS = frozenset("a an the your my our their its this that these those some any".split())
# Words spelled with a vowel but said with a consonant sound, and the reverse.
_CONSONANT_SOUND = ("uni", "use", "usu", "user", "euro", "one", "once", "ufo", "utility", "uk ")
_VOWEL_SOUND = ("hour", "honest", "honour", "honor", "heir", "sms", "mri", "x-ray", "fbi", "nhs", "faq")


def indefinite_article(phrase: str) -> str:
    """'a' or 'an' for the phrase that follows (by sound, with the usual exceptions)."""
    lowered = phrase.strip().lower()
    if not lowered:
        return "a"
    if lowered.startswith(_VOWEL_SOUND):
        return "an"
    if lowered.startswith(_CONSONANT_SOUND):
        return "a"
    return "an" if lowered[0] in "aeiou" else "a"


def with_article(phrase: str) -> str:
    """'emergency visit' → 'an emergency visit'; phrases that already start with a determiner are kept."""
    phrase = phrase.strip()
    first = phrase.split()[0].lower() if phrase.split() else ""
    if not phrase or first in _DETERMINERS:
        return phrase
    return f"{indefinite_article(phrase)} {phrase}"


def fix_articles(text: str) -> str:
    """Repair 'a'/'an' before the following word everywhere in a text ('a emergency' → 'an emergency')."""

    def repl(match: re.Match) -> str:
        article, word = match.group(1), match.group(2)
        wanted = indefinite_article(word)
        if article[0].isupper():
            wanted = wanted.capitalize()
        return f"{wanted} {word}"

    return re.sub(r"\b([Aa]n?) (?=\S)(\w[\w'-]*)", repl, text)


_ING_EXCEPTIONS = {"being": "be", "having": "have", "making": "make", "taking": "take", "giving": "give",
                   "leaving": "leave", "moving": "move", "changing": "change", "using": "use", "closing": "close",
                   "writing": "write", "coming": "come", "becoming": "become", "deleting": "delete",
                   "updating": "update", "creating": "create", "removing": "remove", "saving": "save",
                   "sharing": "share", "losing": "lose", "choosing": "choose", "receiving": "receive",
                   "arriving": "arrive", "placing": "place", "paying": "pay", "buying": "buy", "lying": "lie",
                   "dying": "die", "tying": "tie", "issuing": "issue", "continuing": "continue",
                   "scheduling": "schedule", "rescheduling": "reschedule", "cancelling": "cancel",
                   "canceling": "cancel", "refuelling": "refuel", "travelling": "travel", "traveling": "travel",
                   "enrolling": "enrol", "filing": "file", "sizing": "size", "pricing": "price",
                   "registering": "register", "ordering": "order", "opening": "open", "offering": "offer"}
_E_ENDINGS = ("at", "iz", "is", "rg", "dg", "ag", "uc", "ov", "iv", "ur", "ud", "ut", "ir", "rs", "ag", "bl", "pl",
              "tl", "gl", "cl", "nc", "rc", "ag", "ng", "ac", "ic", "ut", "ak", "ok", "uk", "ib", "ud", "ad", "od")


def base_of_gerund(word: str) -> str:
    """'cancelling' → 'cancel', 'updating' → 'update', 'checking' → 'check' (non-gerunds come back unchanged)."""
    lowered = word.lower()
    if lowered in _ING_EXCEPTIONS:
        return _ING_EXCEPTIONS[lowered]
    if not lowered.endswith("ing") or len(lowered) <= 5:
        return word
    known = verb_base(lowered)
    if known:
        return known
    root = lowered[:-3]
    if len(root) > 2 and root[-1] == root[-2] and root[-1] not in "lsz":
        return root[:-1]  # "stopping" → "stop"
    if root.endswith(_E_ENDINGS) and not root.endswith(("ss", "ll")):
        return root + "e"  # "locating" → "locate", "using" → "use"
    return root


_THIRD_PERSON_IRREGULAR = {"be": "is", "have": "has", "do": "does", "go": "goes"}


def third_person(verb: str) -> str:
    """'offer' → 'offers', 'apologise' → 'apologises', 'reply' → 'replies', 'go' → 'goes'."""
    lowered = verb.lower()
    if lowered in _THIRD_PERSON_IRREGULAR:
        return _THIRD_PERSON_IRREGULAR[lowered]
    if re.search(r"[^aeiou]y$", lowered):
        return verb[:-1] + "ies"
    if lowered.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    return verb + "s"


def base_form(verb: str) -> str:
    """confirms → confirm, verifies → verify, asks → ask, is → be."""
    low = verb.lower()
    for base, third in _THIRD_PERSON_IRREGULAR.items():
        if low == third:
            return base
    if low.endswith("ies"):
        return verb[:-3] + "y"
    if re.search(r"(sses|shes|ches|xes|zes|oes)$", low):
        return verb[:-2]
    return verb[:-1] if low.endswith("s") else verb


_AGENT_VERBS = frozenset("""tell apologise apologize say go call warn remind ask offer explain confirm give read
    inform advise direct refer suggest escalate transfer end hang let note log take send""".split())


def as_agent_action(imperative: str) -> str:
    """'apologise and offer a 10% voucher' → 'apologises and offers a 10% voucher' (coordinated verbs conjugated).

    Verbs after 'or' stay: in 'tell them to go to A&E or call 999' the second verb belongs to the infinitive, and so
    does 'call 911' after one ('tell them to hang up and call 911').
    """
    parts = re.split(r"(\s*(?:,\s*and|,|\band|\bthen)\s+)", imperative.strip())
    out = []
    for index, part in enumerate(parts):
        tokens = part.split(" ", 1)
        first = tokens[0].lower() if tokens else ""
        # "tell them to hang up and call 911": calling the emergency number belongs to the infinitive (the caller's)
        callers_call = re.match(r"call\s+(?:\d[\d-]*|emergency|the emergency)", part.strip(), re.I) and \
            any(re.search(r"\bto\s+\w+", p) for p in parts[:index])
        if first and not callers_call and (verb_base(first) == first or first in _AGENT_VERBS):
            tokens[0] = third_person(tokens[0])
        out.append(" ".join(tokens))
    return "".join(out)


def gerund(verb_phrase: str) -> str:
    """'give medical advice' → 'giving medical advice' (first word only)."""
    tokens = verb_phrase.strip().split(" ", 1)
    if not tokens or not tokens[0]:
        return verb_phrase
    word = tokens[0]
    lowered = word.lower()
    if lowered.endswith("ing") and len(lowered) > 5:
        return verb_phrase
    if lowered.endswith("ie"):
        form = word[:-2] + "ying"
    elif lowered.endswith("e") and not lowered.endswith(("ee", "ye", "oe")) and len(lowered) > 2:
        form = word[:-1] + "ing"
    elif re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", lowered) and len(lowered) <= 4:
        form = word + word[-1] + "ing"  # "stop" → "stopping", "get" → "getting"
    else:
        form = word + "ing"
    return " ".join([form, *tokens[1:]])


def goal_phrase(intent_name: str, kind: str = "general") -> str:
    """Turn an intent title into an infinitive caller goal: 'Booking a new appointment' → 'book a new appointment'."""
    return fix_articles(_goal_phrase(intent_name, kind))


def _goal_phrase(intent_name: str, kind: str) -> str:
    text = " ".join(intent_name.strip().rstrip(":.").split())
    if re.search(r"\b(status|balance|tracking|availability)$", text, re.I) and not text.lower().startswith("check"):
        return f"check the {_lower_first(text)}"
    topic = re.match(r"^(.+?)\s+(questions|queries|enquiries|inquiries|information|info|faqs?)$", text, re.I)
    if topic and not verb_base(text.split()[0]):
        return f"ask about {_owned(_lower_first(topic.group(1)))}"
    request = re.match(r"^(.+?)\s+requests?$", text, re.I)
    if request and len(request.group(1).split()) <= 3:
        return f"request {with_article(_lower_first(request.group(1)))}"  # "Refund requests" → "request a refund"
    lowered = text.lower()
    for prefix in _FILLER_PREFIXES:
        if lowered.startswith(prefix):
            text = text[len(prefix):].strip(" :-–—")
            lowered = text.lower()
    text = re.sub(r"(\w)\s*/\s*(\w)", r"\1 or \2", text)  # "Rescheduling/cancelling" → "Rescheduling or cancelling"
    tokens = text.split()
    if not tokens:
        return "get help"
    base = (verb_base(tokens[0].strip(",")) if tokens[0].lower() not in _NOUN_GERUNDS else None) or (base_of_gerund(tokens[0].strip(",")) if _leads_a_verb_phrase(tokens)
                                               else None)
    if base and tokens[0].endswith(","):
        tokens[0] = tokens[0][:-1] + ","
    if base:
        # "Rescheduling or cancelling X" → "reschedule or cancel X"; any gerund joined by and/or/commas follows.
        rest = []
        for index, token in enumerate(tokens[1:]):
            previous = tokens[index]
            joined = previous.lower() in ("or", "and", "and/or") or previous.endswith((",", "/"))
            rest.append(base_of_gerund(token) if joined and token.lower().endswith("ing") else token)
        comma = "," if tokens[0].endswith(",") else ""
        return f"{base}{comma} {_lower_first(' '.join(rest))}".strip()
    for index, token in enumerate(tokens):
        key = re.sub(r"[^a-z]", "", token.lower())
        if key in _NOMINALISATIONS:
            verb = _NOMINALISATIONS[key]
            if verb in ("make", "request", "ask about", "check"):
                return f"{verb} {'a' if verb in ('make', 'request') and index == len(tokens) - 1 else 'the'} {_lower_first(text)}"
            obj = " ".join(tokens[:index] + tokens[index + 1:])
            return f"{verb} {('the ' + _lower_first(obj)) if obj else ''}".strip()
    head = re.sub(r"[^a-z]", "", tokens[-1].lower())
    if head in _HELP_NOUNS or tokens[0].lower() in ("emergency", "urgent"):
        return f"get help with {_lower_first(text)}"
    if kind in _KIND_VERBS:
        verb = _KIND_VERBS[kind]
        if text.lower().endswith("s") and verb.endswith((" a", " the")):
            verb = verb.rsplit(" ", 1)[0]  # plural object: "report missing items"
        return f"{verb} {_lower_first(text)}"
    return f"get help with {_lower_first(text)}"


# '-ing' words that head noun phrases in section titles ("Opening hours", "Billing questions").
_NOUN_GERUNDS = frozenset("""opening closing missing billing shipping parking meeting training building housing banking
    clothing funding pricing listing waiting boarding seating trading marketing accounting heating lighting cleaning
    incoming outgoing upcoming existing pending remaining""".split())


def _leads_a_verb_phrase(tokens: list[str]) -> bool:
    """Whether a leading '-ing' word is a verb ('Updating an address', 'Locating, updating or deleting …') rather
    than an adjective ('Missing or wrong items')."""
    first = tokens[0].lower().strip(",")
    if not first.endswith("ing") or len(tokens) < 2 or first in _NOUN_GERUNDS:
        return False
    following = tokens[1].lower()
    if following in _DETERMINERS:
        return True
    if tokens[0].endswith(",") or following in ("or", "and"):
        nxt = tokens[2].lower().strip(",") if len(tokens) > 2 else ""
        return nxt.endswith("ing")
    return False


def _owned(topic: str) -> str:
    """'credit limit' → 'your credit limit' when the head noun is something the caller owns."""
    words_ = topic.split()
    if words_ and words_[0].lower() not in _DETERMINERS and words_[-1].lower() in _OWNED_NOUNS:
        return f"your {topic}"
    return topic


def _lower_first(text: str) -> str:
    """Lower-case a leading capital unless the word is an acronym."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text
