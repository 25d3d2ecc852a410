"""Token sizing: how many output tokens a schema needs, and how many prompt tokens fit the model's context.

Every call bounds its output: a small model caught in a repetition loop otherwise writes until the server's
context is full (minutes of CPU for nothing). The bound is derived from the output schema — string
`maxLength`, array `maxItems`, enums — with fixed allowances where the schema sets no limit, so a caller that
tightens its schema tightens its bound too.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

CHARS_PER_TOKEN = 4  # English prose averages ~4 characters per token for GPT/Llama/Qwen tokenizers
# Allowances where the schema sets no limit. A free string of 250 tokens is ~1,000 characters: a long caller
# instruction fits, a runaway loop does not get far.
FREE_STRING_TOKENS = 250
FREE_ITEM_STRING_TOKENS = 60  # a free string that is one element of a list (a tag, a step) is short
FREE_ARRAY_ITEMS = 8
SCALAR_TOKENS = 4
MARGIN = 1.25  # headroom over the estimate (whitespace, escapes, tokenizer variance)
MIN_OUTPUT_TOKENS = 128
PROMPT_OVERHEAD_TOKENS = 8  # per message: role and separators
# Real tokenizers split agent text (markup, ids, other languages) finer than 4 characters a token: text sized to a
# context keeps this share of the room free of doubt.
CONTEXT_SAFETY = 0.85
_MAX_DEPTH = 12


def estimate_text_tokens(text: str) -> int:
    """A tokenizer-free estimate (~4 characters per token), rounded up."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def estimate_prompt_tokens(messages: list[dict[str, Any]]) -> int:
    """Estimated prompt tokens of a chat request (content plus per-message overhead)."""
    return sum(estimate_text_tokens(str(m.get("content") or "")) + PROMPT_OVERHEAD_TOKENS for m in messages)


def request_tokens(messages: list[dict[str, Any]], output_model: type[BaseModel]) -> int:
    """Estimated prompt tokens of a structured request: its messages plus the JSON schema it carries."""
    return estimate_prompt_tokens(messages) + _schema_tokens(output_model)


@lru_cache(maxsize=256)
def _schema_tokens(output_model: type[BaseModel]) -> int:
    return estimate_text_tokens(json.dumps(output_model.model_json_schema()))


def text_chars_that_fit(prompt_tokens_available: int, overhead_tokens: int) -> int:
    """Characters of free text (an agent prompt) that fit in `prompt_tokens_available` beside `overhead_tokens`."""
    return max(0, int((prompt_tokens_available - overhead_tokens) * CHARS_PER_TOKEN * CONTEXT_SAFETY))


@lru_cache(maxsize=256)
def schema_output_tokens(output_model: type[BaseModel]) -> int:
    """Output tokens a complete answer for `output_model` may need (estimate x margin, at least 128)."""
    schema = output_model.model_json_schema()
    raw = _SchemaWalker(schema.get("$defs", {})).tokens(schema, 0)
    return max(MIN_OUTPUT_TOKENS, math.ceil(raw * MARGIN) + 16)


def output_token_bound(output_model: type[BaseModel], requested: int | None, cap: int) -> int:
    """The max_tokens to send: the caller's value or the schema's need, never above the configured cap."""
    wanted = requested if requested else schema_output_tokens(output_model)
    return max(1, min(wanted, cap))


def prompt_tokens_that_fit(context_tokens: int, output_tokens: int) -> int:
    """Prompt tokens left in a context of `context_tokens` once `output_tokens` are reserved for the answer."""
    return max(0, context_tokens - output_tokens - 16)


class _SchemaWalker:
    """Walks a pydantic JSON schema and adds up the tokens a full answer takes."""

    def __init__(self, defs: dict[str, Any]):
        self._defs = defs

    def tokens(self, node: Any, depth: int, in_array: bool = False) -> int:
        if not isinstance(node, dict) or depth > _MAX_DEPTH:
            return SCALAR_TOKENS
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return self.tokens(self._defs.get(ref.rsplit("/", 1)[1], {}), depth + 1, in_array)
        for key in ("anyOf", "oneOf"):
            if isinstance(node.get(key), list) and node[key]:
                return max(self.tokens(option, depth + 1, in_array) for option in node[key])
        if isinstance(node.get("allOf"), list) and node["allOf"]:
            return sum(self.tokens(part, depth + 1) for part in node["allOf"])
        if "enum" in node or "const" in node:
            values = node.get("enum") or [node.get("const")]
            return max(estimate_text_tokens(json.dumps(v)) for v in values) + 1
        kind = node.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind == "string":
            limit = node.get("maxLength")
            free = FREE_ITEM_STRING_TOKENS if in_array else FREE_STRING_TOKENS
            return (estimate_text_tokens("x" * int(limit)) if isinstance(limit, int) else free) + 2
        if kind == "array":
            limit = node.get("maxItems")
            count = int(limit) if isinstance(limit, int) else FREE_ARRAY_ITEMS
            return 2 + count * (self.tokens(node.get("items", {}), depth + 1, in_array=True) + 1)
        if kind == "object" or "properties" in node:
            properties = node.get("properties") or {}
            return 2 + sum(estimate_text_tokens(name) + 3 + self.tokens(sub, depth + 1)
                           for name, sub in properties.items())
        return SCALAR_TOKENS
