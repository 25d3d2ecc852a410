"""Post-validation of a clean description: the checks both engines' output must pass."""

from __future__ import annotations

import re

from scenarist.generation.types import CleanDescription, CleanEvalType

from .sections import (
    FALLBACK_LABELS,
    MAIN_AGENT,
    SECTION_HEADINGS,
    SECTION_STEMS,
    TESTING_AGENT,
    VARIABLE_RE,
    is_allowed_variable,
)

_HEADING_PREFIX = r"^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*)?[ \t]*"
_BULLET_RE = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+(.*)$")
# "5 — …", "- **4**: …", "5 (Excellent) — …", "Level 3 – …"
_RATING_LINE_RE = re.compile(r"^\s*(?:[-*•]\s*)?(?:\*\*)?\s*(?:level\s+|score\s+)?([0-5])\s*(?:\*\*)?\s*"
                             r"(?:\([^)\n]{1,30}\)\s*(?:\*\*)?\s*)?(?:[—–:=)]|-\s)", re.IGNORECASE)
# Inflection slips a template or a model makes with adverbs and modals ("alwayses", "nevers", "musts").
INFLECTION_MISTAKES = re.compile(
    r"\b(?:alwayses|nevers|onlies|immediatelies|musts|shoulds|cans|wills|mays|doeses|doess|iss|hass|"
    r"nots|alsos|politelies|correctlies|alwayss|neverss)\b", re.IGNORECASE)
_LABELS_INTRO_RE = re.compile(r"^\W*(?:the\s+)?(?:closed\s+)?labels\b[^\n]*?:\W*$", re.IGNORECASE)


def section_spans(text: str) -> dict[str, tuple[int, int]]:
    """Character span of each section body, keyed by its canonical heading; missing sections are absent."""
    starts: list[tuple[int, int, str]] = []
    for heading in SECTION_HEADINGS:
        stem = re.escape(SECTION_STEMS[heading])
        match = re.search(_HEADING_PREFIX + stem + r"\b[^\n]*$", text, re.IGNORECASE | re.MULTILINE)
        if match:
            starts.append((match.start(), match.end(), heading))
    starts.sort()
    spans: dict[str, tuple[int, int]] = {}
    for i, (_, body_start, heading) in enumerate(starts):
        body_end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        spans[heading] = (body_start, body_end)
    return spans


def section_text(text: str, heading: str) -> str:
    """The body of one section ('' when the section is missing)."""
    span = section_spans(text).get(heading)
    return text[span[0] : span[1]] if span else ""


def variables_used(text: str) -> list[str]:
    """Every `{{…}}` variable name in the text, in first-seen order."""
    return list(dict.fromkeys(VARIABLE_RE.findall(text)))


def labels_in_text(text: str) -> list[str]:
    """The closed label list an enum description declares: the bullets after a 'Labels…:' line (of OUTPUT)."""
    lines = (section_text(text, SECTION_HEADINGS[-1]) or text).splitlines()
    for i, line in enumerate(lines):
        if not _LABELS_INTRO_RE.search(line):
            continue
        labels: list[str] = []
        for follow in lines[i + 1 :]:
            bullet = _BULLET_RE.match(follow)
            if not bullet:
                if labels or follow.strip():
                    break
                continue
            labels.append(_label_of(bullet.group(1)))
        if labels:
            return labels
    return []


def _label_of(bullet: str) -> str:
    """The label part of a `- label: criteria` (or `- label — criteria`) bullet."""
    head = re.split(r"\s*(?::|\s[—–]\s|\s-\s)", bullet, maxsplit=1)[0]
    return head.strip().strip("*`\"'").strip()


def problems_of(result: CleanDescription, eval_type: CleanEvalType) -> list[str]:
    """Everything wrong with a clean description; an empty list means it is valid."""
    text = result.clean_description or ""
    problems: list[str] = []
    if len(text.strip()) < 200:
        problems.append("clean_description is missing or too short to be a judge prompt.")
    if not (result.thinking or "").strip():
        problems.append("thinking is empty: list the assumptions made, ambiguities resolved and what changed.")
    problems += _structure_problems(text)
    for name in (MAIN_AGENT, TESTING_AGENT):
        if name not in text:
            problems.append(f"The description must speak of the {name} (exact words '{name}').")
    bad = [v for v in variables_used(text) if not is_allowed_variable(v)]
    if bad:
        problems.append(
            "Variables outside the allowed set: "
            + ", ".join("{{" + v + "}}" for v in bad)
            + ". Allowed: {{transcript}}, {{agent.description}}, {{test_profile.<field>}}, {{evaluator.instructions}}."
        )
    output = section_text(text, SECTION_HEADINGS[-1])
    problems += _EVAL_TYPE_CHECKS[eval_type](output, result)
    if eval_type is not CleanEvalType.ENUM and result.enum_values:
        problems.append("enum_values must be null unless eval_type is enum.")
    return problems


