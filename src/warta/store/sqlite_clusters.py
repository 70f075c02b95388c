"""The SQLite backend of :class:`warta.store.protocols.ClusterStore`: the dedupe tables of one file.

The tables and most queries live in :mod:`warta.store.clusters` (the web page and search still call
them with a connection); this class gives them the protocol's shape and typed records. Behaviour
is what the dedupe stage did with its own SQL before the seam.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from warta.signatures import U64
from warta.store import clusters as db
from warta.store.protocols import ArticleContent, ClusterMember, DocRow, RevisionRecord
from warta.store.sqlite import Store

_CHUNK = 500  # ids per IN (...) list


class SqliteClusterStore:
    """A :class:`~warta.store.protocols.ClusterStore` over a SQLite ``Store`` (same connection)."""

    backend = "sqlite"

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def conn(self) -> sqlite3.Connection:
        return self.store.conn

    @contextmanager
    def transaction(self) -> Iterator[SqliteClusterStore]:
        with self.store.transaction():
            yield self

    def lock_clusters(self) -> None:
        """SQLite has one writer at a time: assignments are already serial."""

    # -- fingerprints -----------------------------------------------------------------------
    def get_doc(self, article_id: int) -> DocRow | None:
        return db.get_doc(self.conn, article_id)

    def get_docs(self, article_ids: Sequence[int]) -> list[DocRow]:
        return db.get_docs(self.conn, article_ids)

    def exact_matches(self, exact: int, exclude: int) -> list[int]:
        return db.exact_matches(self.conn, exact, exclude)

    def band_matches(self, keys: U64, exclude: int) -> list[int]:
        return db.band_matches(self.conn, keys, exclude)

    def match_candidates(self, exact: int, keys: U64, exclude: int) -> tuple[bool, list[DocRow]]:
        found = self.exact_matches(exact, exclude)
        if found:
            return True, self.get_docs(found)
        return False, self.get_docs(self.band_matches(keys, exclude))

    def put_doc(self, doc: DocRow, keys: U64) -> None:
        with self.store.transaction() as conn:
            db.put_doc(conn, doc, keys)

    def delete_doc(self, article_id: int) -> None:
        with self.store.transaction() as conn:
            db.delete_doc(conn, article_id)

    def iter_docs(self) -> Iterator[DocRow]:
        for row in self.conn.execute("SELECT * FROM dedupe_docs ORDER BY cluster_id, article_id"):
            yield db.doc_from_row(row)

    def iter_band_keys(self) -> Iterator[tuple[int, int]]:
        for key, article_id in self.conn.execute("SELECT band_key, article_id FROM dedupe_bands"):
            yield int(article_id), int(key) & 0xFFFFFFFFFFFFFFFF

    def add_band_keys(self, pairs: Iterable[tuple[int, int]]) -> None:
        with self.store.transaction() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO dedupe_bands(band_key, article_id) VALUES (?,?)",
                ((db.signed_one(key), article_id) for article_id, key in pairs),
            )

    # -- clusters ---------------------------------------------------------------------------
    def merge_clusters(self, into: int, others: Iterable[int]) -> None:
        with self.store.transaction() as conn:
            db.merge_clusters(conn, into, others)

    def cluster_members(self, cluster_id: int) -> list[ClusterMember]:
        return [member(r) for r in db.cluster_members(self.conn, cluster_id)]

    def set_original(self, cluster_id: int, article_id: int) -> None:
        with self.store.transaction() as conn:
            db.set_original(conn, cluster_id, article_id)

    def cluster_of(self, article_id: int) -> list[ClusterMember]:
        return [member(r) for r in db.cluster_of(self.conn, article_id)]

    def copies_of(self, article_ids: Sequence[int]) -> dict[int, list[ClusterMember]]:
        return {hit: [member(r) for r in rows] for hit, rows in db.copies_of(self.conn, article_ids).items()}

    def cluster_ids(self, article_ids: Sequence[int]) -> dict[int, int]:
        return db.cluster_ids(self.conn, article_ids)

    def cluster_flags(self, article_ids: Sequence[int]) -> dict[int, tuple[int, bool]]:
        out: dict[int, tuple[int, bool]] = {}
        for start in range(0, len(article_ids), _CHUNK):
            chunk = list(article_ids[start : start + _CHUNK])
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT article_id, cluster_id, is_original FROM dedupe_docs WHERE article_id IN ({marks})", chunk
            )
            out.update((int(r[0]), (int(r[1]), bool(r[2]))) for r in rows)
        return out

    def has_copies(self) -> bool:
        return db.has_copies(self.conn)

    def clusters_with(self, min_size: int, since: str | None = None) -> list[int]:
        sql = (
            "SELECT d.cluster_id FROM dedupe_docs d JOIN articles a ON a.id=d.article_id"
            " GROUP BY d.cluster_id HAVING COUNT(*)>=?"
        )
        params: list[object] = [min_size]
        if since:
            sql += " AND MAX(COALESCE(a.published, a.first_seen))>=?"
            params.append(since)
        return [int(r[0]) for r in self.conn.execute(sql + " ORDER BY d.cluster_id", params)]

    # -- revisions and revisits -------------------------------------------------------------
    def article_content(self, *, article_id: int | None = None, url_key: str | None = None) -> ArticleContent | None:
        column, value = ("id", article_id) if article_id is not None else ("url_key", url_key)
        row = self.conn.execute(
            "SELECT id, url_key, title, text, first_seen, updated_at,"
            f" EXISTS(SELECT 1 FROM revisions r WHERE r.url_key=a.url_key) FROM articles a WHERE {column}=?",
            (value,),
        ).fetchone()
        if row is None:
            return None
        return ArticleContent(int(row[0]), str(row[1]), row[2], str(row[3]), str(row[4]), str(row[5]), bool(row[6]))

    def find_url_key(self, url_or_key: str) -> str | None:
        row = self.conn.execute(
            "SELECT url_key FROM articles WHERE url_key=? OR url=? OR json_extract(data, '$.canonical_url')=?"
            " LIMIT 1",
            (url_or_key, url_or_key, url_or_key),
        ).fetchone()
        return str(row[0]) if row else None

    def has_revisions(self, url_key: str) -> bool:
        return self.conn.execute("SELECT 1 FROM revisions WHERE url_key=? LIMIT 1", (url_key,)).fetchone() is not None

    def latest_revision(self, url_key: str) -> RevisionRecord | None:
        row = self.conn.execute(
            "SELECT * FROM revisions WHERE url_key=? ORDER BY version DESC LIMIT 1", (url_key,)
        ).fetchone()
        return _revision(row) if row else None

    def revisions(self, url_key: str) -> list[RevisionRecord]:
        rows = self.conn.execute("SELECT * FROM revisions WHERE url_key=? ORDER BY version", (url_key,))
        return [_revision(r) for r in rows]

    def iter_revisions(self) -> Iterator[RevisionRecord]:
        for row in self.conn.execute("SELECT * FROM revisions ORDER BY url_key, version"):
            yield _revision(row)

    def add_revision(self, rev: RevisionRecord) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO revisions(url_key, version, fetched_at, text_hash, title, body, diff)"
                " VALUES (?,?,?,?,?,?,?)",
                (rev.url_key, rev.version, rev.fetched_at, rev.text_hash, rev.title, db.compress(rev.text), rev.diff),
            )

    def mark_revisited(self, url_key: str, when: str) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO revisits(url_key, last_visit) VALUES (?,?)"
                " ON CONFLICT(url_key) DO UPDATE SET last_visit=MAX(last_visit, excluded.last_visit)",
                (url_key, when),
            )

    def iter_revisits(self) -> Iterator[tuple[str, str]]:
        for key, when in self.conn.execute("SELECT url_key, last_visit FROM revisits ORDER BY url_key"):
            yield str(key), str(when)

    def due_for_revisit(self, schedule: Sequence[timedelta], now: datetime) -> list[str]:
        now_s = now.astimezone(UTC).isoformat(timespec="seconds")
        clauses: list[str] = []
        params: list[object] = []
        for off in schedule:
            days = off.total_seconds() / 86400
            clauses.append("(julianday(a.first_seen) + ? <= julianday(?) AND julianday(MAX(a.updated_at,"
                           " COALESCE(v.last_visit, a.updated_at))) < julianday(a.first_seen) + ?)")
            params += [days, now_s, days]
        if not clauses:
            return []
        sql = (
            "SELECT COALESCE(a.url, a.url_key) FROM articles a LEFT JOIN revisits v ON v.url_key=a.url_key"
            f" WHERE {' OR '.join(clauses)} ORDER BY a.first_seen, a.id"
        )
        return [str(r[0]) for r in self.conn.execute(sql, params)]


def member(r: sqlite3.Row) -> ClusterMember:
    """A joined dedupe/article row (``cluster_members``, ``cluster_of``, ``copies_of``) as a record."""
    return ClusterMember(
        article_id=int(r["article_id"]), verdict=str(r["verdict"]),
        of_id=None if r["of_id"] is None else int(r["of_id"]), score=float(r["score"]),
        is_original=bool(r["is_original"]), url=r["url"], site=r["site"],
        site_name=r["site_name"], title=r["title"], published=r["published"],
        first_seen=str(r["first_seen"]),
    )


def _revision(row: sqlite3.Row) -> RevisionRecord:
    return RevisionRecord(
        url_key=str(row["url_key"]), version=int(row["version"]), fetched_at=str(row["fetched_at"]),
        title=row["title"], text=db.decompress(row["body"]), diff=str(row["diff"]), text_hash=int(row["text_hash"]),
    )
