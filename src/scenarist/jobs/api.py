"""The job engine's public interface: enqueue, cancel, register a handler (see docs/jobs.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import lifecycle, queue
from .context import JobContext
from .errors import JobCancelled, JobFailed, LeaseLost
from .handlers import register_handler
from .models import TERMINAL_STATUSES, Job, JobKind, JobStatus

__all__ = [
    "Job", "JobKind", "JobStatus", "TERMINAL_STATUSES", "JobContext", "JobCancelled", "JobFailed", "LeaseLost",
    "enqueue_job", "request_cancel", "register_handler",
]


def enqueue_job(*, project, kind: JobKind, payload: dict, total_items: int = 0) -> Job:
    """Create the Job row (queued) and send `run job N` after the surrounding transaction commits. The ONE enqueue."""
    with transaction.atomic():
        job = Job.objects.create(
            project=project,
            kind=kind,
            payload=payload,
            total_items=total_items,
            max_attempts=settings.JOB_MAX_ATTEMPTS,
            enqueued_at=timezone.now(),
        )
        message = queue.new_message(job.pk)
        job.queue_task_id = message.id
        Job.objects.filter(pk=job.pk).update(queue_task_id=message.id)
        # After commit, never before: a worker must find the row it is told to run.
        transaction.on_commit(lambda: queue.send(message))
    return job


def request_cancel(job: Job) -> Job:
    """Queued → cancelled at once (message revoked); processing → cancel flag, the worker stops within seconds."""
    found = lifecycle.request_cancel(job.pk)
    if found == JobStatus.QUEUED:
        task_id = job.queue_task_id or Job.objects.filter(pk=job.pk).values_list("queue_task_id", flat=True).first()
        transaction.on_commit(lambda: queue.revoke(task_id))
    job.refresh_from_db()
    return job
