"""Scenario names: at most 80 characters and unique within the agent (a qualifier is added on collision)."""

from __future__ import annotations

MAX_NAME_CHARS = 80


def unique_name(base: str, taken: set[str]) -> str:
    """`base` cut to 80 characters; on a case-insensitive clash with `taken`, the first free ' (n)' qualifier."""
    base = " ".join(base.split()) or "Scenario"
    lowered = {t.lower() for t in taken}
    candidate = _cut(base, MAX_NAME_CHARS)
    number = 2
    while candidate.lower() in lowered:
        suffix = f" ({number})"
        candidate = _cut(base, MAX_NAME_CHARS - len(suffix)) + suffix
        number += 1
    return candidate


def _cut(text: str, limit: int) -> str:
    """Cut at a word boundary when possible."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:-–—")
