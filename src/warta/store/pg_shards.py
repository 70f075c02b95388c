"""The shard table of batch jobs over a PostgreSQL store, kept in that database (``batch_shards``).

A re-extraction of a ``postgresql://`` store records its finished shards beside the articles, so a
rerun from any machine that reaches the database skips them (the SQLite counterpart is
:class:`warta.store.shards.ShardTable`, a file next to a SQLite store). Imported only for such a
store.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from warta.errors import StoreError
from warta.store.postgres import redact
from warta.store.sqlite import utcnow

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS batch_shards"
    " (id text PRIMARY KEY, finished_at text NOT NULL, counts jsonb NOT NULL)"
)


class PgShardTable:
    """Finished shards in the table ``batch_shards`` of the database at ``url``."""

    def __init__(self, url: str) -> None:
        self.location = redact(url)
        try:
            self.conn = psycopg.connect(url, autocommit=True)
            self.conn.execute(_SCHEMA.encode())
        except psycopg.Error as exc:
            raise StoreError(f"cannot open the shard table: {exc}", path=self.location) from exc

    def done(self) -> set[str]:
        try:
            return {str(r[0]) for r in self.conn.execute(b"SELECT id FROM batch_shards").fetchall()}
        except psycopg.Error as exc:
            raise StoreError(f"cannot read the shard table: {exc}", path=self.location) from exc

    def finish(self, shard_id: str, counts: dict[str, Any]) -> None:
        try:
            self.conn.execute(
                b"INSERT INTO batch_shards(id, finished_at, counts) VALUES (%s, %s, %s)"
                b" ON CONFLICT (id) DO UPDATE SET finished_at = EXCLUDED.finished_at, counts = EXCLUDED.counts",
                (shard_id, utcnow(), Jsonb(counts)),
            )
        except psycopg.Error as exc:
            raise StoreError(f"cannot record a finished shard: {exc}", path=self.location) from exc

    def close(self) -> None:
        self.conn.close()