def _structure_problems(text: str) -> list[str]:
    """Missing or out-of-order sections."""
    spans = section_spans(text)
    missing = [h for h in SECTION_HEADINGS if h not in spans]
    if missing:
        return ["Missing section heading(s): " + "; ".join(missing) + "."]
    order = sorted(SECTION_HEADINGS, key=lambda h: spans[h][0])
    if order != list(SECTION_HEADINGS):
        return ["Sections must appear in this order: " + " → ".join(SECTION_HEADINGS) + "."]
    empty = [h for h in SECTION_HEADINGS if not text[spans[h][0] : spans[h][1]].strip()]
    return ["Empty section(s): " + "; ".join(empty) + "."] if empty else []


def _boolean_problems(output: str, _result: CleanDescription) -> list[str]:
    """TRUE and FALSE each defined, each with an example."""
    problems = []
    for verdict in ("TRUE", "FALSE"):
        if not re.search(rf"^\s*(?:[-*•]\s*)?(?:\*\*)?{verdict}\b", output, re.MULTILINE):
            problems.append(f"OUTPUT INSTRUCTIONS must define {verdict} on a line starting with '{verdict}'.")
        if not re.search(rf"example[^\n]*\b{verdict}\b|\b{verdict}\b[^\n]*example", output, re.IGNORECASE):
            problems.append(f"OUTPUT INSTRUCTIONS must give a short example of a {verdict} verdict.")
    return problems


def _rating_problems(output: str, _result: CleanDescription) -> list[str]:
    """A 1–5 (or 0–5) anchored scale, one line per level."""
    levels = [int(m.group(1)) for line in output.splitlines() if (m := _RATING_LINE_RE.match(line))]
    if sorted(set(levels)) not in ([1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5]) or len(levels) != len(set(levels)):
        return ["OUTPUT INSTRUCTIONS must give an anchored 1–5 scale: exactly one line per level, e.g. '5 — …'."]
    return []


def _numeric_problems(output: str, _result: CleanDescription) -> list[str]:
    """What is counted, the unit, counting rules and the direction."""
    problems = []
    low = output.lower()
    if "unit" not in low:
        problems.append("OUTPUT INSTRUCTIONS must name the unit of the number.")
    if not re.search(r"count|measure", low):
        problems.append("OUTPUT INSTRUCTIONS must say exactly what is counted or measured and the counting rules.")
    if not re.search(r"(higher|lower) is better", low):
        problems.append("OUTPUT INSTRUCTIONS must state the direction: 'higher is better' or 'lower is better'.")
    return problems


def _enum_problems(output: str, result: CleanDescription) -> list[str]:
    """Closed label list equal to enum_values, an other/N/A label, a tie-break rule."""
    problems = []
    values = list(result.enum_values or [])
    labels = labels_in_text(output)
    if not values:
        problems.append("enum_values must list the labels for an enum metric.")
    if not labels:
        problems.append("OUTPUT INSTRUCTIONS must list the labels after a 'Labels (closed list):' line, one '- label: criteria' bullet each.")
    elif [label.lower() for label in labels] != [value.lower() for value in values]:
        problems.append(f"enum_values {values} must equal the labels listed in the text {labels}, in the same order.")
    if values and not any(v.strip().lower() in FALLBACK_LABELS for v in values):
        problems.append("The labels must include an 'other' or 'N/A' label.")
    if len(set(v.lower() for v in values)) != len(values):
        problems.append("enum_values must not repeat a label.")
    if not re.search(r"tie[- ]?break|more than one label", output, re.IGNORECASE):
        problems.append("OUTPUT INSTRUCTIONS must give a tie-break rule for when more than one label fits.")
    return problems


_EVAL_TYPE_CHECKS = {
    CleanEvalType.BOOLEAN: _boolean_problems,
    CleanEvalType.RATING: _rating_problems,
    CleanEvalType.NUMERIC: _numeric_problems,
    CleanEvalType.ENUM: _enum_problems,
}


def draft_problems(result: CleanDescription, eval_type: CleanEvalType, draft: str) -> list[str]:
    """What a clean description gets wrong about its own draft: labels changed, shorthand pasted, grammar slips."""
    from .draft import enum_labels_in
    from .shorthand import has_shorthand

    text = result.clean_description or ""
    problems: list[str] = []
    if eval_type is CleanEvalType.ENUM:
        wanted = [label.lower() for label in enum_labels_in(draft)]
        got = [value.lower() for value in result.enum_values or []]
        if wanted and got[: len(wanted)] != wanted:
            problems.append(f"The draft lists the labels {enum_labels_in(draft)}: keep them exactly, in that order, "
                            "before any added 'other'/'N/A' label.")
    if has_shorthand(draft):
        criteria = section_text(text, SECTION_HEADINGS[1])
        for line in (ln.strip() for ln in draft.splitlines()):
            if len(line) > 12 and line in criteria:
                problems.append(f"The criterion pastes the draft's shorthand verbatim ({line!r}): rewrite it as full "
                                "sentences about the Main Agent.")
    slip = INFLECTION_MISTAKES.search(text)
    if slip:
        problems.append(f"Grammar: '{slip.group(0)}' is not a word; fix the verb form.")
    for line in section_text(text, SECTION_HEADINGS[-1]).splitlines():
        if _RATING_LINE_RE.match(line) and line.rstrip().endswith(("…", "...")):
            problems.append(f"The rating anchor is cut mid-sentence: {line.strip()!r}.")
    return problems
