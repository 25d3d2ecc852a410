"""PrepTurns: FIFO turns, each started only after an event-loop pass, robust to errors and cancellation."""

from __future__ import annotations

import asyncio

import pytest

from scenarist.generation.pacing import PrepTurns


def test_turns_run_in_order_with_a_loop_pass_between_them():
    turns = PrepTurns()
    log: list[str] = []

    async def item(i: int) -> None:
        async with turns.turn():
            log.append(f"start {i}")
            # Stands for the socket work of this item's request: it must run before the next turn starts.
            asyncio.get_running_loop().call_soon(log.append, f"io {i}")
            log.append(f"end {i}")

    async def main() -> None:
        await asyncio.gather(*(item(i) for i in range(4)))

    asyncio.run(main())
    assert [e for e in log if e.startswith("start")] == [f"start {i}" for i in range(4)]
    for i in range(3):
        assert log.index(f"io {i}") < log.index(f"start {i + 1}")


def test_a_failing_or_cancelled_turn_does_not_stall_the_others():
    turns = PrepTurns()
    done: list[int] = []

    async def item(i: int) -> None:
        async with turns.turn():
            if i == 0:
                raise ValueError("boom")
            await asyncio.sleep(0)
            done.append(i)

    async def main() -> list:
        tasks = [asyncio.ensure_future(item(i)) for i in range(5)]
        await asyncio.sleep(0)
        tasks[2].cancel()  # cancelled while waiting for its turn
        return await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout=5)

    results = asyncio.run(main())
    assert isinstance(results[0], ValueError)
    assert isinstance(results[2], asyncio.CancelledError)
    assert done == [1, 3, 4]


@pytest.mark.parametrize("runs", [2])
def test_one_instance_serves_successive_event_loops(runs):
    turns = PrepTurns()
    seen: list[int] = []

    async def main(tag: int) -> None:
        async def item() -> None:
            async with turns.turn():
                seen.append(tag)

        await asyncio.wait_for(asyncio.gather(*(item() for _ in range(3))), timeout=5)

    for tag in range(runs):
        asyncio.run(main(tag))
    assert seen == [0, 0, 0, 1, 1, 1]
