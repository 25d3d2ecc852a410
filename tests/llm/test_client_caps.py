"""Concurrency caps (process-wide, per job, across threads and loops), checked in the simulator's log."""

from __future__ import annotations

import asyncio
import threading
import time

from scenarist.llm.limiter import CrossLoopLimiter
from scenarist.llm.port import UsageMeter
from tests.llm.helpers import MESSAGES, Scenario, run


async def _many(llm, count: int):
    return await asyncio.gather(*(llm.complete_structured(MESSAGES, Scenario) for _ in range(count)))


def test_process_wide_cap_is_never_exceeded(sim_factory, make_llm):
    sim = sim_factory(latency_s=0.1)
    llm = make_llm(sim, max_concurrency=3)
    started = time.perf_counter()
    results = run(_many(llm, 12))
    assert len(results) == 12
    assert sim.max_in_flight == 3
    assert time.perf_counter() - started >= 0.4  # four waves of three
    assert llm.in_flight == 0


def test_a_job_view_has_its_own_cap_inside_the_process_cap(sim_factory, make_llm):
    sim = sim_factory(latency_s=0.05)
    llm = make_llm(sim, max_concurrency=16)
    run(_many(llm.for_job(UsageMeter(), max_concurrency=2), 8))
    assert sim.max_in_flight == 2


def test_the_job_cap_defaults_to_the_configured_job_concurrency(sim_factory, make_llm):
    sim = sim_factory(latency_s=0.05)
    llm = make_llm(sim, max_concurrency=16, job_concurrency=3)
    run(_many(llm.for_job(UsageMeter()), 9))
    assert sim.max_in_flight == 3


def test_two_jobs_together_stay_under_the_process_cap(sim_factory, make_llm):
    sim = sim_factory(latency_s=0.05)
    llm = make_llm(sim, max_concurrency=4)
    first, second = llm.for_job(UsageMeter(), 3), llm.for_job(UsageMeter(), 3)

    async def both():
        await asyncio.gather(_many(first, 8), _many(second, 8))

    run(both())
    assert sim.max_in_flight == 4
    assert len([c for c in sim.calls if c.answered]) == 16


def test_the_process_cap_holds_across_threads_each_with_its_own_loop(sim_factory, make_llm):
    sim = sim_factory(latency_s=0.05)
    llm = make_llm(sim, max_concurrency=2)
    errors: list[BaseException] = []

    def worker():
        try:
            run(_many(llm, 6))
        except BaseException as exc:  # noqa: BLE001 — reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sim.max_in_flight == 2
    assert len([c for c in sim.calls if c.answered]) == 18


def test_one_client_serves_a_long_lived_loop_and_later_loops(llm_sim, make_llm):
    llm = make_llm(llm_sim)
    loop = asyncio.new_event_loop()
    try:
        for _ in range(3):  # a worker thread's long-lived loop: the SDK client is reused
            loop.run_until_complete(llm.complete_structured(MESSAGES, Scenario))
        loop.run_until_complete(llm.aclose())
        loop.run_until_complete(llm.complete_structured(MESSAGES, Scenario))  # recreated after aclose
    finally:
        loop.close()
    for _ in range(2):  # fresh loops (asyncio.run) do not trip over a client bound to a closed loop
        run(llm.complete_structured(MESSAGES, Scenario))
    assert len(llm_sim.calls) == 6 and all(c.answered for c in llm_sim.calls)


def test_limiter_hands_slots_over_and_survives_cancelled_waiters():
    limiter = CrossLoopLimiter(1)

    async def scenario():
        await limiter.acquire()
        waiter = asyncio.create_task(limiter.acquire())
        follower = asyncio.create_task(limiter.acquire())
        await asyncio.sleep(0.01)
        waiter.cancel()
        limiter.release()  # must skip the cancelled waiter and reach the follower
        await asyncio.wait_for(follower, 1)
        assert limiter.in_use == 1
        limiter.release()
        assert limiter.in_use == 0

    run(scenario())
