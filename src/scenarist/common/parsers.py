"""Request parsers that refuse NUL characters: PostgreSQL cannot store them (a 500 otherwise), SQLite would."""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ValidationError

NUL_MESSAGE = "Null characters are not allowed."  # DRF's own wording (ProhibitNullCharactersValidator)


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_nul(v) for v in value)
    return False


def refuse_nul(data):
    """`data` unchanged, or a 400 naming each top-level field whose value (at any depth) holds a NUL."""
    if hasattr(data, "lists"):  # QueryDict: every value of every key
        bad = [key for key, values in data.lists() if _has_nul(key) or _has_nul(values)]
    elif isinstance(data, dict):
        bad = [key for key, value in data.items() if _has_nul(key) or _has_nul(value)]
    else:
        bad = ["non_field_errors"] if _has_nul(data) else []
    if bad:
        raise ValidationError({key.replace("\x00", "") or "non_field_errors": [NUL_MESSAGE] for key in bad})
    return data


class JSONParser(parsers.JSONParser):
    """JSON bodies without NUL characters."""

    def parse(self, stream, media_type=None, parser_context=None):
        return refuse_nul(super().parse(stream, media_type, parser_context))


class FormParser(parsers.FormParser):
    """Form bodies without NUL characters."""

    def parse(self, stream, media_type=None, parser_context=None):
        return refuse_nul(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    """Multipart bodies whose text fields hold no NUL characters (file contents are bytes, not checked here)."""

    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        refuse_nul(result.data)
        return result
