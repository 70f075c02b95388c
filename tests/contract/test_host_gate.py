"""The shared host gate (host leases in the database), on SQLite and on a real PostgreSQL: at most
one lease per host, the gap after each release, and a lease that expires when its holder died."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pg_support import pg_url

from warta.fetch.gate import Lease, acquire
from warta.store.hosts import open_host_gate

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "gate.db")
        return
    url = pg_url()
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS crawl_hosts")
    yield url


def test_workers_on_separate_connections_never_overlap_and_keep_the_gap(db: str) -> None:
    gap, hosts = 0.15, ("http://a.test", "http://b.test")
    spans: dict[str, list[tuple[float, float]]] = {h: [] for h in hosts}

    async def worker(gate: Any, host: str) -> None:
        for _ in range(3):
            lease = await acquire(gate, host, 10.0)
            start = time.monotonic()
            await asyncio.sleep(0.02)  # the request
            spans[host].append((start, time.monotonic()))
            await gate.release(host, lease, gap)

    async def run() -> None:
        gates = [open_host_gate(db) for _ in range(3)]  # three workers: three connections
        try:
            await asyncio.gather(*(worker(g, h) for g in gates for h in hosts))
        finally:
            for g in gates:
                g.close()

    asyncio.run(run())
    for host in hosts:
        ordered = sorted(spans[host])
        assert len(ordered) == 9
        for (_, end), (start, _) in zip(ordered, ordered[1:], strict=False):
            assert start >= end + gap - 0.005, (host, ordered)  # no overlap, and the whole gap


def test_a_dead_holders_lease_expires_and_its_late_release_frees_nothing(db: str) -> None:
    async def run() -> None:
        dead, alive = open_host_gate(db), open_host_gate(db)
        try:
            host = "http://c.test"
            first = await dead.try_acquire(host, 0.6)
            assert isinstance(first, Lease)
            t0 = time.monotonic()
            wait = await alive.try_acquire(host, 0.6)
            assert isinstance(wait, float) and wait <= 0.1  # held: look again soon
            second = await acquire(alive, host, 5.0)  # the holder never releases: the lease expires
            assert time.monotonic() - t0 >= 0.5
            await dead.release(host, first, 0.0)  # the old holder comes back late: not its lease now
            assert isinstance(await dead.try_acquire(host, 5.0), float)
            await alive.release(host, second, 0.2)
            again = await dead.try_acquire(host, 5.0)
            assert isinstance(again, float) and 0.05 < again <= 0.2 + 0.005  # the clock keeps milliseconds
        finally:
            dead.close()
            alive.close()

    asyncio.run(run())


def test_free_ends_a_dead_workers_leases_at_once_and_only_its_own(db: str) -> None:
    async def run() -> None:
        dead, other, driver = open_host_gate(db, "job1-run1-w1"), open_host_gate(db, "job1-run1-w12"), open_host_gate(db)
        try:
            assert isinstance(await dead.try_acquire("http://d.test", 600.0), Lease)
            assert isinstance(await other.try_acquire("http://e.test", 600.0), Lease)
            assert driver.free("job1-run1-w1:") == 1  # w1 died: not w12, whose name starts alike
            assert isinstance(await driver.try_acquire("http://d.test", 5.0), Lease)
            assert isinstance(await driver.try_acquire("http://e.test", 5.0), float)
        finally:
            for g in (dead, other, driver):
                g.close()

    asyncio.run(run())
