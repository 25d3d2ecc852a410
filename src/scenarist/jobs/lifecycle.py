"""Every state change of a Job row, as short fenced transactions (sync ORM; the one place for status rules).

Fencing: a worker writes only while `status == processing` and `lease_token` is the token it got at claim
time; otherwise the write raises LeaseLost and changes nothing. Usage is the exception: it is what the provider
billed, so it is added (never overwritten) even by a worker that lost its lease.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from scenarist.llm.port import Usage

from .errors import LeaseLost
from .models import Job, JobItem, JobStatus

# Lock waits allowed to the reaper's statements (PostgreSQL); it skips locked rows, this only bounds surprises.
REAPER_LOCK_TIMEOUT_MS = 2000


@dataclass(frozen=True)
class Claim:
    """What a worker knows about the job it just claimed."""

    job_id: int
    token: uuid.UUID
    attempt: int
    progress_id: str
    project_id: int
    kind: str
    payload: dict = field(default_factory=dict)
    result: dict = field(default_factory=dict)
    usage: dict = field(default_factory=dict)


class Pulse(enum.Enum):
    """What a heartbeat learned."""

    ALIVE = "alive"
    CANCEL_REQUESTED = "cancel_requested"
    LEASE_LOST = "lease_lost"


def claim(job_id: int, worker: str = "") -> Claim | None:
    """queued → processing with a new lease token, attempt+1 and the claiming process; None if not claimable."""
    token = uuid.uuid4()
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED, cancel_requested=False).update(
        status=JobStatus.PROCESSING,
        lease_token=token,
        worker=worker[:200],
        attempt=F("attempt") + 1,
        heartbeat_at=now,
        started_at=now,
    )
    if not claimed:
        return None
    job = Job.objects.get(pk=job_id)
    return Claim(
        job_id=job.pk,
        token=token,
        attempt=job.attempt,
        progress_id=str(job.progress_id),
        project_id=job.project_id,
        kind=job.kind,
        payload=job.payload or {},
        result=job.result or {},
        usage=job.usage or {},
    )


def _held(job_id: int, token: uuid.UUID):
    """Queryset matching the job only while this lease is current."""
    return Job.objects.filter(pk=job_id, lease_token=token, status=JobStatus.PROCESSING)


def _locked_job(job_id: int, token: uuid.UUID) -> Job:
    """Inside a transaction: the job row, locked (PostgreSQL) and checked against the lease; else LeaseLost."""
    job = _held(job_id, token).select_for_update().first()
    if job is None:
        raise LeaseLost(f"job {job_id}: lease {token} is no longer current")
    return job


def heartbeat(job_id: int, token: uuid.UUID) -> Pulse:
    """Refresh heartbeat_at under the lease; report a cancel request or a lost lease."""
    updated = _held(job_id, token).update(heartbeat_at=timezone.now(), heartbeat_count=F("heartbeat_count") + 1)
    if not updated:
        return Pulse.LEASE_LOST
    cancel = Job.objects.filter(pk=job_id).values_list("cancel_requested", flat=True).first()
    return Pulse.CANCEL_REQUESTED if cancel else Pulse.ALIVE


def add_usage(job_id: int, delta: dict) -> None:
    """Add one batch of provider usage to the job (not fenced: a superseded attempt's calls were billed too)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).only("usage").first()
        if job is None:
            return
        total = Usage.from_dict(job.usage).add(Usage.from_dict(delta))
        Job.objects.filter(pk=job_id).update(usage=total.to_dict())


def done_indexes(job_id: int) -> set[int]:
    """Indexes already saved for this job (by any attempt)."""
    return set(JobItem.objects.filter(job_id=job_id).values_list("index", flat=True))


def save_item(job_id: int, token: uuid.UUID, index: int, save: Callable[[Job], dict | None]) -> bool:
    """One transaction: JobItem(job, index) + the domain write `save(job)`; False if the index was already saved."""
    with transaction.atomic():
        job = _locked_job(job_id, token)
        try:
            with transaction.atomic():
                item = JobItem.objects.create(job=job, index=index, data={})
        except IntegrityError:
            return False
        data = save(job)
        if data:
            item.data = data
            item.save(update_fields=["data"])
        errors = [e for e in (job.errors or []) if e.get("index") != index]
        Job.objects.filter(pk=job_id).update(
            completed_items=JobItem.objects.filter(job_id=job_id).count(),
            errors=errors,
            failed_items=len(errors),
        )
    return True


def record_failure(job_id: int, token: uuid.UUID, index: int, message: str) -> None:
    """Store the error of one index (replacing an earlier attempt's error of the same index)."""
    with transaction.atomic():
        job = _locked_job(job_id, token)
        if JobItem.objects.filter(job_id=job_id, index=index).exists():
            return  # saved after all (e.g. by an earlier attempt): not a failure
        errors = [e for e in (job.errors or []) if e.get("index") != index]
        errors.append({"index": index, "message": message})
        Job.objects.filter(pk=job_id).update(errors=_sorted(errors), failed_items=len(errors))


def update_fields(job_id: int, token: uuid.UUID, *, result: dict[str, Any] | None = None,
                  total_items: int | None = None) -> None:
    """Merge keys into result and/or set total_items, under the lease."""
    with transaction.atomic():
        job = _locked_job(job_id, token)
        changes: dict[str, Any] = {}
        if result is not None:
            changes["result"] = {**(job.result or {}), **result}
        if total_items is not None:
            changes["total_items"] = total_items
        if changes:
            Job.objects.filter(pk=job_id).update(**changes)


# --- the end of a job: counts that add up ------------------------------------------------------------------

def _sorted(errors: list[dict]) -> list[dict]:
    return sorted(errors, key=lambda e: (e.get("index") is None, e.get("index") or 0))


def missing_reason(status: JobStatus, error: str = "") -> str:
    """What `errors` says about an index that was never written, by how the job ended."""
    if status == JobStatus.CANCELLED:
        return "Not written: the job was cancelled before this item was produced."
    if status == JobStatus.FAILED:
        return f"Not written: the job failed before this item was produced ({error or 'no reason given'})."
    return "Not written: the job ended without producing this item."


def _account(job: Job, reason: str) -> dict[str, Any]:
    """Fields making `completed + failed == total`: one `errors` entry per index neither saved nor failed yet."""
    saved = set(JobItem.objects.filter(job_id=job.pk).values_list("index", flat=True))
    errors = [e for e in (job.errors or []) if e.get("index") not in saved]
    explained = {e.get("index") for e in errors}
    errors += [{"index": i, "message": reason} for i in range(job.total_items or 0)
               if i not in saved and i not in explained]
    return {"errors": _sorted(errors), "failed_items": len(errors), "completed_items": len(saved)}


def _end(job: Job, status: JobStatus, *, error: str = "", now=None, **extra: Any) -> dict[str, Any]:
    """The UPDATE fields of a terminal transition (status, times, error and the accounted counts)."""
    return {"status": status, "finished_at": now or timezone.now(), "error": error[:4000],
            **_account(job, missing_reason(status, error)), **extra}


def finish(job_id: int, token: uuid.UUID, status: JobStatus, *, error: str = "") -> bool:
    """processing → completed | failed | cancelled under the lease; False if the lease was lost meanwhile."""
    with transaction.atomic():
        try:
            job = _locked_job(job_id, token)
        except LeaseLost:
            return False
        return bool(_held(job_id, token).update(**_end(job, status, error=error)))


def release(job_id: int, token: uuid.UUID) -> bool:
    """processing → queued for a worker that shuts down cleanly (the attempt is given back); True if released."""
    with transaction.atomic():
        released = _held(job_id, token).update(
            status=JobStatus.QUEUED, lease_token=None, worker="", attempt=F("attempt") - 1
        )
        if released:
            _send_after_commit(job_id)
    return bool(released)


def request_cancel(job_id: int) -> str:
    """queued → cancelled now; processing → cancel flag (the worker stops); returns the status it found."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id, status=JobStatus.QUEUED).first()
        if job is not None:
            Job.objects.filter(pk=job_id).update(cancel_requested=True, **_end(job, JobStatus.CANCELLED))
            return JobStatus.QUEUED
    if Job.objects.filter(pk=job_id, status=JobStatus.PROCESSING).update(cancel_requested=True):
        return JobStatus.PROCESSING
    # The job may have moved from queued to processing between the two steps; the second one saw it.
    return Job.objects.filter(pk=job_id).values_list("status", flat=True).first() or ""


# --- recovery ----------------------------------------------------------------------------------------------

def _bound_lock_waits() -> None:
    """Inside a transaction on PostgreSQL: give up on any row lock after REAPER_LOCK_TIMEOUT_MS."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {int(REAPER_LOCK_TIMEOUT_MS)}")


