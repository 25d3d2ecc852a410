"""AIMD concurrency: halve on 429/503 or low rate-limit headers, grow back, honour Retry-After, share per endpoint."""

from __future__ import annotations

import asyncio
import time

import pytest

from scenarist.llm.aimd import AdaptiveLimiter, Ticket, limiter_for
from scenarist.llm.port import UsageMeter
from tests.llm.helpers import MESSAGES, Scenario, run

K = 5
N = 100


def test_one_round_of_overloads_halves_once_then_successes_grow_it_back():
    limiter = AdaptiveLimiter(ceiling=64)
    round_one = [Ticket(started_at=time.monotonic()) for _ in range(10)]
    time.sleep(0.001)
    for ticket in round_one:
        limiter.on_overload(ticket, retry_after=None)
    assert limiter.limit == 32 and limiter.cuts == 1
    later = Ticket(started_at=time.monotonic())
    limiter.on_overload(later, retry_after=None)
    assert limiter.limit == 16
    for _ in range(14):
        limiter.on_success(later)
    assert limiter.limit == 30  # fast growth (+1 per success) back to just under the level that failed (31)
    for _ in range(31):
        limiter.on_success(later)
    assert limiter.limit == 31  # above it: +1 per round of `limit` successes
    assert limiter_for("http://x/v1", "m", 8) is limiter_for("http://x/v1/", "m", 8)
    assert limiter_for("http://x/v1", "m", 8) is not limiter_for("http://x/v1", "other", 8)


def test_low_remaining_request_headers_cut_without_any_429(sim_factory, make_llm):
    sim = sim_factory(latency_s=0.05, ratelimit_requests=4)
    llm = make_llm(sim, max_concurrency=32, timeout_s=20)
    job = llm.for_job(UsageMeter(), max_concurrency=32)

    async def batch():
        return await asyncio.gather(*(job.complete_structured(MESSAGES, Scenario) for _ in range(40)))

    assert len(run(batch())) == 40
    assert not any(c.status == 429 for c in sim.calls)
    assert llm._limiter.cuts >= 1 and llm.concurrency_limit <= 8  # cut from 32 on headers alone


def test_retry_after_holds_every_new_call_of_the_endpoint(sim_factory, make_llm):
    sim = sim_factory(retry_after_s=0.5, latency_s=0.01)
    sim.script_faults(["rate_limit"])
    llm = make_llm(sim)

    async def two():
        first = asyncio.create_task(llm.complete_structured(MESSAGES, Scenario))
        await asyncio.sleep(0.1)  # the 429 has arrived; this call must wait for the hold too
        await llm.complete_structured(MESSAGES, Scenario)
        await first

    run(two())
    rejected = sim.calls[0]
    later = [c for c in sim.calls[1:]]
    assert rejected.status == 429 and all(c.status == 200 for c in later)
    assert min(c.started_at for c in later) >= rejected.ended_at + 0.45


def _job_wall(sim, make_llm, **config) -> tuple[float, object, UsageMeter]:
    llm = make_llm(sim, max_retries=3, backoff_base_s=0.05, backoff_max_s=0.2, timeout_s=30, **config)
    meter = UsageMeter()
    job = llm.for_job(meter, max_concurrency=N)

    async def batch():
        return await asyncio.gather(*(job.complete_structured(MESSAGES, Scenario) for _ in range(N)))

    started = time.perf_counter()
    results = run(batch())
    assert len(results) == N  # no item failed
    return time.perf_counter() - started, llm, meter


@pytest.mark.slow  # ~60 s: two 100-call jobs at 1 s per call (shorter latencies measure our CPU, not the AIMD)
def test_a_hundred_item_job_finds_a_k_call_limit_and_stays_near_it(sim_factory, make_llm):
    limited = sim_factory(latency_s=1.0, rate_limit_above=K, retry_after_s=0.1)
    adaptive_wall, llm, meter = _job_wall(limited, make_llm, max_concurrency=128)
    baseline = sim_factory(latency_s=1.0, rate_limit_above=K, retry_after_s=0.1)
    known_wall, _, _ = _job_wall(baseline, make_llm, max_concurrency=128, start_concurrency=K)

    assert meter.usage.llm_calls == N
    # The tail of the job runs below K, where successes grow the limit again without any 429 to stop it.
    assert K // 2 <= llm.concurrency_limit <= 2 * K, llm.concurrency_limit
    served = sorted((c.started_at, c.ended_at) for c in limited.calls if c.status == 200)
    second_half = served[N // 2:]
    span = max(e for _, e in second_half) - min(s for s, _ in second_half)
    mean_in_flight = sum(e - s for s, e in second_half) / span
    assert mean_in_flight >= 0.6 * K, mean_in_flight  # converged near K, not collapsed to 1
    print(f"adaptive {adaptive_wall:.2f}s, started at K {known_wall:.2f}s, mean in flight {mean_in_flight:.1f}, "
          f"429s {sum(c.status == 429 for c in limited.calls)}")
    assert adaptive_wall <= 1.5 * known_wall, (adaptive_wall, known_wall)
