"""Helpers shared by the workflow-generation tests: corpus agents, cached offline batches on their truth models."""

from __future__ import annotations

from functools import lru_cache

from scenarist.generation.pipeline import generate
from scenarist.generation.types import GenerationRequest, GenerationResult
from tests.fixtures.agents import personalities
from tests.generation.truth import corpus_agent, corpus_slugs, truth_model

AGENT_KEYS = tuple(corpus_slugs())


def agent_for(key: str):
    """A fresh copy of a corpus agent."""
    return corpus_agent(key).model_copy(deep=True)


def request_for(n: int, seed: int = 0, **extra) -> GenerationRequest:
    """The standard request of these tests: 5 personalities, expected outcomes, end-call tool."""
    return GenerationRequest(num_scenarios=n, personalities=personalities(), generate_expected_outcomes=True,
                             caller_tool_ids=["TOOL_END_CALL"], seed=seed, **extra)


@lru_cache(maxsize=64)
def offline_batch(key: str, n: int, seed: int = 0) -> GenerationResult:
    """Offline generation on the agent's hand-written model, cached across tests (treat as read-only)."""
    return generate(agent_for(key), request_for(n, seed), model=truth_model(key))
