"""The reaper: recovers jobs whose worker died, guarded by a lease so one consumer at a time runs it."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid

from django.conf import settings
from django.db import close_old_connections

from . import leases, lifecycle
from .identity import certainly_dead
from .models import Job, JobStatus

log = logging.getLogger(__name__)

LEASE_NAME = "reaper"


def reap_once() -> dict[str, list[int]]:
    """One pass: recover jobs of dead local workers and stale jobs, resend messages of long-forgotten queued jobs."""
    # Dead local workers first: a process that died while no supervisor watched it (killed with its supervisor,
    # or not yet reaped when the next serve started) is recovered within one pass, not after the stale limit.
    report = reclaim_dead_local_workers()
    for outcome, ids in lifecycle.reap_stale(settings.JOB_STALE_AFTER_S).items():
        report[outcome] = report.get(outcome, []) + ids
    report["resent"] = lifecycle.resend_forgotten(settings.JOB_REENQUEUE_AFTER_S)
    if any(report.values()):
        log.info("reaper: %s", {k: v for k, v in report.items() if v})
    return report


def reclaim_dead_local_workers() -> dict[str, list[int]]:
    """Recover at once the jobs of worker processes of this machine that are certainly gone (no stale wait)."""
    workers = (Job.objects.filter(status=JobStatus.PROCESSING).exclude(worker="")
               .values_list("worker", flat=True).distinct())
    dead = [w for w in workers if certainly_dead(w)]
    report = lifecycle.reclaim_from_dead(dead)
    if any(report.values()):
        log.info("recovered the jobs of dead worker(s) at once: %s", {k: v for k, v in report.items() if v})
    return report


def lease_ttl_s(interval_s: float, stale_after_s: float) -> float:
    """How long a reaper lease lasts without renewal: 3 passes, but never past the stale limit.

    A holder that dies with its jobs frees the lease no later than those jobs turn stale, so another consumer
    recovers them within the stale limit plus one pass instead of waiting for the lease on top.
    """
    return max(min(3 * interval_s, stale_after_s), 1.1 * interval_s)  # the floor: a live holder keeps it


def acquire_lease(holder: str, ttl_s: float) -> bool:
    """Take or renew the reaper lease for `holder`; False while another live holder has it."""
    return leases.acquire(LEASE_NAME, holder, ttl_s)


def release_lease(holder: str) -> None:
    """Give the lease up (on clean shutdown) so another consumer takes over at once."""
    leases.release(LEASE_NAME, holder)


class ReaperThread(threading.Thread):
    """Every JOB_REAPER_INTERVAL_S: if this consumer holds (or can take) the lease, run one reaper pass."""

    def __init__(self, interval_s: float | None = None):
        super().__init__(name="scenarist-reaper", daemon=True)
        self.interval_s = interval_s or settings.JOB_REAPER_INTERVAL_S
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._stop_event = threading.Event()

    def run(self) -> None:
        """Loop until stopped; errors are logged and retried next tick."""
        while not self._stop_event.is_set():
            try:
                close_old_connections()
                if acquire_lease(self.holder, ttl_s=lease_ttl_s(self.interval_s, settings.JOB_STALE_AFTER_S)):
                    reap_once()
            except Exception:
                log.exception("reaper pass failed")
            finally:
                close_old_connections()
            self._stop_event.wait(self.interval_s)

    def stop(self) -> None:
        """Stop the loop and hand the lease over."""
        self._stop_event.set()
        try:
            release_lease(self.holder)
        except Exception:
            log.warning("could not release the reaper lease", exc_info=True)
