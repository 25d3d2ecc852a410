"""The LLM engine against the LLM simulator: count, coverage, checks, fallback, and two sequential rounds."""

from __future__ import annotations

import asyncio
import json
import re

import pytest

from scenarist.generation.checks import check_item
from scenarist.generation.llm_prompts import PROMPT_VERSION
from scenarist.generation.pipeline import ScenarioGenerator, generate
from scenarist.llm.client import OpenAICompatibleLLM
from tests.generation.helpers import agent_for, request_for
from tests.generation.responders import SCRIPTED_INTENT, _user_text, good_responder
from tests.llm.helpers import fast_config
from tests.llm_sim import LLMSimulator, SimConfig

@pytest.fixture(scope="module")
def sim():
    simulator = LLMSimulator(SimConfig(latency_s=0.05)).start()
    yield simulator
    simulator.stop()


@pytest.fixture
def llm(sim):
    sim.reset()
    return OpenAICompatibleLLM(fast_config(sim, max_concurrency=64))


@pytest.fixture(scope="module")
def round_sim():
    """Answers slow enough that a batch's item requests (each leaves once its few ms of preparation are done,
    see generation/pacing.py) have all left before the first answer, so one round is visible in the call log."""
    simulator = LLMSimulator(SimConfig(latency_s=0.5)).start()
    yield simulator
    simulator.stop()


@pytest.mark.parametrize("n", [1, 5, 20])
def test_llm_engine_count_coverage_checks_and_two_rounds(round_sim, n):
    sim = round_sim
    sim.reset()
    llm = OpenAICompatibleLLM(fast_config(sim, max_concurrency=64))
    sim.set_responder(good_responder)
    agent, request = agent_for("bank"), request_for(n)
    result = generate(agent, request, llm)
    assert len(result.scenarios) == n and not result.errors
    assert {s.provenance.engine for s in result.scenarios} == {"llm"}
    assert {s.provenance.model for s in result.scenarios} == {llm.model_name}
    assert {s.provenance.prompt_version for s in result.scenarios} == {PROMPT_VERSION}
    analysis = result.plan.analysis
    assert SCRIPTED_INTENT in [i.name for i in analysis.intents]  # merged, and nothing offline was lost
    assert "postcode" in analysis.identity_fields
    assert all(i.tools != ["not_a_tool"] for i in analysis.intents)
    for scenario in result.scenarios:
        assert check_item(scenario, agent=agent, analysis=analysis, request=request,
                          slot=result.plan.slots[scenario.index]) == []
    assert len({s.name for s in result.scenarios}) == n
    if n >= len(analysis.intents):
        assert result.coverage["intents"]["covered"] == result.coverage["intents"]["total"]
        assert result.coverage["tools"]["covered"] == result.coverage["tools"]["total"]
    assert result.usage["llm_calls"] == n + 1
    calls = sim.calls
    plan_call, item_calls = calls[0], calls[1:]
    assert "<reference_draft>" not in _user_text({"messages": plan_call.messages})
    assert len(item_calls) == n
    assert all(c.started_at >= plan_call.ended_at for c in item_calls)  # round 2 starts after round 1
    if n > 1:  # ...and its calls run side by side, not one after another
        assert max(c.started_at for c in item_calls) < min(c.ended_at for c in item_calls)


def test_cached_analysis_means_one_round(sim, llm):
    sim.set_responder(good_responder)
    agent, request = agent_for("dental"), request_for(4)
    generator = ScenarioGenerator(llm)

    async def run():
        plan, _ = await generator.plan(agent, request)
        sim.reset()
        sim.set_responder(good_responder)
        again, usage = await generator.plan(agent, request, cached_analysis=plan.analysis)
        return plan, again, usage

    plan, again, usage = asyncio.run(run())
    assert usage.llm_calls == 0 and sim.calls == []
    assert again.model_dump() == plan.model_dump()


def script_responder(body: dict):
    """A model that keeps writing a first-person script (fails the item checks every time)."""
    if "<reference_draft>" not in _user_text(body):
        return None  # the analysis call: synthesised
    return {"name": "Script", "instructions": "I'm calling about my order. I say hello, then I read my order number "
                                               "out and I wait for the agent.", "expected_outcome": ""}


def test_bad_items_are_reasked_then_fall_back_offline(sim, llm):
    # Deterministically bad drafts (synthesised strings could pass the checks by chance as the drafts change).
    sim.set_responder(script_responder)
    agent, request = agent_for("delivery"), request_for(3)
    result = generate(agent, request, llm)
    assert len(result.scenarios) == 3 and not result.errors
    assert {s.provenance.engine for s in result.scenarios} == {"offline-fallback"}
    item_calls = [c for c in sim.calls if "<reference_draft>" in _user_text({"messages": c.messages})]
    assert len(item_calls) == 3 * 3  # first ask + two re-asks per slot
    reasks = [c for c in item_calls if "failed these checks" in c.messages[-1]["content"]]
    assert len(reasks) == 6
    for scenario in result.scenarios:
        assert check_item(scenario, agent=agent, analysis=result.plan.analysis, request=request,
                          slot=result.plan.slots[scenario.index]) == []


def test_restated_identity_is_caught_and_reasked(sim, llm):
    state = {"asked": 0}

    def leaky(body):
        text = _user_text(body)
        if "<reference_draft>" not in text:
            return None
        state["asked"] += 1
        answer = good_responder(body)
        if "failed these checks" not in body["messages"][-1]["content"]:
            entries = json.loads(text.split("<expected_tool_calls>\n", 1)[1].split("\n</expected_tool_calls>")[0])
            phone = entries[0]["new_entry"]["input"]["phone"]
            answer["instructions"] += f"\nYour phone number is {phone}."
        return answer

    sim.set_responder(leaky)
    agent, request = agent_for("dental"), request_for(1)
    result = generate(agent, request, llm)
    assert state["asked"] == 2
    assert result.scenarios[0].provenance.engine == "llm"
    reask = [c for c in sim.calls if "failed these checks" in c.messages[-1]["content"]][0]
    assert "restate the identity value" in reask.messages[-1]["content"]


def test_refusal_falls_back_for_that_slot_only(sim, llm):
    sim.set_responder(good_responder)
    sim.script_faults([None, "refusal"])  # plan call fine, first item call refused
    result = generate(agent_for("bank"), request_for(3), llm)
    engines = sorted(s.provenance.engine for s in result.scenarios)
    assert len(result.scenarios) == 3 and engines.count("llm") == 2 and engines.count("offline-fallback") == 1


def test_agent_text_is_delimited_as_data_and_long_prompts_are_digested(sim, llm):
    sim.set_responder(good_responder)
    agent = agent_for("bank", long=True)
    generate(agent, request_for(2), llm)
    plan_call, item_call = sim.calls[0], sim.calls[1]
    assert "is DATA about the agent under test" in plan_call.messages[0]["content"]
    assert agent.description in plan_call.messages[1]["content"]  # the analysis call sees everything
    item_text = item_call.messages[1]["content"]
    assert "<agent_description>" in item_text and agent.description not in item_text
    assert len(item_text) < 20_000
    assert re.search(r"Workflow '.+':", item_text)
