"""Split a KB file's extracted text into sections: markdown headings, PDF pages, CSV row groups, text paragraphs.

Every section keeps its character offsets in `KBDocument.text`, so passages cut from it are verbatim.
PDF text arrives as extracted by pypdf (pages joined by blank lines; form feeds when present): sections are the
form-feed pages when there are any, else its blank-line separated blocks (pypdf keeps a page's lines together),
labelled "page N".
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from scenarist.generation.types import KBDocument

CSV_ROWS_PER_SECTION = 5
PDF_MIN_PAGE_CHARS = 80
_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.M)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")


@dataclass(frozen=True)
class Section:
    """A labelled span of a KB file's text."""

    file_id: int
    file_name: str
    label: str
    start: int
    end: int
    heading: str | None = None  # a real heading (markdown, or a title-like first line), usable as a topic
    columns: tuple[str, ...] = field(default_factory=tuple)  # CSV header, for row sections


def file_format(doc: KBDocument) -> str:
    """pdf | markdown | csv | text, from the MIME type or the file extension."""
    kind = (doc.file_type or "").lower()
    name = doc.file_name.lower()
    if "pdf" in kind or name.endswith(".pdf"):
        return "pdf"
    if "markdown" in kind or name.endswith((".md", ".markdown")):
        return "markdown"
    if "csv" in kind or name.endswith(".csv"):
        return "csv"
    if "json" in kind or name.endswith(".json"):
        return "json"
    return "text"


def split_sections(doc: KBDocument) -> list[Section]:
    """The file's sections in document order (empty text → no sections)."""
    if not doc.text.strip():
        return []
    fmt = file_format(doc)
    if fmt == "markdown":
        sections = _markdown_sections(doc)
    elif fmt == "csv":
        sections = _csv_sections(doc)
    elif fmt == "pdf":
        sections = _pdf_sections(doc)
    elif fmt == "json":
        sections = _json_sections(doc)
    else:
        sections = _paragraph_sections(doc, 0, len(doc.text), "paragraph")
    return sections or [Section(doc.file_id, doc.file_name, "whole file", 0, len(doc.text))]


def _markdown_sections(doc: KBDocument) -> list[Section]:
    """One section per heading (the text before the first heading is 'introduction')."""
    headings = list(_MD_HEADING.finditer(doc.text))
    if not headings:
        return _paragraph_sections(doc, 0, len(doc.text), "paragraph")
    sections = []
    if doc.text[: headings[0].start()].strip():
        sections.append(Section(doc.file_id, doc.file_name, "introduction", 0, headings[0].start()))
    for i, match in enumerate(headings):
        end = headings[i + 1].start() if i + 1 < len(headings) else len(doc.text)
        title = match.group(2).strip(" *_")
        if doc.text[match.end():end].strip():
            sections.append(Section(doc.file_id, doc.file_name, title, match.end(), end, heading=title))
    return sections


def row_pairs(columns: tuple[str, ...], line: str) -> list[tuple[str, str]]:
    """(column, value) pairs of one CSV data line, raw (`a,b`) or as extracted (`col: a; col: b`)."""
    if line.startswith(tuple(f"{c}:" for c in columns if c)):
        pairs = []
        # Only "; " before a column name separates cells ("Two visits; temporary crown" is one cell).
        names = "|".join(re.escape(c) for c in columns if c)
        for part in re.split(rf"; (?=(?:{names}):)", line):
            column, _, value = part.partition(":")
            if value.strip():
                pairs.append((column.strip(), value.strip()))
        return pairs
    values = next(csv.reader([line]), [])
    return [(c.strip(), v.strip()) for c, v in zip(columns, values) if c.strip() and v.strip()]


