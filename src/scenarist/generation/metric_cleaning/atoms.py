"""Decomposing a draft into atomic, observable criteria written as full sentences about the Main Agent.

A draft line such as "Emergency handling ok? chest pain, bleeding etc => tell caller hang up & dial 911 right
away, no more booking questions" becomes a topic ("emergency handling"), a condition ("the Testing Agent
mentions chest pain, bleeding or similar") and one atom per consequence ("the Main Agent tells the Testing
Agent to hang up and dial 911 right away"; "after that, the Main Agent does not continue with booking
questions"). Nothing the author wrote is dropped: every clause becomes an atom or a condition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scenarist.generation.grammar import agent_clause, is_verb, lemma_of, negated_clause
from .shorthand import CHECK, IMPLIES

_CONDITION_LEAD_RE = re.compile(r"^(?:if|when|whenever|once|after|in case|where)\s+(?P<cond>.+?)\s*,\s*(?P<rest>.+)$", re.I)
_CONSEQUENCE_SPLIT_RE = re.compile(r"\s*(?:;|,\s*(?:and\s+)?then\s+|\s+and then\s+|,\s+(?=(?:no|never|not|don't|do not)\b)|,\s+(?=[a-z]+\s))\s*")
_NEGATION_LEAD_RE = re.compile(
    r"^(?:no more|no further|never|don't|do not|dont|not|no|stop|avoid)\s+(?P<rest>.+)$", re.I
)
_SUBJECT_LEAD_RE = re.compile(
    r"^(?:the\s+)?(?:main agent|agent|bot|assistant|ai|receptionist|rep|it|they)\s+(?:should|must|needs to|has to|"
    r"will|shall|is expected to|ought to)?\s*", re.I
)
_CALLER_WORDS_RE = re.compile(
    r"(?<!another )(?<!other )(?<!each )(?<!every )(?<!new )(?<!existing )"
    r"(?:\bthe\s+(?:caller|customer|user|patient|client|guest|member|cardholder)\b(?!'s? (?:id|record|file))|"
    r"\bcaller\b)", re.I)
_TRAILING_Q_RE = re.compile(r"[?\s]+$")
_TRAILING_CONDITION_RE = re.compile(r"^(?P<act>.+?)\s+(?P<cond>(?:when|whenever|if|as soon as|once)\s+.+)$", re.I)
_QUESTION_RE = re.compile(r"^(?:did|does|do|will|would)\s+(?:the\s+)?(?:Main Agent|agent|assistant|bot)\s+(?P<rest>.+?)\??$", re.I)


@dataclass
class Atom:
    """One observable criterion: an optional condition and what the Main Agent does (or must not do)."""

    sentence: str  # the full criterion, e.g. "When …, the Main Agent tells …"
    action: str  # "tells the Testing Agent to hang up …" (third person, no subject)
    negative: bool = False  # a prohibition ("does not …")
    condition: str = ""  # "the Testing Agent mentions chest pain …" ("" when unconditional)
    follows: bool = False  # "after that": it applies after the previous atom's action
    context: str = ""  # for a following atom, the condition of the atom it follows
    statement: bool = False  # a sentence with its own subject ("Swelling must lead to A&E"), kept as written
    source: str = ""  # the draft clause it came from


@dataclass
class Decomposition:
    """A draft's topic(s) and atoms."""

    topics: list[str]
    atoms: list[Atom]


def decompose(units: list[str]) -> Decomposition:
    """Atoms of the draft's behavioural units (already expanded and tidied, one sentence/bullet each)."""
    topics: list[str] = []
    atoms: list[Atom] = []
    for unit in units:
        unit_topics, unit_atoms = _decompose_unit(unit)
        topics += [t for t in unit_topics if t not in topics]
        atoms += unit_atoms
    return Decomposition(topics=topics, atoms=atoms)


