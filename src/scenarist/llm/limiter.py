"""A concurrency cap shared by coroutines on any number of event loops and threads.

asyncio.Semaphore is bound to one loop, but job workers run one long-lived loop per thread and the
process-wide LLM cap must hold across all of them; this limiter hands slots between loops safely.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from contextlib import asynccontextmanager


class CrossLoopLimiter:
    """At most `limit` holders at once, across threads and event loops (FIFO hand-over)."""

    def __init__(self, limit: int):
        if limit < 1:
            raise ValueError("limit must be >= 1")
        self.limit = limit
        self._lock = threading.Lock()
        self._free = limit
        self._waiters: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future]] = deque()

    @property
    def in_use(self) -> int:
        """Slots currently held."""
        with self._lock:
            return self.limit - self._free

    async def acquire(self) -> None:
        """Wait for a slot."""
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._free > 0 and not self._waiters:
                self._free -= 1
                return
            waiter = loop.create_future()
            self._waiters.append((loop, waiter))
        try:
            await waiter
        except asyncio.CancelledError:
            self._abandon(loop, waiter)
            raise

    def resize(self, limit: int) -> None:
        """Change the limit; a smaller one takes effect as holders release (nobody is interrupted)."""
        if limit < 1:
            raise ValueError("limit must be >= 1")
        with self._lock:
            self._free += limit - self.limit
            self.limit = limit
            grants = 0
            while self._free > 0 and self._waiters:
                loop, waiter = self._waiters.popleft()
                try:
                    loop.call_soon_threadsafe(self._grant, waiter)
                except RuntimeError:  # that waiter's loop is closed: skip it
                    continue
                self._free -= 1

    def release(self) -> None:
        """Give a slot back, handing it straight to the oldest live waiter if there is one."""
        with self._lock:
            if self._free < 0:  # the limit shrank while this slot was held: the slot disappears
                self._free += 1
                return
            while self._waiters:
                loop, waiter = self._waiters.popleft()
                try:
                    loop.call_soon_threadsafe(self._grant, waiter)
                    return
                except RuntimeError:  # that waiter's loop is closed: skip it
                    continue
            self._free += 1

    @asynccontextmanager
    async def slot(self):
        """`async with limiter.slot():` holds one slot for the block."""
        await self.acquire()
        try:
            yield
        finally:
            self.release()

    def _grant(self, waiter: asyncio.Future) -> None:
        # Runs on the waiter's loop; a waiter cancelled meanwhile passes the slot on.
        if waiter.done():
            self.release()
        else:
            waiter.set_result(None)

    def _abandon(self, loop: asyncio.AbstractEventLoop, waiter: asyncio.Future) -> None:
        with self._lock:
            try:
                self._waiters.remove((loop, waiter))
                return  # never granted
            except ValueError:
                pass
        # Already handed a slot: either it was granted (result set) or _grant will see the
        # cancelled future and release it itself.
        if waiter.done() and not waiter.cancelled():
            self.release()
