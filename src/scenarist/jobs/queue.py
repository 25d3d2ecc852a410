"""The Huey side of jobs: the `run job N` task and the only code that talks to the queue store."""

from __future__ import annotations

import logging

from django.db import close_old_connections
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from huey.utils import load_class

log = logging.getLogger(__name__)


@HUEY.task(name="scenarist.run_job")
def run_job_task(job_id: int) -> None:
    """Huey task body: run one job (claiming it first; a duplicate or stale message is a no-op)."""
    from scenarist.jobs.execution import run_job

    close_old_connections()
    try:
        run_job(job_id)
    finally:
        close_old_connections()


def new_message(job_id: int):
    """A not-yet-sent `run job N` message (its id is known before it is sent, so it can be stored on the row)."""
    return run_job_task.s(job_id)


def send(message) -> None:
    """Put a message built by `new_message` on the queue."""
    HUEY.enqueue(message)


def send_run_job(job_id: int) -> None:
    """Send a fresh `run job N` message now and remember its id and time on the row."""
    from scenarist.jobs.models import Job

    message = new_message(job_id)
    Job.objects.filter(pk=job_id).update(queue_task_id=message.id, enqueued_at=timezone.now())
    send(message)


def revoke(task_id: str) -> None:
    """Revoke a queued message so the consumer drops it (the claim would refuse it anyway)."""
    if task_id:
        try:
            HUEY.revoke_by_id(task_id)
        except Exception:  # revocation is an optimisation; the claim is the real guard
            log.warning("could not revoke queue message %s", task_id, exc_info=True)


def configure_queue(config: dict) -> None:
    """Point this process's queue at another store, given a dict shaped like settings.HUEY (tests, benchmarks)."""
    config = dict(config)
    huey_class = load_class(config.pop("huey_class", "huey.SqliteHuey"))
    name = config.pop("name", HUEY.name)
    config.pop("immediate", None)
    HUEY.storage = huey_class.storage_class(name, **config)


def pending_count() -> int:
    """How many messages wait in the queue store."""
    return HUEY.pending_count()
