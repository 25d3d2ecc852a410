"""Running one claimed job: the worker thread's event loop, the heartbeat, and mapping outcomes to statuses."""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import threading

from django.conf import settings

from . import lifecycle
from .context import JobContext, StopReason
from .errors import JobCancelled, JobFailed, LeaseLost
from .handlers import handler_for
from .llm_binding import job_llm, new_meter
from .models import JobStatus

log = logging.getLogger(__name__)

_local = threading.local()
_running: dict[int, tuple[asyncio.AbstractEventLoop, JobContext, asyncio.Task]] = {}
_running_lock = threading.Lock()
_shutting_down = threading.Event()


class Outcome(enum.Enum):
    """How a handler run ended, from the engine's point of view."""

    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    LEASE_LOST = "lease_lost"
    SHUTDOWN = "shutdown"


def thread_loop() -> asyncio.AbstractEventLoop:
    """This worker thread's long-lived event loop (created on first use)."""
    loop = getattr(_local, "loop", None)
    if loop is None or loop.is_closed():
        loop = asyncio.new_event_loop()
        _local.loop = loop
    return loop


def run_job(job_id: int) -> None:
    """Claim job N and run its handler to an end state in this thread's event loop (no-op if not claimable)."""
    if _shutting_down.is_set():
        from .queue import send_run_job

        send_run_job(job_id)  # hand the message back for the next worker
        return
    claim = lifecycle.claim(job_id)
    if claim is None:
        log.debug("job %s not claimable (already taken, finished or cancelled)", job_id)
        return
    handler = handler_for(claim.kind)
    if handler is None:
        lifecycle.finish(claim.job_id, claim.token, JobStatus.FAILED,
                         error=f"No handler is installed for jobs of kind '{claim.kind}'.")
        return
    thread_loop().run_until_complete(_execute(claim, handler))


async def _execute(claim: lifecycle.Claim, handler) -> None:
    """Run the handler beside a heartbeat, then write the end state."""
    meter = new_meter(claim.usage)
    ctx = JobContext(claim, meter=meter, llm=job_llm(meter))
    task = asyncio.ensure_future(handler(ctx))
    beat = asyncio.ensure_future(_heartbeat(ctx, task))
    with _running_lock:
        _running[claim.job_id] = (asyncio.get_running_loop(), ctx, task)
    try:
        outcome, error = await _outcome_of(task, ctx)
    finally:
        beat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await beat
        with _running_lock:
            _running.pop(claim.job_id, None)
    await _settle(ctx, outcome, error)


async def _outcome_of(task: asyncio.Task, ctx: JobContext) -> tuple[Outcome, str]:
    """Await the handler task and classify how it ended."""
    try:
        await task
        return Outcome.COMPLETED, ""
    except asyncio.CancelledError:
        return _stopped_outcome(ctx), ""
    except BaseException as exc:  # noqa: BLE001 — every handler error ends the job, never the worker
        outcome, error = _classify(exc)
        if outcome is Outcome.CANCELLED and ctx.stop_reason not in (None, StopReason.CANCEL):
            return _stopped_outcome(ctx), ""
        if outcome is Outcome.FAILED and not isinstance(exc, JobFailed):
            log.exception("job %s (%s) failed", ctx.job_id, ctx.kind)
        return outcome, error


def _stopped_outcome(ctx: JobContext) -> Outcome:
    """Outcome of a handler the engine stopped from outside."""
    return {
        StopReason.LEASE_LOST: Outcome.LEASE_LOST,
        StopReason.SHUTDOWN: Outcome.SHUTDOWN,
    }.get(ctx.stop_reason, Outcome.CANCELLED)


def _leaves(exc: BaseException) -> list[BaseException]:
    """The exceptions inside (possibly nested) exception groups, e.g. from a TaskGroup fan-out."""
    if isinstance(exc, BaseExceptionGroup):
        return [leaf for sub in exc.exceptions for leaf in _leaves(sub)]
    return [exc]


def _classify(exc: BaseException) -> tuple[Outcome, str]:
    """Lease loss beats cancel beats failure; the error text is readable, never a traceback."""
    leaves = _leaves(exc)
    if any(isinstance(e, LeaseLost) for e in leaves):
        return Outcome.LEASE_LOST, ""
    if any(isinstance(e, (JobCancelled, asyncio.CancelledError)) for e in leaves):
        return Outcome.CANCELLED, ""
    for e in leaves:
        if isinstance(e, JobFailed):
            return Outcome.FAILED, str(e) or "The job failed."
    first = leaves[0]
    text = str(first).strip()
    return Outcome.FAILED, f"{type(first).__name__}: {text}" if text else type(first).__name__


async def _settle(ctx: JobContext, outcome: Outcome, error: str) -> None:
    """Write the end state (or give the job back on shutdown); a lost lease writes nothing."""
    usage = ctx.meter.usage.to_dict()
    token = ctx._token
    try:
        if outcome is Outcome.LEASE_LOST:
            log.warning("job %s: lease lost; this worker stops without writing", ctx.job_id)
        elif outcome is Outcome.SHUTDOWN:
            await ctx.db(lifecycle.release, ctx.job_id, token, usage)
        else:
            status = {Outcome.COMPLETED: JobStatus.COMPLETED, Outcome.FAILED: JobStatus.FAILED,
                      Outcome.CANCELLED: JobStatus.CANCELLED}[outcome]
            if not await ctx.db(lambda: lifecycle.finish(ctx.job_id, token, status, error=error, usage=usage)):
                log.warning("job %s: lease lost before it could be marked %s", ctx.job_id, status)
    except Exception:  # the reaper recovers a job whose end state could not be written
        log.exception("job %s: could not write its end state", ctx.job_id)


async def _heartbeat(ctx: JobContext, task: asyncio.Task) -> None:
    """Every JOB_HEARTBEAT_S: refresh the lease, persist usage, and stop the handler on cancel or lease loss."""
    while not task.done():
        await asyncio.sleep(settings.JOB_HEARTBEAT_S)
        try:
            pulse = await ctx.db(lifecycle.heartbeat, ctx.job_id, ctx._token, ctx.meter.usage.to_dict())
        except Exception:  # a DB hiccup: try again next beat (the reaper only acts after JOB_STALE_AFTER_S)
            log.warning("job %s: heartbeat failed", ctx.job_id, exc_info=True)
            continue
        log.debug("job %s: heartbeat %s", ctx.job_id, pulse)
        if pulse is lifecycle.Pulse.LEASE_LOST:
            _stop(ctx, task, StopReason.LEASE_LOST)
            return
        if pulse is lifecycle.Pulse.CANCEL_REQUESTED:
            _stop(ctx, task, StopReason.CANCEL)
            return


def _stop(ctx: JobContext, task: asyncio.Task, reason: StopReason) -> None:
    """Record the reason and cancel the handler task (its fan-out children are cancelled with it)."""
    ctx.stop(reason)
    task.cancel()


def request_shutdown() -> int:
    """Stop taking jobs and give running ones back to the queue; returns how many were running."""
    _shutting_down.set()
    with _running_lock:
        running = list(_running.values())
    for loop, ctx, task in running:
        with contextlib.suppress(RuntimeError):  # loop already closed
            loop.call_soon_threadsafe(_stop, ctx, task, StopReason.SHUTDOWN)
    return len(running)


def running_job_ids() -> list[int]:
    """Ids of jobs this process is running now."""
    with _running_lock:
        return sorted(_running)
