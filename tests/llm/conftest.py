"""Fixtures for the LLM port tests: simulators with custom settings and clients pointed at them."""

from __future__ import annotations

import pytest

from scenarist.llm.client import OpenAICompatibleLLM
from tests.llm.helpers import fast_config
from tests.llm_sim import LLMSimulator, SimConfig


@pytest.fixture
def make_llm():
    """make_llm(sim, **config_overrides) -> OpenAICompatibleLLM with fast timeouts and backoff."""

    def factory(sim: LLMSimulator, **overrides) -> OpenAICompatibleLLM:
        return OpenAICompatibleLLM(fast_config(sim, **overrides))

    return factory


@pytest.fixture
def sim_factory():
    """sim_factory(**SimConfig fields) -> a started simulator, stopped after the test."""
    started: list[LLMSimulator] = []

    def factory(**fields) -> LLMSimulator:
        sim = LLMSimulator(SimConfig(**fields)).start()
        started.append(sim)
        return sim

    yield factory
    for sim in started:
        sim.stop()
