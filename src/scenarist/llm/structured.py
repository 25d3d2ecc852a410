"""Structured output: how a schema is requested, and how an answer becomes a validated object."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from scenarist.llm.config import StructuredMode

T = TypeVar("T", bound=BaseModel)

# Refusals are short prose, not JSON; these phrases cover the common wordings of hosted and open models.
_REFUSAL_PATTERN = re.compile(
    r"\b(?:"
    r"i\s*(?:can['’]?t|cannot|can\s+not|won['’]?t|will\s+not|am\s+(?:not\s+able|unable)|['’]m\s+(?:not\s+able|unable))"
    r"\s+(?:to\s+)?(?:help|assist|comply|provide|do\s+that|fulfil+|create|generate|write|support|engage)"
    r"|i['’]?m\s+sorry,?\s+but"
    r"|i\s+am\s+sorry,?\s+but"
    r"|i\s+apologi[sz]e,?\s+but"
    r"|as\s+an\s+ai(?:\s+language)?\s+model,?\s+i"
    r"|i\s+must\s+(?:decline|refuse)"
    r")",
    re.IGNORECASE,
)
_REFUSAL_MAX_CHARS = 600
_FENCED_JSON = re.compile(r"```(?:json)?\s*(\{.*\}|\[.*\])\s*```", re.DOTALL | re.IGNORECASE)
_SCHEMA_NAME_CHARS = re.compile(r"[^a-zA-Z0-9_-]")


# Building a JSON schema costs pydantic about a millisecond; output models are few and fixed, so each is
# built once per process. The cached values are shared: callers must not mutate them.
@lru_cache(maxsize=256)
def json_schema_of(output_model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema sent to the server for `output_model` (cached; do not mutate)."""
    return output_model.model_json_schema()


def schema_name(output_model: type[BaseModel]) -> str:
    """A response_format name the OpenAI API accepts (^[a-zA-Z0-9_-]{1,64}$)."""
    return _SCHEMA_NAME_CHARS.sub("_", output_model.__name__)[:64] or "output"


@lru_cache(maxsize=512)
def response_format_for(mode: StructuredMode, output_model: type[BaseModel]) -> dict[str, Any]:
    """The `response_format` request field for this mode (cached; do not mutate)."""
    if mode is StructuredMode.JSON_SCHEMA:
        return {
            "type": "json_schema",
            "json_schema": {
                "name": schema_name(output_model),
                "schema": json_schema_of(output_model),
                "strict": False,
            },
        }
    return {"type": "json_object"}


@lru_cache(maxsize=256)
def _schema_instruction(output_model: type[BaseModel]) -> str:
    return (
        "Reply with exactly one JSON object and nothing else (no prose, no code fences). "
        "It must be valid against this JSON schema:\n```json\n"
        + json.dumps(json_schema_of(output_model), ensure_ascii=False)
        + "\n```"
    )


def with_schema_instruction(messages: list[dict[str, str]], output_model: type[BaseModel]) -> list[dict[str, str]]:
    """Messages with the JSON schema spelled out in the system message (json_object mode)."""
    instruction = _schema_instruction(output_model)
    out = [dict(m) for m in messages]
    for message in out:
        if message.get("role") == "system":
            message["content"] = f"{message.get('content', '')}\n\n{instruction}".strip()
            return out
    return [{"role": "system", "content": instruction}, *out]


def reask_messages(
    messages: list[dict[str, str]], bad_answer: str, problem: str
) -> list[dict[str, str]]:
    """The conversation for the single re-ask: the bad answer, what was wrong, and a request to fix it."""
    return [
        *messages,
        {"role": "assistant", "content": bad_answer},
        {
            "role": "user",
            "content": (
                "Your previous answer could not be used: "
                + problem[:1500]
                + "\nReply again with only the corrected JSON object, valid against the schema."
            ),
        },
    ]


def looks_like_refusal(content: str) -> bool:
    """A short, non-JSON answer using a refusal phrase ("I can't help with that")."""
    text = content.strip()
    if not text or len(text) > _REFUSAL_MAX_CHARS or text.startswith(("{", "[", "```")):
        return False
    return bool(_REFUSAL_PATTERN.search(text))


@dataclass
class ParseOutcome(Generic[T]):
    """Either a validated object or the reason the answer was unusable."""

    value: T | None = None
    problem: str | None = None


def parse_answer(content: str | None, output_model: type[T], finish_reason: str | None = None) -> ParseOutcome[T]:
    """Decode and validate one answer; lenient about code fences and surrounding prose, strict on the schema."""
    if not content or not content.strip():
        return ParseOutcome(problem="the answer was empty")
    data, decode_problem = _decode_json(content)
    if decode_problem is not None:
        if finish_reason == "length":
            decode_problem = "the JSON was cut off (output token limit reached); " + decode_problem
        return ParseOutcome(problem=decode_problem)
    try:
        return ParseOutcome(value=output_model.model_validate(data))
    except ValidationError as exc:
        return ParseOutcome(problem="the JSON did not match the schema: " + _short_errors(exc))


def _decode_json(content: str) -> tuple[Any, str | None]:
    text = content.strip()
    try:
        return json.loads(text), None
    except json.JSONDecodeError as first_error:
        for candidate in _embedded_json_candidates(text):
            try:
                return json.loads(candidate), None
            except json.JSONDecodeError:
                continue
        return None, f"the answer was not valid JSON ({first_error.msg} at line {first_error.lineno} column {first_error.colno})"


def _embedded_json_candidates(text: str):
    """JSON wrapped in ```json fences or in a sentence (some local models do this despite JSON mode)."""
    fenced = _FENCED_JSON.search(text)
    if fenced:
        yield fenced.group(1)
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        yield text[start : end + 1]


def _short_errors(exc: ValidationError, limit: int = 8) -> str:
    parts = []
    for error in exc.errors()[:limit]:
        location = ".".join(str(p) for p in error.get("loc", ())) or "(root)"
        parts.append(f"{location}: {error.get('msg')}")
    more = exc.error_count() - limit
    if more > 0:
        parts.append(f"... and {more} more")
    return "; ".join(parts)
