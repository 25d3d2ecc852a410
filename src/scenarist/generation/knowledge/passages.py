"""Candidate passages of a section (sentences, FAQ answers, CSV rows), scored for how testable they are."""

from __future__ import annotations

import re
from dataclasses import dataclass

import json

from scenarist.generation.knowledge.sections import Section, file_format, original_row
from scenarist.generation.types import KBDocument

MIN_CHARS = 25
MAX_CHARS = 320

_BLOCK_MARKER = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,2}[.)]|[QA][:.)]|Question:|Answer:)[ \t]+", re.I)
_HEADING_LINE = re.compile(r"^[ \t]*#{1,6}[ \t]")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”')\]]?\s+(?=[A-Z0-9\"“(£$€])")
MONEY = re.compile(r"[$€£¥]\s?\d[\d,]*(?:\.\d+)?|\b\d[\d,]*(?:\.\d+)?\s?(?:dollars|euros|pounds|usd|eur|gbp)\b", re.I)
PERCENT = re.compile(r"\b\d+(?:\.\d+)?\s?(?:%|percent\b)", re.I)
TIME = re.compile(r"\b\d{1,2}(?::\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)(?!\w)|\b\d{1,2}:\d{2}\b", re.I)
DURATION = re.compile(
    r"\b\d+(?:\s?(?:-|–|to)\s?\d+)?\s+(?:business |working |calendar |full )?"
    r"(?:minutes?|hours?|days?|nights?|weeks?|months?|years?)\b", re.I)
DATE = re.compile(
    r"\b(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,4}\b", re.I)
COUNT = re.compile(r"\b\d+\s+[a-z]{2,}s\b", re.I)
POLICY = re.compile(
    r"\b(must|only|not allowed|cannot|can't|may not|required|requires|prohibited|never|at least|at most|up to|within|"
    r"fee|charged?|policy|eligible|entitled|refund|no later than|before|after)\b", re.I)
PROCEDURE = re.compile(
    r"^(to|if you want to|first|then|next|finally)\b|\b(step|call|visit|submit|bring|log in|sign in|fill in|apply|"
    r"complete|send|upload|contact|book|register)\b", re.I)


# A line ending in one of these continues on the next line (wrapped PDF text), so it is no title.
_CONTINUATION_WORDS = {"a", "an", "the", "of", "to", "and", "or", "in", "on", "for", "with", "by", "at", "from", "is",
                       "are", "be", "your", "our", "within", "than", "per", "as", "that", "which"}


@dataclass(frozen=True)
class Candidate:
    """A passage a question can be drawn from: its verbatim quote and where it sits."""

    section: Section
    start: int
    end: int
    quote: str
    kind: str  # csv_row | faq | money | percent | time | duration | date | count | policy | procedure | fact
    score: float
    asked: str | None = None  # the FAQ question this passage answers, if any
    subheading: str | None = None  # the nearest title line above it inside the section


def section_candidates(doc: KBDocument, section: Section) -> list[Candidate]:
    """Scored candidates of one section, in document order."""
    if section.columns and file_format(doc) == "csv":
        return _csv_rows(doc, section)
    if file_format(doc) == "json":
        return _json_leaves(doc, section)
    out: list[Candidate] = []
    asked: str | None = None
    subheading: str | None = None
    for start, end, is_title in _blocks(doc.text, section.start, section.end):
        if is_title:
            subheading = doc.text[start:end].strip(" *#_:")
            continue
        for s_start, s_end in _sentences(doc.text, start, end):
            quote = doc.text[s_start:s_end]
            if quote.rstrip().endswith("?"):
                asked = " ".join(quote.split())
                continue
            candidate = _score(section, s_start, s_end, quote, asked, subheading)
            asked = None
            if candidate:
                out.append(candidate)
    return out


def passage_kind(text: str) -> str:
    """What kind of fact a sentence states (drives the question form)."""
    for kind, pattern in (("money", MONEY), ("percent", PERCENT), ("time", TIME), ("duration", DURATION),
                          ("date", DATE)):
        if pattern.search(text):
            return kind
    if PROCEDURE.search(text) and not POLICY.search(text):
        return "procedure"
    if POLICY.search(text):
        return "policy"
    if COUNT.search(text):
        return "count"
    return "fact"


def _score(section: Section, start: int, end: int, quote: str, asked: str | None,
           subheading: str | None) -> Candidate | None:
    """A Candidate for a sentence worth asking about, or None."""
    flat = " ".join(quote.split())
    if not MIN_CHARS <= len(flat) <= MAX_CHARS or len(flat.split()) < 5 or flat.endswith(":"):
        return None
    letters = [c for c in flat if c.isalpha()]
    if not re.search(r"[a-z]", flat) or sum(c.isupper() for c in letters) > 0.6 * len(letters):
        return None  # a shouted title line ("CLINIC - PATIENT POLICIES (rev.") is no passage
    kind = "faq" if asked else passage_kind(flat)
    score = 1.0
    score += 3 if re.search(r"\d", flat) else 0
    score += 2 if POLICY.search(flat) else 0
    score += 1.5 if PROCEDURE.search(flat) else 0
    score += 3 if asked else 0
    score -= 1 if len(flat) > 220 else 0
    return Candidate(section, start, end, quote, kind, score, asked, subheading or section.heading)


