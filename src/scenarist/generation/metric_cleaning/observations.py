"""Reading judge instructions in a draft: is a sentence a scoring instruction, and what does a rating rate."""

from __future__ import annotations

import re

from scenarist.generation.text import third_person

_HOW_WELL_RE = re.compile(r"^how well (?:does|do|did) (?P<subj>the (?:Main|Testing) Agent) (?P<verb>[a-z]+)(?P<rest>.*?)\??$", re.IGNORECASE)
_RATE_LEAD_RE = re.compile(r"^(?:rate|score|assess|evaluate|judge|grade)\s+(?P<focus>.+?)[.?]?$", re.IGNORECASE)
_JUDGE_INSTRUCTION_RE = re.compile(
    r"^(?:rate|score|grade|measure|count|track|how (?:many|often|much|long|well)|classify|categori[sz]e|label|tag|"
    r"assess|evaluate|judge)\b|\b(?:classify|categori[sz]e)\b",
    re.IGNORECASE,
)



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
