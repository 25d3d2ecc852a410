"""Properties of 20 workflow scenarios for every corpus agent, for both engines (the LLM engine against the
simulator with a responder that writes from the slot's facts), on the product's own agent model and on the
hand-written truth model."""

from __future__ import annotations

import json
from functools import lru_cache

import pytest

from scenarist.generation.agent_model import AgentModel, RowOutcome
from scenarist.generation.checks import caller_text_problems, check_item, internal_id_values, outcome_problems
from scenarist.generation.diversity import NEAR_DUPLICATE_THRESHOLD
from scenarist.generation.fields import canonical_field
from scenarist.generation.fixtures import parse_when, reference_today
from scenarist.generation.pipeline import generate
from scenarist.generation.text import flatten_values, normalise_value
from scenarist.generation.types import GenerationRequest, GenerationResult
from scenarist.generation.understanding import build_agent_model
from scenarist.llm.client import OpenAICompatibleLLM
from tests.fixtures.agents import personalities
from tests.generation.responders import prompt_responder
from tests.generation.truth import corpus_agent, corpus_slugs, truth_model
from tests.llm.helpers import fast_config
from tests.llm_sim import LLMSimulator, SimConfig

N = 20
FAILURE_PATHS = {"not_found", "tool_failure", "empty_result", "partial_result"}
HAPPY = {"happy_path", "alternate_path", "edge_case", "branch"}
_PAST_KEY = ("birth", "dob", "since", "created", "opened", "last", "issued", "placed", "ordered", "paid")


def _request(seed: int = 0) -> GenerationRequest:
    return GenerationRequest(num_scenarios=N, personalities=personalities(), generate_expected_outcomes=True,
                             caller_tool_ids=["TOOL_END_CALL"], seed=seed)


@lru_cache(maxsize=64)
def offline(slug: str, which: str) -> GenerationResult:
    """20 offline scenarios on the truth model or on the product's model (cached for the module)."""
    agent = corpus_agent(slug)
    model = truth_model(slug) if which == "truth" else build_agent_model(agent)
    return generate(agent, _request(), model=model)


@pytest.fixture(scope="module")
def sim():
    simulator = LLMSimulator(SimConfig(latency_s=0.01)).start()
    simulator.set_responder(prompt_responder)
    yield simulator
    simulator.stop()


def assert_properties(result: GenerationResult, slug: str, model: AgentModel) -> None:
    """Every property issue 12 asks of a batch."""
    agent = corpus_agent(slug)
    request = _request()
    assert len(result.scenarios) == N and not result.errors
    slots = {s.index: s for s in result.plan.slots}
    probes, failures = model.probe_policies(), model.failure_modes
    covered = {c for s in result.scenarios for c in s.covers}
    if N >= len(model.intents) + len(probes) + len(failures):
        assert {p.id for p in probes} <= covered, "every probe-worthy rule is probed"
        assert {f.id for f in failures} <= covered, "every failure mode is played out"
    if failures:
        assert any(s.category in FAILURE_PATHS for s in result.scenarios), "at least one failure path"
    success_values = {normalise_value(v) for t in model.tools for r in t.rows if r.outcome == RowOutcome.SUCCESS
                      for _, v in list(flatten_values(r.input)) + list(flatten_values(r.output))}
    no_match_values = {normalise_value(v) for t in model.tools for r in t.rows if r.outcome == RowOutcome.NO_MATCH
                       for _, v in flatten_values(r.input)} - success_values
    success_outputs = {t.name: [r.output for r in t.rows if r.outcome == RowOutcome.SUCCESS] for t in model.tools}
    today = reference_today(model, agent)
    for item in result.scenarios:
        slot = slots[item.index]
        assert item.provenance.covers == item.covers
        assert check_item(item, agent=agent, model=model, request=request, slot=slot) == [], item.name
        assert caller_text_problems(item.instructions, model) == []
        assert outcome_problems(item, model) == []
        assert not any(t.name in item.expected_outcome_prompt for t in model.tools), "no tool names in outcomes"
        assert not any(v in item.expected_outcome_prompt for v in internal_id_values(item)), "no internal ids"
        testing = item.test_profile.testing_agent_variables
        identity = {k: v for k, v in testing.items() if canonical_field(k) in model.verification.fields}
        if item.category in HAPPY and item.generated_mock_tool_entries and model.chains:
            entry_values = {normalise_value(v) for e in item.generated_mock_tool_entries
                            for _, v in list(flatten_values(e.new_entry.input)) + list(flatten_values(e.new_entry.output))}
            for key, value in identity.items():
                assert normalise_value(value) in success_values, f"{key} of a happy path comes from a success row"
                assert normalise_value(value) not in no_match_values, "no known no-match value in a happy path"
                if model.verification.tool and any(e.tool_name == model.verification.tool
                                                   for e in item.generated_mock_tool_entries):
                    assert normalise_value(value) in entry_values, "the identity is the one its tool calls use"
            for entry in item.generated_mock_tool_entries:
                if success_outputs.get(entry.tool_name):
                    assert entry.new_entry.output in success_outputs[entry.tool_name], "happy paths: success rows"
        for key, value in testing.items():
            when = parse_when(value)
            if when is not None and not any(word in key.lower() for word in _PAST_KEY):
                day = when if not hasattr(when, "date") else when.date()
                assert day >= today, f"{key}={value} lies before the agent's today {today}"
    assert result.diversity["max_pairwise_similarity"] < NEAR_DUPLICATE_THRESHOLD


@pytest.mark.parametrize("slug", corpus_slugs())
def test_offline_engine_on_truth_model(slug):
    result = offline(slug, "truth")
    assert_properties(result, slug, truth_model(slug))


@pytest.mark.parametrize("slug", corpus_slugs())
def test_offline_engine_on_product_model(slug):
    result = offline(slug, "product")
    assert_properties(result, slug, result.plan.model)


@pytest.mark.parametrize("slug", corpus_slugs())
def test_llm_engine_on_simulator(sim, slug):
    sim.reset()
    sim.set_responder(prompt_responder)
    llm = OpenAICompatibleLLM(fast_config(sim, max_concurrency=64))
    result = generate(corpus_agent(slug), _request(), llm, model=truth_model(slug))
    assert_properties(result, slug, truth_model(slug))
    engines = {s.provenance.engine for s in result.scenarios}
    assert "llm" in engines
    item_calls = [c for c in sim.calls if "<slot>" in json.dumps(c.messages)]
    assert item_calls
    prefixes = {json.dumps(c.messages[:2]) for c in item_calls}
    assert len(prefixes) == 1, "every item call starts with the same prefix (provider prompt caching)"
    first = item_calls[0].messages
    assert first[0]["role"] == "system" and "<agent_prompt " in first[1]["content"]
    assert "<slot>" in first[2]["content"]


def test_readme_tour_agent_books_first():
    from scenarist.client.agent_dir import load_agent_dir
    from scenarist.offline import agent_spec_from_dir
    from pathlib import Path

    agent = agent_spec_from_dir(load_agent_dir(Path(__file__).resolve().parents[2] / "examples" / "dental-agent"))
    result = generate(agent, _request())
    first = result.scenarios[0]
    assert first.category == "happy_path"
    assert "book" in first.name.lower()
