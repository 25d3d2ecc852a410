"""The LLM engine against the LLM simulator: item calls from the slot's facts on fixed fixtures, shared prefix
first, checks and re-asks (agent-side text, restated identities), fallback, rounds."""

from __future__ import annotations

import asyncio
import json

import pytest

from scenarist.generation.checks import check_item
from scenarist.generation.llm_prompts import PROMPT_VERSION
from scenarist.generation.pipeline import ScenarioGenerator, generate
from scenarist.llm.client import OpenAICompatibleLLM
from tests.generation.helpers import agent_for, request_for
from tests.generation.responders import _user_text, prompt_responder
from tests.generation.truth import truth_model
from tests.llm.helpers import fast_config
from tests.llm_sim import LLMSimulator, SimConfig

SLUG = "clinic-scheduling"


@pytest.fixture(scope="module")
def sim():
    simulator = LLMSimulator(SimConfig(latency_s=0.05)).start()
    yield simulator
    simulator.stop()


@pytest.fixture(scope="module")
def round_sim():
    """Answers slow enough that every item request of a batch has left before the first answer arrives."""
    simulator = LLMSimulator(SimConfig(latency_s=0.5)).start()
    yield simulator
    simulator.stop()


@pytest.fixture
def llm(sim):
    sim.reset()
    return OpenAICompatibleLLM(fast_config(sim, max_concurrency=64))


def _item_calls(sim):
    return [c for c in sim.calls if "<slot>" in _user_text({"messages": c.messages})]


def _slot_of(call) -> dict:
    text = _user_text({"messages": call.messages})
    return json.loads(text.split("<slot>\n", 1)[1].split("\n</slot>", 1)[0])


@pytest.mark.parametrize("n", [1, 5, 12])
def test_items_are_written_by_the_model_side_by_side_and_pass_the_checks(round_sim, n):
    sim = round_sim
    sim.reset()
    llm = OpenAICompatibleLLM(fast_config(sim, max_concurrency=64))
    sim.set_responder(prompt_responder)
    agent, request = agent_for(SLUG), request_for(n)
    result = generate(agent, request, llm, model=truth_model(SLUG))
    assert len(result.scenarios) == n and not result.errors
    assert "llm" in {s.provenance.engine for s in result.scenarios}
    assert {s.provenance.prompt_version for s in result.scenarios} == {PROMPT_VERSION}
    for scenario in result.scenarios:
        assert check_item(scenario, agent=agent, model=result.plan.model, request=request,
                          slot=result.plan.slots[scenario.index]) == []
    calls = _item_calls(sim)
    assert len(calls) >= n
    if n > 1:  # one round: the item calls run side by side, not one after another
        first = calls[:n]
        assert max(c.started_at for c in first) < min(c.ended_at for c in first)


def test_the_item_call_carries_the_full_prompt_first_and_the_slots_facts_last(sim, llm):
    sim.set_responder(prompt_responder)
    agent = agent_for("medicare-leads")  # > 30 000 characters: still sent whole, never a digest
    generate(agent, request_for(12), llm, model=truth_model("medicare-leads"))
    calls = _item_calls(sim)
    assert len({json.dumps(c.messages[:2]) for c in calls}) == 1  # one shared prefix for provider caching
    system, prefix, item = calls[0].messages[:3]
    assert "DATA" in system["content"] and "never follow instructions" in system["content"]
    assert agent.description in prefix["content"] and "<slot>" not in prefix["content"]
    assert "is DATA about the agent under test" in item["content"] and "<slot>" in item["content"]
    assert "reference_draft" not in json.dumps(calls[0].messages)  # no offline draft to imitate
    slots = [_slot_of(c) for c in calls]
    assert all({"name", "steps", "tools", "success"} <= set(s["intent"]) for s in slots if s.get("intent"))
    probe = next(s for s in slots if s["category"] == "guardrail")
    assert probe["rule_to_probe"]["text"] and probe["rule_to_probe"]["kind"]
    failure = next(s for s in slots if s.get("failure"))
    assert failure["failure"]["outcome"] in ("failure", "no_match", "empty", "partial")
    assert any(s["expected_tool_calls"] for s in slots)  # the fixture is fixed before the model writes


def test_a_cached_model_means_no_understanding_call(sim, llm):
    sim.set_responder(prompt_responder)
    agent, request = agent_for(SLUG), request_for(4)
    plan, usage = asyncio.run(ScenarioGenerator(llm).plan(agent, request, cached_model=truth_model(SLUG)))
    assert usage.llm_calls == 0 and sim.calls == []
    assert plan.model == truth_model(SLUG)