_TOPIC_COLON_RE = re.compile(r"^(?P<topic>[^:,]{3,48}):\s*(?P<rest>.+)$")


def _decompose_unit(unit: str) -> tuple[list[str], list[Atom]]:
    """Topic and atoms of one unit."""
    text = unit.strip().rstrip(".")
    topics: list[str] = []
    colon = _TOPIC_COLON_RE.match(text)
    if colon and not any(is_verb(w) and not w.endswith("ing") for w in colon["topic"].split()[:1]):
        topics.append(_topic(colon["topic"].strip()))  # "lost/stolen card flow: freeze asap, …"
        text = colon["rest"]
    if CHECK.strip() in text:
        head, _, tail = text.partition(CHECK.strip())
        head = head.strip(" ,:-")
        if tail.strip(" ,.:-"):
            topics.append(_topic(head))
            text = tail.strip(" ,:-")
        else:  # "read back date and time ok?" → "The Main Agent reads back the date and time correctly."
            return [], [_checked(head, unit)]
    condition, consequences = "", text
    if IMPLIES.strip() in text:
        condition, _, consequences = (part.strip(" ,:") for part in text.partition(IMPLIES.strip()))
    else:
        lead = _CONDITION_LEAD_RE.match(text)
        trailing = _TRAILING_CONDITION_RE.match(_SUBJECT_LEAD_RE.sub("", text))
        if lead and (is_verb(lead["rest"].split()[0]) or _NEGATION_LEAD_RE.match(lead["rest"])):
            condition, consequences = lead["cond"], lead["rest"]
        elif (trailing and _is_imperative(trailing["act"]) and "," not in text
              and not re.match(r"as soon as possible", trailing["cond"], re.I)):
            condition, consequences = re.sub(r"^\w+\s+", "", trailing["cond"]), trailing["act"]
    condition = _condition_sentence(condition) if condition else ""
    atoms: list[Atom] = []
    for index, clause in enumerate(c for c in _CONSEQUENCE_SPLIT_RE.split(consequences) if c and c.strip(" ,.")):
        clause = clause.strip(" ,.")
        if atoms and _is_modifier(clause):  # "…, one at a time" qualifies the previous atom
            atoms[-1] = _qualified(atoms[-1], clause)
            continue
        atom = _atom(clause, condition if index == 0 else "", unit)
        if index > 0 and condition:
            atom.follows, atom.context = True, condition
            atom.sentence = "After that, t" + atom.sentence[1:]
        atoms.append(atom)
    return topics, atoms


def _topic(head: str) -> str:
    """'Emergency handling' → 'emergency handling' (what the unit judges)."""
    return head[:1].lower() + head[1:] if head[:2].istitle() or head[:1].isupper() else head


def _checked(head: str, unit: str) -> Atom:
    """'read back date and time' → 'The Main Agent reads back the date and time correctly.'"""
    head = _SUBJECT_LEAD_RE.sub("", head).strip()
    first = head.split()[0] if head.split() else ""
    if first and is_verb(first):
        action = agent_clause(head) + " correctly"
    else:
        action = f"handles {_caller_words(head)} correctly"
    return Atom(sentence=f"The Main Agent {action}.", action=action, source=unit)


def _condition_sentence(condition: str) -> str:
    """'chest pain, bleeding or similar' → 'the Testing Agent mentions chest pain, bleeding or similar'."""
    condition = re.sub(r"^(?:an?|the)\s+(?:caller|customer|patient|user|client|member|cardholder|guest)\b|^(?:they|he|she)\b",
                       "the Testing Agent", condition.strip(" ,.:"), flags=re.I)
    condition = _caller_words(condition)
    if re.match(r"^(?:the Testing Agent|the Main Agent)\b", condition):
        return condition
    words = condition.split()
    if len(words) > 1 and words[1].lower().endswith("s") and is_verb(lemma_of(words[1])) and not is_verb(words[0]):
        return condition[:1].lower() + condition[1:]  # "swelling appears" has its own subject and verb
    lowered = condition[:1].lower() + condition[1:]
    first = lowered.split()[0] if lowered.split() else ""
    if first in {"if", "when", "whenever"}:
        return lowered.split(" ", 1)[1] if " " in lowered else lowered
    if is_verb(first) and not first.endswith("ing"):
        return f"the Testing Agent {agent_clause(lowered)}"
    return f"the Testing Agent mentions {lowered}"