def _stale(cutoff):
    return Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True)


def _recover(job: Job, now, reason: str, report: dict[str, list[int]]) -> None:
    """Inside the caller's transaction, with `job` locked: requeue it, or end it (cancelled / failed)."""
    same = Job.objects.filter(pk=job.pk, lease_token=job.lease_token, status=JobStatus.PROCESSING)
    if job.cancel_requested:
        if same.update(lease_token=None, **_end(job, JobStatus.CANCELLED, now=now)):
            report["cancelled"].append(job.pk)
    elif job.attempt >= job.max_attempts:
        error = f"{reason} ({job.attempt} attempts); giving up."
        if same.update(lease_token=None, **_end(job, JobStatus.FAILED, error=error, now=now)):
            report["failed"].append(job.pk)
    elif same.update(status=JobStatus.QUEUED, lease_token=None, worker=""):
        _send_after_commit(job.pk)
        report["requeued"].append(job.pk)


def _recover_each(candidates: Q, now, reason: str) -> dict[str, list[int]]:
    """Recover every processing job matching `candidates`, one short transaction each, never waiting on a lock.

    A row locked by a live writer is skipped (it is not stale); one locked by a frozen writer is skipped until
    the database ends that writer's transaction (idle_in_transaction_session_timeout on worker connections), so
    one frozen worker never holds up the recovery of any other job.
    """
    report: dict[str, list[int]] = {"requeued": [], "failed": [], "cancelled": []}
    ids = list(Job.objects.filter(candidates, status=JobStatus.PROCESSING).values_list("pk", flat=True)[:1000])
    for job_id in ids:
        try:
            with transaction.atomic():
                _bound_lock_waits()
                # The condition is re-checked on the locked row, so a worker that just heartbeated keeps its job.
                job = (Job.objects.select_for_update(skip_locked=True)
                       .filter(candidates, pk=job_id, status=JobStatus.PROCESSING).first())
                if job is not None:
                    _recover(job, now, reason, report)
        except OperationalError:  # a lock wait past the timeout: try again next pass
            continue
    return report


