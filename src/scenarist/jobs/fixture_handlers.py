"""Test-only job type TEST_ITEMS: saves N items with a delay, fanned out under a semaphore.

Payload: {n, delay_s, concurrency=1, fail_at=[indexes], fail_job="reason", tokens_per_item=0,
hold_in_save_at=index, hold_in_save_s=0} — the last two keep the save transaction of one index open (row lock
held) for a while, the window in which tests freeze a worker.
Registered only when SCENARIST_ENABLE_TEST_JOBS=1 (see handlers.load_handlers) or when imported by tests.
"""

from __future__ import annotations

import asyncio
import time

from scenarist.llm.port import Usage

from .context import JobContext
from .errors import JobFailed
from .handlers import register_handler
from .models import JobKind


@register_handler(JobKind.TEST_ITEMS)
async def handle_test_items(ctx: JobContext) -> None:
    """Save items 0..n-1 that earlier attempts did not save; each takes `delay_s`."""
    payload = ctx.payload
    n = int(payload.get("n", 1))
    delay_s = float(payload.get("delay_s", 0))
    fail_at = {int(i) for i in payload.get("fail_at", [])}
    tokens = int(payload.get("tokens_per_item", 0))
    hold_at = payload.get("hold_in_save_at")
    hold_s = float(payload.get("hold_in_save_s", 0))
    semaphore = asyncio.Semaphore(max(1, int(payload.get("concurrency", 1))))
    await ctx.set_total(n)
    if payload.get("fail_job"):
        raise JobFailed(str(payload["fail_job"]))
    done = await ctx.done_indexes()

    async def one(index: int) -> None:
        async with semaphore:
            ctx.raise_if_cancelled()
            await asyncio.sleep(delay_s)
            if tokens:
                ctx.meter.record(Usage(prompt_tokens=tokens, completion_tokens=tokens, llm_calls=1))
            if index in fail_at:
                await ctx.record_failure(index, f"item {index} failed on purpose")
                return
            def save(job) -> dict:
                if index == hold_at and ctx.attempt == 1:
                    time.sleep(hold_s)  # inside the fenced transaction: the job row stays locked
                return {"index": index, "attempt": ctx.attempt}

            await ctx.save_item(index, save)

    async with asyncio.TaskGroup() as group:
        for index in range(n):
            if index not in done:
                group.create_task(one(index))
    await ctx.set_result(saved=n - len(fail_at))
