"""Caller-facing intent names: the last pass that makes every English intent a grammatical goal a caller would say
("You are calling to <name>"): a verb phrase, articles that agree, plurals without 'a', acronyms spelled as said,
no question marks or snake_case, no agent action ("transfer to …") in place of the caller's wish.

Inflection (is this word a plural noun, a participle, a verb?) comes from lemminflect's dictionary.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lemminflect import getAllLemmas

# Uncountable or status-like head nouns: "check the balance", never "check a balance".
_MASS = frozenset("""information coverage status balance availability advice help service support equipment mail
    money insurance access internet power water parking eligibility progress feedback billing pricing stuff""".split())
# Words that describe a problem with a thing; alone they need the thing ("a lost or stolen card").
_PROBLEM = frozenset("lost stolen damaged defective broken missing wrong late faulty cracked expired".split())
_PERSON_NOUNS = ("client", "patient", "customer", "member", "guest", "resident", "student", "tenant")
_FUNCTION_WORDS = frozenset("""whether if what when how where why who which that this it them to be for as up out
    off back down over new""".split())
_PREPOSITIONS = frozenset("at to for from on in by with into about".split())
_DETERMINERS = frozenset("a an the your my our their its this that these those some any".split())
_AGENT_ACTION = re.compile(r"^(?:transfer|escalate|connect|route|hand(?: off| over)?|forward|warm transfer)"
                           r"(?: the call| the caller| them)? to\s+(.+)$", re.I)
_QUESTION = re.compile(r"^(?:get help with |ask about )?(where|when|what|how|why) (is|are|will|does|do|did|can) "
                       r"(my|the|a|an|our|your) (.+?)\s*\??$", re.I)
# Letters whose spoken name starts with a vowel sound ("an MFA", "an SSN", "a VPN").
_VOWEL_LETTERS = set("AEFHILMNORSX")


@lru_cache(maxsize=4096)
def _lemmas(word: str) -> dict:
    return getAllLemmas(word.lower())


def _is_plural_noun(word: str) -> bool:
    """'appointments' → True, 'status' → False (its noun lemma is itself)."""
    nouns = _lemmas(word).get("NOUN", ())
    return bool(nouns) and word.lower() not in nouns and word.lower().endswith("s")


def _is_noun(word: str) -> bool:
    return bool(_lemmas(word).get("NOUN")) or bool(_lemmas(word).get("PROPN"))


def _is_verb(word: str) -> bool:
    """A base-form verb ('submit', 'check'), not a participle ('stolen')."""
    verbs = _lemmas(word).get("VERB", ())
    return word.lower() in verbs


def _acronym(word: str) -> bool:
    """An acronym: written in capitals ('MFA', 'POD'), or a short all-consonant token ('dnc', 'pnr')."""
    core = word.strip(",.")
    return (core.isupper() and 2 <= len(core) <= 5 and core.isalpha()) or (
        2 <= len(core) <= 4 and core.isalpha() and not re.search(r"[aeiouy]", core.lower()))


def article_for(word: str) -> str:
    """'a' or 'an' before the word, by sound (acronyms by their first letter's name)."""
    core = word.strip(",.")
    if _acronym(core) or (core.isupper() and len(core) <= 5):
        return "an" if core[0].upper() in _VOWEL_LETTERS else "a"
    lowered = core.lower()
    if lowered.startswith(("uni", "use", "usu", "eu", "one", "once", "ufo", "util")):
        return "a"
    if lowered.startswith(("hour", "honest", "honou", "honor", "heir")):
        return "an"
    return "an" if lowered[:1] in "aeiou" else "a"


def _fix_articles(tokens: list[str]) -> list[str]:
    """a/an agree with the next word; 'a' before a plural noun is dropped; 'a' before a mass noun becomes 'the'."""
    out: list[str] = []
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if token.lower() in ("a", "an") and following:
            head = _head(tokens[index + 1:])
            if _is_plural_noun(head) and not _is_plural_noun(following) is False or _is_plural_noun(following):
                continue  # "look up an appointments" → "look up appointments"
            if head.lower() in _MASS:
                out.append("the")
                continue
            out.append(article_for(following))
            continue
        out.append(token)
    return out


def _head(tokens: list[str]) -> str:
    """The head noun of a noun phrase: the last word before a preposition/conjunction."""
    head = tokens[0] if tokens else ""
    for token in tokens:
        if token.lower() in _PREPOSITIONS or token.lower() in ("or", "and", "&") or token.endswith(","):
            return token.strip(",") if token.endswith(",") else head
        head = token
    return head


def _expand_acronyms(name: str, glossary: dict[str, str]) -> str:
    """'look up a pod' → 'look up a proof of delivery' when the agent's text defines it; other acronyms capitalised."""
    def repl(match: re.Match) -> str:
        word = match.group(0)
        if word.lower() in glossary:
            return glossary[word.lower()]
        return word.upper() if _acronym(word) else word

    return re.sub(r"\b[A-Za-z]{2,5}\b", repl, name)


def glossary_of(text: str) -> dict[str, str]:
    """Acronyms the text defines: 'proof of delivery (POD)' or 'POD (proof of delivery)'."""
    out: dict[str, str] = {}
    for long, short in re.findall(r"\b([A-Za-z][A-Za-z ]{3,40}?)\s*\(([A-Z]{2,5})\)", text):
        words = long.split()[-len(short):]
        if len(words) == len(short) and all(w[0].lower() == c.lower() for w, c in zip(words, short)):
            out[short.lower()] = " ".join(words).lower()
    for short, long in re.findall(r"\b([A-Z]{2,5})\s*\(([a-z][a-z ]{3,40})\)", text):
        out.setdefault(short.lower(), long.strip())
    return out


_GLUE = ("of", "and", "the", "a", "to")


def initialisms(tool_name: str, description: str) -> dict[str, str]:
    """Short tokens of a tool's name spelled out by its own description: get_pod + 'Emails the proof of delivery'
    → {'pod': 'proof of delivery'}."""
    out: dict[str, str] = {}
    words = re.findall(r"[A-Za-z]+", description.lower())
    for token in re.findall(r"[a-z]+", tool_name.lower()):
        if not 2 <= len(token) <= 4:
            continue
        for start in range(len(words)):
            spans = [words[start:start + size] for size in range(len(token), len(token) + 3)]
            found = next((span for span in spans if (
                "".join(w[0] for w in span) == token or
                "".join(w[0] for w in span if w not in _GLUE) == token)
                and span[-1] not in _GLUE and span[0] not in _GLUE), None)
            if found:
                out[token] = " ".join(found)
                break
    return out


def _join_list(text: str) -> str:
    """'hours, the menu, parking, dietary stuff' → 'hours, the menu, parking and dietary stuff'; '&' → 'and'."""
    text = text.replace(" & ", " and ")
    parts = [p.strip() for p in text.split(",")]
    if len(parts) >= 2 and " and " not in parts[-1] and " or " not in parts[-1]:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return text


def caller_goal_name(name: str, main_object: str = "", glossary: dict[str, str] | None = None) -> str:
    """An English intent name as a grammatical caller goal (other languages come back unchanged but trimmed)."""
    name = " ".join(name.replace("_", " ").split()).strip(" .:;")
    question = _QUESTION.match(name)
    if question:  # "get help with where is my order?" → "find out where my order is"
        wh, verb, det, rest = question.groups()
        thing = rest.rstrip("?")
        if wh.lower() == "where" and len(thing.split()) <= 2:  # where something is = tracking it
            return f"track {article_for(thing)} {thing}"
        return f"find out {wh.lower()} the {thing} {verb.lower()}"
    name = name.rstrip("?").strip()
    action = _AGENT_ACTION.match(name)
    if action:  # the agent transfers; the caller wants to speak to someone
        return f"get connected to {action.group(1)}"
    name = _expand_acronyms(name, glossary or {})
    name = re.sub(r"^ask about ((?:\w+ )?)questions$", lambda m: f"ask a {m.group(1)}question", name)
    name = re.sub(r"^ask about (.+) questions$", r"ask a question about \1", name)
    person = re.match(rf"^get help with new ({'|'.join(_PERSON_NOUNS)})s$", name, re.I)
    if person:
        return f"ask about becoming a new {person.group(1).lower()}"
    tokens = name.split()
    if len(tokens) >= 2 and tokens[0].lower() == "get" and tokens[1].lower() == "help" and len(tokens) > 3:
        rest = tokens[3:]
        if rest[0].lower() in _PROBLEM:  # "get help with damaged or defective item" → "report a damaged … item"
            tokens = ["report", "a", *rest]
        elif "," in name or "&" in name:  # a list of topics
            tokens = ["ask", "about", *_join_list(" ".join(rest)).split()]
    elif tokens and tokens[0].lower() == "ask" and len(tokens) > 2 and tokens[1] == "about":
        tokens = ["ask", "about", *_join_list(" ".join(tokens[2:])).split()]
    tokens = _complete_object(tokens, main_object)
    name = " ".join(_fix_articles(tokens))
    name = re.sub(r"^look up the (\w+ )?(" + "|".join(sorted(_MASS)) + r")\b", r"check the \1\2", name)
    name = re.sub(r"\b(?:zip|ZIP)(?! code)\b", "ZIP code", name)
    for agent_side, caller_side in _SWAPS:
        name = re.sub(agent_side, caller_side, name)
    return name


# The agent takes a message; the caller leaves one.
_SWAPS = ((r"^take (a|an|the) (message|voicemail)\b", r"leave \1 \2"), (r"^take (a|the) payment\b", r"make \1 payment"),
          (r"^take (a|an|the) order\b", r"place \1 order"),
          (r"^check (a|an) ((?:\w+ )?(?:outage|problem|issue|delay|disruption)s?)$", r"check for \1 \2"))


def _complete_object(tokens: list[str], main_object: str) -> list[str]:
    """An object made only of problem words gets the thing ('report a lost stolen' → 'report a lost or stolen
    card'); a bare preposition after the verb gets it too ('hold at location' → 'hold a shipment at a location');
    a bare singular countable noun gets an article ('transfer prescription' → 'transfer a prescription')."""
    if len(tokens) < 2 or not _is_verb(tokens[0]):
        return tokens
    verb, rest = tokens[0], tokens[1:]
    if rest[0].lower() == "up" and verb.lower() == "look":
        verb, rest = "look up", rest[1:]
    if not rest:
        return tokens
    body = [t for t in rest if t.lower() not in _DETERMINERS]
    if body and all(t.lower() in _PROBLEM or t.lower() in ("or", "and") for t in body) and main_object:
        words = [w for w in body if w.lower() not in ("or", "and")]
        return [verb, "a", " or ".join(words), main_object]
    if rest[0].lower() in ("at", "from") and main_object:
        rest = ["a", main_object, *rest]
    out = [verb] + [t for t in rest if t]
    # a preposition followed by a bare singular countable noun: "at location" → "at a location"
    fixed: list[str] = []
    for index, token in enumerate(out):
        fixed.append(token)
        following = out[index + 1] if index + 1 < len(out) else ""
        needs = (token.lower() in _PREPOSITIONS - {"to", "about"} or index == 0) and following
        if needs and following.lower() not in _DETERMINERS and following.lower() not in _PREPOSITIONS and \
                _countable_singular(following, out[index + 2:]):
            fixed.append(article_for(following))
    return fixed


def _countable_singular(word: str, after: list[str]) -> bool:
    """A singular countable noun heading its phrase (not 'parking', not 'appointments', not an adjective)."""
    lowered = word.lower()
    if lowered in _FUNCTION_WORDS or lowered in _MASS or _acronym(word) or not word.isalpha() or word[0].isupper():
        return False
    lemmas = _lemmas(word)
    nouns = lemmas.get("NOUN", ())
    if lowered not in nouns or lemmas.get("ADJ") or lemmas.get("ADV"):
        return False
    if after and after[0].isalpha() and _is_noun(after[0]) and after[0].lower() not in _PREPOSITIONS:
        return _countable_singular(after[0], after[1:]) or after[0].lower() in _MASS  # "ticket status"
    return not lowered.endswith("ing")
