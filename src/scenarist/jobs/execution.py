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
from .identity import process_identity
from .llm_binding import IN_FLIGHT_TASK_NAME, call_timeout_s, job_llm, new_meter
from .models import JobStatus

log = logging.getLogger(__name__)

LEFTOVER_WAIT_S = 5.0  # how long the end of an attempt waits for its cancelled tasks to unwind (beyond LLM calls)
USAGE_RETRY_S = 0.5

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
    claim = lifecycle.claim(job_id, worker=process_identity())
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
    """Run the handler beside a heartbeat and a usage writer, then write the end state.

    Structured: every task the attempt starts (the handler's fan-out included) is cancelled together the moment
    the attempt is stopped, and none outlives the attempt, so nothing keeps calling the provider for a job this
    worker no longer runs.
    """
    loop = asyncio.get_running_loop()
    meter = new_meter(claim.usage)
    ctx = JobContext(claim, meter=meter, llm=job_llm(meter))
    writer = _UsageWriter(ctx)
    engine_tasks = set(asyncio.all_tasks(loop)) | {writer.start()}
    task = asyncio.ensure_future(handler(ctx))
    ctx.on_stop(lambda _reason: _cancel_attempt(loop, engine_tasks))
    beat = asyncio.ensure_future(_heartbeat(ctx, task))
    engine_tasks.add(beat)
    with _running_lock:
        _running[claim.job_id] = (loop, ctx, task)
    try:
        outcome, error = await _outcome_of(task, ctx)
    finally:
        beat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await beat
        await _end_leftovers(loop, engine_tasks)
        await writer.close()
        with _running_lock:
            _running.pop(claim.job_id, None)
    await _settle(ctx, outcome, error)


def _attempt_tasks(loop: asyncio.AbstractEventLoop, engine_tasks: set) -> list[asyncio.Task]:
    """Every unfinished task of this attempt (the thread's loop runs one attempt at a time)."""
    return [t for t in asyncio.all_tasks(loop) if t not in engine_tasks and not t.done()]


def _cancel_attempt(loop: asyncio.AbstractEventLoop, engine_tasks: set) -> None:
    """Cancel every task of the attempt at once, except HTTP calls already sent: the provider bills those whether
    or not we wait, so they finish (within the LLM timeout) and their usage is recorded."""
    for leftover in _attempt_tasks(loop, engine_tasks):
        if leftover.get_name() != IN_FLIGHT_TASK_NAME:
            leftover.cancel()


async def _end_leftovers(loop: asyncio.AbstractEventLoop, engine_tasks: set) -> None:
    """Cancel and await what the handler left running (e.g. an un-awaited fan-out), so nothing runs on."""
    leftovers = _attempt_tasks(loop, engine_tasks)
    if not leftovers:
        return
    log.warning("job attempt left %d task(s) running; cancelling them", len(leftovers))
    _cancel_attempt(loop, engine_tasks)
    await asyncio.wait(leftovers, timeout=LEFTOVER_WAIT_S + call_timeout_s())


