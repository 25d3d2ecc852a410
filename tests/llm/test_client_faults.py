"""OpenAICompatibleLLM through the real openai SDK against the simulator: every fault mode and the re-ask."""

from __future__ import annotations

import time

import pytest

from scenarist.llm.config import StructuredMode
from scenarist.llm.errors import (
    LLMTimeoutError,
    OutputValidationError,
    PermanentLLMError,
    RefusalError,
    RetryableLLMError,
)
from tests.llm.helpers import MESSAGES, USER_PROMPT, Scenario, run


def test_a_clean_call_returns_a_validated_object_and_its_usage(llm_sim, make_llm):
    llm = make_llm(llm_sim)
    scenario, usage = run(llm.complete_structured(MESSAGES, Scenario, temperature=0.2, seed=11, max_tokens=900))
    assert isinstance(scenario, Scenario) and 1 <= scenario.priority <= 5
    call = llm_sim.calls[0]
    assert call.model == "sim-model"
    assert (call.temperature, call.seed, call.max_tokens) == (0.2, 11, 900)
    assert call.response_format["type"] == "json_schema"
    assert call.response_format["json_schema"]["schema"] == Scenario.model_json_schema()
    assert call.messages == MESSAGES
    assert (usage.prompt_tokens, usage.completion_tokens, usage.llm_calls) == (
        call.prompt_tokens, call.completion_tokens, 1,
    )


def test_rate_limit_is_retried_after_the_servers_retry_after(sim_factory, make_llm):
    sim = sim_factory(retry_after_s=0.4)
    sim.script_faults(["rate_limit", None])
    llm = make_llm(sim, backoff_base_s=0.001, backoff_max_s=0.001)
    started = time.perf_counter()
    _, usage = run(llm.complete_structured(MESSAGES, Scenario))
    elapsed = time.perf_counter() - started
    assert [c.status for c in sim.calls] == [429, 200]
    assert sim.calls[1].started_at - sim.calls[0].ended_at >= 0.38  # waited as told, not the 1 ms backoff
    assert elapsed >= 0.4
    assert usage.llm_calls == 1  # the 429 was not billed


def test_server_errors_are_retried_with_backoff_then_succeed(llm_sim, make_llm):
    llm_sim.script_faults(["server_error", "server_error", None])
    scenario, _ = run(make_llm(llm_sim, max_retries=2).complete_structured(MESSAGES, Scenario))
    assert isinstance(scenario, Scenario)
    assert [c.status for c in llm_sim.calls] == [500, 500, 200]


def test_retries_run_out_into_a_retryable_error(llm_sim, make_llm):
    llm_sim.script_faults(["server_error"] * 3)
    with pytest.raises(RetryableLLMError) as caught:
        run(make_llm(llm_sim, max_retries=2).complete_structured(MESSAGES, Scenario))
    assert "500" in str(caught.value)
    assert len(llm_sim.calls) == 3  # one call plus two retries, and no more


def test_a_hang_times_out_within_the_configured_timeout(llm_sim, make_llm):
    llm_sim.script_faults(["hang"])
    started = time.perf_counter()
    with pytest.raises(LLMTimeoutError):
        run(make_llm(llm_sim, timeout_s=0.5, max_retries=0).complete_structured(MESSAGES, Scenario))
    assert 0.45 <= time.perf_counter() - started < 1.5
    assert len(llm_sim.calls) == 1
    deadline = time.monotonic() + 2
    while llm_sim.calls[0].status is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert llm_sim.calls[0].status == 499  # the server saw the client hang up, and freed the call
    assert llm_sim.in_flight == 0


def test_a_hang_is_retried_like_any_transient_failure(llm_sim, make_llm):
    llm_sim.script_faults(["hang", None])
    scenario, usage = run(make_llm(llm_sim, timeout_s=0.5, max_retries=1).complete_structured(MESSAGES, Scenario))
    assert isinstance(scenario, Scenario) and usage.llm_calls == 1
    assert [c.fault for c in llm_sim.calls] == ["hang", None]


@pytest.mark.parametrize("fault", ["malformed_json", "truncated_json"])
def test_bad_json_gets_one_reask_carrying_the_bad_answer_and_the_problem(llm_sim, make_llm, fault):
    llm_sim.script_faults([fault, None])
    scenario, usage = run(make_llm(llm_sim).complete_structured(MESSAGES, Scenario))
    assert isinstance(scenario, Scenario)
    first, reask = llm_sim.calls
    assert reask.messages[: len(MESSAGES)] == MESSAGES
    assert reask.messages[len(MESSAGES)] == {"role": "assistant", "content": first.content}
    assert "could not be used" in reask.messages[-1]["content"]
    assert "JSON" in reask.messages[-1]["content"]
    assert usage.llm_calls == 2
    assert usage.prompt_tokens == first.prompt_tokens + reask.prompt_tokens


