"""Running sync ORM code from async handlers: a bounded thread pool that keeps Django connections healthy."""

from __future__ import annotations

import asyncio
import functools
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

from django.db import close_old_connections

_POOL = ThreadPoolExecutor(
    max_workers=int(os.environ.get("SCENARIST_JOB_DB_THREADS", "8")), thread_name_prefix="scenarist-db"
)


_local = threading.local()
CONNECTION_CHECK_EVERY_S = 10.0


def _call(fn: Callable[..., Any], args: tuple) -> Any:
    """Call fn on this thread's DB connection, which is kept between calls (reconnecting per call is the cost).

    Django's expiry/health check runs every CONNECTION_CHECK_EVERY_S and after any error, so a broken or
    expired connection is replaced on the next call.
    """
    now = time.monotonic()
    if now - getattr(_local, "checked_at", 0.0) > CONNECTION_CHECK_EVERY_S:
        close_old_connections()
        _local.checked_at = now
    try:
        return fn(*args)
    except BaseException:
        close_old_connections()
        _local.checked_at = time.monotonic()
        raise


async def run_sync(fn: Callable[..., Any], *args: Any) -> Any:
    """Await fn(*args) executed in the DB thread pool."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_POOL, functools.partial(_call, fn, args))


def _limit_session(sender, connection, **kwargs) -> None:
    """PostgreSQL: end any transaction left idle (a frozen or partitioned worker) so its row locks are freed."""
    from django.conf import settings

    if connection.vendor != "postgresql":
        return
    timeout_ms = int(settings.JOB_IDLE_TX_TIMEOUT_S * 1000)
    with connection.cursor() as cursor:
        cursor.execute(f"SET idle_in_transaction_session_timeout = {timeout_ms}")


def limit_worker_sessions() -> None:
    """Give every DB connection this (worker) process opens an idle-in-transaction timeout."""
    from django.db.backends.signals import connection_created

    connection_created.connect(_limit_session, dispatch_uid="scenarist.jobs.limit_worker_sessions")


def close_pool_connections(timeout: float = 10.0) -> None:
    """Close the DB connections held by every pool thread (tests, shutdown): one task per thread via a barrier."""
    from django.db import connections

    workers = _POOL._max_workers
    barrier = threading.Barrier(workers)

    def close() -> None:
        connections.close_all()
        barrier.wait(timeout)  # keeps this thread busy so each thread takes exactly one task

    for future in [_POOL.submit(close) for _ in range(workers)]:
        future.result(timeout)
