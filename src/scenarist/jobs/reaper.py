"""The reaper: recovers jobs whose worker died, guarded by a lease so one consumer at a time runs it."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import datetime, timezone as dt_timezone

from django.conf import settings
from django.db import IntegrityError, close_old_connections
from django.db.models import Q
from django.utils import timezone

from . import lifecycle
from .models import ReaperLease

log = logging.getLogger(__name__)

LEASE_NAME = "reaper"


def reap_once() -> dict[str, list[int]]:
    """One pass: requeue/fail/cancel stale processing jobs, resend messages of long-forgotten queued jobs."""
    report = lifecycle.reap_stale(settings.JOB_STALE_AFTER_S)
    report["resent"] = lifecycle.resend_forgotten(settings.JOB_REENQUEUE_AFTER_S)
    if any(report.values()):
        log.info("reaper: %s", {k: v for k, v in report.items() if v})
    return report


def acquire_lease(holder: str, ttl_s: float) -> bool:
    """Take or renew the reaper lease for `holder`; False while another live holder has it."""
    now = timezone.now()
    try:
        ReaperLease.objects.get_or_create(
            name=LEASE_NAME, defaults={"holder": "", "expires_at": datetime(1970, 1, 1, tzinfo=dt_timezone.utc)}
        )
    except IntegrityError:
        pass  # another consumer created it at the same moment
    taken = ReaperLease.objects.filter(name=LEASE_NAME).filter(Q(expires_at__lt=now) | Q(holder=holder)).update(
        holder=holder, expires_at=now + timezone.timedelta(seconds=ttl_s)
    )
    return bool(taken)


def release_lease(holder: str) -> None:
    """Give the lease up (on clean shutdown) so another consumer takes over at once."""
    ReaperLease.objects.filter(name=LEASE_NAME, holder=holder).update(
        expires_at=datetime(1970, 1, 1, tzinfo=dt_timezone.utc)
    )


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
                if acquire_lease(self.holder, ttl_s=3 * self.interval_s):
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
