"""Host leases in PostgreSQL (``warta[postgres]``): :mod:`warta.store.hosts`' rules on a database
every machine of a distributed crawl reaches. Times are the server's ``clock_timestamp()``, never a
worker's clock, so workers whose clocks disagree still keep the gap.

Imported only for a ``postgresql://`` URL. The table is created on open (``IF NOT EXISTS``).
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from typing import Any

import psycopg

from warta.errors import StoreError
from warta.fetch.gate import Lease
from warta.store.hosts import holder_prefix, wait_for
from warta.store.postgres import redact

SCHEMA = """
CREATE TABLE IF NOT EXISTS crawl_hosts (
    host        text PRIMARY KEY,
    holder      text,
    lease_until timestamptz,
    next_at     timestamptz NOT NULL DEFAULT '-infinity',
    gap         double precision NOT NULL DEFAULT 0
)
"""

SECONDS = "make_interval(secs => %s)"


class PostgresHostGate:
    """Host leases in PostgreSQL: one autocommit connection, idle while a worker waits."""

    def __init__(self, url: str, holder: str | None = None) -> None:
        self.url = url
        self._lock = threading.Lock()
        self._prefix = holder or holder_prefix()
        try:
            self.conn: psycopg.Connection[Any] = psycopg.connect(url, autocommit=True, connect_timeout=30)
            self.conn.execute(SCHEMA)
        except psycopg.Error as exc:
            raise StoreError(f"cannot open host leases: {exc}", path=redact(url)) from exc

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
                self.conn.execute("INSERT INTO crawl_hosts(host) VALUES (%s) ON CONFLICT DO NOTHING", (host,))
                taken = self.conn.execute(
                    f"UPDATE crawl_hosts SET holder=%s, lease_until=clock_timestamp() + {SECONDS},"
                    f" next_at=clock_timestamp() + {SECONDS} + make_interval(secs => gap)"
                    " WHERE host=%s AND next_at <= clock_timestamp() RETURNING host",
                    (token, hold, hold, host),
                ).fetchall()
                if taken:
                    return Lease(host, token)
                row = self.conn.execute(
                    "SELECT EXTRACT(EPOCH FROM next_at - clock_timestamp())::float8, holder IS NOT NULL"
                    " FROM crawl_hosts WHERE host=%s",
                    (host,),
                ).fetchone()
        except psycopg.Error as exc:
            raise StoreError(f"host lease failed: {exc}", path=redact(self.url)) from exc
        return wait_for(row)

    def free(self, holder: str) -> int:
        """End every lease whose holder starts with ``holder`` (see ``SqliteHostGate.free``)."""
        try:
            with self._lock:
                cur = self.conn.execute(
                    "UPDATE crawl_hosts SET holder=NULL, lease_until=NULL,"
                    " next_at=clock_timestamp() + make_interval(secs => gap) WHERE starts_with(holder, %s)",
                    (holder,),
                )
                return cur.rowcount
        except psycopg.Error as exc:
            raise StoreError(f"host lease release failed: {exc}", path=redact(self.url)) from exc

    def _release(self, host: str, lease: Lease, gap: float) -> None:
        try:
            with self._lock:
                self.conn.execute(
                    f"UPDATE crawl_hosts SET holder=NULL, lease_until=NULL, next_at=clock_timestamp() + {SECONDS},"
                    " gap=%s WHERE host=%s AND holder=%s",
                    (gap, gap, host, lease.token),
                )
        except psycopg.Error as exc:
            raise StoreError(f"host lease release failed: {exc}", path=redact(self.url)) from exc


__all__ = ["PostgresHostGate"]
