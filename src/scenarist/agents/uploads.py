"""Knowledge-base uploads: read the files of a request, check and extract every one, save all or none."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from rest_framework.exceptions import ValidationError

from .extraction import DEFAULT_MAX_PDF_PAGES, ExtractionError, extract_text, file_type_of
from .models import Agent, KnowledgeBaseFile

MAX_FILES_PER_UPLOAD = 50
MAX_FILE_NAME_CHARS = 255
_DATA_URI = re.compile(r"^data:[^,]*?;base64,", re.IGNORECASE)


@dataclass
class IncomingFile:
    """One file of an upload request: its name, its size (known before reading) and how to read it."""

    name: str
    size: int
    read: Callable[[], bytes]


@dataclass
class CheckedFile:
    """A file that passed every check, with its extracted text."""

    incoming: IncomingFile
    file_type: str
    text: str


def incoming_files(request) -> list[IncomingFile]:
    """The files of a multipart (`files`/`file`) or JSON/form (`{name, content_base64}`, `files: [...]`) request."""
    uploaded = (request.FILES.getlist("files") + request.FILES.getlist("file")) if request.FILES else []
    if uploaded:
        return [_from_upload(f) for f in uploaded]
    entries = _base64_entries(request.data)
    if not entries:
        raise ValidationError({"files": ["No files were submitted."]})
    return [_from_base64(i, entry) for i, entry in enumerate(entries)]


def check_files(files: list[IncomingFile]) -> list[CheckedFile]:
    """Check type, size and content of every file and extract its text; one 400 lists every rejection."""
    if len(files) > MAX_FILES_PER_UPLOAD:
        raise ValidationError({"files": [f"At most {MAX_FILES_PER_UPLOAD} files can be uploaded at once."]})
    max_bytes = settings.KB_MAX_FILE_BYTES
    checked, errors = [], []
    for incoming in files:
        try:
            checked.append(_check_one(incoming, max_bytes))
        except ExtractionError as exc:
            errors.append(f"{incoming.name}: {exc.message}")
    if errors:
        raise ValidationError({"files": errors})
    return checked


def save_files(agent: Agent, checked: list[CheckedFile]) -> list[KnowledgeBaseFile]:
    """Store the checked files of one agent in one transaction (each file's bytes are read again here)."""
    rows = []
    with transaction.atomic():
        for item in checked:
            data = item.incoming.read()
            rows.append(
                KnowledgeBaseFile.objects.create(
                    agent=agent,
                    file_name=item.incoming.name,
                    file_type=item.file_type,
                    file_size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                    content=data,
                    extracted_text=item.text,
                    text_chars=len(item.text),
                )
            )
    return rows


# ---------------------------------------------------------------- helpers


def _check_one(incoming: IncomingFile, max_bytes: int) -> CheckedFile:
    """Type and size first (before reading), then extraction, which checks the content."""
    file_type_of(incoming.name)
    if incoming.size > max_bytes:
        raise ExtractionError(f"file is {incoming.size:,} bytes; the limit is {max_bytes:,} bytes per file")
    data = incoming.read()
    extracted = extract_text(
        incoming.name,
        data,
        max_chars=settings.KB_MAX_EXTRACTED_CHARS,
        max_pages=getattr(settings, "KB_MAX_PDF_PAGES", DEFAULT_MAX_PDF_PAGES),
    )
    return CheckedFile(incoming=incoming, file_type=extracted.file_type, text=extracted.text)


def _clean_name(raw: str) -> str:
    """The base name of a client-supplied file name, with any directory part removed."""
    return str(raw).replace("\\", "/").rsplit("/", 1)[-1].strip()


def _from_upload(uploaded) -> IncomingFile:
    """Wrap a multipart upload; its bytes are read only when needed."""

    def read() -> bytes:
        uploaded.seek(0)
        return uploaded.read()

    name = _clean_name(uploaded.name or "")
    _check_name(name, fallback="files")
    return IncomingFile(name=name, size=uploaded.size, read=read)


def _base64_entries(data) -> list:
    """The `{name, content_base64}` entries of a JSON or form body: `files: [...]`, one object, or an array."""
    if isinstance(data, list):
        return data
    if hasattr(data, "getlist"):  # form body: one flat entry
        data = data.dict()
    if not isinstance(data, dict):
        return []
    if "files" in data:
        files = data["files"]
        if isinstance(files, dict):
            return [files]
        if isinstance(files, list):
            return files
        raise ValidationError({"files": ["Expected a list of {name, content_base64} objects."]})
    if "content_base64" in data or "name" in data or "file_name" in data:
        return [data]
    return []


def _from_base64(index: int, entry) -> IncomingFile:
    """Validate one JSON entry and decode its (raw or data-URI) base64 content lazily."""
    if not isinstance(entry, dict):
        raise ValidationError({"files": [f"files[{index}]: expected an object with name and content_base64."]})
    name = _clean_name(entry.get("name") or entry.get("file_name") or "")
    _check_name(name, fallback=f"files[{index}]")
    content = entry.get("content_base64")
    if not isinstance(content, str) or not content.strip():
        raise ValidationError({"files": [f"{name}: content_base64 is required and must be a base64 string."]})
    payload = "".join(_DATA_URI.sub("", content.strip(), count=1).split())
    try:
        data = _decode_base64(payload)
    except (binascii.Error, ValueError):
        raise ValidationError({"files": [f"{name}: content_base64 is not valid base64."]}) from None
    return IncomingFile(name=name, size=len(data), read=lambda: data)


def _decode_base64(payload: str) -> bytes:
    """Decode standard or URL-safe base64, tolerating missing padding."""
    padded = payload + "=" * (-len(payload) % 4)
    if "-" in payload or "_" in payload:
        return base64.urlsafe_b64decode(padded)
    return base64.b64decode(padded, validate=True)


def _check_name(name: str, *, fallback: str) -> None:
    """A usable file name is required (it carries the type) and must fit the column."""
    if not name:
        raise ValidationError({"files": [f"{fallback}: a file name is required."]})
    if len(name) > MAX_FILE_NAME_CHARS:
        raise ValidationError({"files": [f"{name[:40]}…: file name is longer than {MAX_FILE_NAME_CHARS} characters."]})
