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


CACHE_MIN_TOKENS = 1024  # OpenAI caches prompts from 1,024 tokens on, in 128-token steps
CACHE_BLOCK_TOKENS = 128


def prompt_text(body: dict[str, Any]) -> str:
    """The request's messages as one string, in order (what a prefix cache keys on)."""
    parts = []
    for message in body.get("messages") or []:
        if isinstance(message, dict):
            parts.append(f"<{message.get('role')}>{message.get('content') or ''}")
    return "".join(parts)


class PrefixCache:
    """Remembers prompt prefixes in 128-token blocks; answers how many leading tokens were seen before."""

    def __init__(self, chars_per_token: int = 4):
        self._block_chars = CACHE_BLOCK_TOKENS * chars_per_token
        self._chars_per_token = chars_per_token
        self._seen: set[int] = set()

    def cached_tokens(self, text: str) -> int:
        """Tokens of the longest cached prefix of `text` (0 below 1,024), then remember every prefix of it."""
        blocks = len(text) // self._block_chars
        keys = [hash(text[: (i + 1) * self._block_chars]) for i in range(blocks)]
        hit = 0
        for key in keys:
            if key not in self._seen:
                break
            hit += 1
        self._seen.update(keys)
        tokens = hit * CACHE_BLOCK_TOKENS
        return tokens if tokens >= CACHE_MIN_TOKENS else 0
