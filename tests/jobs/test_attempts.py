"""An attempt is one unit: losing its lease stops every task at once, and its provider usage is all recorded."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid

import pytest
from django.db import connection

from scenarist.jobs.api import enqueue_job
from scenarist.jobs.execution import run_job, thread_loop
from scenarist.jobs.models import Job, JobKind, JobStatus
from tests.generation.responders import good_responder
from tests.llm_sim import LLMSimulator, SimConfig
from tests.scenarios.generation_support import start
from tests.support.processes import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def _stop_times(caplog, job_id: int) -> list[float]:
    return [r.created for r in caplog.records
            if r.name == "scenarist.jobs.context" and r.getMessage().startswith(f"job {job_id} attempt")]


@pytest.mark.parametrize("noticed_by", ["heartbeat", "fenced_save"])
def test_a_lost_lease_stops_every_provider_call_and_usage_equals_what_the_provider_billed(
        generation_agent, job_queue, fast_jobs, in_process_llm, caplog, noticed_by):
    if noticed_by == "fenced_save":
        fast_jobs.JOB_HEARTBEAT_S = 60  # no heartbeat: a save refused by the fence is how the worker learns
    caplog.set_level(logging.INFO, logger="scenarist.jobs.context")
    client, project, agent = generation_agent
    with LLMSimulator(SimConfig(latency_s=0.3, seed=5)) as sim:
        sim.set_responder(good_responder)
        in_process_llm(sim, SCENARIST_LLM_JOB_CONCURRENCY="4", SCENARIST_LLM_MAX_RETRIES="0")
        job = Job.objects.get(progress_id=uuid.UUID(start(client, agent_id=agent.pk, num_scenarios=40)))
        after = {}

        def worker_thread() -> None:
            run_job(job.pk)
            after["pending"] = [t for t in asyncio.all_tasks(thread_loop()) if not t.done()]
            # The thread's loop runs its next job: leftovers of the first would wake up and call the provider now.
            following = enqueue_job(project=project, kind=JobKind.TEST_ITEMS, payload={"n": 8, "delay_s": 0.1},
                                    total_items=8)
            run_job(following.pk)
            connection.close()

        thread = threading.Thread(target=worker_thread)
        thread.start()
        wait_for(lambda: sum(c.answered for c in sim.calls) >= 6, 30, what="the first answers")
        Job.objects.filter(pk=job.pk).update(lease_token=uuid.uuid4())  # as if the job was reaped and re-claimed
        thread.join(60)
        assert not thread.is_alive()
        time.sleep(0.5)  # anything still running would reach the simulator by now
        calls = sim.calls

    stopped = _stop_times(caplog, job.pk)
    assert len(stopped) == 1
    # A request sent just before the stop may reach the server a moment after it (still "in flight"): 50 ms.
    late = [(c.index, round(c.started_at - stopped[0], 4)) for c in calls if c.started_at > stopped[0] + 0.05]
    assert late == []  # not one provider call after the attempt learned it lost the lease
    assert after["pending"] == []  # no task of the attempt outlived it
    job = Job.objects.get(pk=job.pk)
    assert job.status == JobStatus.PROCESSING and job.completed_items < 40  # the superseded worker wrote nothing
    billed = [c for c in calls if c.answered]
    assert job.usage["llm_calls"] == len(billed) > 0  # calls answered after the loss are recorded too
    assert job.usage["prompt_tokens"] == sum(c.prompt_tokens for c in billed)
    assert job.usage["completion_tokens"] == sum(c.completion_tokens for c in billed)


def test_usage_is_saved_as_calls_complete_not_only_at_the_end(
        generation_agent, job_queue, fast_jobs, in_process_llm, settings):
    settings.JOB_HEARTBEAT_S = 60  # no heartbeat during the test: only the usage writer can save usage
    client, _project, agent = generation_agent
    with LLMSimulator(SimConfig(latency_s=0.3, seed=6)) as sim:
        sim.set_responder(good_responder)
        in_process_llm(sim, SCENARIST_LLM_JOB_CONCURRENCY="2", SCENARIST_LLM_MAX_RETRIES="0")
        job = Job.objects.get(progress_id=uuid.UUID(start(client, agent_id=agent.pk, num_scenarios=12)))
        thread = threading.Thread(target=lambda: (run_job(job.pk), connection.close()))
        thread.start()
        seen = wait_for(lambda: (Job.objects.get(pk=job.pk).usage or {}).get("llm_calls", 0) >= 3, 30,
                        what="usage saved while the job runs")
        assert seen and Job.objects.get(pk=job.pk).status == JobStatus.PROCESSING
        thread.join(60)
        billed = sim.usage_totals()
    job = Job.objects.get(pk=job.pk)
    assert job.status == JobStatus.COMPLETED
    assert job.usage == billed


def test_a_write_whose_connection_died_is_tried_once_more_and_the_fence_still_decides(project, job_queue):
    from django.db import OperationalError

    from scenarist.jobs import lifecycle
    from scenarist.jobs.context import JobContext, StopReason
    from scenarist.jobs.errors import LeaseLost
    from scenarist.jobs.llm_binding import new_meter
    from scenarist.jobs.models import JobItem

    job = enqueue_job(project=project, kind=JobKind.TEST_ITEMS, payload={"n": 2}, total_items=2)
    claim = lifecycle.claim(job.pk)
    ctx = JobContext(claim, meter=new_meter(None), llm=None)
    tries = []

    def dies_once(job_id, token, index, save):
        tries.append(index)
        if len(tries) % 2 == 1:  # e.g. the session ended by idle_in_transaction_session_timeout while frozen
            raise OperationalError("terminating connection due to idle-in-transaction timeout")
        return lifecycle.save_item(job_id, token, index, save)

    assert asyncio.run(ctx._fenced(dies_once, job.pk, claim.token, 0, lambda j: {})) is True
    assert tries == [0, 0] and JobItem.objects.filter(job=job, index=0).exists()

    Job.objects.filter(pk=job.pk).update(lease_token=uuid.uuid4())  # reaped while this worker was frozen
    with pytest.raises(LeaseLost):
        asyncio.run(ctx._fenced(dies_once, job.pk, claim.token, 1, lambda j: {}))
    assert tries == [0, 0, 1, 1] and ctx.stop_reason is StopReason.LEASE_LOST
    assert not JobItem.objects.filter(job=job, index=1).exists()
