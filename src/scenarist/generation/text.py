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


def goal_phrase(intent_name: str, kind: str = "general") -> str:
    """Turn an intent title into an infinitive caller goal: 'Booking a new appointment' → 'book a new appointment'."""
    text = " ".join(intent_name.strip().rstrip(":.").split())
    if re.search(r"\b(status|balance|tracking|availability)$", text, re.I) and not text.lower().startswith("check"):
        return f"check the {_lower_first(text)}"
    topic = re.match(r"^(.+?)\s+(questions|queries|enquiries|inquiries|information|info|faqs?)$", text, re.I)
    if topic and not verb_base(text.split()[0]):
        return f"ask about {_lower_first(topic.group(1))}"
    lowered = text.lower()
    for prefix in _FILLER_PREFIXES:
        if lowered.startswith(prefix):
            text = text[len(prefix):].strip(" :-–—")
            lowered = text.lower()
    tokens = text.split()
    if not tokens:
        return "get help"
    base = verb_base(tokens[0])
    if base:
        # "Rescheduling or cancelling X" → "reschedule or cancel X"
        rest = [verb_base(t) or t if t.lower().endswith("ing") and tokens[i] in ("or", "and") else t
                for i, t in enumerate(tokens[1:])]
        return f"{base} {_lower_first(' '.join(rest))}".strip()
    for index, token in enumerate(tokens):
        key = re.sub(r"[^a-z]", "", token.lower())
        if key in _NOMINALISATIONS:
            verb = _NOMINALISATIONS[key]
            if verb in ("make", "request", "ask about", "check"):
                return f"{verb} {'a' if verb in ('make', 'request') and index == len(tokens) - 1 else 'the'} {_lower_first(text)}"
            obj = " ".join(tokens[:index] + tokens[index + 1:])
            return f"{verb} {('the ' + _lower_first(obj)) if obj else ''}".strip()
    if kind in _KIND_VERBS:
        verb = _KIND_VERBS[kind]
        if text.lower().endswith("s") and verb.endswith((" a", " the")):
            verb = verb.rsplit(" ", 1)[0]  # plural object: "report missing items"
        return f"{verb} {_lower_first(text)}"
    return f"get help with {_lower_first(text)}"


def _lower_first(text: str) -> str:
    """Lower-case a leading capital unless the word is an acronym."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text
