"""The shard table of batch jobs as a small SQLite file (``DIR/_shards.sqlite`` or ``DB.shards.sqlite``).

Which file, and why a file and not a table in the store: :mod:`warta.batch.shards`. Its
PostgreSQL counterpart is :class:`warta.store.pg_shards.PgShardTable`.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warta.errors import StoreError

__all__ = ["ShardTable"]


class ShardTable:
    """Finished shards, in a SQLite file (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.conn = sqlite3.connect(path)
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS shards (id TEXT PRIMARY KEY, finished_at TEXT NOT NULL, counts TEXT NOT NULL)"
            )
            self.conn.commit()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the shard table: {exc}", path=str(path)) from exc

    def done(self) -> set[str]:
        return {str(r[0]) for r in self.conn.execute("SELECT id FROM shards")}

    def finish(self, shard_id: str, counts: dict[str, Any]) -> None:
        with self.conn:
            self.conn.execute(
                "INSERT OR REPLACE INTO shards(id, finished_at, counts) VALUES (?,?,?)",
                (shard_id, datetime.now(UTC).isoformat(timespec="seconds"), json.dumps(counts, sort_keys=True)),
            )

    def close(self) -> None:
        self.conn.close()
