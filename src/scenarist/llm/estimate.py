"""What a request would cost an LLM, without calling one: the calls, prompt tokens (and how many a prefix cache
would serve) and the output bound of each.

`EstimatingLLM` stands in for the provider behind the StructuredLLM port. Each call is measured exactly as the
real client would send it (messages plus the JSON schema in `response_format`) and then answered with an
OutputValidationError, which the engines treat like an unusable answer: they re-ask or write that item offline
and move on. So every call the request would make on the first try is measured once; re-asks (a conversation
that shows the model its previous answer) are not counted, since a model that answers validly needs none: the
figures are exact for a good model and a floor for a weak one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from .errors import OutputValidationError
from .port import Usage
from .sizing import CHARS_PER_TOKEN, output_token_bound, prompt_tokens_that_fit, request_tokens

T = TypeVar("T", bound=BaseModel)

# OpenAI-style prompt caching: prefixes of 1,024+ tokens are served from cache, in 128-token steps.
CACHE_MIN_TOKENS = 1024
CACHE_BLOCK_TOKENS = 128
NO_CALL_MESSAGE = "estimate only: no LLM call is made"


@dataclass(frozen=True)
class EstimatedCall:
    """One call the request would make: its output schema, prompt tokens, cached share and output bound."""

    schema: str
    prompt_tokens: int
    cached_prompt_tokens: int
    max_output_tokens: int


@dataclass
class EstimatingLLM:
    """A StructuredLLM that measures each call instead of making it (see the module docstring)."""

    model_name: str = "estimate"
    max_output_tokens: int = 4096
    context_tokens: int = 128_000
    calls: list[EstimatedCall] = field(default_factory=list)
    _seen_prefixes: set[int] = field(default_factory=set)

    async def complete_structured(self, messages: list[dict[str, str]], output_model: type[T], *,
                                  temperature: float = 0.7, seed: int | None = None,
                                  max_tokens: int | None = None) -> tuple[T, Usage]:
        """Record the call's size, then answer as a provider whose reply is unusable (the engine goes offline)."""
        del temperature, seed
        if any(m.get("role") == "assistant" for m in messages):  # a re-ask: not part of a valid run
            raise OutputValidationError(NO_CALL_MESSAGE)
        prompt = request_tokens(messages, output_model)
        cached = min(prompt, self._cached_tokens(_prompt_text(messages)))
        bound = output_token_bound(output_model, max_tokens, self.max_output_tokens)
        self.calls.append(EstimatedCall(output_model.__name__, prompt, cached, bound))
        raise OutputValidationError(NO_CALL_MESSAGE)

    def prompt_tokens_available(self, output_model: type[BaseModel], max_tokens: int | None = None) -> int:
        """Prompt tokens the configured context leaves beside this call's answer (callers chunk to it)."""
        bound = output_token_bound(output_model, max_tokens, self.max_output_tokens)
        return prompt_tokens_that_fit(self.context_tokens, bound)

    async def aclose(self) -> None:
        """Nothing to close (the port's lifecycle)."""

    def _cached_tokens(self, text: str) -> int:
        """Tokens of the longest prefix an earlier call already sent (0 below 1,024), then remember this prompt's."""
        block = CACHE_BLOCK_TOKENS * CHARS_PER_TOKEN
        keys = [hash(text[: (i + 1) * block]) for i in range(len(text) // block)]
        hit = 0
        for key in keys:
            if key not in self._seen_prefixes:
                break
            hit += 1
        self._seen_prefixes.update(keys)
        tokens = hit * CACHE_BLOCK_TOKENS
        return tokens if tokens >= CACHE_MIN_TOKENS else 0

    def report(self, scenarios: int) -> dict[str, Any]:
        """Totals, per output schema, and per requested scenario (what `--estimate` prints)."""
        by_schema: dict[str, dict[str, int]] = {}
        for call in self.calls:
            row = by_schema.setdefault(call.schema, {"calls": 0, "prompt_tokens": 0, "cached_prompt_tokens": 0,
                                                     "max_output_tokens": 0})
            row["calls"] += 1
            row["prompt_tokens"] += call.prompt_tokens
            row["cached_prompt_tokens"] += call.cached_prompt_tokens
            row["max_output_tokens"] += call.max_output_tokens
        prompt = sum(c.prompt_tokens for c in self.calls)
        cached = sum(c.cached_prompt_tokens for c in self.calls)
        output = sum(c.max_output_tokens for c in self.calls)
        per = max(scenarios, 1)
        return {
            "llm_calls": len(self.calls),
            "prompt_tokens": prompt,
            "cached_prompt_tokens": cached,
            "uncached_prompt_tokens": prompt - cached,
            "max_completion_tokens": output,
            "largest_prompt_tokens": max((c.prompt_tokens for c in self.calls), default=0),
            "per_scenario": {"llm_calls": round(len(self.calls) / per, 2), "prompt_tokens": round(prompt / per),
                             "uncached_prompt_tokens": round((prompt - cached) / per)},
            "by_call": by_schema,
        }


def _prompt_text(messages: list[dict[str, str]]) -> str:
    """The messages as one string, in order (what a prefix cache keys on)."""
    return "".join(f"<{m.get('role')}>{m.get('content') or ''}" for m in messages)
