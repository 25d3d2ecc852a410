"""Observable call events derived from atomic criteria: failure conditions, TRUE/FALSE examples, N/A cases.

A failure condition is something a judge can point at in a transcript ("the Main Agent continues with booking
questions"), not the criterion negated; examples are short, different call moments.
"""

from __future__ import annotations

import re

from scenarist.generation.agent_model import PolicyKind, PolicyModel

from .atoms import Atom
from scenarist.generation.grammar import agent_clause, ing_form, lemma_of, third_person_of

_DOES_NOT_RE = re.compile(r"^does not (?:continue with (?P<cont>.+)|(?P<verb>[A-Za-z]+)(?P<rest>.*?)(?: any further)?)$")
_PROHIBITION_RE = re.compile(r"^(?:you\s+)?(?:must\s+)?(?:never|do not|don't|must not|should not|may not)\s+(?P<rest>.+)$", re.I)
_LIST_ITEM_RE = re.compile(r"\s*(?:,\s*(?:or\s+|and\s+)?|\s+or\s+|\s+and\s+)\s*")
_URGENT_RE = re.compile(r"\b(?:right away|immediately|at once|straight away|first|before anything else|promptly)\b", re.I)


def positive_of(action: str) -> str:
    """'does not continue with booking questions' → 'continues with booking questions'; 'never shares' → 'shares'."""
    if action.startswith("never "):
        return action[len("never "):]
    match = _DOES_NOT_RE.match(action)
    if not match:
        return action
    if match["cont"]:
        return f"continues with {match['cont']}"
    return f"{third_person_of(match['verb'])}{match['rest']}"


def gerund_of(action: str) -> str:
    """'tells the Testing Agent to hang up' → 'telling the Testing Agent to hang up'."""
    first, _, rest = action.partition(" ")
    return f"{ing_form(first)} {rest}".strip()


_MODAL_STATEMENT_RE = re.compile(r"^(?:When (?P<cond>[^,]+), )?(?P<subj>.+?)\s+(?:must|should|has to|have to|needs to|"
                                 r"need to|is required to|shall)\s+(?:always\s+)?(?P<verb>\w+)(?P<rest>.*?)\.?$", re.I)


def failure_events(atom: Atom) -> list[str]:
    """Concrete events that break one atom."""
    if atom.statement:
        modal = _MODAL_STATEMENT_RE.match(atom.sentence)
        if modal:
            return [_tidy(f"A call where {modal['subj'][:1].lower() + modal['subj'][1:]} does not "
                          f"{modal['verb']}{modal['rest']}")]
        return [_tidy(f"The call contradicts this requirement: {atom.sentence}")]
    if atom.negative:
        when = atom.condition or atom.context
        event = f"The Main Agent {positive_of(atom.action)}"
        return [_tidy(event + (f" after {when}" if when else ""))]
    if atom.condition:
        events = [f"{_capital(atom.condition)}, and the Main Agent carries on without {gerund_of(atom.action)}."]
        if _URGENT_RE.search(atom.action):
            events.append(f"{_capital(atom.condition)}, and the Main Agent first asks other questions or continues "
                          f"the current task before {gerund_of(_URGENT_RE.sub('', atom.action).strip())}.")
        return [re.sub(r"\s+", " ", e) for e in events]
    return [f"The Main Agent skips {gerund_of(atom.action)}."]


def policy_events(policy: PolicyModel) -> list[str]:
    """What breaking one of the agent's own prohibitions looks like ('Never X' → 'The Main Agent X')."""
    if policy.kind not in (PolicyKind.PROHIBITION, PolicyKind.PRIVACY, PolicyKind.SCOPE, PolicyKind.EMERGENCY):
        return []
    events = []
    for sentence in re.split(r"(?<=[.!?;])\s+", " ".join(policy.text.split())):
        match = _PROHIBITION_RE.match(sentence.strip().rstrip(".;"))
        if match:
            events.append(f"The Main Agent {agent_clause(match['rest'])} (its own rule forbids this).")
    return events[:2]


def examples(atoms: list[Atom]) -> tuple[str, str]:
    """A short TRUE moment and a different FALSE moment for a boolean metric."""
    atoms = [a for a in atoms if not a.statement] or atoms
    if all(a.statement for a in atoms):
        return (_tidy("The call goes as the criteria describe: " + atoms[0].sentence),
                failure_events(atoms[0])[0])
    conditioned = next((a for a in atoms if a.condition and not a.negative), None)
    if conditioned:
        first, second = _two_instances(conditioned.condition)
        follow = next((a for a in atoms if a.follows and a.negative), None)
        true = f"{_capital(first)}; the Main Agent {conditioned.action}" + (
            f" and {follow.action}." if follow else ".")
        false_action = positive_of(follow.action) if follow else f"moves on without {gerund_of(conditioned.action)}"
        return _tidy(true), _tidy(f"{_capital(second)}; the Main Agent {false_action}.")
    negative = next((a for a in atoms if a.negative), None)
    if negative:
        return (_tidy(f"The Testing Agent pushes for it, and the Main Agent politely declines; it {negative.action}."),
                _tidy(f"Partway through the call the Main Agent {positive_of(negative.action)}."))
    atom = atoms[0]
    return (_tidy(f"At the point where it matters, the Main Agent {atom.action}."),
            _tidy(f"The call ends and the Main Agent never got round to {gerund_of(atom.action)}."))


def _two_instances(condition: str) -> tuple[str, str]:
    """'the Testing Agent mentions chest pain, bleeding or similar' → one instance each ('… chest pain', '… bleeding')."""
    match = re.match(r"^(?P<lead>the Testing Agent \w+)\s+(?P<items>.+)$", condition)
    if not match:
        return condition, condition
    items = [i for i in _LIST_ITEM_RE.split(match["items"]) if i and i.lower() not in {"similar", "so on"}]
    if len(items) < 2:
        return condition, condition
    return f"{match['lead']} {items[0]}", f"{match['lead']} {items[1]}"


def na_for(condition: str) -> str:
    """'the Testing Agent mentions chest pain …' → 'The Testing Agent never mentions chest pain …'."""
    match = re.match(r"^the Testing Agent (?P<verb>\w+)(?P<rest>.*)$", condition)
    if match:
        verb = third_person_of(lemma_of(match["verb"]))
        return _tidy(f"The Testing Agent never {verb}{match['rest']}, so the behaviour judged here never comes up.")
    return _tidy(f"The situation this metric is about never arises ({condition}).")


def _capital(text: str) -> str:
    """First letter upper-case."""
    return text[:1].upper() + text[1:]


def _tidy(text: str) -> str:
    """Single spaces, one final full stop."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.;])", r"\1", text)
    return text if text.endswith((".", "!", "?")) else text + "."