def _is_modifier(clause: str) -> bool:
    """A short verbless qualifier: 'one at a time', 'in that order', 'right away'."""
    words = clause.split()
    return len(words) <= 5 and not any(is_verb(w) for w in words) and not _NEGATION_LEAD_RE.match(clause)


def _qualified(atom: Atom, modifier: str) -> Atom:
    """The atom with a qualifier appended to its action and sentence."""
    atom.sentence = atom.sentence.rstrip(".") + f", {modifier}."
    atom.action = f"{atom.action}, {modifier}" if atom.action else atom.action
    return atom


def _is_imperative(clause: str) -> bool:
    """'freeze the card' / 'always read back …' / 'never share …' (not 'Swelling must lead to A&E')."""
    words = [w for w in clause.split() if w.lower() not in {"always", "immediately", "promptly", "also", "only"}]
    if not words:
        return False
    first = words[0]
    return bool(_NEGATION_LEAD_RE.match(clause)) or (is_verb(first) and not first.lower().endswith("ing"))


def _atom(clause: str, condition: str, unit: str) -> Atom:
    """One consequence clause as an atom about the Main Agent."""
    question = _QUESTION_RE.match(clause.strip())
    if question:
        clause = question["rest"]
    stripped = _SUBJECT_LEAD_RE.sub("", clause).strip()
    if " then " in stripped and not any(is_verb(w) for w in stripped.split()[:1]) and not question:
        items = ", then ".join(part.strip() for part in stripped.split(" then "))
        action = f"asks for {_caller_words(items)}, in that order"
        lead = f"When {condition}, the Main Agent" if condition else "The Main Agent"
        return Atom(sentence=f"{lead} {action}.", action=action, condition=condition, source=unit)
    if stripped == clause.strip() and not _is_imperative(stripped) and not question:
        sentence = clause.strip().rstrip(".") + "."  # a statement with its own subject: kept as the author wrote it
        sentence = sentence[:1].upper() + sentence[1:]
        if condition:
            sentence = f"When {condition}, {sentence[:1].lower() + sentence[1:]}"
        return Atom(sentence=sentence, action="", condition=condition, source=unit, statement=True)
    clause = _caller_words(stripped)
    negation = _NEGATION_LEAD_RE.match(clause)
    if negation:
        if clause.lower().startswith("never "):  # keep the author's "never": it reads better than "does not"
            action = "never " + agent_clause(negation["rest"])
        else:
            action = negated_clause(negation["rest"], further=bool(re.match(r"no (?:more|further)|stop", clause, re.I)))
        negative = True
    else:
        action = agent_clause(clause)
        negative = False
    lead = f"When {condition}, the Main Agent" if condition else "The Main Agent"
    return Atom(sentence=f"{lead} {action}.", action=action, negative=negative, condition=condition, source=unit)


def _caller_words(text: str) -> str:
    """'caller'/'customer'/'patient' → 'the Testing Agent' (the simulated caller)."""
    text = _CALLER_WORDS_RE.sub("the Testing Agent", text)
    return re.sub(r"\bthe the Testing Agent\b", "the Testing Agent", text)


def is_shorthand_unit(unit: str) -> bool:
    """True when a unit holds markers that only shorthand produces (arrows, 'ok?')."""
    return IMPLIES.strip() in unit or CHECK.strip() in unit or bool(_TRAILING_Q_RE.search(unit) and len(unit.split()) < 6)
