"""JobContext: what a handler sees of its job — payload, LLM, usage meter and fenced writes."""

from __future__ import annotations

import enum
import logging
import time
from typing import TYPE_CHECKING, Any, Callable

from django.db import InterfaceError, OperationalError

from . import lifecycle
from .dbthread import run_sync
from .errors import JobCancelled, LeaseLost

if TYPE_CHECKING:
    from scenarist.llm.port import StructuredLLM

    from .llm_binding import JobMeter
    from .models import Job

log = logging.getLogger(__name__)


class StopReason(enum.Enum):
    """Why the engine stopped a handler task from outside."""

    CANCEL = "cancel"  # the user asked; job ends `cancelled`
    LEASE_LOST = "lease_lost"  # another worker owns the job now; write nothing
    SHUTDOWN = "shutdown"  # this worker is stopping; job goes back to `queued`


class JobContext:
    """A handler's handle on its job; every write is fenced by the lease token taken at claim time."""

    def __init__(self, claim: lifecycle.Claim, *, meter: "JobMeter", llm: "StructuredLLM | None"):
        self.job_id = claim.job_id
        self.progress_id = claim.progress_id
        self.project_id = claim.project_id
        self.kind = claim.kind
        self.payload = claim.payload
        self.attempt = claim.attempt
        self.result = dict(claim.result)
        self.meter = meter
        self.llm = llm
        self._token = claim.token
        self.stop_reason: StopReason | None = None
        self.stopped_at: float | None = None  # time.time() when the engine stopped the attempt
        self._on_stop: Callable[[StopReason], None] | None = None

    async def db(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run sync ORM code in a DB thread (stale connections closed around it) and await its result."""
        return await run_sync(fn, *args)

    async def _fenced(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a fenced write; a LeaseLost stops the whole attempt at once (every task), not just this one.

        A connection that died mid-transaction (e.g. ended by idle_in_transaction_session_timeout while this
        worker was frozen) wrote nothing: the write is tried once more on a new connection, where the fence
        decides whether this attempt still owns the job.
        """
        for retry in (False, True):
            try:
                return await self.db(lambda: fn(*args, **kwargs))
            except LeaseLost:
                self.stop(StopReason.LEASE_LOST)
                raise
            except (OperationalError, InterfaceError):
                if retry:
                    raise
                log.warning("job %s: database connection lost during a write; trying it once more", self.job_id)

    async def set_result(self, **fields: Any) -> None:
        """Merge keys into job.result (fenced)."""
        await self._fenced(lifecycle.update_fields, self.job_id, self._token, result=fields)
        self.result.update(fields)

    async def set_total(self, n: int) -> None:
        """Set job.total_items (fenced)."""
        await self._fenced(lifecycle.update_fields, self.job_id, self._token, total_items=n)

    async def done_indexes(self) -> set[int]:
        """Indexes already saved by this or earlier attempts."""
        return await self.db(lifecycle.done_indexes, self.job_id)

    async def save_item(self, index: int, save: "Callable[[Job], dict | None]") -> bool:
        """Save one item and its domain row in one fenced transaction; False if that index was already saved."""
        return await self._fenced(lifecycle.save_item, self.job_id, self._token, index, save)

    async def record_failure(self, index: int, message: str) -> None:
        """Record why item `index` could not be produced (replaces an earlier error of the same index)."""
        await self._fenced(lifecycle.record_failure, self.job_id, self._token, index, message)

    def cancelled(self) -> bool:
        """True once the heartbeat has seen a cancel request."""
        return self.stop_reason is StopReason.CANCEL

    def raise_if_cancelled(self) -> None:
        """Raise JobCancelled if the job's cancel was requested."""
        if self.cancelled():
            raise JobCancelled(f"job {self.progress_id} was cancelled")

    def stop(self, reason: StopReason) -> None:
        """Stop the attempt: note why (the first reason wins), block new provider calls, cancel every task."""
        if self.stop_reason is not None:
            return
        self.stop_reason = reason
        self.stopped_at = time.time()
        log.info("job %s attempt %s: stopping every task (%s)", self.job_id, self.attempt, reason.value)
        error = JobCancelled if reason is StopReason.CANCEL else LeaseLost
        self.meter.stop(error, f"job {self.progress_id} attempt {self.attempt} stopped: {reason.value}")
        if self._on_stop is not None:
            self._on_stop(reason)

    def on_stop(self, callback: "Callable[[StopReason], None]") -> None:
        """Engine-side: what to run (in the job's loop) when the attempt is stopped."""
        self._on_stop = callback
