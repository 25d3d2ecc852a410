"""Helpers shared by the workflow-generation tests: cached offline batches and small assertions."""

from __future__ import annotations

from functools import lru_cache

from scenarist.generation.pipeline import generate
from scenarist.generation.types import GenerationRequest, GenerationResult
from tests.fixtures.agents import ALL_AGENTS, long_prompt_variant, personalities

AGENT_KEYS = tuple(ALL_AGENTS)


def agent_for(key: str, long: bool = False):
    """A fresh agent by key (optionally its ≥30k-char variant)."""
    agent = ALL_AGENTS[key]()
    return long_prompt_variant(agent) if long else agent


def request_for(n: int, seed: int = 0, **extra) -> GenerationRequest:
    """The standard request of these tests: 5 personalities, expected outcomes, end-call tool."""
    return GenerationRequest(num_scenarios=n, personalities=personalities(), generate_expected_outcomes=True,
                             caller_tool_ids=["TOOL_END_CALL"], seed=seed, **extra)


@lru_cache(maxsize=64)
def offline_batch(key: str, n: int, seed: int = 0, long: bool = False) -> GenerationResult:
    """Offline generation result, cached across tests (treat as read-only)."""
    return generate(agent_for(key, long), request_for(n, seed))
