"""`ClientJob`: a handle on a server-side background job that polls it and can draw a progress bar."""

from __future__ import annotations

import sys
import time
from enum import Enum
from typing import TYPE_CHECKING, Any

from .errors import JobFailedError, JobTimeout
from .models import CleanDescription, JobProgress, Scenario

if TYPE_CHECKING:
    from .transport import Transport


class JobFamily(str, Enum):
    """The two job families of the API."""

    GENERATION = "generation"
    CLEAN_DESCRIPTION = "clean_description"


class JobState(str, Enum):
    """Job statuses reported by the progress endpoints."""

    QUEUED = "queued"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED = frozenset({JobState.COMPLETED.value, JobState.FAILED.value, JobState.CANCELLED.value})

_PROGRESS_PATHS = {
    JobFamily.GENERATION: "scenarios/generate-progress/",
    JobFamily.CLEAN_DESCRIPTION: "metrics/generate_clean_description_progress/",
}


class ClientJob:
    """A generation or clean-description job, identified by its `progress_id`."""

    def __init__(self, transport: Transport, family: JobFamily, progress_id: str):
        self._t = transport
        self.family = JobFamily(family)
        self.progress_id = progress_id
        self.last: JobProgress | None = None

    def __repr__(self) -> str:
        return f"ClientJob({self.family.value}, {self.progress_id!r})"

    def status(self) -> JobProgress:
        """Poll once; returns the full progress body."""
        body = self._t.request("GET", _PROGRESS_PATHS[self.family], params={"progress_id": self.progress_id})
        self.last = JobProgress.model_validate(body)
        return self.last

    def cancel(self) -> str:
        """Ask the server to stop a generation job (saved scenarios stay); returns the new status."""
        if self.family is not JobFamily.GENERATION:
            raise TypeError("only generation jobs can be cancelled")
        body = self._t.request("POST", "scenarios/generate-cancel/", json={"progress_id": self.progress_id})
        return str((body or {}).get("status", ""))

    def wait(self, progress: bool = False, poll_interval: float = 1.0, timeout: float | None = None) -> Any:
        """Poll until finished. Generation → list[Scenario]; clean description → CleanDescription.
        Raises JobFailedError (failed/cancelled, with the server's error text) or JobTimeout."""
        reporter = _make_reporter(self.family) if progress else _NullReporter()
        started = time.monotonic()
        try:
            while True:
                state = self.status()
                reporter.update(state)
                if state.status in FINISHED:
                    break
                if timeout is not None and time.monotonic() - started > timeout:
                    raise JobTimeout(f"job {self.progress_id} not finished after {timeout:g}s "
                                     f"(status {state.status}); it keeps running on the server")
                time.sleep(poll_interval)
        finally:
            reporter.close()
        return self._result(state)

    def _result(self, state: JobProgress) -> Any:
        if state.status != JobState.COMPLETED.value:
            raise JobFailedError(self.progress_id, state.status, _failure_text(state), state.to_dict())
        if self.family is JobFamily.GENERATION:
            return [Scenario.model_validate(row) for row in state.scenarios_list or []]
        return CleanDescription.model_validate(
            {"clean_description": state.clean_description, "thinking": state.thinking,
             "enum_values": state.enum_values})


def _failure_text(state: JobProgress) -> str:
    """The server's reason, else the per-item errors, else the bare status."""
    if state.error:
        return state.error
    if state.errors:
        return "; ".join(f"#{e.get('index')}: {e.get('message')}" for e in state.errors[:5])
    return "cancelled" if state.status == JobState.CANCELLED.value else "the job failed"


# ---------------------------------------------------------------- progress display


class _NullReporter:
    """Shows nothing."""

    def update(self, state: JobProgress) -> None:
        """Ignore a progress body."""

    def close(self) -> None:
        """Nothing to close."""


class _RichReporter:
    """A rich progress bar on stderr: completed / failed / total and elapsed time. On a non-terminal
    stderr (CI logs) it prints one plain line per change instead of redrawing."""

    def __init__(self, family: JobFamily):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, \
            TimeElapsedColumn

        self.family = family
        self.console = Console(file=sys.stderr)
        self.started = time.monotonic()
        self.last_line = ""
        self.progress = None
        if self.console.is_terminal:
            counters = [BarColumn(), MofNCompleteColumn(), TextColumn("failed {task.fields[failed]}")] \
                if family is JobFamily.GENERATION else []
            self.progress = Progress(
                SpinnerColumn(), TextColumn("[bold]{task.description}"), *counters,
                TextColumn("{task.fields[status]}"), TimeElapsedColumn(), console=self.console, transient=False,
            )
            self.task = self.progress.add_task(self._label(), total=None, failed=0, status="queued")
            self.progress.start()

    def _label(self) -> str:
        return "generating scenarios" if self.family is JobFamily.GENERATION else "cleaning description"

    def update(self, state: JobProgress) -> None:
        """Redraw (terminal) or print a line when something changed (log)."""
        total = state.total_scenarios if self.family is JobFamily.GENERATION else 1
        done = state.completed_scenarios if self.family is JobFamily.GENERATION else (
            1 if state.status == JobState.COMPLETED.value else 0)
        failed = state.failed_scenarios or 0
        if self.progress is not None:
            self.progress.update(self.task, total=total or None, completed=done or 0, failed=failed,
                                 status=state.status)
            return
        if self.family is JobFamily.GENERATION:
            line = (f"{self._label()} {_text_bar(done or 0, failed, total)} {done or 0}/{total or '?'} completed, "
                    f"{failed} failed, {state.status}")
        else:
            line = f"{self._label()}: {state.status}"
        if line != self.last_line:
            self.last_line = line
            sys.stderr.write(f"{line} [{time.monotonic() - self.started:.1f}s]\n")
            sys.stderr.flush()

    def close(self) -> None:
        """Stop the live display, leaving the final bar on screen."""
        if self.progress is not None:
            self.progress.stop()


def _text_bar(done: int, failed: int, total: int | None, width: int = 20) -> str:
    """`[####x-----]`: completed as #, failed as x, the rest as -."""
    if not total:
        return "[" + "-" * width + "]"
    filled = round(width * done / total)
    broken = min(width - filled, round(width * failed / total))
    return "[" + "#" * filled + "x" * broken + "-" * (width - filled - broken) + "]"


def _make_reporter(family: JobFamily) -> _RichReporter:
    return _RichReporter(family)