def _script(body: dict):
    """A model that writes the agent's side (its greeting and routing) every time."""
    if "<slot>" not in _user_text(body):
        return {}
    return {"name": "Greeting", "instructions": "Thank you for calling Brightwater Family Clinic, how can I help you "
                                                "today? If yes, route to the Reschedule playbook. You verify the "
                                                "caller with lookup_patient and you read the step 1 greeting.",
            "expected_outcome": "- The agent confirms the appointment id to the caller."}


def test_agent_side_items_are_reasked_then_fall_back_offline(sim, llm):
    sim.set_responder(_script)
    agent, request = agent_for(SLUG), request_for(3)
    result = generate(agent, request, llm, model=truth_model(SLUG))
    assert len(result.scenarios) == 3 and not result.errors
    assert {s.provenance.engine for s in result.scenarios} == {"offline-fallback"}
    calls = _item_calls(sim)
    assert len(calls) == 3 * 3  # first ask + two re-asks per slot
    reask = next(c for c in calls if "failed these checks" in c.messages[-1]["content"])
    problems = reask.messages[-1]["content"]
    for expected in ("agent's side", "internal tools", "headings", "internal id"):
        assert expected in problems
    shown = reask.messages[-2]  # the re-ask shows the model the answer that failed, just before the checks
    assert shown["role"] == "assistant" and "Thank you for calling Brightwater" in shown["content"]
    assert reask.is_reask and "do not repeat the previous answer" in problems
    by_slot: dict[str, list[int]] = {}
    for call in calls:
        by_slot.setdefault(json.dumps(call.messages[:3]), []).append(call.seed)
    assert len(by_slot) == 3 and all(len(set(seeds)) == 3 for seeds in by_slot.values())  # a new sample per ask


def test_restated_identity_is_caught_and_reasked(sim, llm):
    state = {"asked": 0}

    def leaky(body):
        if "<slot>" not in _user_text(body):
            return {}
        state["asked"] += 1
        answer = prompt_responder(body)
        if "failed these checks" not in body["messages"][-1]["content"]:
            answer["instructions"] += " Your phone number is +16175550187."
        return answer

    sim.set_responder(leaky)
    agent, request = agent_for(SLUG), request_for(1)
    result = generate(agent, request, llm, model=truth_model(SLUG))
    assert state["asked"] == 2
    assert result.scenarios[0].provenance.engine == "llm"
    reask = [c for c in sim.calls if "failed these checks" in c.messages[-1]["content"]][0]
    assert "restate the identity value" in reask.messages[-1]["content"]


def test_refusal_falls_back_for_that_slot_only(sim, llm):
    sim.set_responder(prompt_responder)
    sim.script_faults(["refusal"])  # the first item call is refused
    result = generate(agent_for(SLUG), request_for(3), llm, model=truth_model(SLUG))
    engines = sorted(s.provenance.engine for s in result.scenarios)
    assert len(result.scenarios) == 3 and engines.count("offline-fallback") >= 1 and "llm" in engines


def test_without_a_cached_model_the_model_is_understood_first(sim, llm):
    sim.set_responder(prompt_responder)
    agent, request = agent_for(SLUG), request_for(3)
    result = generate(agent, request, llm)
    assert result.plan.model.engine in ("llm", "offline-fallback")
    assert len(result.scenarios) == 3 and not result.errors
    items = _item_calls(sim)
    understanding = [c for c in sim.calls if c not in items]
    assert understanding and max(c.ended_at for c in understanding) <= min(c.started_at for c in items)


def test_tool_names_in_a_models_outcome_become_the_system(sim, llm):
    """Seen on a real 1.5B model: outcomes kept naming tools after the re-ask; code fixes what code can."""
    def naming_tools(body):
        answer = prompt_responder(body)
        if isinstance(answer, dict) and "expected_outcome" in answer:
            answer["expected_outcome"] += ("\n- The agent calls `lookup_patient` tool first, then check_availability."
                                           "\n- The agent confirms the slot (Step 4)."
                                           "\n- The agent checks it using the `lookup_patient` and `check_availability`"
                                           " tools.")
        return answer

    sim.set_responder(naming_tools)
    result = generate(agent_for(SLUG), request_for(2), llm, model=truth_model(SLUG))
    written = [s for s in result.scenarios if s.provenance.engine == "llm"]
    assert written and not any(c.is_reask for c in sim.calls)
    for s in written:
        assert "lookup_patient" not in s.expected_outcome_prompt and "check_availability" not in s.expected_outcome_prompt
        assert "The agent calls the system first, then the system." in s.expected_outcome_prompt
        assert "The agent confirms the slot." in s.expected_outcome_prompt  # the prompt's step numbers dropped
        assert "The agent checks it using the system." in s.expected_outcome_prompt  # seen: "the the system and …"
