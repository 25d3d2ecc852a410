"""Structured output: how a schema is requested, and how an answer becomes a validated object."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
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


PREVIOUS_ANSWER_MAX_CHARS = 3000  # a runaway answer is shown cut, so the re-ask itself stays small


def reask_messages(
    messages: list[dict[str, str]], bad_answer: str, problems: list[str] | str
) -> list[dict[str, str]]:
    """The conversation for the single re-ask: the previous answer as it was, the exact failed checks, a fix request."""
    listed = [problems] if isinstance(problems, str) else list(problems)
    shown = bad_answer if len(bad_answer) <= PREVIOUS_ANSWER_MAX_CHARS else (
        bad_answer[:PREVIOUS_ANSWER_MAX_CHARS] + f"\n[... {len(bad_answer) - PREVIOUS_ANSWER_MAX_CHARS} more characters]")
    checks = "\n".join(f"- {p[:500]}" for p in listed[:12]) or "- the answer was unusable"
    return [
        *messages,
        {"role": "assistant", "content": shown or "(empty answer)"},
        {
            "role": "user",
            "content": (
                "Your previous answer (above) could not be used. These checks failed:\n"
                + checks
                + "\nReply again with only the corrected JSON object, valid against the schema, and keep it concise."
            ),
        },
    ]


def looks_like_refusal(content: str) -> bool:
    """A short, non-JSON answer using a refusal phrase ("I can't help with that")."""
    text = content.strip()
    if not text or len(text) > _REFUSAL_MAX_CHARS or text.startswith(("{", "[", "```")):
        return False
    return bool(_REFUSAL_PATTERN.search(text))


TRUNCATED = "the answer was cut off at the output-token limit (finish_reason: length); write a shorter answer"


@dataclass
class ParseOutcome(Generic[T]):
    """Either a validated object or the checks the answer failed."""

    value: T | None = None
    problems: list[str] = field(default_factory=list)
    truncated: bool = False

    @property
    def problem(self) -> str | None:
        """The failed checks as one line (None when the answer was usable)."""
        return "; ".join(self.problems) if self.problems else None


def parse_answer(content: str | None, output_model: type[T], finish_reason: str | None = None) -> ParseOutcome[T]:
    """Decode and validate one answer; lenient about code fences and surrounding prose, strict on the schema.

    An answer that stopped at its token limit is never used, even when the cut happens to leave valid JSON:
    the model had not finished, so the object may be missing what it was about to write.
    """
    if finish_reason == "length":
        return ParseOutcome(problems=[TRUNCATED], truncated=True)
    if not content or not content.strip():
        return ParseOutcome(problems=["the answer was empty"])
    data, decode_problem = _decode_json(content)
    if decode_problem is not None:
        return ParseOutcome(problems=[decode_problem])
    try:
        return ParseOutcome(value=output_model.model_validate(data))
    except ValidationError as exc:
        return ParseOutcome(problems=["the JSON did not match the schema: " + e for e in _short_errors(exc)])


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


def _short_errors(exc: ValidationError, limit: int = 8) -> list[str]:
    parts = []
    for error in exc.errors()[:limit]:
        location = ".".join(str(p) for p in error.get("loc", ())) or "(root)"
        parts.append(f"{location}: {error.get('msg')}")
    more = exc.error_count() - limit
    if more > 0:
        parts.append(f"... and {more} more")
    return parts
