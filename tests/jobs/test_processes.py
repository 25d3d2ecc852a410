"""Real processes on the embedded stack (SQLite or PostgreSQL + SqliteHuey): kill -9, cancel, restart, HTTP load."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from scenarist.accounts.services import create_project
from scenarist.jobs.api import enqueue_job, request_cancel
from scenarist.jobs.models import Job, JobItem, JobKind, JobStatus
from tests.support.processes import free_port, job_env, wait_for, wait_http

pytestmark = pytest.mark.django_db(transaction=True)


def _job(project, **payload) -> Job:
    return enqueue_job(project=project, kind=JobKind.TEST_ITEMS, payload=payload, total_items=payload.get("n", 0))


def _status(job: Job) -> Job:
    return Job.objects.get(pk=job.pk)


def _assert_exact_items(job: Job, n: int) -> None:
    indexes = list(JobItem.objects.filter(job=job).values_list("index", flat=True))
    assert sorted(indexes) == list(range(n))  # every item exactly once
    assert _status(job).completed_items == n


def test_kill9_of_the_worker_under_serve_resumes_the_job_without_duplicates(project, job_queue, processes):
    port = free_port()
    serve = processes.start("serve", "--port", str(port), env=job_env(job_queue))
    first_worker = wait_for(lambda: serve.child("worker"), 20, what="worker child")
    job = _job(project, n=30, delay_s=0.05, concurrency=2)
    wait_for(lambda: _status(job).completed_items >= 6, 30, what="first items")

    processes_before = _status(job).completed_items
    import os
    import signal

    os.kill(first_worker, signal.SIGKILL)
    wait_for(lambda: _status(job).status == JobStatus.COMPLETED, 40, interval=0.2, what="job completion")
    second_worker = serve.child("worker")
    assert second_worker and second_worker != first_worker  # serve restarted its worker
    assert processes_before < 30
    _assert_exact_items(job, 30)
    assert _status(job).attempt == 2


def test_cancel_queued_and_running_jobs_on_a_real_worker(project, job_queue, processes):
    processes.start("worker", "--threads", "1", env=job_env(job_queue))
    running = _job(project, n=400, delay_s=0.02, concurrency=2)
    waiting = _job(project, n=1)
    wait_for(lambda: _status(running).completed_items >= 5, 30, what="running job's first items")

    waiting = request_cancel(waiting)
    assert waiting.status == JobStatus.CANCELLED

    request_cancel(_status(running))
    cancelled = wait_for(lambda: _status(running).status == JobStatus.CANCELLED, 5, interval=0.1,
                         what="running job cancelled")
    assert cancelled
    running = _status(running)
    assert 5 <= running.completed_items < 400
    assert JobItem.objects.filter(job=running).count() == running.completed_items
    assert _status(waiting).attempt == 0  # never claimed


def test_jobs_queued_while_the_server_is_down_or_stopped_mid_job_run_after_restart(project, job_queue, processes):
    env = job_env(job_queue)
    serve = processes.start("serve", "--port", str(free_port()), env=env)
    long_job = _job(project, n=40, delay_s=0.05, concurrency=1)
    wait_for(lambda: _status(long_job).completed_items >= 3, 30, what="long job started")
    assert serve.stop() == 0
    stopped = _status(long_job)
    assert stopped.status == JobStatus.QUEUED and stopped.attempt == 0  # handed back, attempt given back

    queued = [_job(project, n=3) for _ in range(3)]
    processes.start("serve", "--port", str(free_port()), env=env)
    for job in [long_job, *queued]:
        wait_for(lambda job=job: _status(job).status == JobStatus.COMPLETED, 40, interval=0.2, what=f"job {job.pk}")
    _assert_exact_items(long_job, 40)
    for job in queued:
        _assert_exact_items(job, 3)


def test_fifty_jobs_submitted_concurrently_over_http_all_complete(project, job_queue, processes):
    _, key = create_project("HTTP load")
    port = free_port()
    serve = processes.start("serve", "--port", str(port), env=job_env(job_queue, SCENARIST_WORKER_THREADS="4"))
    wait_http(port)
    url = f"http://127.0.0.1:{port}/test_framework/v1/_test/jobs/"
    headers = {"X-CEKURA-API-KEY": key}

    def submit(i: int) -> str:
        response = httpx.post(url, json={"n": 3, "delay_s": 0.01, "concurrency": 3}, headers=headers, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()["progress_id"]

    with ThreadPoolExecutor(max_workers=50) as pool:
        progress_ids = list(pool.map(submit, range(50)))
    assert len(set(progress_ids)) == 50

    def all_done() -> bool:
        return Job.objects.filter(progress_id__in=progress_ids, status=JobStatus.COMPLETED).count() == 50

    wait_for(all_done, 60, interval=0.25, what="50 jobs completed")
    polled = httpx.get(url, params={"progress_id": progress_ids[0]}, headers=headers, timeout=10).json()
    assert polled["status"] == "completed" and polled["completed_items"] == 3
    assert JobItem.objects.filter(job__progress_id__in=progress_ids).count() == 150
    assert "database is locked" not in serve.output()
