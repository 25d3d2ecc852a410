"""Maps what the `openai` SDK raises onto our taxonomy (the one place that decides retryable vs permanent)."""

from __future__ import annotations

import email.utils
import time
from datetime import timezone
from collections.abc import Mapping

import openai

from scenarist.llm.errors import LLMError, LLMTimeoutError, PermanentLLMError, RetryableLLMError

# OpenAI's own SDK retries these statuses; so do we.
RETRYABLE_STATUSES = frozenset({408, 409, 429})


class StructuredModeRejected(PermanentLLMError):
    """The server answered 400 to response_format=json_schema; the client falls back to json_object."""


class ParameterRejected(PermanentLLMError):
    """The model rejects a sampling parameter (reasoning models: temperature, seed, max_tokens)."""

    def __init__(self, message: str, param: str, replacement: str | None = None):
        super().__init__(message)
        self.param = param
        self.replacement = replacement  # e.g. OpenAI: max_tokens -> max_completion_tokens


# Parameters a model may refuse; the client retries once without (or with the replacement of) each.
ADJUSTABLE_PARAMS = ("max_tokens", "temperature", "seed", "top_p")
_REJECTION_WORDS = ("unsupported", "not supported", "unrecognized", "unknown", "does not support", "not allowed")


def classify(exc: BaseException) -> LLMError:
    """Turn an SDK/transport exception into the matching LLMError."""
    if isinstance(exc, LLMError):
        return exc
    if isinstance(exc, openai.APITimeoutError):
        return LLMTimeoutError("the LLM server did not answer in time")
    if isinstance(exc, openai.APIConnectionError):
        return RetryableLLMError(f"could not reach the LLM server: {exc}")
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        detail = _error_detail(exc)
        if status in RETRYABLE_STATUSES or status >= 500:
            return RetryableLLMError(
                f"LLM server answered {status}: {detail}", retry_after=retry_after_seconds(exc.response.headers),
                status=status,
            )
        rejected = _rejected_parameter(exc) if status == 400 else None
        if rejected is not None:
            return rejected
        if status == 400 and "response_format" in detail.lower():
            return StructuredModeRejected(f"LLM server rejected response_format: {detail}")
        return PermanentLLMError(f"LLM server answered {status}: {detail}")
    if isinstance(exc, openai.APIResponseValidationError):
        return RetryableLLMError(f"LLM server sent an unreadable response: {exc}")
    if isinstance(exc, openai.OpenAIError):
        return PermanentLLMError(f"LLM client error: {exc}")
    if isinstance(exc, TimeoutError):
        return LLMTimeoutError("the LLM server did not answer in time")
    raise TypeError(f"not an LLM failure: {exc!r}") from exc


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """Seconds the server asked us to wait: `retry-after-ms`, or `Retry-After` as seconds or an HTTP date."""
    if not headers:
        return None
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:  # an HTTP date without a zone is GMT
        parsed = parsed.replace(tzinfo=timezone.utc)
    return max(0.0, parsed.timestamp() - time.time())


def _rejected_parameter(exc: openai.APIStatusError) -> ParameterRejected | None:
    """A 400 that names one of ADJUSTABLE_PARAMS as unsupported (by its `param` field or its message)."""
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error", body) if isinstance(body.get("error", body), dict) else {}
    message = str(error.get("message") or exc.message or "")
    lowered = message.lower()
    param = error.get("param")
    if param not in ADJUSTABLE_PARAMS:
        if not any(word in lowered for word in _REJECTION_WORDS):
            return None
        param = next((p for p in ADJUSTABLE_PARAMS if f"'{p}'" in lowered or f'"{p}"' in lowered
                      or f" {p} " in f" {lowered} "), None)
        if param is None:
            return None
    replacement = "max_completion_tokens" if param == "max_tokens" else None
    return ParameterRejected(f"the model rejects '{param}': {message}", param=param, replacement=replacement)


def _error_detail(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict):
            message = str(error.get("message") or "")
            param = error.get("param")
            return f"{message} (param: {param})" if param else message or str(exc)
        return str(error)
    return str(body or exc.message or exc)
