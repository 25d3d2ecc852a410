"""Running sync ORM code from async handlers: a bounded thread pool that keeps Django connections healthy."""

from __future__ import annotations

import asyncio
import functools
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

from django.db import close_old_connections

_POOL = ThreadPoolExecutor(
    max_workers=int(os.environ.get("SCENARIST_JOB_DB_THREADS", "8")), thread_name_prefix="scenarist-db"
)


def _call(fn: Callable[..., Any], args: tuple) -> Any:
    """Call fn with fresh-enough DB connections (Django closes expired or broken ones here)."""
    close_old_connections()
    try:
        return fn(*args)
    finally:
        close_old_connections()


async def run_sync(fn: Callable[..., Any], *args: Any) -> Any:
    """Await fn(*args) executed in the DB thread pool."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_POOL, functools.partial(_call, fn, args))


def close_pool_connections(timeout: float = 10.0) -> None:
    """Close the DB connections held by every pool thread (tests, shutdown): one task per thread via a barrier."""
    import threading

    from django.db import connections

    workers = _POOL._max_workers
    barrier = threading.Barrier(workers)

    def close() -> None:
        connections.close_all()
        barrier.wait(timeout)  # keeps this thread busy so each thread takes exactly one task

    for future in [_POOL.submit(close) for _ in range(workers)]:
        future.result(timeout)
