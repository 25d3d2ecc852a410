"""Detect a provider that refused or apologised in its content instead of writing the requested item."""

from __future__ import annotations

import re

_REFUSAL = re.compile(
    r"(?i)\b(?:"
    r"i\s*(?:can(?:'|’)?t|cannot|can not|won(?:'|’)?t|will not|am unable to|(?:'|’)?m unable to|"
    r"am not able to|(?:'|’)?m not able to|(?:'|’)?m not comfortable|am not comfortable)\s+"
    r"(?:help|assist|create|write|generate|produce|provide|comply|do that|fulfil|fulfill|support|participate|engage)"
    r"|i must (?:decline|refuse)"
    r"|i(?:'|’)?m afraid i can"
    r"|as an ai(?: language model)?\b"
    r"|against (?:my|our|the) (?:guidelines|policies|policy|content policy|usage policies|principles)"
    r"|(?:violates?|breach(?:es)?) (?:my|our|the) (?:guidelines|policies|content policy)"
    r"|not able to (?:help|assist) with (?:this|that)"
    r")"
)
_APOLOGY_OPENING = re.compile(
    r"(?i)^\s*[\"'“]?\s*(?:i(?:'|’)?m sorry|i am sorry|sorry|i apologi[sz]e|unfortunately,? i)\b"
)


def looks_like_refusal(*texts: str) -> bool:
    """True when the content reads as the model declining or apologising rather than doing the task."""
    joined = "\n".join(t for t in texts if t)
    if not joined.strip():
        return True
    if _REFUSAL.search(joined):
        return True
    return any(_APOLOGY_OPENING.match(t) for t in texts[:2] if t)
