"""`--estimate` measures the calls and tokens a request would use without a model: checked against a real run."""

from __future__ import annotations

import pytest

from scenarist.generation.pipeline import generate
from scenarist.generation.types import GenerationRequest, PersonalitySpec
from scenarist.llm.client import OpenAICompatibleLLM
from scenarist.llm.estimate import CACHE_MIN_TOKENS, EstimatingLLM
from tests.fixtures.agents import ALL_AGENTS, long_prompt_variant
from tests.generation.responders import good_responder
from tests.llm.helpers import fast_config

REQUEST = GenerationRequest(num_scenarios=6, personalities=[PersonalitySpec(id=1, name="Normal Male")],
                            generate_expected_outcomes=True, seed=4)


@pytest.mark.parametrize("agent_name", ["dental", "bank"])
def test_the_estimate_matches_the_calls_and_prompt_tokens_of_a_run_with_a_valid_model(sim_factory, agent_name):
    agent = ALL_AGENTS[agent_name]()
    sim = sim_factory(latency_s=0.0, tokens_per_s=0, seed=1)
    sim.set_responder(good_responder)
    generate(agent, REQUEST, OpenAICompatibleLLM(fast_config(sim, timeout_s=30.0)))
    first_tries = [c for c in sim.calls if not any(m.get("role") == "assistant" for m in c.messages)]

    estimate = EstimatingLLM()
    generate(agent, REQUEST, estimate)

    assert len(estimate.calls) == len(first_tries) == REQUEST.num_scenarios + 1  # understanding + one per item
    measured = sum(c.prompt_tokens for c in first_tries)
    estimated = sum(c.prompt_tokens for c in estimate.calls)
    assert abs(estimated - measured) <= 0.1 * measured, (estimated, measured)
    assert sorted(c.max_output_tokens for c in estimate.calls) == sorted(c.max_tokens for c in first_tries)


def test_a_long_agent_is_understood_in_chunks_and_its_items_share_a_cached_prefix():
    agent = long_prompt_variant(ALL_AGENTS["bank"]())
    estimate = EstimatingLLM()
    generate(agent, REQUEST.model_copy(update={"num_scenarios": 10}), estimate)
    report = estimate.report(10)

    assert report["by_call"]["LLMAgentModel"]["calls"] >= 2  # > 24,000 characters: more than one chunk
    items = [c for c in estimate.calls if c.schema == "LLMScenarioDraft"]
    first_part = estimate.calls[0]  # its data (all but its task) is the start of every item's prompt
    assert len(items) == 10 and items[0].cached_prompt_tokens >= 0.7 * first_part.prompt_tokens
    assert all(c.cached_prompt_tokens >= CACHE_MIN_TOKENS for c in items[1:])  # the agent text comes first
    assert report["uncached_prompt_tokens"] == report["prompt_tokens"] - report["cached_prompt_tokens"]
    assert report["per_scenario"]["llm_calls"] == round(len(estimate.calls) / 10, 2)


@pytest.mark.parametrize("n", [20, 100])
def test_a_30k_character_agent_costs_at_most_2000_uncached_prompt_tokens_per_scenario(n):
    agent = long_prompt_variant(ALL_AGENTS["bank"]())
    assert len(agent.description) >= 30_000
    estimate = EstimatingLLM()
    generate(agent, REQUEST.model_copy(update={"num_scenarios": n}), estimate)
    assert estimate.report(n)["per_scenario"]["uncached_prompt_tokens"] <= 2_000


def test_the_output_bound_follows_the_configured_cap():
    estimate = EstimatingLLM(max_output_tokens=300)
    generate(ALL_AGENTS["dental"](), REQUEST, estimate)
    assert {c.max_output_tokens for c in estimate.calls} == {300}
