"""Every finished job adds up: completed + failed == total, one `errors` entry per missing index, whatever ended it."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from scenarist.jobs import lifecycle
from scenarist.jobs.api import enqueue_job, request_cancel
from scenarist.jobs.execution import run_job
from scenarist.jobs.models import Job, JobItem, JobKind, JobStatus
from tests.generation.responders import good_responder
from tests.llm_sim import LLMSimulator, SimConfig
from tests.scenarios.generation_support import start
from tests.support.processes import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def _job(project, **payload) -> Job:
    return enqueue_job(project=project, kind=JobKind.TEST_ITEMS, payload=payload, total_items=payload.get("n", 0))


def assert_adds_up(job: Job) -> Job:
    """The contract's invariant on a finished job, checked against the saved rows themselves."""
    job = Job.objects.get(pk=job.pk)
    saved = set(JobItem.objects.filter(job=job).values_list("index", flat=True))
    failed = [e["index"] for e in job.errors]
    assert job.status in (JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED)
    assert job.completed_items == len(saved) and job.failed_items == len(failed)
    assert job.completed_items + job.failed_items == job.total_items
    assert sorted(saved | set(failed)) == list(range(job.total_items))
    assert not saved & set(failed) and len(set(failed)) == len(failed)  # one entry per missing index
    assert all(e["message"] for e in job.errors)
    return job


def _stale(job: Job) -> None:
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))


def test_reaper_failing_a_job_after_its_last_attempt_explains_every_missing_index(project, job_queue):
    job = _job(project, n=6)
    Job.objects.filter(pk=job.pk).update(max_attempts=1)
    claim = lifecycle.claim(job.pk)
    for index in (0, 4):
        lifecycle.save_item(job.pk, claim.token, index, lambda j: {})
    lifecycle.record_failure(job.pk, claim.token, 5, "provider refused")
    _stale(job)
    assert lifecycle.reap_stale(stale_after_s=1)["failed"] == [job.pk]
    job = assert_adds_up(job)
    assert (job.completed_items, job.failed_items) == (2, 4)
    messages = {e["index"]: e["message"] for e in job.errors}
    assert messages[5] == "provider refused"  # an earlier, specific reason is kept
    assert all("stopped responding" in messages[i] for i in (1, 2, 3))


def test_reaper_ending_a_stale_job_whose_cancel_was_requested_adds_up(project, job_queue):
    job = _job(project, n=3)
    claim = lifecycle.claim(job.pk)
    lifecycle.save_item(job.pk, claim.token, 1, lambda j: {})
    request_cancel(Job.objects.get(pk=job.pk))
    _stale(job)
    assert lifecycle.reap_stale(stale_after_s=1)["cancelled"] == [job.pk]
    job = assert_adds_up(job)
    assert job.status == JobStatus.CANCELLED and [e["index"] for e in job.errors] == [0, 2]


def test_cancel_of_a_queued_job_explains_every_index(project, job_queue):
    job = request_cancel(_job(project, n=4))
    job = assert_adds_up(job)
    assert job.failed_items == 4 and "cancelled" in job.errors[0]["message"]


def test_cancel_of_a_running_job_adds_up(project, job_queue, fast_jobs):
    job = _job(project, n=300, delay_s=0.02, concurrency=2)
    runner = threading.Thread(target=lambda: (run_job(job.pk), connection.close()))
    runner.start()
    wait_for(lambda: Job.objects.get(pk=job.pk).completed_items >= 3, 10, what="first items")
    request_cancel(Job.objects.get(pk=job.pk))
    runner.join(10)
    job = assert_adds_up(job)
    assert job.status == JobStatus.CANCELLED and 3 <= job.completed_items < 300


def test_a_handler_failure_adds_up(project, job_queue, fast_jobs):
    job = _job(project, n=3, fail_job="the agent has no description")
    run_job(job.pk)
    job = assert_adds_up(job)
    assert job.status == JobStatus.FAILED and job.failed_items == 3
    assert "the agent has no description" in job.errors[0]["message"]


def test_a_completed_job_with_failed_items_adds_up(project, job_queue, fast_jobs):
    job = _job(project, n=5, fail_at=[1, 3])
    run_job(job.pk)
    job = assert_adds_up(job)
    assert job.status == JobStatus.COMPLETED and job.failed_items == 2


def _generation_job(client, agent, n: int) -> Job:
    progress_id = start(client, agent_id=agent.pk, num_scenarios=n)
    return Job.objects.get(progress_id=uuid.UUID(progress_id))


def test_a_spent_token_budget_ends_the_batch_with_counts_that_add_up(
        generation_agent, job_queue, fast_jobs, in_process_llm):
    client, _project, agent = generation_agent
    with LLMSimulator(SimConfig(seed=3)) as sim:
        sim.set_responder(good_responder)
        in_process_llm(sim, SCENARIST_LLM_JOB_TOKEN_BUDGET="7000", SCENARIST_LLM_JOB_CONCURRENCY="1",
                       SCENARIST_LLM_MAX_RETRIES="0")
        job = _generation_job(client, agent, 8)
        run_job(job.pk)
        billed = sim.usage_totals()
    job = assert_adds_up(job)
    assert 0 < job.completed_items < 8
    assert any("budget" in e["message"].lower() for e in job.errors)
    assert job.usage["llm_calls"] == billed["llm_calls"] and job.usage["prompt_tokens"] == billed["prompt_tokens"]


def test_a_provider_that_keeps_failing_ends_the_job_failed_with_counts_that_add_up(
        generation_agent, job_queue, fast_jobs, in_process_llm):
    client, _project, agent = generation_agent
    config = SimConfig(fault_rate=1.0, fault_mix=("server_error",))
    with LLMSimulator(config) as sim:
        in_process_llm(sim, SCENARIST_LLM_MAX_RETRIES="1", SCENARIST_LLM_BACKOFF_BASE_S="0.01")
        job = _generation_job(client, agent, 4)
        run_job(job.pk)
        assert len(sim.calls) >= 2
    job = assert_adds_up(job)
    assert job.status == JobStatus.FAILED and job.completed_items == 0 and job.failed_items == 4
    assert "LLM provider" in job.error or "analyse" in job.error
