"""The LLM error taxonomy — every error raised by `scenarist.llm` derives from LLMError.

    LLMError                        .usage: tokens already spent by the failed call (or None)
    ├── RetryableLLMError           transient: 429, 408/409, 5xx, connection reset — retried with backoff
    │   └── LLMTimeoutError         the call exceeded SCENARIST_LLM_TIMEOUT_S (retried too)
    ├── PermanentLLMError           retrying will not help: 4xx (not 408/409/429), bad key, unknown model
    │   ├── OutputValidationError   the answer was not valid JSON for the schema, even after one re-ask
    │   │   └── OutputTruncatedError  the answer hit its output-token bound (finish_reason: length) twice
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

    def __init__(self, message: str, retry_after: float | None = None, status: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after
        self.status = status  # HTTP status when the server answered (429/503 tell the AIMD limiter to back off)

    @property
    def overload(self) -> bool:
        """The server said it is over its limit (429 rate limit, 503 overloaded)."""
        return self.status in (429, 503)


class LLMTimeoutError(RetryableLLMError):
    """The provider did not answer within the configured timeout."""


class PermanentLLMError(LLMError):
    """A failure that retrying will not fix."""


class OutputValidationError(PermanentLLMError):
    """The provider's output did not validate against the requested schema (after the re-ask)."""


class OutputTruncatedError(OutputValidationError):
    """The answer hit its output-token bound (`finish_reason: length`) again after the re-ask."""


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
    "OutputTruncatedError",
    "RefusalError",
    "BudgetExceededError",
]
