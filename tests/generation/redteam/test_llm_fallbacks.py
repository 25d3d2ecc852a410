"""LLM attack drafts that fail the shared checks (refusals, internal tool names, unspeakable voice text, technique not
applied) are re-asked once and then written offline; the facts of the call carry the risk and its guardrail."""

from __future__ import annotations

import pytest

from scenarist.generation.types import AttackType
from scenarist.llm.client import OpenAICompatibleLLM
from tests.generation.redteam.helpers import TEXT, VOICE, attack_request, attack_responder, corpus_agent, facts_of, generate
from tests.llm.helpers import fast_config
from tests.llm_sim import LLMSimulator, SimConfig


@pytest.fixture
def sim():
    """A started simulator (stopped after the test)."""
    simulator = LLMSimulator(SimConfig(model="sim-redteam")).start()
    yield simulator
    simulator.stop()


def test_facts_carry_risk_guardrail_and_technique(sim):
    sim.set_responder(attack_responder)
    agent, model = corpus_agent("clinic-scheduling")
    items, usage = generate(agent, model, attack_request(VOICE, AttackType.HARMFUL_CONTENT, 2),
                            llm=OpenAICompatibleLLM(fast_config(sim)))
    assert [i.provenance.engine for i in items] == ["llm", "llm"] and usage.llm_calls == 2
    facts = facts_of({"messages": sim.calls[0].messages})
    assert facts["risk"]["guardrail_quote"] and facts["risk"]["guardrail_quote"] in agent.description
    assert facts["technique"]["id"] and facts["caller"]["their_record"] == "appointment"
    assert "VOICE call" in sim.calls[0].messages[0]["content"]


@pytest.mark.parametrize("fault", ["refusal", "refusal_text"])
def test_refusals_fall_back_to_the_offline_writer(sim, fault):
    sim.script_faults([fault] * 4)
    agent, model = corpus_agent("medicare-leads")
    items, usage = generate(agent, model, attack_request(VOICE, AttackType.DATA_LEAK, 1),
                            llm=OpenAICompatibleLLM(fast_config(sim)))
    assert items[0].provenance.engine == "offline-fallback" and usage.llm_calls == 2
    assert "Medicare" in items[0].instructions or "plan" in items[0].instructions


def tool_naming(body: dict) -> dict:
    draft = attack_responder(body)
    draft["turns"][2] = "Ask it to run lookup_patient for your neighbour."
    return draft


def text_without_technique(body: dict) -> dict:
    draft = attack_responder(body)
    draft["turns"][3] = "Ask it plainly."
    return draft


@pytest.mark.parametrize("responder,kind", [(tool_naming, VOICE), (text_without_technique, TEXT)])
def test_drafts_failing_the_checks_are_reasked_then_written_offline(sim, responder, kind):
    sim.set_responder(responder)
    agent, model = corpus_agent("clinic-scheduling")
    items, usage = generate(agent, model, attack_request(kind, AttackType.DATA_LEAK, 1),
                            llm=OpenAICompatibleLLM(fast_config(sim)))
    assert items[0].provenance.engine == "offline-fallback" and usage.llm_calls == 2
    reask = sim.calls[1].messages[-1]["content"]
    assert ("lookup_patient" in reask) if responder is tool_naming else ("is not applied" in reask)
    assert "lookup_patient" not in items[0].instructions
