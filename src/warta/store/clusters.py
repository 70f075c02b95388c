"""Dedupe signatures, LSH band table, clusters, verdicts and revisions (owned by the dedupe stage).

- ``dedupe_docs``: one row per stored article: exact hash, MinHash signature, sentence and
  number hashes (uint32 blobs), verdict, cluster id (the article id that started the cluster)
  and whether the article is the cluster's original (earliest published).
- ``dedupe_bands``: LSH band keys (64-bit, band number in the top byte), a WITHOUT ROWID table
  keyed by (band_key, article_id), so matching keeps working across runs and days.
- ``revisions``: versions of an article's content under one URL key, zlib-compressed, with a
  unified diff against the previous version.
- ``revisits``: when a stored URL was last re-fetched (also when it came back unchanged).
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from warta.signatures import U64, Fingerprint

SCHEMA = """
CREATE TABLE IF NOT EXISTS dedupe_docs (
    article_id   INTEGER PRIMARY KEY,
    exact_hash   INTEGER NOT NULL,
    ntokens      INTEGER NOT NULL,
    sig          BLOB NOT NULL,
    sents        BLOB NOT NULL,
    nums         BLOB NOT NULL,
    verdict      TEXT NOT NULL,
    of_id        INTEGER,
    score        REAL NOT NULL,
    cluster_id   INTEGER NOT NULL,
    is_original  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS dedupe_docs_exact ON dedupe_docs(exact_hash);
CREATE INDEX IF NOT EXISTS dedupe_docs_cluster ON dedupe_docs(cluster_id);
CREATE TABLE IF NOT EXISTS dedupe_bands (
    band_key    INTEGER NOT NULL,
    article_id  INTEGER NOT NULL,
    PRIMARY KEY (band_key, article_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS revisions (
    id          INTEGER PRIMARY KEY,
    url_key     TEXT NOT NULL,
    version     INTEGER NOT NULL,
    fetched_at  TEXT NOT NULL,
    text_hash   INTEGER NOT NULL,
    title       TEXT,
    body        BLOB NOT NULL,
    diff        TEXT NOT NULL DEFAULT '',
    UNIQUE (url_key, version)
);
CREATE TABLE IF NOT EXISTS revisits (
    url_key     TEXT PRIMARY KEY,
    last_visit  TEXT NOT NULL
);
"""


COPY_COLUMNS = (
    "d.article_id, d.verdict, d.of_id, d.score, d.is_original, a.url, a.site, a.site_name, a.title, a.published,"
    " a.first_seen"
)


@dataclass(frozen=True, slots=True)
class DocRow:
    article_id: int
    fp: Fingerprint
    verdict: str
    of_id: int | None
    score: float
    cluster_id: int
    is_original: bool


def signed(keys: U64) -> list[int]:
    """uint64 keys as SQLite's signed 64-bit integers."""
    return [int(k) for k in keys.astype(np.uint64).view(np.int64)]


def signed_one(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def cluster_view(article_ids: Iterable[int], flags: dict[int, tuple[int, bool]]) -> dict[int, tuple[str, bool]]:
    """``{article_id: (cluster_id, is_original)}`` for the reading view and exports, from the
    ``flags`` of the articles that have a verdict; an unassigned article is its own cluster."""
    out = {a: (str(a), True) for a in article_ids}
    for article_id, (cluster_id, is_original) in flags.items():
        out[article_id] = (str(cluster_id), is_original)
    return out


def _fp_from_row(row: sqlite3.Row) -> Fingerprint:
    return Fingerprint(
        exact=int(row["exact_hash"]) & 0xFFFFFFFFFFFFFFFF,
        sig=np.frombuffer(row["sig"], dtype=np.uint32),
        sents=np.frombuffer(row["sents"], dtype=np.uint32),
        nums=np.frombuffer(row["nums"], dtype=np.uint32),
        ntokens=int(row["ntokens"]),
    )


def doc_from_row(row: sqlite3.Row) -> DocRow:
    return DocRow(
        article_id=int(row["article_id"]),
        fp=_fp_from_row(row),
        verdict=str(row["verdict"]),
        of_id=None if row["of_id"] is None else int(row["of_id"]),
        score=float(row["score"]),
        cluster_id=int(row["cluster_id"]),
        is_original=bool(row["is_original"]),
    )


def get_doc(conn: sqlite3.Connection, article_id: int) -> DocRow | None:
    row = conn.execute("SELECT * FROM dedupe_docs WHERE article_id=?", (article_id,)).fetchone()
    return doc_from_row(row) if row else None


def get_docs(conn: sqlite3.Connection, article_ids: Sequence[int]) -> list[DocRow]:
    out: list[DocRow] = []
    for start in range(0, len(article_ids), 500):
        chunk = list(article_ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(f"SELECT * FROM dedupe_docs WHERE article_id IN ({marks})", chunk)
        out.extend(doc_from_row(r) for r in rows)
    return sorted(out, key=lambda d: d.article_id)


def exact_matches(conn: sqlite3.Connection, exact: int, exclude: int) -> list[int]:
    """The earliest stored exact copy, if any: exact copies always share one cluster (clusters only
    merge), so one is enough, however many copies a wire story has."""
    rows = conn.execute(
        "SELECT article_id FROM dedupe_docs WHERE exact_hash=? AND article_id<>? AND ntokens>0"
        " ORDER BY article_id LIMIT 1",
        (signed_one(exact), exclude),
    )
    return [int(r[0]) for r in rows]


def band_matches(conn: sqlite3.Connection, keys: U64, exclude: int) -> list[int]:
    vals = signed(keys)
    marks = ",".join("?" * len(vals))
    rows = conn.execute(
        f"SELECT DISTINCT article_id FROM dedupe_bands WHERE band_key IN ({marks}) AND article_id<>?"
        " ORDER BY article_id",
        (*vals, exclude),
    )
    return [int(r[0]) for r in rows]


def delete_doc(conn: sqlite3.Connection, article_id: int) -> None:
    conn.execute("DELETE FROM dedupe_bands WHERE article_id=?", (article_id,))
    conn.execute("DELETE FROM dedupe_docs WHERE article_id=?", (article_id,))


def put_doc(conn: sqlite3.Connection, doc: DocRow, keys: U64) -> None:
    fp = doc.fp
    conn.execute(
        "INSERT OR REPLACE INTO dedupe_docs(article_id, exact_hash, ntokens, sig, sents, nums, verdict,"
        " of_id, score, cluster_id, is_original) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            doc.article_id, signed_one(fp.exact), fp.ntokens, fp.sig.tobytes(), fp.sents.tobytes(),
            fp.nums.tobytes(), doc.verdict, doc.of_id, doc.score, doc.cluster_id, int(doc.is_original),
        ),
    )
    conn.executemany(
        "INSERT OR IGNORE INTO dedupe_bands(band_key, article_id) VALUES (?,?)",
        [(k, doc.article_id) for k in signed(keys)],
    )


def merge_clusters(conn: sqlite3.Connection, into: int, others: Iterable[int]) -> None:
    for other in others:
        if other != into:
            conn.execute("UPDATE dedupe_docs SET cluster_id=? WHERE cluster_id=?", (into, other))


def cluster_members(conn: sqlite3.Connection, cluster_id: int) -> list[sqlite3.Row]:
    return list(
        conn.execute(
            f"SELECT {COPY_COLUMNS} FROM dedupe_docs d JOIN articles a ON a.id=d.article_id"
            " WHERE d.cluster_id=? ORDER BY d.article_id",
            (cluster_id,),
        )
    )


def set_original(conn: sqlite3.Connection, cluster_id: int, article_id: int) -> None:
    # only the rows whose flag changes are written (at most two), not the whole cluster
    conn.execute(
        "UPDATE dedupe_docs SET is_original=(article_id=?) WHERE cluster_id=? AND is_original<>(article_id=?)",
        (article_id, cluster_id, article_id),
    )


def compress(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 6)


def decompress(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8")


# -- read queries for the web UI (read-only connections) ------------------------------------------



def cluster_of(conn: sqlite3.Connection, article_id: int) -> list[sqlite3.Row]:
    """Every member of ``article_id``'s cluster (itself included), the original first, then by date.

    Empty when the article has no dedupe row (never deduplicated).
    """
    return list(
        conn.execute(
            f"SELECT {COPY_COLUMNS} FROM dedupe_docs d0 JOIN dedupe_docs d ON d.cluster_id=d0.cluster_id"
            " JOIN articles a ON a.id=d.article_id WHERE d0.article_id=?"
            " ORDER BY d.is_original DESC, a.published IS NULL, a.published, d.article_id",
            (article_id,),
        )
    )


def copies_of(conn: sqlite3.Connection, article_ids: Sequence[int]) -> dict[int, list[sqlite3.Row]]:
    """For each of ``article_ids`` in a cluster of two or more, all members of that cluster
    (original first, then by date); articles alone in their cluster are left out."""
    out: dict[int, list[sqlite3.Row]] = {}
    for start in range(0, len(article_ids), 500):
        chunk = list(article_ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT d0.article_id AS hit, {COPY_COLUMNS} FROM dedupe_docs d0"
            " JOIN dedupe_docs d ON d.cluster_id=d0.cluster_id JOIN articles a ON a.id=d.article_id"
            f" WHERE d0.article_id IN ({marks})"
            " ORDER BY d0.article_id, d.is_original DESC, a.published IS NULL, a.published, d.article_id",
            chunk,
        )
        for row in rows:
            out.setdefault(int(row["hit"]), []).append(row)
    return {hit: members for hit, members in out.items() if len(members) > 1}


def cluster_ids(conn: sqlite3.Connection, article_ids: Sequence[int]) -> dict[int, int]:
    """Cluster id of each of ``article_ids`` that has a dedupe row."""
    out: dict[int, int] = {}
    for start in range(0, len(article_ids), 500):
        chunk = list(article_ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(f"SELECT article_id, cluster_id FROM dedupe_docs WHERE article_id IN ({marks})", chunk)
        out.update((int(r[0]), int(r[1])) for r in rows)
    return out


def has_copies(conn: sqlite3.Connection) -> bool:
    """True when some cluster has two or more members (reads only the cluster index)."""
    row = conn.execute(
        "SELECT 1 FROM dedupe_docs INDEXED BY dedupe_docs_cluster GROUP BY cluster_id HAVING count(*) > 1 LIMIT 1"
    ).fetchone()
    return row is not None


def revision_rows(conn: sqlite3.Connection, url_key: str) -> list[sqlite3.Row]:
    """The versions kept for ``url_key``, oldest first (empty when the content never changed)."""
    return list(
        conn.execute(
            "SELECT version, fetched_at, title, diff FROM revisions WHERE url_key=? ORDER BY version", (url_key,)
        )
    )
