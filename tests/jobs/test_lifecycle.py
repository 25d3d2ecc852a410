"""Job lifecycle in one process: enqueue-after-commit, claim/fencing, items, failures, reaper, cancel."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from scenarist.jobs import identity, lifecycle, queue, reaper
from scenarist.jobs.api import enqueue_job, request_cancel
from scenarist.jobs.errors import LeaseLost
from scenarist.jobs.execution import run_job
from scenarist.jobs.models import Job, JobItem, JobKind, JobStatus
from tests.support.processes import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def _job(project, **payload) -> Job:
    return enqueue_job(project=project, kind=JobKind.TEST_ITEMS, payload=payload, total_items=payload.get("n", 0))


def _run_and_close(job_id: int) -> None:
    """run_job in a thread of its own, closing that thread's DB connection afterwards."""
    try:
        run_job(job_id)
    finally:
        connection.close()


def _make_stale(job: Job) -> None:
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))


def test_message_is_sent_only_after_the_creating_transaction_commits(project, job_queue):
    with transaction.atomic():
        job = _job(project, n=1)
        assert queue.pending_count() == 0
    assert queue.pending_count() == 1
    assert Job.objects.get(pk=job.pk).queue_task_id

    with pytest.raises(RuntimeError), transaction.atomic():
        _job(project, n=1)
        raise RuntimeError("rolled back")
    assert queue.pending_count() == 1
    assert Job.objects.count() == 1


def test_job_runs_to_completion_with_items_usage_and_result(project, job_queue, fast_jobs):
    job = _job(project, n=6, delay_s=0.01, concurrency=3, tokens_per_item=10)
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.COMPLETED
    assert (job.attempt, job.total_items, job.completed_items, job.failed_items) == (1, 6, 6, 0)
    assert sorted(JobItem.objects.filter(job=job).values_list("index", flat=True)) == list(range(6))
    assert job.usage == {"prompt_tokens": 60, "completion_tokens": 60, "llm_calls": 6,
                         "cached_prompt_tokens": 0, "reasks": 0, "fallbacks": 0}
    assert job.result == {"saved": 6}
    assert job.started_at and job.finished_at and job.lease_token


def test_claim_is_exclusive_and_a_superseded_lease_cannot_write(project, job_queue):
    job = _job(project, n=3)
    first = lifecycle.claim(job.pk)
    assert first is not None and first.attempt == 1
    assert lifecycle.claim(job.pk) is None  # already processing

    _make_stale(job)
    assert lifecycle.reap_stale(stale_after_s=1)["requeued"] == [job.pk]
    second = lifecycle.claim(job.pk)
    assert second is not None and second.attempt == 2 and second.token != first.token

    with pytest.raises(LeaseLost):
        lifecycle.save_item(job.pk, first.token, 0, lambda j: {})
    assert lifecycle.heartbeat(job.pk, first.token) is lifecycle.Pulse.LEASE_LOST
    assert lifecycle.finish(job.pk, first.token, JobStatus.COMPLETED) is False
    assert lifecycle.save_item(job.pk, second.token, 0, lambda j: {"by": "second"}) is True
    assert JobItem.objects.get(job=job, index=0).data == {"by": "second"}


def test_an_item_is_saved_once_and_its_domain_write_is_not_repeated(project, job_queue):
    job = _job(project, n=2)
    claim = lifecycle.claim(job.pk)
    calls = []

    def save(j):
        calls.append(j.pk)
        return {"n": len(calls)}

    assert lifecycle.save_item(job.pk, claim.token, 1, save) is True
    assert lifecycle.save_item(job.pk, claim.token, 1, save) is False
    assert calls == [job.pk]
    assert JobItem.objects.filter(job=job).count() == 1
    assert Job.objects.get(pk=job.pk).completed_items == 1


def test_a_failing_domain_write_saves_nothing(project, job_queue):
    job = _job(project, n=1)
    claim = lifecycle.claim(job.pk)

    def save(j):
        raise ValueError("domain write failed")

    with pytest.raises(ValueError):
        lifecycle.save_item(job.pk, claim.token, 0, save)
    assert not JobItem.objects.filter(job=job).exists()
    assert lifecycle.save_item(job.pk, claim.token, 0, lambda j: {}) is True


def test_failures_are_keyed_by_index_and_cleared_when_the_index_later_succeeds(project, job_queue):
    job = _job(project, n=3)
    claim = lifecycle.claim(job.pk)
    lifecycle.record_failure(job.pk, claim.token, 2, "first try")
    lifecycle.record_failure(job.pk, claim.token, 2, "second try")
    lifecycle.record_failure(job.pk, claim.token, 0, "other")
    job.refresh_from_db()
    assert job.failed_items == 2
    assert job.errors == [{"index": 0, "message": "other"}, {"index": 2, "message": "second try"}]

    lifecycle.save_item(job.pk, claim.token, 2, lambda j: {})
    job.refresh_from_db()
    assert (job.failed_items, job.completed_items) == (1, 1)
    assert job.errors == [{"index": 0, "message": "other"}]


