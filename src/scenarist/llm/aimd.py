"""Concurrency that finds a provider's limit by itself: AIMD per (base URL, model), shared by a whole process.

The limit starts high (the process cap), is halved when the server says it is over its limit (429/503) or when
its `x-ratelimit-remaining-*` headers run low, and grows back after successes: quickly (+1 per success) up to
just below the level that last failed, then slowly (+1 per `limit` successes, one step per round of calls) to
probe for more room. A `Retry-After` holds every new call of that endpoint until it has passed. Only calls that
started after the last cut can cut again, so one burst of 429s halves the limit once, not once per 429.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

from scenarist.llm.limiter import CrossLoopLimiter

# A remaining-requests or remaining-tokens header below what one more round at the current limit would use
# counts as "running low".
_REMAINING_REQUESTS = "x-ratelimit-remaining-requests"
_REMAINING_TOKENS = "x-ratelimit-remaining-tokens"


@dataclass
class Ticket:
    """One call's hold on the limiter: when it started (for the one-cut-per-round rule)."""

    started_at: float


class AdaptiveLimiter:
    """An AIMD concurrency limit between 1 and `ceiling`, usable from any thread and event loop."""

    def __init__(self, ceiling: int, start: int | None = None):
        if ceiling < 1:
            raise ValueError("ceiling must be >= 1")
        self.ceiling = ceiling
        self._lock = threading.Lock()
        self._limit = float(min(start or ceiling, ceiling))
        self._threshold = float(ceiling)  # fast growth below this (the level just under the last failure)
        self._last_cut = 0.0
        self._hold_until = 0.0
        self._gate = CrossLoopLimiter(int(self._limit))
        self.cuts = 0

    @property
    def limit(self) -> int:
        """Calls allowed in flight now."""
        with self._lock:
            return int(self._limit)

    @property
    def in_use(self) -> int:
        """Calls in flight now."""
        return self._gate.in_use

    @asynccontextmanager
    async def slot(self):
        """Hold one slot for the block (after any Retry-After hold); yields the call's Ticket."""
        await self._wait_hold()
        await self._gate.acquire()
        try:
            await self._wait_hold()  # a 429 may have arrived while this call queued
            yield Ticket(started_at=time.monotonic())
        finally:
            self._gate.release()

    def on_success(self, ticket: Ticket, headers: Mapping[str, str] | None = None, tokens: int = 0) -> None:
        """A 200 answer: grow, unless the rate-limit headers say the provider's budget is running low."""
        if headers is not None and self._running_low(headers, tokens):
            self._cut(ticket)
            return
        with self._lock:
            if self._limit >= self.ceiling:
                return
            step = 1.0 if self._limit + 1 <= self._threshold else 1.0 / self._limit
            self._limit = min(float(self.ceiling), self._limit + step)
            self._gate.resize(int(self._limit))

    def on_overload(self, ticket: Ticket, retry_after: float | None) -> None:
        """A 429/503: halve (once per round) and hold new calls for the server's Retry-After."""
        if retry_after:
            with self._lock:
                self._hold_until = max(self._hold_until, time.monotonic() + retry_after)
        self._cut(ticket)

    def _cut(self, ticket: Ticket) -> None:
        with self._lock:
            if ticket.started_at < self._last_cut:
                return  # this round already cut the limit
            self._threshold = max(1.0, self._limit - 1.0)
            self._limit = max(1.0, self._limit / 2.0)
            self._last_cut = time.monotonic()
            self.cuts += 1
            self._gate.resize(int(self._limit))

    def _running_low(self, headers: Mapping[str, str], tokens: int) -> bool:
        limit = self.limit
        requests = _number(headers.get(_REMAINING_REQUESTS))
        if requests is not None and requests < limit:
            return True
        remaining_tokens = _number(headers.get(_REMAINING_TOKENS))
        return remaining_tokens is not None and tokens > 0 and remaining_tokens < limit * tokens

    async def _wait_hold(self) -> None:
        while True:
            with self._lock:
                wait = self._hold_until - time.monotonic()
            if wait <= 0:
                return
            await asyncio.sleep(wait)


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None


_registry: dict[tuple[str, str], AdaptiveLimiter] = {}
_registry_lock = threading.Lock()


def limiter_for(base_url: str, model: str, ceiling: int, start: int | None = None) -> AdaptiveLimiter:
    """The process-wide limiter of one (base URL, model): every job of a worker process shares it."""
    key = (base_url.rstrip("/"), model)
    with _registry_lock:
        limiter = _registry.get(key)
        if limiter is None or limiter.ceiling != ceiling:
            limiter = AdaptiveLimiter(ceiling, start)
            _registry[key] = limiter
        return limiter
