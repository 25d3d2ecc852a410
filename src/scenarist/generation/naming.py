"""Scenario names: at most 80 characters and unique (case-insensitively) within the agent — the one place for that rule."""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_NAME_CHARS = 80
_DANGLING = re.compile(r"\s+(?:a|an|the|of|to|for|and|or|with|in|on|at|by|from|its|your|their)$", re.I)


def fit_name(text: str, limit: int = MAX_NAME_CHARS) -> str:
    """`text` within `limit` characters, cut at a word boundary with no dangling article or trailing punctuation."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    while _DANGLING.search(cut):  # "… an account or an" → "… an account"
        cut = _DANGLING.sub("", cut)
    return cut.rstrip(" ,;:-–—")


def unique_name(base: str, taken: set[str], qualifiers: Iterable[object] = ()) -> str:
    """`base` fitted to 80 characters; on a clash with `taken`, the first free `base (qualifier)`, else `base (n)`."""
    base = " ".join(base.split()) or "Scenario"
    lowered = {t.lower() for t in taken}
    candidates = [fit_name(base)]
    candidates += [f"{fit_name(base, MAX_NAME_CHARS - len(str(q)) - 3)} ({q})" for q in qualifiers if q]
    for candidate in candidates:
        if candidate.lower() not in lowered and len(candidate) <= MAX_NAME_CHARS:
            return candidate
    number = 2
    while True:
        suffix = f" ({number})"
        candidate = fit_name(base, MAX_NAME_CHARS - len(suffix)) + suffix
        if candidate.lower() not in lowered:
            return candidate
        number += 1