class _UsageWriter:
    """Adds the attempt's provider usage to the job row as calls complete (one write in flight at a time)."""

    def __init__(self, ctx: JobContext):
        self.ctx = ctx
        self._wake = asyncio.Event()
        self._closing = False
        self._task: asyncio.Task | None = None

    def start(self) -> asyncio.Task:
        """Start writing in the background; returns the writer task."""
        loop = asyncio.get_running_loop()

        def wake() -> None:
            with contextlib.suppress(RuntimeError):  # loop closed: close() already saved everything
                loop.call_soon_threadsafe(self._wake.set)

        self.ctx.meter.on_record(wake)
        self._task = asyncio.ensure_future(self._run())
        return self._task

    async def _run(self) -> None:
        while not self._closing:
            await self._wake.wait()
            self._wake.clear()
            if not await self._flush():
                await asyncio.sleep(USAGE_RETRY_S)
                self._wake.set()

    async def _flush(self) -> bool:
        """Save the unsaved usage; False (and the usage kept for the next try) if the write failed."""
        delta = self.ctx.meter.take_unsaved()
        if not delta.llm_calls and not delta.fallbacks:
            return True
        try:
            await self.ctx.db(lifecycle.add_usage, self.ctx.job_id, delta.to_dict())
        except Exception:  # a DB hiccup: keep the usage for the next write
            self.ctx.meter.give_back(delta)
            log.warning("job %s: could not save usage", self.ctx.job_id, exc_info=True)
            return False
        return True

    async def close(self) -> None:
        """Let the running write finish (never cut one off: it could be half applied), then save the rest."""
        self._closing = True
        self._wake.set()
        if self._task is not None:
            await self._task
        self.ctx.meter.on_record(None)
        for _ in range(3):
            if await self._flush():
                return
            await asyncio.sleep(USAGE_RETRY_S)


async def _outcome_of(task: asyncio.Task, ctx: JobContext) -> tuple[Outcome, str]:
    """Await the handler task and classify how it ended."""
    try:
        await task
        return Outcome.COMPLETED, ""
    except asyncio.CancelledError:
        return _stopped_outcome(ctx), ""
    except BaseException as exc:  # noqa: BLE001 — every handler error ends the job, never the worker
        if ctx.stop_reason is not None:  # stopped by the engine: whatever the tasks raised on the way out
            return _stopped_outcome(ctx), ""
        outcome, error = _classify(exc)
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
    token = ctx._token
    try:
        if outcome is Outcome.LEASE_LOST:
            log.warning("job %s: lease lost; this worker stops without writing", ctx.job_id)
        elif outcome is Outcome.SHUTDOWN:
            await ctx.db(lifecycle.release, ctx.job_id, token)
        else:
            status = {Outcome.COMPLETED: JobStatus.COMPLETED, Outcome.FAILED: JobStatus.FAILED,
                      Outcome.CANCELLED: JobStatus.CANCELLED}[outcome]
            if not await ctx.db(lambda: lifecycle.finish(ctx.job_id, token, status, error=error)):
                log.warning("job %s: lease lost before it could be marked %s", ctx.job_id, status)
    except Exception:  # the reaper recovers a job whose end state could not be written
        log.exception("job %s: could not write its end state", ctx.job_id)


async def _heartbeat(ctx: JobContext, task: asyncio.Task) -> None:
    """Every JOB_HEARTBEAT_S: refresh the lease; stop the attempt on cancel or lease loss."""
    while not task.done():
        await asyncio.sleep(settings.JOB_HEARTBEAT_S)
        try:
            pulse = await ctx.db(lifecycle.heartbeat, ctx.job_id, ctx._token)
        except Exception:  # a DB hiccup: try again next beat (the reaper only acts after JOB_STALE_AFTER_S)
            log.warning("job %s: heartbeat failed", ctx.job_id, exc_info=True)
            continue
        log.debug("job %s: heartbeat %s", ctx.job_id, pulse)
        if pulse is lifecycle.Pulse.LEASE_LOST:
            ctx.stop(StopReason.LEASE_LOST)
            return
        if pulse is lifecycle.Pulse.CANCEL_REQUESTED:
            ctx.stop(StopReason.CANCEL)
            return


def request_shutdown() -> int:
    """Stop taking jobs and give running ones back to the queue; returns how many were running."""
    _shutting_down.set()
    with _running_lock:
        running = list(_running.values())
    for loop, ctx, _task in running:
        with contextlib.suppress(RuntimeError):  # loop already closed
            loop.call_soon_threadsafe(ctx.stop, StopReason.SHUTDOWN)
    return len(running)


def running_job_ids() -> list[int]:
    """Ids of jobs this process is running now."""
    with _running_lock:
        return sorted(_running)
