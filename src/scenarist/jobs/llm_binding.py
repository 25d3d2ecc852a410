"""How a job gets its LLM view and usage meter from the `llm` package (imported lazily)."""

from __future__ import annotations

import importlib
import threading
from typing import Any, Callable

from scenarist.llm.port import Usage, UsageMeter

try:
    from scenarist.llm.client import IN_FLIGHT_TASK_NAME
except ImportError:  # an llm package without the marker: every task of a stopped attempt is cancelled
    IN_FLIGHT_TASK_NAME = "scenarist.llm.in-flight"

_lock = threading.Lock()
_UNSET = object()
_cache: dict[str, Any] = {}


def _optional_module(name: str):
    """Import a module of the llm package, or None if that module does not exist."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None


def _process_wide(key: str, build) -> Any:
    """Build once per process (the client keeps a process-wide concurrency cap and one SDK client per loop)."""
    with _lock:
        if key not in _cache:
            _cache[key] = build()
        return _cache[key]


def _config():
    """`LLMConfig.from_env()`, or None if the llm package has no config module."""
    module = _optional_module("scenarist.llm.config")
    return module.LLMConfig.from_env() if module else None


def _base_llm():
    """The configured provider client, or None (no provider → handlers use the offline engine)."""
    module = _optional_module("scenarist.llm.client")
    return module.build_llm() if module else None


class JobMeter(UsageMeter):
    """A job attempt's meter: the running total (for the budget), the part not yet saved, and a stop switch.

    `record` runs where each provider call completes; it wakes the engine's usage writer, so usage is saved as
    calls complete. `check_budget` runs before every provider call; once the attempt is stopped (lease lost,
    cancel, shutdown) it raises, so no new call can start from any task the attempt left behind.
    """

    def __init__(self, budget_tokens: int = 0, usage: Usage | None = None):
        super().__init__(budget_tokens=budget_tokens, usage=usage or Usage())
        self._lock = threading.Lock()
        self._unsaved = Usage()
        self._on_record: Callable[[], None] | None = None
        self._stopped: tuple[type[BaseException], str] | None = None

    def record(self, usage: Usage) -> None:
        """Add one call's usage to the total and to the unsaved part, then wake the writer."""
        with self._lock:
            super().record(usage)
            self._unsaved.add(usage)
            notify = self._on_record
        if notify is not None:
            notify()

    def record_fallback(self, count: int = 1) -> None:
        """Count items the offline writer wrote because the model's answers failed (saved like call usage)."""
        self.record(Usage(fallbacks=count))

    def take_unsaved(self) -> Usage:
        """The usage recorded since the last take (the caller saves it, or gives it back with `give_back`)."""
        with self._lock:
            taken, self._unsaved = self._unsaved, Usage()
        return taken

    def give_back(self, usage: Usage) -> None:
        """Return usage whose save failed, so the next save includes it."""
        with self._lock:
            self._unsaved.add(usage)

    def has_unsaved(self) -> bool:
        """True when calls completed since the last save."""
        with self._lock:
            return self._unsaved.llm_calls > 0 or self._unsaved.fallbacks > 0

    def on_record(self, notify: Callable[[], None] | None) -> None:
        """Set the callback run after every recorded call (thread-safe callers only)."""
        self._on_record = notify

    def stop(self, error: type[BaseException], message: str) -> None:
        """From now on every `check_budget` (before each provider call) raises `error(message)`."""
        self._stopped = (error, message)

    def check_budget(self) -> None:
        """Raise if the attempt was stopped, else the usual token-budget check."""
        if self._stopped is not None:
            error, message = self._stopped
            raise error(message)
        super().check_budget()


def new_meter(previous_usage: dict | None) -> JobMeter:
    """A meter continuing from earlier attempts' usage, with the per-job token budget."""
    config = _process_wide("config", _config)
    budget = int(getattr(config, "job_token_budget", 0) or 0)
    return JobMeter(budget_tokens=budget, usage=Usage.from_dict(previous_usage))


def job_llm(meter: UsageMeter):
    """The per-job LLM view (its concurrency cap + this meter), or None when no provider is configured."""
    base = _process_wide("llm", _base_llm)
    if base is None:
        return None
    config = _process_wide("config", _config)
    return base.for_job(meter, getattr(config, "job_concurrency", None))


def call_timeout_s() -> float:
    """The configured timeout of one provider call (how long an in-flight call may still take)."""
    config = _process_wide("config", _config)
    return float(getattr(config, "timeout_s", 0) or 60.0)


def warm_up() -> None:
    """Import and build the provider client now (worker start), not inside the first job's lease."""
    _process_wide("config", _config)
    _process_wide("llm", _base_llm)