def _csv_rows(doc: KBDocument, section: Section) -> list[Candidate]:
    """Each data row of a CSV section is a candidate; its quote is the row as it stands in the uploaded file and
    its subheading names the spreadsheet row ("row 3", the header being row 1)."""
    out = []
    cursor = section.start
    first_row = _first_row_number(section.label)
    for line in doc.text[section.start:section.end].split("\n"):
        start, end = cursor, cursor + len(line.rstrip("\r"))
        cursor += len(line) + 1
        text = doc.text[start:end]
        if text.strip():
            out.append(Candidate(section, start, end, original_row(section.columns, text), "csv_row",
                                 3.0 + (1 if re.search(r"\d", text) else 0), subheading=f"row {first_row + len(out)}"))
    return out


def _first_row_number(label: str) -> int:
    """'rows 7-11' → 7."""
    match = re.search(r"\d+", label)
    return int(match.group(0)) if match else 2


_ABBREVIATION_END = re.compile(r"\b(Dr|Mr|Mrs|Ms|Prof|St|Ave|Rd|No|vs|Jr|Sr|e\.g|i\.e|etc|approx)\.\s*$")
_JSON_LEAF = re.compile(r"^(?P<path>[^\n:]+?): (?P<value>.+)$")


_JSON_SKIP = re.compile(r"^(updated|last_updated|version|id|schema|revision)$", re.I)


def _json_leaves(doc: KBDocument, section: Section) -> list[Candidate]:
    """Each `path: value` leaf of extracted JSON; its quote is the value as it stands in the file (extraction does
    not say whether a value was quoted, so the value alone) and its subheading names the leaf in words, led by
    its record's name ("Expedited transit business days")."""
    lines = []
    cursor = section.start
    for line in doc.text[section.start:section.end].split("\n"):
        lines.append((cursor, line))
        cursor += len(line) + 1
    names = {}
    for _, line in lines:
        match = _JSON_LEAF.match(line)
        if match and re.search(r"\.(name|title|label)$", match.group("path")):
            names[match.group("path").rsplit(".", 1)[0]] = match.group("value")
    out = []
    for start, line in lines:
        match = _JSON_LEAF.match(line)
        if not match:
            continue
        path, value = match.group("path"), match.group("value")
        key = re.split(r"[.\[]", path)[-1].rstrip("]")
        if _JSON_SKIP.match(key) or re.search(r"\.(name|title|label)$", path) or value in ("null", "true", "false"):
            continue
        owner = names.get(path.rsplit(".", 1)[0], "") if "." in path else ""
        words = " ".join(w for w in re.split(r"[._\[\]\d]+", path if not owner else key) if w)
        subheading = f"{owner} {words}".strip()
        is_sentence = len(value.split()) >= 6 and value.rstrip().endswith((".", "!"))
        kind = passage_kind(value) if is_sentence else "json_value"
        out.append(Candidate(section, start, start + len(line), value, kind,
                             2.0 + (1 if re.search(r"\d", value) else 0), subheading=subheading))
    return out


def _blocks(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """(start, end, is_title) blocks: split at blank lines, bullets, markers and title lines; headings skipped."""
    blocks: list[tuple[int, int, bool]] = []
    lines = []
    cursor = start
    for line in text[start:end].split("\n"):
        lines.append((cursor, cursor + len(line)))
        cursor += len(line) + 1
    current: list[int] | None = None
    for i, (l_start, l_end) in enumerate(lines):
        line = text[l_start:l_end]
        if not line.strip() or _HEADING_LINE.match(line):
            current = _close(blocks, current)
            continue
        next_line = text[lines[i + 1][0]:lines[i + 1][1]] if i + 1 < len(lines) else ""
        if _is_title(line, next_line):
            current = _close(blocks, current)
            blocks.append((l_start, l_end, True))
            continue
        marker = _BLOCK_MARKER.match(line)
        if marker:
            current = _close(blocks, current)
            current = [l_start + marker.end(), l_end]
        elif current is None:
            current = [l_start + (len(line) - len(line.lstrip())), l_end]
        else:
            current[1] = l_end
    _close(blocks, current)
    return blocks


def _close(blocks: list[tuple[int, int, bool]], current: list[int] | None) -> None:
    """Append the open block, if any (returns None so callers can reset)."""
    if current is not None and current[1] > current[0]:
        blocks.append((current[0], current[1], False))
    return None


def _is_title(line: str, next_line: str) -> bool:
    """A short unpunctuated capitalised line followed by more text is a title, not a sentence."""
    stripped = line.strip().strip("*_")
    words = stripped.split()
    following = next_line.strip().lstrip("-*+• ")
    return (
        1 <= len(words) <= 8
        and stripped[:1].isupper()
        and not stripped.endswith((".", "?", "!", ",", ";"))
        and words[-1].lower() not in _CONTINUATION_WORDS
        and not re.search(r"\d{2,}", stripped)
        and following[:1].isupper()
    )


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each sentence inside a block, trimmed of surrounding whitespace."""
    spans, cursor = [], start
    for match in _SENTENCE_END.finditer(text, start, end):
        spans.append((cursor, match.start() + len(match.group(0).rstrip())))
        cursor = match.end()
    spans.append((cursor, end))
    merged: list[tuple[int, int]] = []
    for span in spans:  # "Dr. Amara Osei" is one sentence: an abbreviation's full stop ends nothing
        if merged and _ABBREVIATION_END.search(text[merged[-1][0]:merged[-1][1]]):
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    spans = merged
    out = []
    for s, e in spans:
        chunk = text[s:e]
        s += len(chunk) - len(chunk.lstrip())
        e -= len(chunk) - len(chunk.rstrip())
        if e > s:
            out.append((s, e))
    return out
