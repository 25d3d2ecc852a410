"""Recovery on real processes: a frozen worker never holds up another's recovery; fast takeover of dead workers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from scenarist.jobs import identity, reaper
from scenarist.jobs.api import enqueue_job
from scenarist.jobs.models import Job, JobItem, JobKind, JobStatus, Lease
from tests.support.processes import free_port, job_env, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

STALE_S, REAPER_S = 1.5, 0.3


def _job(project, **payload) -> Job:
    return enqueue_job(project=project, kind=JobKind.TEST_ITEMS, payload=payload, total_items=payload.get("n", 0))


def _row(job: Job) -> Job:
    return Job.objects.get(pk=job.pk)


def _recovered(job: Job) -> bool:
    """The job left the dead attempt: requeued, or already claimed again."""
    row = _row(job)
    return row.attempt >= 2 or row.status == JobStatus.QUEUED


def _time_to_recovery(job: Job, since: float, timeout: float) -> float:
    wait_for(lambda: _recovered(job), timeout, interval=0.02, what=f"job {job.pk} recovered")
    return time.monotonic() - since


def _exact(job: Job, n: int) -> None:
    row = _row(job)
    assert row.status == JobStatus.COMPLETED
    assert sorted(JobItem.objects.filter(job=job).values_list("index", flat=True)) == list(range(n))
    assert row.completed_items + row.failed_items == row.total_items == n


def _idle_in_transaction() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND state = 'idle in transaction' AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0]


def _reaper_holder_pid() -> int | None:
    lease = Lease.objects.filter(name=reaper.LEASE_NAME).first()
    return int(lease.holder.split(":")[1]) if lease and lease.holder.count(":") == 2 else None


@pytest.mark.slow
def test_a_worker_frozen_inside_a_save_does_not_hold_up_recovering_a_killed_workers_job(
        project, job_queue, processes):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and idle-in-transaction timeouts are PostgreSQL's (SQLite has one writer)")
    env = job_env(job_queue, SCENARIST_JOB_IDLE_TX_TIMEOUT_S="20")
    frozen = processes.start("worker", "--threads", "1", "--no-reaper", env=env)
    held = _job(project, n=5, delay_s=0.05, hold_in_save_at=2, hold_in_save_s=30)
    wait_for(lambda: _row(held).completed_items == 2 and _idle_in_transaction() >= 1, 30,
             what="the first worker inside the save of item 2, its transaction open")
    os.kill(frozen.pid, signal.SIGSTOP)  # a GC pause, a stalled VM, a partition: the row lock stays held
    try:
        killed = processes.start("worker", "--threads", "1", "--no-reaper", env=env)
        victim = _job(project, n=200, delay_s=0.1, concurrency=1)  # ~20 s: still running once the rescuer is up
        wait_for(lambda: _row(victim).completed_items >= 3, 30, what="the second worker running its job")
        rescuer = processes.start("worker", "--threads", "2", env=env)
        wait_for(lambda: _reaper_holder_pid() == rescuer.pid, 30, what="the third worker running the reaper")
        assert _row(victim).status == JobStatus.PROCESSING and _row(victim).attempt == 1
        killed_at = time.monotonic()
        killed.kill9()
        recovery = _time_to_recovery(victim, killed_at, timeout=30)
        assert recovery <= STALE_S + REAPER_S + 1.0, recovery  # stale limit + one pass (+ scheduling slack)
        wait_for(lambda: _row(victim).status == JobStatus.COMPLETED, 60, interval=0.1, what="victim completed")
        _exact(victim, 200)
        # The frozen worker's own job: recovered once PostgreSQL ends its idle transaction (20 s), not hours later.
        wait_for(lambda: _row(held).status == JobStatus.COMPLETED, 20 + STALE_S + 15, interval=0.2,
                 what="the frozen worker's job completed elsewhere")
        _exact(held, 5)
    finally:
        os.kill(frozen.pid, signal.SIGCONT)
    time.sleep(2)  # the woken worker finds its lease gone: it must write nothing
    _exact(held, 5)
    assert _row(held).attempt == 2 and JobItem.objects.filter(job=held).count() == 5


@pytest.mark.slow
def test_when_the_reaper_lease_holder_dies_with_a_job_another_worker_recovers_it_within_stale_plus_one_pass(
        project, job_queue, processes):
    stale_s, interval_s = 1.5, 1.0  # a lease of 3 passes (3 s) would outlast the stale limit
    env = job_env(job_queue, SCENARIST_JOB_STALE_AFTER_S=str(stale_s), SCENARIST_JOB_REAPER_INTERVAL_S=str(interval_s))
    holder = processes.start("worker", "--threads", "1", env=env)
    wait_for(lambda: _reaper_holder_pid() == holder.pid, 30, what="the first worker holding the reaper lease")
    job = _job(project, n=200, delay_s=0.1, concurrency=1)  # ~20 s: still running once the second worker is up
    wait_for(lambda: _row(job).completed_items >= 3, 30, what="the job running on the lease holder")
    other = processes.start("worker", "--threads", "1", env=env)
    probe = _job(project, n=1)
    wait_for(lambda: _row(probe).status == JobStatus.COMPLETED, 30, what="the second worker up")
    assert _row(job).status == JobStatus.PROCESSING and _reaper_holder_pid() == holder.pid
    killed_at = time.monotonic()
    holder.kill9()
    recovery = _time_to_recovery(job, killed_at, timeout=30)
    assert recovery <= stale_s + interval_s + 1.0, recovery
    assert _reaper_holder_pid() == other.pid
    wait_for(lambda: _row(job).status == JobStatus.COMPLETED, 60, interval=0.1, what="job completed")
    _exact(job, 200)


def test_reaper_lease_never_outlasts_the_stale_limit():
    assert reaper.lease_ttl_s(interval_s=5, stale_after_s=6) == 6
    assert reaper.lease_ttl_s(interval_s=5, stale_after_s=60) == 15
    assert reaper.lease_ttl_s(interval_s=0.3, stale_after_s=1.5) == pytest.approx(0.9)


def test_serve_hands_its_dead_workers_job_on_at_once_not_after_the_stale_limit(project, job_queue, processes):
    env = job_env(job_queue, SCENARIST_JOB_STALE_AFTER_S="120")  # the stale path cannot be what recovers it
    serve = processes.start("serve", "--port", str(free_port()), env=env)
    worker = wait_for(lambda: serve.child("worker"), 30, what="worker child")
    job = _job(project, n=150, delay_s=0.05, concurrency=2)
    wait_for(lambda: _row(job).completed_items >= 4, 30, what="first items")
    killed_at = time.monotonic()
    os.kill(worker, signal.SIGKILL)
    recovery = _time_to_recovery(job, killed_at, timeout=30)
    assert recovery < 5, recovery
    wait_for(lambda: _row(job).status == JobStatus.COMPLETED, 60, interval=0.1, what="job completed")
    _exact(job, 150)
    assert _row(job).attempt == 2


def test_a_restarted_serve_takes_over_its_previous_workers_jobs_at_once(project, job_queue, processes):
    env = job_env(job_queue, SCENARIST_JOB_STALE_AFTER_S="120")
    first = processes.start("serve", "--port", str(free_port()), env=env)
    worker = wait_for(lambda: first.child("worker"), 30, what="worker child")
    job = _job(project, n=150, delay_s=0.05, concurrency=2)
    wait_for(lambda: _row(job).completed_items >= 4, 30, what="first items")
    os.kill(first.pid, signal.SIGSTOP)  # the supervisor cannot react: only the next serve can
    os.kill(worker, signal.SIGKILL)
    os.kill(first.pid, signal.SIGKILL)
    first.popen.wait()
    assert _row(job).status == JobStatus.PROCESSING
    restarted_at = time.monotonic()
    processes.start("serve", "--port", str(free_port()), env=env)
    wait_for(lambda: _row(job).status == JobStatus.COMPLETED, 60, interval=0.1, what="job completed")
    assert time.monotonic() - restarted_at < 60 and _row(job).attempt == 2
    _exact(job, 150)


def test_a_process_is_certainly_dead_only_when_it_ran_here_and_is_gone():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    ident = identity.process_identity(child.pid)
    child.wait()
    assert identity.certainly_dead(ident)
    assert not identity.certainly_dead(identity.process_identity())  # this process
    host, boot, pidns, pid, ticks = identity.process_identity().split("|")
    assert not identity.certainly_dead("|".join([host, "another-boot-id", pidns, "999999", ticks]))
    assert not identity.certainly_dead("a worker of an older release")


def test_a_killed_process_nobody_reaped_yet_is_dead():
    """A zombie (its parent killed, init not reaping orphans) keeps its /proc entry but holds no job."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    ident = identity.process_identity(child.pid)
    assert not identity.certainly_dead(ident)
    os.kill(child.pid, signal.SIGKILL)
    wait_for(lambda: open(f"/proc/{child.pid}/stat").read().rsplit(")", 1)[1].split()[0] == "Z", 10, what="zombie")
    try:
        assert identity.certainly_dead(ident)
    finally:
        child.wait()
