"""The port the rest of the code talks to: `complete_structured`, `Usage`, and the error taxonomy.

The error classes live in `scenarist.llm.errors` (the taxonomy is drawn at the top of that module)
and are re-exported here, so `from scenarist.llm.port import RefusalError` keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from scenarist.llm.errors import (  # re-exported: part of the port
    BudgetExceededError,
    LLMError,
    LLMTimeoutError,
    OutputValidationError,
    PermanentLLMError,
    RefusalError,
    RetryableLLMError,
)

T = TypeVar("T", bound=BaseModel)


@dataclass
class Usage:
    """Token usage; `None` token counts mean the server did not report them (never guessed).

    `cached_prompt_tokens` is the part of `prompt_tokens` the provider served from its prompt cache
    (`prompt_tokens_details.cached_tokens`; 0 when the server does not say). `reasks` counts answered calls that
    showed the model a previous answer (an assistant message: the port's re-asks and the callers' check re-asks); `fallbacks` counts items the
    caller wrote with the offline writer instead of the model.
    """

    prompt_tokens: int | None = 0
    completion_tokens: int | None = 0
    llm_calls: int = 0
    cached_prompt_tokens: int = 0
    reasks: int = 0
    fallbacks: int = 0

    def add(self, other: "Usage") -> "Usage":
        """Sum in place; an unknown (None) count on either side makes the total unknown."""
        self.prompt_tokens = _sum_counts(self.prompt_tokens, other.prompt_tokens, other.llm_calls)
        self.completion_tokens = _sum_counts(self.completion_tokens, other.completion_tokens, other.llm_calls)
        self.llm_calls += other.llm_calls
        self.cached_prompt_tokens += other.cached_prompt_tokens
        self.reasks += other.reasks
        self.fallbacks += other.fallbacks
        return self

    @property
    def uncached_prompt_tokens(self) -> int | None:
        """Prompt tokens billed at the full rate (None when the prompt count is unknown)."""
        return None if self.prompt_tokens is None else max(0, self.prompt_tokens - self.cached_prompt_tokens)

    def to_dict(self) -> dict[str, Any]:
        """JSON shape used in progress bodies."""
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "llm_calls": self.llm_calls,
            "cached_prompt_tokens": self.cached_prompt_tokens,
            "reasks": self.reasks,
            "fallbacks": self.fallbacks,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "Usage":
        """Inverse of to_dict (missing dict or keys → zero usage)."""
        data = data or {}
        return cls(
            prompt_tokens=data.get("prompt_tokens", 0),
            completion_tokens=data.get("completion_tokens", 0),
            llm_calls=int(data.get("llm_calls", 0) or 0),
            cached_prompt_tokens=int(data.get("cached_prompt_tokens", 0) or 0),
            reasks=int(data.get("reasks", 0) or 0),
            fallbacks=int(data.get("fallbacks", 0) or 0),
        )


def _sum_counts(a: int | None, b: int | None, b_calls: int) -> int | None:
    """Add two token counts where None means 'unknown'."""
    if b_calls == 0 and b in (0, None):
        return a
    if a is None or b is None:
        return None
    return a + b


@dataclass
class Message:
    """A chat message (role: system | user | assistant)."""

    role: str
    content: str

    def to_dict(self) -> dict[str, str]:
        """OpenAI wire shape."""
        return {"role": self.role, "content": self.content}


class StructuredLLM(Protocol):
    """What generation code needs from an LLM: a validated pydantic object and the usage it cost."""

    model_name: str

    async def complete_structured(
        self,
        messages: list[dict[str, str]],
        output_model: type[T],
        *,
        temperature: float = 0.7,
        seed: int | None = None,
        max_tokens: int | None = None,
    ) -> tuple[T, Usage]:
        """Ask for one object of `output_model`; raises an LLMError subclass on failure."""
        ...


@dataclass
class UsageMeter:
    """Collects usage across the calls of one job (and enforces its optional token budget)."""

    budget_tokens: int = 0  # 0 = unlimited
    usage: Usage = field(default_factory=Usage)

    def record(self, usage: Usage) -> None:
        """Add one call's usage."""
        self.usage.add(usage)

    def record_fallback(self, count: int = 1) -> None:
        """Count an item the caller wrote with the offline writer after the model failed it (never silent)."""
        self.usage.fallbacks += count


    def check_budget(self) -> None:
        """Raise BudgetExceededError once the budget is spent."""
        if not self.budget_tokens:
            return
        spent = (self.usage.prompt_tokens or 0) + (self.usage.completion_tokens or 0)
        if spent >= self.budget_tokens:
            raise BudgetExceededError(f"token budget of {self.budget_tokens} spent ({spent} used)")


__all__ = [
    "Usage",
    "UsageMeter",
    "Message",
    "StructuredLLM",
    "LLMError",
    "RetryableLLMError",
    "LLMTimeoutError",
    "PermanentLLMError",
    "OutputValidationError",
    "RefusalError",
    "BudgetExceededError",
]
