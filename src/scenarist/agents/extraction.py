"""Text extraction for knowledge-base uploads: one pure function, bytes in, text out (no Django).

Every format is parsed with bounded work: PDFs by page and character caps (pypdf also caps each
decompressed stream), XML without DTDs (so no entity expansion), JSON with a depth limit, and every
text format must decode as UTF-8 (BOM-aware) or UTF-16 with a BOM.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import PurePath
from xml.etree import ElementTree

MIME_BY_EXTENSION: dict[str, str] = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".pdf": "application/pdf",
    ".json": "application/json",
    ".csv": "text/csv",
    ".xml": "application/xml",
    ".html": "text/html",
    ".htm": "text/html",
}
ALLOWED_EXTENSIONS: tuple[str, ...] = tuple(sorted(MIME_BY_EXTENSION))

DEFAULT_MAX_CHARS = 5_000_000
DEFAULT_MAX_PDF_PAGES = 2_000
MAX_JSON_DEPTH = 64

# Leading bytes of common binary formats, for a precise "wrong extension" message.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (e.g. .docx, .xlsx)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "an executable"),
    (b"MZ\x90\x00", "a Windows executable"),
)


@dataclass(frozen=True)
class ExtractedText:
    """The text of an uploaded file and its MIME type."""

    text: str
    file_type: str
    pages: int | None = None


class ExtractionError(ValueError):
    """The file cannot be accepted; `message` says why, in words fit for an API error."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def extension_of(file_name: str) -> str:
    """The lower-cased extension of a file name, with its dot ('' when there is none)."""
    return PurePath(file_name).suffix.lower()


def extract_text(
    file_name: str,
    data: bytes,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_pages: int = DEFAULT_MAX_PDF_PAGES,
) -> ExtractedText:
    """Extract readable text from a KB file chosen by its extension; raise ExtractionError if unfit."""
    file_type = file_type_of(file_name)
    ext = extension_of(file_name)
    if not data:
        raise ExtractionError("file is empty")
    _check_content_matches(ext, data)
    pages = None
    if ext == ".pdf":
        text, pages = _pdf_text(data, max_chars=max_chars, max_pages=max_pages)
    else:
        text = _EXTRACTORS[ext](_decode_text(data, ext), max_chars)
    text = _tidy(text)
    if len(text) > max_chars:
        raise ExtractionError(f"extracted text is longer than the limit of {max_chars:,} characters")
    if not text.strip():
        raise ExtractionError("no readable text was found in the file")
    return ExtractedText(text=text, file_type=file_type, pages=pages)


def file_type_of(file_name: str) -> str:
    """The MIME type for an allowed file name; ExtractionError naming the allowed types otherwise."""
    ext = extension_of(file_name)
    if ext not in MIME_BY_EXTENSION:
        shown = ext or "(no extension)"
        raise ExtractionError(f"file type {shown} is not allowed (allowed: {', '.join(ALLOWED_EXTENSIONS)})")
    return MIME_BY_EXTENSION[ext]


# ---------------------------------------------------------------- content checks and decoding


def _check_content_matches(ext: str, data: bytes) -> None:
    """Refuse content that contradicts the extension (a .txt that is really a PDF, a .pdf that is not)."""
    head = data[:16].lstrip()
    if ext == ".pdf":
        if not head.startswith(b"%PDF-"):
            raise ExtractionError("is not a PDF: its content does not start with %PDF-")
        return
    for signature, what in _BINARY_SIGNATURES:
        if head.startswith(signature):
            raise ExtractionError(f"content is {what}, which does not match the {ext} extension")


def _decode_text(data: bytes, ext: str) -> str:
    """Decode UTF-8 (with or without BOM) or BOM-marked UTF-16; refuse binary data and other encodings."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ExtractionError("is not valid UTF-16 text despite its UTF-16 byte-order mark") from None
    else:
        if b"\x00" in data:
            raise ExtractionError(f"contains NUL bytes: it looks like a binary file, not {ext} text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            bad = data[exc.start]
            raise ExtractionError(
                f"is not valid UTF-8 text (byte 0x{bad:02x} at offset {exc.start}); save it as UTF-8 and retry"
            ) from None
    if "\x00" in text:
        raise ExtractionError(f"contains NUL characters: it looks like a binary file, not {ext} text")
    return text


_BLANK_RUNS = re.compile(r"\n{3,}")
_WHITESPACE = re.compile(r"\s+")


def _tidy(text: str) -> str:
    """Normalise newlines, trim trailing spaces per line and collapse long runs of blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")


class _Budget:
    """Counts characters produced so far; raises once the cap is passed (stops work early)."""

    def __init__(self, max_chars: int):
        self.max_chars = max_chars
        self.used = 0

    def spend(self, piece: str) -> str:
        self.used += len(piece) + 1
        if self.used > self.max_chars:
            raise ExtractionError(f"extracted text is longer than the limit of {self.max_chars:,} characters")
        return piece


# ---------------------------------------------------------------- per-format extractors


def _plain_text(text: str, max_chars: int) -> str:
    """txt/md: the decoded text as is."""
    return text