def reap_stale(stale_after_s: float, now=None) -> dict[str, list[int]]:
    """Stale `processing` jobs: requeue (and resend), or fail after their last attempt, or cancel if asked."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(seconds=stale_after_s)
    return _recover_each(_stale(cutoff), now, "The worker running this job stopped responding")


def reclaim_from_dead(workers: list[str], now=None) -> dict[str, list[int]]:
    """At once, without waiting for the stale limit: recover the jobs held by worker processes known to be dead."""
    if not workers:
        return {"requeued": [], "failed": [], "cancelled": []}
    return _recover_each(Q(worker__in=workers), now or timezone.now(), "The worker running this job died")


def resend_forgotten(reenqueue_after_s: float, now=None) -> list[int]:
    """Queued jobs whose message was sent long ago (or never): send another (a duplicate is a no-op claim)."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(seconds=reenqueue_after_s)
    ids = list(
        Job.objects.filter(status=JobStatus.QUEUED, cancel_requested=False)
        .filter(Q(enqueued_at__lt=cutoff) | Q(enqueued_at__isnull=True, created_at__lt=cutoff))
        .values_list("pk", flat=True)[:1000]
    )
    from .queue import send_run_job

    sent = []
    for job_id in ids:
        try:
            with transaction.atomic():
                _bound_lock_waits()
                send_run_job(job_id)
            sent.append(job_id)
        except OperationalError:
            continue
    return sent


def _send_after_commit(job_id: int) -> None:
    """Send `run job N` once the current transaction commits (never before: the worker must see the row)."""
    from .queue import send_run_job

    transaction.on_commit(lambda: send_run_job(job_id))
