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
from contextlib import asynccontextmanager


class PrepTurns:
    """FIFO turns, handed to the next waiter only after the event loop has polled its sockets once."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tail: asyncio.Future | None = None

    @asynccontextmanager
    async def turn(self):
        """`async with turns.turn():` runs the block when every earlier turn has ended."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a generator reused on another loop starts a fresh queue
            self._loop, self._tail = loop, None
        previous, mine = self._tail, loop.create_future()
        self._tail = mine
        try:
            if previous is not None and not previous.done():
                await asyncio.shield(previous)
            yield
        finally:
            # call_soon (not set_result now): the next turn starts on a later loop pass, after I/O was polled.
            loop.call_soon(_finish, mine)


def _finish(future: asyncio.Future) -> None:
    if not future.done():
        future.set_result(None)
