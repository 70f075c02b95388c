"""Host leases in the database: the :class:`~warta.fetch.gate.HostGate` every worker of a
distributed crawl shares, so politeness holds across processes and machines.

Table ``crawl_hosts`` (created when a store is opened, or by the gate itself), one row per origin:

- ``holder``: the token of the worker whose request is in flight (NULL when none);
- ``lease_until``: when that lease expires (a worker killed mid-request frees its host then);
- ``next_at``: before this time no request to the host may start;
- ``gap``: the rest the host gets after a request, as its last request set it (``max(delay,
  Crawl-delay)`` or a Retry-After).

Taking a lease is one atomic ``UPDATE ... WHERE next_at <= now ... RETURNING``: it sets
``lease_until = now + hold`` and ``next_at = lease_until + gap``, so no one else gets the host
while the lease lives, and after an expiry the next request still waits the gap, counted from the
expiry. Releasing sets ``next_at = now + gap``. Times are the database's own clock (SQLite's
``julianday('now')`` here: the workers sharing a SQLite file share a machine), never compared with a
worker's. A worker that must wait sleeps the returned time holding no transaction.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import threading
import uuid
from pathlib import Path
from typing import Protocol

from warta.errors import StoreError
from warta.fetch.gate import HostGate, Lease

SCHEMA = """
CREATE TABLE IF NOT EXISTS crawl_hosts (
    host        TEXT PRIMARY KEY,       -- origin: scheme://host[:port]
    holder      TEXT,                   -- token of the lease holder (NULL: free)
    lease_until REAL,                   -- unix seconds: the lease expires
    next_at     REAL NOT NULL DEFAULT 0, -- unix seconds: no request starts before
    gap         REAL NOT NULL DEFAULT 0  -- seconds the host rests after a request
) WITHOUT ROWID;
"""

HELD_POLL = 0.1  # seconds between two looks at a host whose lease is held
NOW = "((julianday('now') - 2440587.5) * 86400.0)"  # unix seconds, milliseconds kept


def holder_prefix() -> str:
    """Who holds a lease, for a person reading the table: machine and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


class SqliteHostGate:
    """Host leases in a SQLite file (its own connection, autocommit: each statement is atomic).
    ``holder`` starts every lease token (the driver of a distributed crawl names its workers, so it
    can :meth:`free` a dead worker's leases at once instead of waiting for their expiry)."""

    def __init__(self, path: str | Path, holder: str | None = None) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()  # one statement at a time on this connection (calls come from threads)
        self._prefix = holder or holder_prefix()
        try:
            self.conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30, isolation_level=None)
            self.conn.execute("PRAGMA busy_timeout=30000")
            self.conn.execute("PRAGMA journal_mode=WAL")  # as the store's: readers never block a lease
            # a lease outlives no crash of the machine that matters: no fsync per lease (as the store's)
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open host leases: {exc}", path=str(self.path)) from exc

    def close(self) -> None:
        self.conn.close()

    async def try_acquire(self, host: str, hold_seconds: float) -> Lease | float:
        return await asyncio.to_thread(self._try, host, hold_seconds)

    async def release(self, host: str, lease: Lease, next_gap_seconds: float) -> None:
        await asyncio.to_thread(self._release, host, lease, next_gap_seconds)

    def _try(self, host: str, hold: float) -> Lease | float:
        token = f"{self._prefix}:{uuid.uuid4().hex[:12]}"
        try:
            with self._lock:
                for _ in range(2):  # a host seen for the first time gets its row, then the same UPDATE
                    taken = self.conn.execute(
                        f"UPDATE crawl_hosts SET holder=?, lease_until={NOW} + ?, next_at={NOW} + ? + gap"
                        f" WHERE host=? AND next_at <= {NOW} RETURNING host",
                        (token, hold, hold, host),
                    ).fetchall()
                    if taken:
                        return Lease(host, token)
                    if self.conn.execute("INSERT OR IGNORE INTO crawl_hosts(host) VALUES (?)", (host,)).rowcount == 0:
                        break
                # fetchall: the statement ends here (an unfinished read would keep its snapshot open)
                rows = self.conn.execute(
                    f"SELECT next_at - {NOW}, holder IS NOT NULL FROM crawl_hosts WHERE host=?", (host,)
                ).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"host lease failed: {exc}", path=str(self.path)) from exc
        return wait_for(rows[0] if rows else None)

    def free(self, holder: str) -> int:
        """End every lease whose holder starts with ``holder`` (a worker known dead: its request
        died with it); each freed host still rests its gap from now. Returns their number."""
        try:
            with self._lock:
                cur = self.conn.execute(
                    f"UPDATE crawl_hosts SET holder=NULL, lease_until=NULL, next_at={NOW} + gap"
                    " WHERE substr(holder, 1, ?)=?",
                    (len(holder), holder),
                )
                return cur.rowcount
        except sqlite3.Error as exc:
            raise StoreError(f"host lease release failed: {exc}", path=str(self.path)) from exc

    def _release(self, host: str, lease: Lease, gap: float) -> None:
        try:
            with self._lock:
                # only our own lease: one that expired and was taken again belongs to its new holder
                self.conn.execute(
                    f"UPDATE crawl_hosts SET holder=NULL, lease_until=NULL, next_at={NOW} + ?, gap=?"
                    " WHERE host=? AND holder=?",
                    (gap, gap, host, lease.token),
                )
        except sqlite3.Error as exc:
            raise StoreError(f"host lease release failed: {exc}", path=str(self.path)) from exc


def wait_for(row: tuple[float | None, bool] | None) -> float:
    """How long to sleep before trying again: until ``next_at``, but a host whose lease is held
    is looked at again soon (its holder releases it at the request's end, mostly long before the
    lease's expiry)."""
    if row is None or row[0] is None:
        return 0.001
    wait = max(float(row[0]), 0.001)
    return min(wait, HELD_POLL) if row[1] else wait


class SharedGate(HostGate, Protocol):
    """A host gate in a database: it can be closed, and free a dead holder's leases."""

    def close(self) -> None: ...

    def free(self, holder: str) -> int: ...


def open_host_gate(db: str | Path, holder: str | None = None) -> SharedGate:
    """The shared host gate of the database ``db`` (a SQLite path; a ``postgresql://`` URL gives
    the PostgreSQL one); ``holder`` starts its lease tokens."""
    if str(db).startswith(("postgresql://", "postgres://")):
        from warta.store.pg_hosts import PostgresHostGate

        return PostgresHostGate(str(db), holder)
    return SqliteHostGate(db, holder)


__all__ = ["SCHEMA", "SharedGate", "SqliteHostGate", "open_host_gate"]