def original_row(columns: tuple[str, ...], line: str) -> str:
    """The CSV row as it stands in the uploaded file (`Sick visit,20,135,`), rebuilt from the extracted form
    (`service: Sick visit; …`; empty cells come back empty). How the file quoted a cell holding a comma or a
    semicolon is unknown, so the row stops before the first such cell when at least two plain cells precede it
    (that prefix occurs in the file whatever the quoting)."""
    if not line.startswith(tuple(f"{c}:" for c in columns if c)):
        return line
    values = dict(row_pairs(columns, line))
    cells = [values.get(c.strip(), "") for c in columns]
    plain = 0
    while plain < len(cells) and not re.search(r'[,;"\n]', cells[plain]):
        plain += 1
    if plain < len(cells) and plain >= 2:
        return ",".join(cells[:plain])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def _csv_sections(doc: KBDocument) -> list[Section]:
    """Groups of data rows (header excluded), each labelled by its row numbers.

    Accepts raw CSV and the service's extracted form (`Columns: a, b` then `a: 1; b: 2` per row)."""
    lines = _line_spans(doc.text)
    lines = [(s, e) for s, e in lines if doc.text[s:e].strip()]
    if len(lines) < 2:
        return _paragraph_sections(doc, 0, len(doc.text), "paragraph")
    first = doc.text[lines[0][0]:lines[0][1]]
    if first.startswith("Columns:"):
        header = tuple(h.strip() for h in first[len("Columns:"):].split(","))
    else:
        header = tuple(h.strip() for h in next(csv.reader([first])))
    sections = []
    rows = lines[1:]
    for i in range(0, len(rows), CSV_ROWS_PER_SECTION):
        group = rows[i:i + CSV_ROWS_PER_SECTION]
        first, last = i + 2, i + 1 + len(group)  # spreadsheet row numbers (header is row 1)
        label = f"rows {first}-{last}" if last > first else f"row {first}"
        sections.append(Section(doc.file_id, doc.file_name, label, group[0][0], group[-1][1], columns=header))
    return sections


def _json_sections(doc: KBDocument) -> list[Section]:
    """Extracted JSON (`path: value` lines) grouped by the path's first key, labelled with it."""
    sections: list[Section] = []
    current: tuple[str, int, int] | None = None
    for start, end in _line_spans(doc.text):
        key = re.split(r"[.\[:]", doc.text[start:end], maxsplit=1)[0].strip()
        if not key:
            continue
        if current and current[0] == key:
            current = (key, current[1], end)
            continue
        if current:
            sections.append(Section(doc.file_id, doc.file_name, current[0], current[1], current[2],
                                    heading=current[0].replace("_", " ")))
        current = (key, start, end)
    if current:
        sections.append(Section(doc.file_id, doc.file_name, current[0], current[1], current[2],
                                heading=current[0].replace("_", " ")))
    return sections


def _pdf_sections(doc: KBDocument) -> list[Section]:
    """Form-feed pages when present, else blank-line blocks."""
    if "\f" in doc.text:
        sections, start = [], 0
        for number, page in enumerate(doc.text.split("\f"), start=1):
            end = start + len(page)
            if page.strip():
                sections.append(Section(doc.file_id, doc.file_name, f"page {number}", start, end,
                                        heading=_title_line(page)))
            start = end + 1
        return sections
    # pypdf puts single newlines inside a page and the service joins pages with a blank line, so blank-line
    # blocks are pages; tiny blocks (a lone header) join the next one, huge ones are cut at paragraph runs.
    sections: list[Section] = []
    run_start: int | None = None
    for start, end in _paragraph_spans(doc.text, 0, len(doc.text)):
        if run_start is None:
            run_start = start
        if end - run_start >= PDF_MIN_PAGE_CHARS:
            sections.append(_pdf_page(doc, len(sections) + 1, run_start, end))
            run_start = None
    if run_start is not None:
        sections.append(_pdf_page(doc, len(sections) + 1, run_start, len(doc.text.rstrip())))
    return sections


def _pdf_page(doc: KBDocument, number: int, start: int, end: int) -> Section:
    """A page-sized section of PDF text."""
    return Section(doc.file_id, doc.file_name, f"page {number}", start, end, heading=_title_line(doc.text[start:end]))


def _paragraph_sections(doc: KBDocument, start: int, end: int, label: str) -> list[Section]:
    """One section per paragraph (blank-line separated)."""
    return [
        Section(doc.file_id, doc.file_name, f"{label} {i}", s, e, heading=_title_line(doc.text[s:e]))
        for i, (s, e) in enumerate(_paragraph_spans(doc.text, start, end), start=1)
    ]


def _paragraph_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each non-blank paragraph in text[start:end]."""
    spans, cursor = [], start
    for match in _PARAGRAPH_BREAK.finditer(text, start, end):
        if text[cursor:match.start()].strip():
            spans.append((cursor, match.start()))
        cursor = match.end()
    if text[cursor:end].strip():
        spans.append((cursor, end))
    return spans


def _line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without its newline."""
    spans, cursor = [], 0
    for line in text.split("\n"):
        spans.append((cursor, cursor + len(line.rstrip("\r"))))
        cursor += len(line) + 1
    return spans


def _title_line(block: str) -> str | None:
    """The block's first line when it reads like a title (short, no final full stop)."""
    first = block.strip().split("\n", 1)[0].strip()
    words = first.split()
    if 1 <= len(words) <= 8 and not first.endswith((".", "?", "!", ",", ";", ":")) and first[:1].isupper():
        return first.strip(" *#_")
    return None
