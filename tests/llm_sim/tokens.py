"""Deterministic token counting (~4 characters per token), the same for the log and `usage`."""

from __future__ import annotations

import json
import math
from typing import Any

MESSAGE_OVERHEAD_TOKENS = 3


def count_text_tokens(text: str, chars_per_token: int = 4) -> int:
    """Tokens in one text: ceil(chars / chars_per_token), at least 1 for non-empty text."""
    if not text:
        return 0
    return max(1, math.ceil(len(text) / chars_per_token))


def count_prompt_tokens(body: dict[str, Any], chars_per_token: int = 4) -> int:
    """Tokens of a chat request: every message (+ a small overhead each) and the response_format."""
    total = 0
    for message in body.get("messages") or []:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, list):  # content parts
            content = " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
        total += count_text_tokens(str(content or ""), chars_per_token) + MESSAGE_OVERHEAD_TOKENS
    if body.get("response_format"):
        total += count_text_tokens(json.dumps(body["response_format"]), chars_per_token)
    return total
