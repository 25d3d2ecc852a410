"""JobContext: what a handler sees of its job — payload, LLM, usage meter and fenced writes."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any, Callable

from . import lifecycle
from .dbthread import run_sync
from .errors import JobCancelled

if TYPE_CHECKING:
    from scenarist.llm.port import StructuredLLM, UsageMeter

    from .models import Job


class StopReason(enum.Enum):
    """Why the engine stopped a handler task from outside."""

    CANCEL = "cancel"  # the user asked; job ends `cancelled`
    LEASE_LOST = "lease_lost"  # another worker owns the job now; write nothing
    SHUTDOWN = "shutdown"  # this worker is stopping; job goes back to `queued`


class JobContext:
    """A handler's handle on its job; every write is fenced by the lease token taken at claim time."""

    def __init__(self, claim: lifecycle.Claim, *, meter: "UsageMeter", llm: "StructuredLLM | None"):
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

    async def db(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run sync ORM code in a DB thread (stale connections closed around it) and await its result."""
        return await run_sync(fn, *args)

    def _usage(self) -> dict:
        """The meter's usage in the JSON shape stored on the row."""
        return self.meter.usage.to_dict()

    async def set_result(self, **fields: Any) -> None:
        """Merge keys into job.result (fenced)."""
        await self.db(lambda: lifecycle.update_fields(self.job_id, self._token, result=fields, usage=self._usage()))
        self.result.update(fields)

    async def set_total(self, n: int) -> None:
        """Set job.total_items (fenced)."""
        await self.db(lambda: lifecycle.update_fields(self.job_id, self._token, total_items=n, usage=self._usage()))

    async def done_indexes(self) -> set[int]:
        """Indexes already saved by this or earlier attempts."""
        return await self.db(lifecycle.done_indexes, self.job_id)

    async def save_item(self, index: int, save: "Callable[[Job], dict | None]") -> bool:
        """Save one item and its domain row in one fenced transaction; False if that index was already saved."""
        return await self.db(lifecycle.save_item, self.job_id, self._token, index, save, self._usage())

    async def record_failure(self, index: int, message: str) -> None:
        """Record why item `index` could not be produced (replaces an earlier error of the same index)."""
        await self.db(lifecycle.record_failure, self.job_id, self._token, index, message, self._usage())

    def cancelled(self) -> bool:
        """True once the heartbeat has seen a cancel request."""
        return self.stop_reason is StopReason.CANCEL

    def raise_if_cancelled(self) -> None:
        """Raise JobCancelled if the job's cancel was requested."""
        if self.cancelled():
            raise JobCancelled(f"job {self.progress_id} was cancelled")

    def stop(self, reason: StopReason) -> None:
        """Engine-side: note why the handler is being stopped (the first reason wins)."""
        if self.stop_reason is None:
            self.stop_reason = reason
