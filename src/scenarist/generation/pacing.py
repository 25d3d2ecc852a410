"""Turn-taking for the CPU-bound preparation of concurrently written items.

When n items are started with one `gather`, each runs its synchronous preparation (fixture, offline
reference draft, prompt, request building) before its first real suspension, so the event loop polls no
socket until all n are prepared: every request leaves at once, every answer arrives at once, and the
answers' processing queues up behind the last one. Taking turns, one item per event-loop pass, lets each
request leave as soon as it is built and each answer be processed while later requests are being
prepared; the total CPU is the same, the tail after the last answer shrinks to one item's processing.
"""

from __future__ import annotations

import asyncio
import weakref
from contextlib import asynccontextmanager


class PrepTurns:
    """FIFO turns per event loop, each handed on only after the loop has polled its sockets once (not a lock)."""

    def __init__(self) -> None:
        # The last turn's future per loop: a generator may be used from several loops (threads, asyncio.run calls).
        self._tails: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Future] = weakref.WeakKeyDictionary()

    @asynccontextmanager
    async def turn(self):
        """`async with turns.turn():` runs the block once every earlier turn on this loop has ended."""
        loop = asyncio.get_running_loop()
        previous, mine = self._tails.get(loop), loop.create_future()
        self._tails[loop] = mine
        try:
            if previous is not None and not previous.done():
                await asyncio.shield(previous)  # a cancelled waiter must not cancel the turn before it
            yield
        finally:
            # call_soon, not set_result now: the next turn starts on a later loop pass, after I/O was polled.
            loop.call_soon(_finish, mine)


def _finish(future: asyncio.Future) -> None:
    if not future.done():
        future.set_result(None)
