"""Scale mode: two `scenarist worker` processes sharing the database and a Redis queue; one is killed mid-job."""

from __future__ import annotations

import os
import uuid

import pytest

from scenarist.jobs.api import enqueue_job
from scenarist.jobs.models import Job, JobItem, JobKind, JobStatus
from tests.support.processes import job_env, redis_queue, use_queue, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

N = 40
REDIS_URL = os.environ.get("SCENARIST_TEST_REDIS_URL", "")


@pytest.fixture
def redis_job_queue():
    """A uniquely named Redis queue for this test (fails, not skips, when the configured Redis is down)."""
    if not REDIS_URL:
        pytest.skip("SCENARIST_TEST_REDIS_URL is not set (CI sets it to redis://127.0.0.1:6379/0)")
    import redis

    redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()  # unreachable → error, never a skip
    queue = redis_queue(REDIS_URL, f"scenarist-test-{uuid.uuid4().hex[:12]}")
    restore = use_queue(queue)
    yield queue
    from huey.contrib.djhuey import HUEY

    HUEY.storage.flush_all()
    restore()


def _status(job: Job) -> Job:
    return Job.objects.get(pk=job.pk)


def test_two_workers_one_killed_mid_job_every_job_completes_exactly(project, redis_job_queue, processes):
    env = job_env(redis_job_queue)
    workers = [processes.start("worker", "--threads", "1", env=env) for _ in range(2)]
    jobs = [enqueue_job(project=project, kind=JobKind.TEST_ITEMS, total_items=N,
                        payload={"n": N, "delay_s": 0.1, "concurrency": 2}) for _ in range(2)]
    # One thread per worker: two jobs in progress at once means each worker holds one of them.
    wait_for(lambda: all(_status(j).status == JobStatus.PROCESSING and _status(j).completed_items >= 4 for j in jobs),
             30, what="both jobs running")

    workers[0].kill9()
    for job in jobs:
        wait_for(lambda job=job: _status(job).status == JobStatus.COMPLETED, 45, interval=0.2,
                 what=f"job {job.pk} completed")
    for job in jobs:
        indexes = sorted(JobItem.objects.filter(job=job).values_list("index", flat=True))
        assert indexes == list(range(N))
        assert _status(job).completed_items == N
    assert sorted(_status(j).attempt for j in jobs) == [1, 2]  # the killed worker's job was resumed once
    assert workers[1].alive()
