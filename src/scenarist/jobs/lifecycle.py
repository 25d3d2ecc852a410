"""Every state change of a Job row, as short fenced transactions (sync ORM; the one place for status rules).

Fencing: a worker writes only while `status == processing` and `lease_token` is the token it got at claim
time; otherwise the write raises LeaseLost and changes nothing.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from .errors import LeaseLost
from .models import Job, JobItem, JobStatus


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


def claim(job_id: int) -> Claim | None:
    """queued → processing with a new lease token and attempt+1; None if the job is not claimable."""
    token = uuid.uuid4()
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED, cancel_requested=False).update(
        status=JobStatus.PROCESSING,
        lease_token=token,
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


def heartbeat(job_id: int, token: uuid.UUID, usage: dict) -> Pulse:
    """Refresh heartbeat_at (and usage) under the lease; report a cancel request or a lost lease."""
    updated = _held(job_id, token).update(
        heartbeat_at=timezone.now(), heartbeat_count=F("heartbeat_count") + 1, usage=usage
    )
    if not updated:
        return Pulse.LEASE_LOST
    cancel = Job.objects.filter(pk=job_id).values_list("cancel_requested", flat=True).first()
    return Pulse.CANCEL_REQUESTED if cancel else Pulse.ALIVE


def done_indexes(job_id: int) -> set[int]:
    """Indexes already saved for this job (by any attempt)."""
    return set(JobItem.objects.filter(job_id=job_id).values_list("index", flat=True))


def save_item(job_id: int, token: uuid.UUID, index: int, save: Callable[[Job], dict | None], usage: dict) -> bool:
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
            usage=usage,
        )
    return True


def record_failure(job_id: int, token: uuid.UUID, index: int, message: str, usage: dict) -> None:
    """Store the error of one index (replacing an earlier attempt's error of the same index)."""
    with transaction.atomic():
        job = _locked_job(job_id, token)
        if JobItem.objects.filter(job_id=job_id, index=index).exists():
            return  # saved after all (e.g. by an earlier attempt): not a failure
        errors = [e for e in (job.errors or []) if e.get("index") != index]
        errors.append({"index": index, "message": message})
        errors.sort(key=lambda e: (e.get("index") is None, e.get("index") or 0))
        Job.objects.filter(pk=job_id).update(errors=errors, failed_items=len(errors), usage=usage)


def update_fields(job_id: int, token: uuid.UUID, *, result: dict[str, Any] | None = None,
                  total_items: int | None = None, usage: dict | None = None) -> None:
    """Merge keys into result and/or set total_items, under the lease."""
    with transaction.atomic():
        job = _locked_job(job_id, token)
        changes: dict[str, Any] = {}
        if result is not None:
            changes["result"] = {**(job.result or {}), **result}
        if total_items is not None:
            changes["total_items"] = total_items
        if usage is not None:
            changes["usage"] = usage
        if changes:
            Job.objects.filter(pk=job_id).update(**changes)


def finish(job_id: int, token: uuid.UUID, status: JobStatus, *, error: str = "", usage: dict | None = None) -> bool:
    """processing → completed | failed | cancelled under the lease; False if the lease was lost meanwhile."""
    changes: dict[str, Any] = {"status": status, "finished_at": timezone.now(), "error": error[:4000]}
    if usage is not None:
        changes["usage"] = usage
    return bool(_held(job_id, token).update(**changes))


def release(job_id: int, token: uuid.UUID, usage: dict) -> bool:
    """processing → queued for a worker that shuts down cleanly (the attempt is given back); True if released."""
    with transaction.atomic():
        released = _held(job_id, token).update(
            status=JobStatus.QUEUED, lease_token=None, attempt=F("attempt") - 1, usage=usage
        )
        if released:
            _send_after_commit(job_id)
    return bool(released)


def request_cancel(job_id: int) -> str:
    """queued → cancelled now; processing → cancel flag (the worker stops); returns the status it found."""
    now = timezone.now()
    if Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.CANCELLED, cancel_requested=True, finished_at=now
    ):
        return JobStatus.QUEUED
    if Job.objects.filter(pk=job_id, status=JobStatus.PROCESSING).update(cancel_requested=True):
        return JobStatus.PROCESSING
    # The job may have moved from queued to processing between the two updates; the second one saw it.
    return Job.objects.filter(pk=job_id).values_list("status", flat=True).first() or ""


def reap_stale(stale_after_s: float, now=None) -> dict[str, list[int]]:
    """Stale `processing` jobs: requeue (and resend), or fail after their last attempt, or cancel if asked."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(seconds=stale_after_s)
    stale = Job.objects.filter(status=JobStatus.PROCESSING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True)
    )
    report: dict[str, list[int]] = {"requeued": [], "failed": [], "cancelled": []}
    for job_id, token, attempt, max_attempts, cancel in stale.values_list(
        "pk", "lease_token", "attempt", "max_attempts", "cancel_requested"
    ):
        # The same stale condition is re-checked in the UPDATE, so a worker that just heartbeated keeps its job.
        same = Job.objects.filter(pk=job_id, status=JobStatus.PROCESSING, lease_token=token).filter(
            Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True)
        )
        with transaction.atomic():
            if cancel:
                if same.update(status=JobStatus.CANCELLED, finished_at=now, lease_token=None):
                    report["cancelled"].append(job_id)
            elif attempt >= max_attempts:
                error = f"The worker running this job stopped responding {attempt} times; giving up."
                if same.update(status=JobStatus.FAILED, finished_at=now, error=error, lease_token=None):
                    report["failed"].append(job_id)
            elif same.update(status=JobStatus.QUEUED, lease_token=None):
                _send_after_commit(job_id)
                report["requeued"].append(job_id)
    return report


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

    for job_id in ids:
        send_run_job(job_id)
    return ids


def _send_after_commit(job_id: int) -> None:
    """Send `run job N` once the current transaction commits (never before: the worker must see the row)."""
    from .queue import send_run_job

    transaction.on_commit(lambda: send_run_job(job_id))
