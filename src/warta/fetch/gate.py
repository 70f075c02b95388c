"""The host gate: who may send the next request to a host, and when.

Every request of a :class:`~warta.fetch.client.Fetcher` to a host (robots.txt included) is sent
while holding a :class:`Lease` on the host's origin; releasing it says how long the host must
rest before the next request (``max(delay, Crawl-delay)``, or a longer Retry-After). Two gates
implement :class:`HostGate`:

- :class:`MemoryGate` (the default): one process's view, kept in memory;
- :class:`warta.store.hosts.SqliteHostGate` (and the PostgreSQL one): the same rules kept in the
  database, so every worker of a distributed crawl, on any machine, shares them. A lease there
  expires (``hold_seconds`` after it was taken), so a killed worker's host is taken again; the
  host's next request then waits the gap counted from the expiry.

A gate never makes a caller wait while holding anything: :meth:`HostGate.try_acquire` answers at
once with a lease or the seconds to wait, and :func:`acquire` sleeps and asks again.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Protocol

# The longest single wait between two tries: a lease freed early (its holder released it) is seen soon.
MAX_POLL = 1.0


@dataclass(frozen=True, slots=True)
class Lease:
    """The right to send one request to ``host`` (``token`` names the holder in a shared gate)."""

    host: str
    token: str = ""


class HostGate(Protocol):
    """At most one request in flight per host, and a gap between two requests to it."""

    async def try_acquire(self, host: str, hold_seconds: float) -> Lease | float:
        """A lease on ``host`` when no live lease is held and its rest is over, else the seconds to
        wait before trying again. A lease not released within ``hold_seconds`` expires."""
        ...

    async def release(self, host: str, lease: Lease, next_gap_seconds: float) -> None:
        """The request under ``lease`` ended now: the host's next request may start
        ``next_gap_seconds`` from now."""
        ...


async def acquire(gate: HostGate, host: str, hold_seconds: float) -> Lease:
    """Wait for a lease on ``host`` (sleeping between tries, holding nothing)."""
    while True:
        got = await gate.try_acquire(host, hold_seconds)
        if isinstance(got, Lease):
            return got
        await asyncio.sleep(min(max(got, 0.001), MAX_POLL))


class MemoryGate:
    """The gate of one process (the default): per host, whether a request is in flight and when
    the next may start, on this process's monotonic clock."""

    def __init__(self) -> None:
        self._next: dict[str, float] = {}
        self._held: set[str] = set()

    async def try_acquire(self, host: str, hold_seconds: float) -> Lease | float:
        if host in self._held:
            return 0.01
        wait = self._next.get(host, 0.0) - time.monotonic()
        if wait > 0:
            return wait
        self._held.add(host)
        return Lease(host)

    async def release(self, host: str, lease: Lease, next_gap_seconds: float) -> None:
        self._held.discard(host)
        self._next[host] = max(self._next.get(host, 0.0), time.monotonic() + next_gap_seconds)


__all__ = ["HostGate", "Lease", "MemoryGate", "acquire"]
