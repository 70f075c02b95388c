"""Shards (one input file each) and the shard table that lets a rerun skip finished shards.

The shard table is a small SQLite file next to the output (``DIR/_shards.sqlite`` with ``--out``,
else ``<db>.shards.sqlite``), not a table inside a SQLite store: it works the same for Parquet-only
output, and it leaves the store's schema to the store. A ``postgresql://`` store has no file
beside it, so there the table ``batch_shards`` inside the database is the shard table (any
machine that reaches the database sees which shards are finished). A shard is marked finished only after
its output is committed (store transaction, Parquet file renamed into place), so a crash in
between redoes the shard, which is harmless: articles are upserted by URL key and the shard's
Parquet file is written again whole.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from warta.errors import InputError, StoreError
from warta.store.backends import is_postgres_url
from warta.store.shards import ShardTable

T = TypeVar("T")
WARC_SUFFIXES = (".warc", ".warc.gz")
CORPUS_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".parquet")
LIST_SUFFIXES = (".paths", ".paths.gz")


@dataclass(frozen=True, slots=True)
class Shard:
    """One input file: ``id`` is how it was named (the line of a paths list, or the path given)."""

    id: str
    path: Path
    kind: str  # "warc" or "corpus"

    @property
    def stem(self) -> str:
        """A file-name-safe, unique name for the shard's output."""
        digest = hashlib.sha1(self.id.encode()).hexdigest()[:10]
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(self.id).name)[:80]
        return f"{name}-{digest}"


def kind_of(path: str) -> str | None:
    low = path.lower()
    if low.endswith(WARC_SUFFIXES):
        return "warc"
    if low.removesuffix(".gz").endswith(CORPUS_SUFFIXES):
        return "corpus"
    if low.endswith(LIST_SUFFIXES):
        return "list"
    return None


def _read_list(path: Path) -> list[str]:
    try:
        raw = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"cannot read the list of paths: {exc}", path=str(path)) from exc
    return [line.strip() for line in raw.decode("utf8", "replace").splitlines() if line.strip() and not line.startswith("#")]


def expand(inputs: list[str], prefix: Path | None = None) -> list[Shard]:
    """Shards for WARC files, corpus files, and lists of paths (CC-NEWS ``warc.paths.gz``: each
    line a path relative to ``prefix``, default the list's own directory)."""
    shards: list[Shard] = []
    for item in inputs:
        kind = kind_of(item)
        if kind == "list":
            base = prefix if prefix is not None else Path(item).parent
            for line in _read_list(Path(item)):
                sub = kind_of(line)
                if sub not in ("warc", "corpus"):
                    raise InputError(f"not a WARC or corpus file: {line}", path=item)
                shards.append(Shard(line, base / line, sub))
        elif kind in ("warc", "corpus"):
            path = Path(item) if prefix is None or Path(item).is_absolute() else prefix / item
            shards.append(Shard(item, path, kind))
        else:
            raise InputError("not a WARC file (.warc, .warc.gz), corpus (.jsonl, .csv, .tsv, .parquet) or list of paths (.paths, .paths.gz)", path=item)
    seen: set[str] = set()
    for shard in shards:
        if shard.id in seen:
            raise InputError("the same shard is named twice", path=shard.id)
        seen.add(shard.id)
    return shards


@dataclass(frozen=True, slots=True)
class Part:
    """Part ``index`` of ``count`` (1-based): the shards one of ``count`` drivers runs, every
    ``count``-th shard from the ``index``-th, so drivers started with 1/N ... N/N split the shards
    between them (the shard ids, and so the shard table, do not depend on the part)."""

    index: int = 1
    count: int = 1

    @classmethod
    def parse(cls, text: str) -> Part:
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if match is None or not 1 <= int(match[1]) <= int(match[2]):
            raise InputError(f"a part is I/N with 1 <= I <= N, not {text!r}")
        return cls(int(match[1]), int(match[2]))

    def select(self, items: Sequence[T]) -> list[T]:
        return list(items[self.index - 1 :: self.count])


WHOLE = Part()  # every shard: one driver


class ShardLog(Protocol):
    """Where finished shards are recorded: :class:`warta.store.shards.ShardTable` (a SQLite file) or, for a
    PostgreSQL store, :class:`warta.store.pg_shards.PgShardTable` (a table in that database)."""

    def done(self) -> set[str]: ...

    def finish(self, shard_id: str, counts: dict[str, Any]) -> None: ...

    def close(self) -> None: ...


def shard_table_path(out: Path | None, db: str | Path | None) -> Path | None:
    """The shard table's file: ``DIR/_shards.sqlite`` with an output directory, else
    ``DB.shards.sqlite`` beside a SQLite store; ``None`` for a PostgreSQL store (kept inside it)."""
    if out is not None:
        return out / "_shards.sqlite"
    if db is None or is_postgres_url(db):
        return None
    return Path(db).with_name(Path(db).name + ".shards.sqlite")


def shard_log(out: Path | None, db: str | Path | None) -> ShardLog:
    """The shard table of a batch run (see :func:`shard_table_path`); a PostgreSQL store's is its
    table ``batch_shards`` (:class:`warta.store.pg_shards.PgShardTable`)."""
    path = shard_table_path(out, db)
    if path is not None:
        return ShardTable(path)
    if db is None:
        raise StoreError("no shard table without an output directory or a store")
    from warta.store.pg_shards import PgShardTable

    return PgShardTable(str(db))
