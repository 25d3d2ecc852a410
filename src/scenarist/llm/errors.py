"""The LLM error taxonomy — every error raised by `scenarist.llm` derives from LLMError.

    LLMError                        .usage: tokens already spent by the failed call (or None)
    ├── RetryableLLMError           transient: 429, 408/409, 5xx, connection reset — retried with backoff
    │   └── LLMTimeoutError         the call exceeded SCENARIST_LLM_TIMEOUT_S (retried too)
    ├── PermanentLLMError           retrying will not help: 4xx (not 408/409/429), bad key, unknown model
    │   ├── OutputValidationError   the answer was not valid JSON for the schema, even after one re-ask
    │   └── RefusalError            the model declined ("I can't help with that")
    └── BudgetExceededError         the job's token budget is spent; the job stops cleanly with what it has

Callers decide with `isinstance`: a job item that fails with a PermanentLLMError is marked failed;
a RetryableLLMError that escapes has already used every retry; BudgetExceededError ends the job early.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scenarist.llm.port import Usage


class LLMError(Exception):
    """Base of every error raised by the LLM port."""

    usage: "Usage | None" = None


class RetryableLLMError(LLMError):
    """A transient failure (rate limit, server error, timeout, connection)."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class LLMTimeoutError(RetryableLLMError):
    """The provider did not answer within the configured timeout."""


class PermanentLLMError(LLMError):
    """A failure that retrying will not fix."""


class OutputValidationError(PermanentLLMError):
    """The provider's output did not validate against the requested schema (after the re-ask)."""


class RefusalError(PermanentLLMError):
    """The provider refused to produce the requested content."""


class BudgetExceededError(LLMError):
    """The per-job token budget is exhausted."""


__all__ = [
    "LLMError",
    "RetryableLLMError",
    "LLMTimeoutError",
    "PermanentLLMError",
    "OutputValidationError",
    "RefusalError",
    "BudgetExceededError",
]