def test_a_schema_mismatch_is_reasked_naming_the_field(llm_sim, make_llm):
    answers = iter([{"name": "Riley check", "instructions": "x", "priority": 9}, None])
    llm_sim.set_responder(lambda body: next(answers))
    scenario, _ = run(make_llm(llm_sim).complete_structured(MESSAGES, Scenario))
    assert 1 <= scenario.priority <= 5
    assert "priority" in llm_sim.calls[1].messages[-1]["content"]


def test_still_bad_after_the_reask_is_an_output_validation_error(llm_sim, make_llm):
    llm_sim.script_faults(["malformed_json", "truncated_json", None])
    with pytest.raises(OutputValidationError) as caught:
        run(make_llm(llm_sim).complete_structured(MESSAGES, Scenario))
    assert len(llm_sim.calls) == 2  # exactly one re-ask
    assert caught.value.usage.llm_calls == 2  # the failed call still reports what it spent
    assert isinstance(caught.value, PermanentLLMError)


@pytest.mark.parametrize("fault", ["refusal", "refusal_text"])
def test_refusals_are_a_distinct_error_and_are_not_retried(llm_sim, make_llm, fault):
    llm_sim.script_faults([fault, None])
    with pytest.raises(RefusalError, match="can't help"):
        run(make_llm(llm_sim).complete_structured(MESSAGES, Scenario))
    assert len(llm_sim.calls) == 1


def test_missing_usage_is_reported_as_unknown_not_guessed(llm_sim, make_llm):
    llm_sim.script_faults(["no_usage"])
    scenario, usage = run(make_llm(llm_sim).complete_structured(MESSAGES, Scenario))
    assert isinstance(scenario, Scenario)
    assert (usage.prompt_tokens, usage.completion_tokens, usage.llm_calls) == (None, None, 1)


def test_bad_credentials_are_permanent_and_not_retried(sim_factory, make_llm):
    sim = sim_factory(require_api_key="the-right-key")
    llm = make_llm(sim, api_key="a-wrong-key", max_retries=3)
    with pytest.raises(PermanentLLMError, match="401"):
        run(llm.complete_structured(MESSAGES, Scenario))
    assert len(sim.calls) == 0  # refused before the chat handler; nothing logged, nothing retried


def test_a_server_rejecting_json_schema_switches_the_client_to_json_object(sim_factory, make_llm):
    sim = sim_factory(reject_json_schema=True)
    llm = make_llm(sim)
    assert llm.structured_mode is StructuredMode.JSON_SCHEMA
    first, _ = run(llm.complete_structured(MESSAGES, Scenario))
    second, _ = run(llm.complete_structured(MESSAGES, Scenario))
    assert isinstance(first, Scenario) and isinstance(second, Scenario)
    assert llm.structured_mode is StructuredMode.JSON_OBJECT
    assert [c.status for c in sim.calls] == [400, 200, 200]  # rejected once, remembered afterwards
    assert [c.response_format["type"] for c in sim.calls] == ["json_schema", "json_object", "json_object"]
    assert '"priority"' in sim.calls[2].messages[0]["content"]  # the schema travels in the system message


def test_json_object_mode_validates_answers_from_a_server_that_ignores_schemas(llm_sim, make_llm):
    answers = iter([{"answer": "whatever I like"}, None])
    llm_sim.set_responder(lambda body: next(answers))
    llm = make_llm(llm_sim, structured_mode=StructuredMode.JSON_OBJECT)
    scenario, _ = run(llm.complete_structured(MESSAGES, Scenario))
    assert isinstance(scenario, Scenario)
    assert [c.response_format for c in llm_sim.calls] == [{"type": "json_object"}] * 2
    assert "name" in llm_sim.calls[1].messages[-1]["content"]  # the re-ask names the missing field


def test_grounded_strings_reach_the_caller(llm_sim, make_llm):
    scenario, _ = run(make_llm(llm_sim).complete_structured(MESSAGES, Scenario))
    text = scenario.name + " " + scenario.instructions
    assert any(word in text for word in USER_PROMPT.replace(",", "").split() if word[0].isupper())
