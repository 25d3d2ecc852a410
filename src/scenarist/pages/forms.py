"""Form plumbing: HTML form values → API-shaped bodies, and DRF validation errors → messages per field."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError

NON_FIELD = "form"


def field_errors(exc: ValidationError) -> dict[str, list[str]]:
    """`{field: [messages]}` of a DRF ValidationError (nested lists/dicts flattened to readable lines)."""
    detail = exc.detail
    if not isinstance(detail, dict):
        return {NON_FIELD: _flatten(detail)}
    errors = {}
    for name, value in detail.items():
        errors[NON_FIELD if name == "non_field_errors" else str(name)] = _flatten(value)
    return errors


def _flatten(value: Any, prefix: str = "") -> list[str]:
    """Readable lines of a nested DRF error structure."""
    if isinstance(value, dict):
        return [line for key, sub in value.items() for line in _flatten(sub, f"{prefix}{key}: ")]
    if isinstance(value, (list, tuple)):
        return [line for item in value for line in _flatten(item, prefix)]
    return [f"{prefix}{value}"]


def split_list(raw: str | None) -> list[str]:
    """Comma- or newline-separated text → trimmed, non-empty items."""
    return [part.strip() for part in (raw or "").replace("\n", ",").split(",") if part.strip()]


def present(post, *names: str) -> dict[str, Any]:
    """The named single-valued fields that were filled in (blank ones are left out, as if omitted)."""
    return {name: post[name] for name in names if post.get(name, "").strip() != ""}
