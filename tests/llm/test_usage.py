"""Usage accounting per job (equal to the simulator's own count), unknown usage, and the token budget."""

from __future__ import annotations

import asyncio

import pytest

from scenarist.llm.errors import BudgetExceededError, RefusalError
from scenarist.llm.port import Usage, UsageMeter
from tests.llm.helpers import MESSAGES, Scenario, run


def test_job_usage_equals_the_simulators_sum_despite_retries_and_reasks(sim_factory, make_llm):
    sim = sim_factory(retry_after_s=0, latency_s=0.01)
    # One bad-JSON fault only: under concurrency, a second one could land on the first one's re-ask.
    sim.script_faults(["rate_limit", "truncated_json", "server_error"])
    llm = make_llm(sim)
    meter = llm.new_meter()
    job = llm.for_job(meter, max_concurrency=3)

    async def batch():
        return await asyncio.gather(*(job.complete_structured(MESSAGES, Scenario) for _ in range(8)))

    results = run(batch())
    totals = sim.usage_totals()
    assert meter.usage.to_dict() == totals
    assert sum(usage.llm_calls for _, usage in results) == totals["llm_calls"]
    assert totals["llm_calls"] == 9  # 8 answers + 1 re-ask; the 429 and 500 are not billed
    assert len(sim.calls) == 11


def test_a_failed_call_still_counts_what_it_spent(llm_sim, make_llm):
    llm = make_llm(llm_sim)
    meter = UsageMeter()
    llm_sim.script_faults(["refusal_text"])
    with pytest.raises(RefusalError):
        run(llm.for_job(meter).complete_structured(MESSAGES, Scenario))
    assert meter.usage.to_dict() == llm_sim.usage_totals()
    assert meter.usage.llm_calls == 1 and meter.usage.completion_tokens > 0


def test_one_answer_without_usage_makes_the_job_totals_unknown(llm_sim, make_llm):
    llm = make_llm(llm_sim)
    meter = UsageMeter()
    job = llm.for_job(meter)
    run(job.complete_structured(MESSAGES, Scenario))
    assert meter.usage.prompt_tokens == llm_sim.usage_totals()["prompt_tokens"]
    llm_sim.script_faults(["no_usage"])
    run(job.complete_structured(MESSAGES, Scenario))
    run(job.complete_structured(MESSAGES, Scenario))
    assert meter.usage == Usage(prompt_tokens=None, completion_tokens=None, llm_calls=3)


def test_the_budget_stops_the_job_before_the_next_call(llm_sim, make_llm):
    llm = make_llm(llm_sim, job_token_budget=1)
    meter = llm.new_meter()
    assert meter.budget_tokens == 1
    job = llm.for_job(meter)
    run(job.complete_structured(MESSAGES, Scenario))  # the first call runs: nothing is spent yet
    with pytest.raises(BudgetExceededError):
        run(job.complete_structured(MESSAGES, Scenario))
    assert len(llm_sim.calls) == 1  # no request was sent once the budget was spent
    assert meter.usage.llm_calls == 1


def test_a_concurrent_job_stops_cleanly_keeping_what_it_has(sim_factory, make_llm):
    sim = sim_factory(latency_s=0.02)
    llm = make_llm(sim)
    run(llm.complete_structured(MESSAGES, Scenario))
    per_call = sim.usage_totals()["prompt_tokens"] + sim.usage_totals()["completion_tokens"]
    sim.reset()
    meter = UsageMeter(budget_tokens=per_call * 4)
    job = llm.for_job(meter, max_concurrency=2)

    async def batch():
        return await asyncio.gather(
            *(job.complete_structured(MESSAGES, Scenario) for _ in range(20)), return_exceptions=True
        )

    outcomes = run(batch())
    kept = [o for o in outcomes if not isinstance(o, BaseException)]
    stopped = [o for o in outcomes if isinstance(o, BudgetExceededError)]
    assert len(kept) + len(stopped) == 20
    assert 3 <= len(kept) <= 8  # about the budget's worth of calls (two may be in flight when it runs out)
    assert len(sim.calls) == len(kept)
    assert meter.usage.to_dict() == sim.usage_totals()
