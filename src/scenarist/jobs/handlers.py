"""Which async function runs each JobKind, and the fixed list of modules that register them."""

from __future__ import annotations

import importlib
import logging
import os
from typing import TYPE_CHECKING, Awaitable, Callable

from .models import JobKind

if TYPE_CHECKING:
    from .context import JobContext

log = logging.getLogger(__name__)

Handler = Callable[["JobContext"], Awaitable[None]]

# Modules owned by the apps of each job family; written by other rooms, so absent modules are tolerated.
HANDLER_MODULES = (
    "scenarist.metrics.clean_description_job",
    "scenarist.scenarios.generation_job",
)
TEST_HANDLER_MODULE = "scenarist.jobs.fixture_handlers"
TEST_JOBS_ENV = "SCENARIST_ENABLE_TEST_JOBS"

_REGISTRY: dict[str, Handler] = {}


def register_handler(kind: JobKind):
    """Decorator: `@register_handler(JobKind.X) async def handle(ctx) -> None` makes it the handler of that kind."""

    def decorate(fn: Handler) -> Handler:
        _REGISTRY[str(kind)] = fn
        return fn

    return decorate


def handler_for(kind: str) -> Handler | None:
    """The registered handler of a kind, if any."""
    return _REGISTRY.get(str(kind))


def test_jobs_enabled() -> bool:
    """Whether the test-only job type and its HTTP routes are switched on (SCENARIST_ENABLE_TEST_JOBS=1)."""
    return os.environ.get(TEST_JOBS_ENV, "") == "1"


def load_handlers() -> list[str]:
    """Import every handler module that exists (plus the test one when enabled); returns the registered kinds."""
    modules = list(HANDLER_MODULES) + ([TEST_HANDLER_MODULE] if test_jobs_enabled() else [])
    for name in modules:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise  # the module exists but one of its own imports is missing: a real error
            log.info("job handler module %s not present; skipped", name)
    return sorted(_REGISTRY)
