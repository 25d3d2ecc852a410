"""How a job gets its LLM view and usage meter from the `llm` package (imported lazily)."""

from __future__ import annotations

import importlib
import threading
from typing import Any

from scenarist.llm.port import Usage, UsageMeter

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


def new_meter(previous_usage: dict | None) -> UsageMeter:
    """A meter continuing from earlier attempts' usage, with the per-job token budget."""
    config = _process_wide("config", _config)
    budget = int(getattr(config, "job_token_budget", 0) or 0)
    return UsageMeter(budget_tokens=budget, usage=Usage.from_dict(previous_usage))


def job_llm(meter: UsageMeter):
    """The per-job LLM view (its concurrency cap + this meter), or None when no provider is configured."""
    base = _process_wide("llm", _base_llm)
    if base is None:
        return None
    config = _process_wide("config", _config)
    return base.for_job(meter, getattr(config, "job_concurrency", None))


def warm_up() -> None:
    """Import and build the provider client now (worker start), not inside the first job's lease."""
    _process_wide("config", _config)
    _process_wide("llm", _base_llm)
