"""Every call bounds its output and fits the context; truncation is a failure; re-asks show the failed checks."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel, Field

from scenarist.llm.client import ContextOverflowError
from scenarist.llm.errors import OutputTruncatedError
from scenarist.llm.sizing import output_token_bound, prompt_tokens_that_fit, schema_output_tokens
from scenarist.llm.structured import TRUNCATED, parse_answer
from tests.llm.helpers import MESSAGES, Scenario, run


class Short(BaseModel):
    """A tightly bounded output."""

    label: str = Field(max_length=40)
    score: int


class Wide(BaseModel):
    """An output with free strings and a free list."""

    items: list[str]
    summary: str


def test_the_output_bound_follows_the_schema():
    assert schema_output_tokens(Short) == 128  # tiny schemas get the floor
    assert schema_output_tokens(Wide) > schema_output_tokens(Scenario) > schema_output_tokens(Short)
    assert output_token_bound(Wide, None, cap=500) == 500  # the configured cap is an upper bound
    assert output_token_bound(Wide, 300, cap=4096) == 300  # an explicit request wins when below the cap
    assert prompt_tokens_that_fit(4096, 1000) == 4096 - 1000 - 16


def test_every_call_sends_a_bounded_max_tokens(llm_sim, make_llm):
    run(make_llm(llm_sim).complete_structured(MESSAGES, Scenario))
    run(make_llm(llm_sim, max_output_tokens=150).complete_structured(MESSAGES, Wide))
    first, second = llm_sim.calls
    assert first.max_tokens == schema_output_tokens(Scenario)
    assert second.max_tokens == 150


def test_valid_json_that_stopped_at_the_limit_is_never_used():
    outcome = parse_answer('{"a": 1}', Short, finish_reason="length")
    assert outcome.value is None and outcome.truncated and outcome.problems == [TRUNCATED]


def test_a_truncated_answer_is_reasked_with_more_room_and_the_cut_answer_shown(sim_factory, make_llm):
    sim = sim_factory()
    sim.script_faults(["truncated_json", None])
    scenario, usage = run(make_llm(sim).complete_structured(MESSAGES, Scenario))
    first, second = sim.calls
    assert isinstance(scenario, Scenario)
    assert second.max_tokens == 2 * first.max_tokens
    assert second.messages[-2] == {"role": "assistant", "content": first.content}
    assert "finish_reason: length" in second.messages[-1]["content"]
    assert (usage.llm_calls, usage.reasks) == (2, 1)


def test_truncated_twice_raises_output_truncated(sim_factory, make_llm):
    sim = sim_factory()
    sim.script_faults(["truncated_json", "truncated_json"])
    with pytest.raises(OutputTruncatedError) as caught:
        run(make_llm(sim).complete_structured(MESSAGES, Scenario))
    assert caught.value.usage.llm_calls == 2 and caught.value.usage.reasks == 1


def test_a_reask_lists_the_exact_failed_checks_next_to_the_previous_answer(sim_factory, make_llm):
    sim = sim_factory()
    answers = iter([{"name": "ok name", "instructions": "x", "priority": 9, "tags": []},
                    {"name": "ok name", "instructions": "x", "priority": 3, "tags": []}])
    sim.set_responder(lambda body: next(answers))
    scenario, _ = run(make_llm(sim).complete_structured(MESSAGES, Scenario))
    assert scenario.priority == 3
    reask = sim.calls[1].messages
    assert json.loads(reask[-2]["content"])["priority"] == 9
    assert "- the JSON did not match the schema: priority: Input should be less than or equal to 5" in reask[-1]["content"]


def test_fenced_json_is_accepted(sim_factory, make_llm):
    sim = sim_factory()
    sim.set_responder(lambda body: '```json\n{"name": "fenced one", "instructions": "x", "priority": 2}\n```')
    scenario, usage = run(make_llm(sim).complete_structured(MESSAGES, Scenario))
    assert scenario.name == "fenced one" and usage.llm_calls == 1 and usage.reasks == 0


def test_a_prompt_too_long_for_the_context_is_refused_before_any_call(llm_sim, make_llm):
    llm = make_llm(llm_sim, context_tokens=600)
    long_messages = [{"role": "user", "content": "word " * 600}]
    with pytest.raises(ContextOverflowError, match="SCENARIST_LLM_CONTEXT_TOKENS"):
        run(llm.complete_structured(long_messages, Scenario))
    assert llm_sim.calls == []


def test_the_output_bound_shrinks_to_the_room_the_context_leaves(llm_sim, make_llm):
    llm = make_llm(llm_sim, context_tokens=1400)
    assert llm.prompt_tokens_available(Scenario) == 1400 - schema_output_tokens(Scenario) - 16
    messages = [{"role": "user", "content": "w" * 3200}]  # ~800 prompt tokens
    run(llm.complete_structured(messages, Short))
    sent = llm_sim.calls[0].max_tokens
    assert sent == 128  # Short's own bound fits
    llm_sim.set_responder(lambda body: {"name": "short one", "instructions": "x", "priority": 1})
    run(llm.complete_structured(messages, Scenario))
    assert llm_sim.calls[1].max_tokens < schema_output_tokens(Scenario)
    assert llm_sim.calls[1].max_tokens + 800 <= 1400
