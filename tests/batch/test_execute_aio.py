"""The asyncio front of the local executor: calls from an event loop keep every executor guarantee."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import execjobs
from killer import kill_when_written
from warta.execute.aio import AsyncExecutor
from warta.execute.local import LocalExecutor
from warta.model import Skip, SkipReason


def test_calls_from_the_loop_run_in_workers_and_a_stuck_one_alone_times_out() -> None:
    async def go() -> list[object]:
        pool = AsyncExecutor(LocalExecutor(2), timeout=1.5)
        try:
            await asyncio.to_thread(pool.start)
            slow = asyncio.ensure_future(pool.run(execjobs.sleepy, 60.0))
            quick = await asyncio.gather(*(pool.run(execjobs.square, i) for i in range(6)))
            return [await slow, *quick, await pool.run(execjobs.square, 7)]
        finally:
            pool.close()

    start = time.monotonic()
    slow, *rest = asyncio.run(go())
    assert isinstance(slow, Skip) and slow.reason is SkipReason.TIMEOUT
    assert rest == [0, 1, 4, 9, 16, 25, 49]  # the other worker served them meanwhile
    assert time.monotonic() - start < 30


def test_a_worker_killed_mid_call_is_replaced_and_the_call_retried(tmp_path: Path) -> None:
    marker = tmp_path / "pid"
    killer = kill_when_written(marker)

    async def go() -> object:
        pool = AsyncExecutor(LocalExecutor(1), timeout=60)
        try:
            return await pool.run(execjobs.stall_until_killed, str(marker))
        finally:
            pool.close()

    result = asyncio.run(go())
    killer.join(5)
    assert isinstance(result, str) and result.startswith("done by")


def test_close_stops_at_once_with_a_call_in_flight() -> None:
    async def go() -> None:
        pool = AsyncExecutor(LocalExecutor(1), timeout=None)
        await asyncio.to_thread(pool.start)
        task = asyncio.ensure_future(pool.run(execjobs.sleepy, 60.0))
        await asyncio.sleep(0.5)
        pids = pool.executor.pids()
        start = time.monotonic()
        pool.close()
        assert time.monotonic() - start < 10
        task.cancel()
        assert pids and not pool.executor.pids()

    asyncio.run(go())
