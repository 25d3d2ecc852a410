"""Provider quirks: rejected sampling parameters, json_schema fallback logged once, cached prompt tokens."""

from __future__ import annotations

import asyncio
import logging

import pytest

from scenarist.llm.config import StructuredMode
from scenarist.llm.errors import PermanentLLMError
from scenarist.llm.port import UsageMeter
from tests.llm.helpers import MESSAGES, Scenario, run


def test_a_reasoning_model_gets_its_parameters_adjusted_once_and_remembered(sim_factory, make_llm, caplog):
    sim = sim_factory(reject_params=("temperature", "max_tokens", "seed"))
    llm = make_llm(sim)
    with caplog.at_level(logging.WARNING, logger="scenarist.llm"):
        run(llm.complete_structured(MESSAGES, Scenario, temperature=0.7, seed=3))
    assert [c.status for c in sim.calls] == [400, 400, 400, 200]
    last = sim.calls[-1].body
    assert "temperature" not in last and "seed" not in last and "max_tokens" not in last
    assert last["max_completion_tokens"] > 0
    assert sum("rejects" in r.getMessage() for r in caplog.records) == 3
    run(llm.complete_structured(MESSAGES, Scenario, temperature=0.2, seed=4))
    assert [c.status for c in sim.calls][4:] == [200]  # remembered: no second round of 400s


def test_a_parameter_rejected_again_after_adjusting_is_a_permanent_error(sim_factory, make_llm):
    sim = sim_factory(reject_params=("max_completion_tokens", "max_tokens"))
    llm = make_llm(sim)
    with pytest.raises(PermanentLLMError, match="max_completion_tokens"):
        run(llm.complete_structured(MESSAGES, Scenario))
    assert len(sim.calls) == 2  # one adjustment (max_tokens -> max_completion_tokens), then it gives up


def test_json_schema_rejection_switches_mode_and_logs_once_under_concurrency(sim_factory, make_llm, caplog):
    sim = sim_factory(reject_json_schema=True, latency_s=0.05)
    llm = make_llm(sim)

    async def many():
        return await asyncio.gather(*(llm.complete_structured(MESSAGES, Scenario) for _ in range(6)))

    with caplog.at_level(logging.WARNING, logger="scenarist.llm"):
        results = run(many())
    assert len(results) == 6 and llm.structured_mode is StructuredMode.JSON_OBJECT
    assert sum("json_object mode from now on" in r.getMessage() for r in caplog.records) == 1


def test_cached_prompt_tokens_are_recorded(sim_factory, make_llm):
    sim = sim_factory()
    llm = make_llm(sim)
    meter = UsageMeter()
    job = llm.for_job(meter)
    shared = [{"role": "system", "content": "Agent text. " * 800}]  # ~2,400 tokens of shared prefix
    run(job.complete_structured(shared + [{"role": "user", "content": "item one"}], Scenario))
    run(job.complete_structured(shared + [{"role": "user", "content": "item two"}], Scenario))
    first, second = sim.calls
    assert first.cached_tokens == 0 and second.cached_tokens >= 2048
    assert meter.usage.cached_prompt_tokens == second.cached_tokens
    assert meter.usage.uncached_prompt_tokens == meter.usage.prompt_tokens - second.cached_tokens
    assert meter.usage.to_dict() == sim.usage_totals()


def test_fallbacks_are_counted_on_the_job_meter(llm_sim, make_llm):
    meter = UsageMeter()
    job = make_llm(llm_sim).for_job(meter)
    job.record_fallback()
    job.record_fallback(2)
    assert meter.usage.to_dict()["fallbacks"] == 3



class Other(Scenario):
    """A second output model (its schema converts fine)."""


def test_a_schema_the_server_cannot_convert_falls_back_for_that_model_only(sim_factory, make_llm, caplog):
    sim = sim_factory(reject_schema_names=("Scenario",))
    llm = make_llm(sim)
    with caplog.at_level(logging.WARNING, logger="scenarist.llm"):
        run(llm.complete_structured(MESSAGES, Scenario))
        run(llm.complete_structured(MESSAGES, Scenario))
        run(llm.complete_structured(MESSAGES, Other))
    statuses = [c.status for c in sim.calls]
    assert statuses == [400, 200, 200, 200]
    assert [c.response_format["type"] for c in sim.calls] == ["json_schema", "json_object", "json_object", "json_schema"]
    assert llm.structured_mode is StructuredMode.JSON_SCHEMA
    assert sum("could not use the JSON schema of Scenario" in r.getMessage() for r in caplog.records) == 1