def _pdf_text(data: bytes, *, max_chars: int, max_pages: int) -> tuple[str, int]:
    """PDF: page texts joined by blank lines; page and character caps bound the work."""
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError("PDF is password-protected; upload an unencrypted copy")
        page_count = len(reader.pages)
        if page_count > max_pages:
            raise ExtractionError(f"PDF has {page_count:,} pages; at most {max_pages:,} are accepted")
        budget = _Budget(max_chars)
        parts = []
        for page in reader.pages:
            parts.append(budget.spend(page.extract_text() or ""))
    except ExtractionError:
        raise
    except LimitReachedError:
        raise ExtractionError("PDF exceeds the safe decompression limits (possible decompression bomb)") from None
    except Exception as exc:  # noqa: BLE001 — pypdf raises many types on malformed input
        raise ExtractionError(f"PDF could not be read ({type(exc).__name__}); it may be damaged") from None
    return "\n\n".join(parts), page_count


class _VisibleTextParser(HTMLParser):
    """Collects the text a browser would show: no script/style, block elements on their own lines."""

    HIDDEN = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object"})
    BLOCKS = frozenset(
        {"p", "div", "br", "li", "ul", "ol", "tr", "table", "section", "article", "header", "footer", "nav",
         "aside", "main", "h1", "h2", "h3", "h4", "h5", "h6", "title", "blockquote", "pre", "dt", "dd", "hr",
         "form", "fieldset", "figcaption", "address", "details", "summary"}
    )  # fmt: skip

    def __init__(self, budget: _Budget):
        super().__init__(convert_charrefs=True)
        self.budget = budget
        self.hidden_depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden_depth += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.hidden_depth == 0:
            # Keep edge whitespace: "Hello <b>world</b>" must not become "Helloworld".
            self.parts.append(self.budget.spend(_WHITESPACE.sub(" ", data)))


def _html_text(text: str, max_chars: int) -> str:
    """HTML: visible text only (stdlib parser; scripts and styles dropped)."""
    parser = _VisibleTextParser(_Budget(max_chars))
    parser.feed(text)
    parser.close()
    lines = ("".join(parser.parts)).split("\n")
    return "\n".join(" ".join(line.split()) for line in lines)


def _xml_text(text: str, max_chars: int) -> str:
    """XML: its text nodes, one per line, in document order; documents with a DTD are refused."""
    lowered = text.lower()
    if "<!doctype" in lowered or "<!entity" in lowered:
        raise ExtractionError("XML with a DTD (<!DOCTYPE or <!ENTITY) is not accepted; remove the DTD and retry")
    try:
        root = ElementTree.fromstring(_strip_xml_declaration(text))
    except ElementTree.ParseError as exc:
        raise ExtractionError(f"is not well-formed XML ({exc})") from None
    budget = _Budget(max_chars)
    lines = []
    stack: list[tuple[ElementTree.Element, bool]] = [(root, False)]
    while stack:  # iterative walk: deep nesting cannot exhaust the Python stack
        element, finished = stack.pop()
        piece = element.tail if finished else element.text
        if piece and piece.strip():
            lines.append(budget.spend(" ".join(piece.split())))
        if not finished:
            if element is not root:
                stack.append((element, True))
            stack.extend((child, False) for child in reversed(element))
    return "\n".join(lines)


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _strip_xml_declaration(text: str) -> str:
    """The text is already decoded, so an `encoding=` declaration must not be honoured again."""
    return _XML_DECLARATION.sub("", text, count=1)


def _json_text(text: str, max_chars: int) -> str:
    """JSON: one `path: value` line per leaf, in document order, after checking it parses and its depth."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise ExtractionError(f"JSON is nested deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError as exc:
        message = getattr(exc, "msg", str(exc))
        where = f" (line {exc.lineno}, column {exc.colno})" if hasattr(exc, "lineno") else ""
        raise ExtractionError(f"is not valid JSON: {message}{where}") from None
    budget = _Budget(max_chars)
    lines = []
    stack: list[tuple[str, object, int]] = [("", value, 0)]
    while stack:
        path, node, depth = stack.pop()
        if depth >= MAX_JSON_DEPTH:  # the root is level 1
            raise ExtractionError(f"JSON is nested deeper than {MAX_JSON_DEPTH} levels")
        if isinstance(node, dict) and node:
            items = [(f"{path}.{key}" if path else str(key), child) for key, child in node.items()]
        elif isinstance(node, list) and node:
            items = [(f"{path}[{i}]", child) for i, child in enumerate(node)]
        else:
            leaf = node if isinstance(node, str) else json.dumps(node, ensure_ascii=False)
            lines.append(budget.spend(f"{path}: {leaf}" if path else leaf))
            continue
        stack.extend((child_path, child, depth + 1) for child_path, child in reversed(items))
    return "\n".join(lines)


def _csv_text(text: str, max_chars: int) -> str:
    """CSV: a `Columns:` line, then one `column: value; …` line per row (empty cells left out)."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=first_line.count) if any(d in first_line for d in ",;\t|") else ","
    budget = _Budget(max_chars)
    lines = []
    header: list[str] | None = None
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip() or f"column {i + 1}" for i, cell in enumerate(row)]
                lines.append(budget.spend("Columns: " + ", ".join(header)))
                continue
            pairs = [
                f"{header[i] if i < len(header) else f'column {i + 1}'}: {cell.strip()}"
                for i, cell in enumerate(row)
                if cell.strip()
            ]
            lines.append(budget.spend("; ".join(pairs)))
    except csv.Error as exc:
        raise ExtractionError(f"is not valid CSV ({exc})") from None
    return "\n".join(lines)


_EXTRACTORS = {
    ".txt": _plain_text,
    ".md": _plain_text,
    ".json": _json_text,
    ".csv": _csv_text,
    ".xml": _xml_text,
    ".html": _html_text,
    ".htm": _html_text,
}
