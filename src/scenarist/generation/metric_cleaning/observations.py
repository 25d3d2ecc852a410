"""Turning a criterion ('The Main Agent must confirm X') into what a transcript would show when it is met or not."""

from __future__ import annotations

import re

from scenarist.generation.text import base_form, third_person

_MODAL_RE = re.compile(
    r"^(?P<subj>.*?\b(?:Main Agent|Testing Agent))\s+"
    r"(?P<modal>must|should|needs to|has to|is expected to|is required to|shall|will|is to|ought to)\s+"
    r"(?P<neg>not\s+|never\s+)?(?P<verb>[a-z]+)(?P<rest>.*)$",
    re.IGNORECASE,
)
_NEVER_RE = re.compile(r"^(?P<subj>.*?\b(?:Main Agent|Testing Agent))\s+(?P<neg>never|does not|doesn't)\s+(?P<verb>[a-z]+)(?P<rest>.*)$")
_PRESENT_RE = re.compile(r"^(?P<subj>.*?\b(?:Main Agent|Testing Agent))\s+(?P<verb>[a-z]+s)\b(?P<rest>.*)$")
_QUESTION_RE = re.compile(
    r"^(?P<aux>did|does|do|is|was|has|had)\s+(?P<subj>the (?:Main|Testing) Agent)\s+(?P<verb>[a-z]+)(?P<rest>.*?)\??$",
    re.IGNORECASE,
)
_HOW_WELL_RE = re.compile(r"^how well (?:does|do|did) (?P<subj>the (?:Main|Testing) Agent) (?P<verb>[a-z]+)(?P<rest>.*?)\??$", re.IGNORECASE)
_RATE_LEAD_RE = re.compile(r"^(?:rate|score|assess|evaluate|judge|grade)\s+(?P<focus>.+?)[.?]?$", re.IGNORECASE)
_JUDGE_INSTRUCTION_RE = re.compile(
    r"^(?:rate|score|grade|measure|count|track|how (?:many|often|much|long|well)|classify|categori[sz]e|label|tag|"
    r"assess|evaluate|judge)\b|\b(?:classify|categori[sz]e)\b",
    re.IGNORECASE,
)



def _negative(subj: str, verb: str, rest: str) -> str:
    """'<subj> does not <verb> …' (or 'is not' for be)."""
    return f"{subj} is not{rest}" if verb.lower() == "be" else f"{subj} does not {verb}{rest}"


def is_judge_instruction(criterion: str) -> bool:
    """A sentence telling the judge what to do (rate/measure/classify …) rather than describing behaviour."""
    return bool(_JUDGE_INSTRUCTION_RE.search(criterion))


def focus_of(criterion: str) -> str | None:
    """What a rating instruction rates: 'Rate the politeness of X' → 'the politeness of X'."""
    how_well = _HOW_WELL_RE.match(criterion.strip())
    if how_well:
        return f"how well {how_well['subj']} {third_person(how_well['verb'])}{how_well['rest']}"
    rate = _RATE_LEAD_RE.match(criterion.strip())
    return rate["focus"] if rate else None


def has_observation(criterion: str) -> bool:
    """True when met_and_unmet can restate the criterion as behaviour (not just quote it)."""
    met, _ = met_and_unmet(criterion)
    return not met.startswith("The call respects this")


def met_and_unmet(criterion: str) -> tuple[str, str]:
    """Two short observations: what the transcript shows when the criterion is met, and when it is not."""
    met, unmet = _observations(criterion)
    return met[:1].upper() + met[1:], unmet[:1].upper() + unmet[1:]


def _observations(criterion: str) -> tuple[str, str]:
    """met_and_unmet before capitalisation."""
    question = _QUESTION_RE.match(criterion.strip())
    if question:
        subj, verb, rest = question["subj"], question["verb"], question["rest"]
        if question["aux"].lower() in {"is", "was"}:
            return f"{subj} is {verb}{rest}.", f"{subj} is not {verb}{rest}."
        if question["aux"].lower() in {"has", "had"}:
            return f"{subj} has {verb}{rest}.", f"{subj} has not {verb}{rest}."
        return f"{subj} {third_person(verb)}{rest}.", _negative(subj, verb, rest) + "."
    text = criterion.rstrip(".!? ")
    modal = _MODAL_RE.match(text)
    if modal:
        subj, verb, rest = modal["subj"], modal["verb"], modal["rest"]
        positive = f"{subj} {third_person(verb)}{rest}"
        if not modal["neg"]:
            return positive + ".", _negative(subj, verb, rest) + "."
        if modal["neg"].strip().lower() == "never":
            return f"{subj} never {third_person(verb)}{rest}.", positive + "."
        return _negative(subj, verb, rest) + ".", positive + "."
    never = _NEVER_RE.match(text)
    if never:
        positive = f"{never['subj']} {third_person(never['verb'])}{never['rest']}"
        return text + ".", positive + "."
    present = _PRESENT_RE.match(text)
    if present and present["verb"].lower() not in {"is", "was", "has"}:
        return text + ".", _negative(present["subj"], base_form(present["verb"]), present["rest"]) + "."
    return f"The call respects this: \"{text}\".", f"The call breaks this: \"{text}\"."