def test_failed_items_are_reported_and_the_job_still_completes(project, job_queue, fast_jobs):
    job = _job(project, n=5, fail_at=[1, 3])
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.COMPLETED
    assert (job.completed_items, job.failed_items) == (3, 2)
    assert [e["index"] for e in job.errors] == [1, 3]


def test_a_handler_failure_ends_the_job_failed_with_a_readable_error(project, job_queue, fast_jobs):
    job = _job(project, n=2, fail_job="the agent has no description")
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "the agent has no description"
    assert "Traceback" not in job.error


def test_a_resumed_job_only_produces_the_missing_items(project, job_queue, fast_jobs):
    job = _job(project, n=5)
    first = lifecycle.claim(job.pk)
    for index in (0, 3):
        lifecycle.save_item(job.pk, first.token, index, lambda j, i=index: {"attempt": 1})
    _make_stale(job)
    assert lifecycle.reap_stale(stale_after_s=1)["requeued"] == [job.pk]

    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.COMPLETED and job.attempt == 2
    by_index = dict(JobItem.objects.filter(job=job).values_list("index", "data"))
    assert sorted(by_index) == [0, 1, 2, 3, 4]
    assert by_index[0] == {"attempt": 1} and by_index[3] == {"attempt": 1}
    assert by_index[1] == {"index": 1, "attempt": 2}


def test_the_reaper_fails_a_stale_job_after_its_last_attempt(project, job_queue):
    job = _job(project, n=1)
    Job.objects.filter(pk=job.pk).update(max_attempts=1)
    lifecycle.claim(job.pk)
    _make_stale(job)
    report = lifecycle.reap_stale(stale_after_s=1)
    job.refresh_from_db()
    assert report["failed"] == [job.pk]
    assert job.status == JobStatus.FAILED and "stopped responding" in job.error


def test_the_reaper_leaves_fresh_jobs_alone(project, job_queue):
    job = _job(project, n=1)
    lifecycle.claim(job.pk)
    assert lifecycle.reap_stale(stale_after_s=60) == {"requeued": [], "failed": [], "cancelled": []}
    assert Job.objects.get(pk=job.pk).status == JobStatus.PROCESSING


def test_a_reaper_pass_recovers_a_fresh_job_whose_local_worker_is_gone(project, job_queue, settings):
    settings.JOB_STALE_AFTER_S = 600  # not stale: only the dead worker's identity can tell
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    worker = identity.process_identity(dead.pid)
    dead.wait()
    job = _job(project, n=1)
    lifecycle.claim(job.pk)
    Job.objects.filter(pk=job.pk).update(worker=worker)
    assert reaper.reap_once()["requeued"] == [job.pk]
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED


def test_a_queued_job_whose_message_was_lost_is_sent_again(project, job_queue):
    job = _job(project, n=1)
    Job.objects.filter(pk=job.pk).update(enqueued_at=timezone.now() - timedelta(hours=1))
    before = queue.pending_count()
    assert lifecycle.resend_forgotten(reenqueue_after_s=60) == [job.pk]
    assert queue.pending_count() == before + 1


def test_the_reaper_lease_has_one_holder_at_a_time(transactional_db):
    assert reaper.acquire_lease("a", ttl_s=30) is True
    assert reaper.acquire_lease("b", ttl_s=30) is False
    assert reaper.acquire_lease("a", ttl_s=30) is True  # renewal
    reaper.release_lease("a")
    assert reaper.acquire_lease("b", ttl_s=30) is True
    assert reaper.acquire_lease("a", ttl_s=30) is False


def test_cancel_of_a_queued_job_is_immediate_and_it_never_runs(project, job_queue, fast_jobs):
    job = _job(project, n=2)
    job = request_cancel(job)
    assert job.status == JobStatus.CANCELLED and job.finished_at
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and job.attempt == 0
    assert request_cancel(job).status == JobStatus.CANCELLED  # idempotent


def test_cancel_of_a_running_job_stops_it_within_seconds_and_keeps_its_items(project, job_queue, fast_jobs):
    job = _job(project, n=200, delay_s=0.05, concurrency=2)
    runner = threading.Thread(target=_run_and_close, args=(job.pk,))
    runner.start()
    wait_for(lambda: Job.objects.get(pk=job.pk).completed_items >= 4, timeout=10, what="some items")
    request_cancel(Job.objects.get(pk=job.pk))
    runner.join(timeout=5)
    assert not runner.is_alive()
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert 4 <= job.completed_items < 200
    assert JobItem.objects.filter(job=job).count() == job.completed_items
