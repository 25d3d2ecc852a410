"""Property checks of a clean description, written independently of the library's own validator."""

from __future__ import annotations

import re

from scenarist.generation.types import CleanDescription, CleanEvalType

from .golden import GoldenCase

ALLOWED = re.compile(r"^(transcript|agent\.description|evaluator\.instructions|test_profile\.[A-Za-z_]\w*)$")
SECTION_PATTERNS = (
    ("scope", r"scope"),
    ("criteria", r"criteria"),
    ("failure conditions", r"failure conditions"),
    ("N/A", r"n/a conditions"),
    ("output", r"output instructions"),
)


def _heading_positions(text: str) -> dict[str, int]:
    """Where each section heading line starts (markdown '#', bold and plain headings accepted)."""
    found = {}
    for name, pattern in SECTION_PATTERNS:
        match = re.search(rf"^[#*\s]*{pattern}\b.*$", text, re.IGNORECASE | re.MULTILINE)
        if match:
            found[name] = match.start()
    return found


def output_section(text: str) -> str:
    """Text after the OUTPUT INSTRUCTIONS heading."""
    match = re.search(r"^[#*\s]*output instructions\b.*$", text, re.IGNORECASE | re.MULTILINE)
    return text[match.end():] if match else ""


def declared_labels(output: str) -> list[str]:
    """Bullets after the 'Labels …:' line: '- label: criteria'."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if re.search(r"labels?\b.*:\s*$", line, re.IGNORECASE))
    labels = []
    for line in lines[start + 1:]:
        bullet = re.match(r"^\s*[-*]\s+\**`?([^:`*]+?)`?\**\s*:", line)
        if not bullet:
            break
        labels.append(bullet.group(1).strip())
    return labels


INFLECTION_SLIPS = re.compile(r"\b(?:alwayses|nevers|onlies|musts|shoulds|cans|wills|doess|iss|hass|immediatelies|"
                              r"politelies|correctlies|alsos)\b", re.IGNORECASE)
SHORTHAND = re.compile(r"=>|->|\betc\b|\bok\?|\bappt\b|\bw/o?\b|\bb4\b|\basap\b|\bresv\b|\btxn\b|\bcx\b", re.IGNORECASE)


def _section(text: str, name: str, following: str) -> str:
    """Body of a section, up to the next heading."""
    start = re.search(rf"^[#*\s]*{name}\b.*$", text, re.IGNORECASE | re.MULTILINE)
    end = re.search(rf"^[#*\s]*{following}\b.*$", text, re.IGNORECASE | re.MULTILINE)
    return text[start.end(): end.start() if end else len(text)] if start else ""


def check_properties(result: CleanDescription, case: GoldenCase, *, offline: bool) -> None:
    """Assert every property of CONTRACT §3 and of the golden case that can be checked without judging prose."""
    text = result.clean_description
    low = text.lower()
    positions = _heading_positions(text)
    assert list(positions) == [name for name, _ in SECTION_PATTERNS], f"sections missing: {positions}"
    assert list(positions.values()) == sorted(positions.values()), "sections out of order"
    assert "Main Agent" in text and "Testing Agent" in text
    variables = re.findall(r"\{\{\s*([^{}]*?)\s*\}\}", text)
    assert all(ALLOWED.match(v) for v in variables), variables
    assert result.thinking.strip(), "thinking must explain the changes"
    for term in case.key_terms:
        assert term.lower() in low, f"the draft's term {term!r} was lost"
    for term in case.absent:
        assert term.lower() not in low, f"{term!r} must not appear"
    if case.grounded:
        criteria = _section(text, "criteria", "failure conditions").lower()
        assert case.grounded.lower() in criteria, f"the agent's rule {case.grounded!r} is not quoted under CRITERIA"
    assert not re.search(r"\b(?:does|do|should|must) not not\b", low)
    assert not INFLECTION_SLIPS.search(text), INFLECTION_SLIPS.search(text).group(0)
    if SHORTHAND.search(case.draft):  # no line of a shorthand draft is pasted as a criterion
        criteria = _section(text, "criteria", "failure conditions")
        for line in case.draft.splitlines():
            assert line.strip() not in criteria, f"draft pasted verbatim: {line!r}"
    scope = _section(text, "scope", "criteria")
    ignore = next((ln for ln in scope.splitlines() if ln.lower().startswith("ignore")), "")
    for term in case.key_terms:  # what the draft judges is never in the ignore list
        assert term.lower() not in ignore.lower(), f"the ignore list excludes {term!r}, which the draft judges"
    output = output_section(text)
    checks = {
        CleanEvalType.BOOLEAN: _boolean,
        CleanEvalType.RATING: _rating,
        CleanEvalType.NUMERIC: _numeric,
        CleanEvalType.ENUM: _enum,
    }
    checks[case.eval_type](result, output, case)


def _boolean(result: CleanDescription, output: str, case: GoldenCase) -> None:
    """TRUE and FALSE defined, an example of each."""
    assert re.search(r"^\W*TRUE\b", output, re.MULTILINE), "no TRUE definition"
    assert re.search(r"^\W*FALSE\b", output, re.MULTILINE), "no FALSE definition"
    assert re.search(r"example[^\n]*TRUE", output, re.IGNORECASE), "no TRUE example"
    assert re.search(r"example[^\n]*FALSE", output, re.IGNORECASE), "no FALSE example"
    assert result.enum_values is None


def _rating(result: CleanDescription, output: str, case: GoldenCase) -> None:
    """An anchored scale: one line per level 1..5."""
    anchors = [m for m in re.finditer(r"^\W*([0-5])\W*\s*(?:\([^)]*\)\s*)?[—–:-](.*)$", output, re.MULTILINE)]
    levels = [int(m.group(1)) for m in anchors]
    assert sorted(levels)[-5:] == [1, 2, 3, 4, 5] and len(levels) == len(set(levels)), levels
    bodies = [m.group(2).strip() for m in anchors]
    assert len(set(bodies)) == len(bodies), "anchors must be distinct"
    assert all(b.endswith((".", "!")) and not b.endswith(("…", "...")) for b in bodies), bodies
    assert result.enum_values is None


def _numeric(result: CleanDescription, output: str, case: GoldenCase) -> None:
    """Measured quantity, unit, counting rule, direction."""
    low = output.lower()
    assert re.search(r"^\W*measure\b|\bcount", low, re.MULTILINE)
    unit_line = next(line for line in low.splitlines() if "unit" in line)
    assert case.unit in unit_line, unit_line
    assert "counting rule" in low
    assert f"{case.direction} is better" in low
    assert result.enum_values is None


def _enum(result: CleanDescription, output: str, case: GoldenCase) -> None:
    """Closed labels equal to enum_values, author's labels first, other/N/A present, tie-break."""
    labels = declared_labels(output)
    assert result.enum_values == labels, (result.enum_values, labels)
    assert [v.lower() for v in labels[: len(case.labels)]] == [v.lower() for v in case.labels]
    assert [v.lower() for v in (result.enum_values or [])][: len(case.labels)] == [v.lower() for v in case.labels]
    assert any(v.lower() in {"other", "n/a"} for v in labels)
    assert re.search(r"tie[- ]?break", output, re.IGNORECASE)
