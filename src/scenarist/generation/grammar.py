"""English verb handling shared by generation: is a word a verb, its third-person and -ing forms, and an author's
imperative fragment as a clause about the Main Agent.

Verb recognition and third-person inflection come from lemminflect (a dictionary-backed English
inflection library), so adverbs are never inflected ("always" never becomes "alwayses").
"""

from __future__ import annotations

import re
from functools import lru_cache

from lemminflect import getAllLemmas, getInflection

_ADVERBS = frozenset("""always never immediately promptly clearly politely also only then first still
    quickly calmly briefly explicitly proactively right just again""".split())
_TELL_VERBS = frozenset("tell ask advise remind instruct warn direct urge encourage invite".split())
_NOUN_FIRST = frozenset("""emergency emergencies pain name names date time info information question questions
    greeting tone politeness accuracy booking call calls caller number last first next zip card phone date
    order name party table total amount balance""".split())


@lru_cache(maxsize=4096)
def is_verb(word: str) -> bool:
    """True when the word is an English verb in its base form (or a gerund), per lemminflect's dictionary."""
    lowered = word.lower().strip(",.;:!?\"'")
    if not lowered.isalpha() or lowered in _ADVERBS or lowered in _NOUN_FIRST:
        return False
    lemmas = getAllLemmas(lowered, upos="VERB").get("VERB", ())
    return lowered in lemmas or (lowered.endswith("ing") and bool(lemmas))


@lru_cache(maxsize=4096)
def third_person_of(verb: str) -> str:
    """'tell' → 'tells', 'verify' → 'verifies', 'be' → 'is'; a word that is not a base-form verb is kept."""
    lowered = verb.lower()
    lemmas = getAllLemmas(lowered, upos="VERB").get("VERB", ())
    if lowered not in lemmas:
        if lowered.endswith("ing") and lemmas:
            lowered = lemmas[0]
        else:
            return verb
    forms = getInflection(lowered, tag="VBZ")
    return forms[0] if forms else verb


@lru_cache(maxsize=4096)
def lemma_of(verb: str) -> str:
    """'mentions' → 'mention', 'telling' → 'tell'; a word that is not a verb comes back lower-cased."""
    lowered = verb.lower()
    return getAllLemmas(lowered, upos="VERB").get("VERB", (lowered,))[0]


@lru_cache(maxsize=4096)
def ing_form(verb: str) -> str:
    """'tells' → 'telling', 'dial' → 'dialling'/'dialing' as lemminflect spells it."""
    forms = getInflection(lemma_of(verb), tag="VBG")
    return forms[0] if forms else verb


def agent_clause(imperative: str) -> str:
    """'tell the Testing Agent hang up and dial 911' → 'tells the Testing Agent to hang up and dial 911'.

    The first verb (after leading adverbs) is inflected; coordinated verbs are inflected too unless an
    infinitive ('to …') has started, whose verbs stay bare.
    """
    tokens = imperative.strip().split()
    if not tokens:
        return imperative
    out: list[str] = []
    index = 0
    while index < len(tokens) and tokens[index].lower() in _ADVERBS:
        out.append(tokens[index].lower() if index == 0 else tokens[index])
        index += 1
    if index < len(tokens) and is_verb(tokens[index]):
        verb = tokens[index]
        out.append(third_person_of(verb))
        rest = tokens[index + 1:]
        if verb.lower() in _TELL_VERBS:
            rest = _infinitive_after_object(rest)
        out += _coordinated(rest)
    else:
        out += ["does"] if not out else []
        out += tokens[index:]
    return " ".join(out)


def _infinitive_after_object(rest: list[str]) -> list[str]:
    """'the Testing Agent hang up' → 'the Testing Agent to hang up' (a bare verb after the object gets 'to')."""
    text = " ".join(rest)
    match = re.match(r"^(?P<obj>(?:the Testing Agent|them|him|her|the person))\s+(?P<verb>[A-Za-z]+)\b(?P<tail>.*)$", text)
    if match and match["verb"].lower() != "to" and is_verb(match["verb"]):
        return f"{match['obj']} to {match['verb']}{match['tail']}".split()
    return rest


def _coordinated(rest: list[str]) -> list[str]:
    """Inflect verbs coordinated with the first one ('… and offer …'), not those inside an infinitive."""
    out: list[str] = []
    in_infinitive = False
    for position, token in enumerate(rest):
        if token.lower() == "to":
            in_infinitive = True
        previous = rest[position - 1].lower().strip(",") if position else ""
        if not in_infinitive and previous in {"and", "then"} and is_verb(token) and not token.endswith("ing"):
            out.append(third_person_of(token))
            continue
        out.append(token)
    return out


def negated_clause(rest: str, *, further: bool = False) -> str:
    """'give medical advice' → 'does not give medical advice'; further: 'booking questions' → 'does not continue …'."""
    rest = rest.strip()
    words = rest.split()
    if further:
        if words and is_verb(words[0]) and not words[0].endswith("ing"):
            return f"does not {rest} any further"
        return f"does not continue with {rest}"
    if words and is_verb(words[0]) and not words[0].endswith("ing"):
        return f"does not {rest}"
    if words and words[0].endswith("ing") and is_verb(words[0]):
        return f"does not engage in {rest}"
    return f"does not provide {rest}"
