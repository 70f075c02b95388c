"""The SQLite backend of :class:`warta.store.protocols.ArticleStore`: a thin adapter over ``Store``.

Behaviour is the SQLite ``Store``'s (same file layout, same FTS5 index, same upsert with revision
history); this module only gives it the protocol's shape, so the file can be used wherever a
PostgreSQL store can.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warta.errors import StoreError
from warta.model import Article, Capture
from warta.store import clusters
from warta.store import search as fts
from warta.store.protocols import ArticleFilter, RevisionSummary, StoredCapture
from warta.store.sqlite import (
    Store,
    StoredArticle,
    _article_row,
    _capture_from_row,
    _stored_from_row,
    connect_readonly,
)
from warta.store.sqlite_clusters import SqliteClusterStore

if TYPE_CHECKING:
    from warta.store.frontier import Frontier

CACHE_KIB = 65536  # page cache per query-only connection: keeps the FTS doclists and docsizes hot
MMAP_BYTES = 1 << 28
_BATCH = 200


def open_query_only(path: str | Path) -> sqlite3.Connection:
    """A connection that cannot write (``PRAGMA query_only``), usable from one thread at a time.

    A normal connection when SQLite can write beside the file (so it reads a WAL database a crawl
    is writing), else a ``mode=ro`` / ``immutable`` one (a read-only folder or mount).
    """
    try:
        conn = sqlite3.connect(path, check_same_thread=False, timeout=10)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error:  # a store SQLite cannot write beside (read-only folder or mount)
            conn.close()
            conn = connect_readonly(Path(path))
        conn.row_factory = sqlite3.Row
        for pragma in ("query_only=ON", "busy_timeout=10000", f"cache_size=-{CACHE_KIB}", f"mmap_size={MMAP_BYTES}"):
            conn.execute(f"PRAGMA {pragma}")
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open store: {exc}", path=str(path)) from exc
    return conn

_CAPTURE_PAGE = 100  # captures per keyset page of iter_article_captures
# the newest capture of each url key that has an article (captures_key indexes both subqueries)
_ARTICLE_CAPTURES = (
    "SELECT c.* FROM captures c WHERE c.id > ? AND c.id <= ?"
    " AND EXISTS (SELECT 1 FROM articles a WHERE a.url_key = c.url_key)"
    " AND NOT EXISTS (SELECT 1 FROM captures n WHERE n.url_key = c.url_key AND n.id > c.id)"
    f" ORDER BY c.id LIMIT {_CAPTURE_PAGE}"
)


class SqliteArticleStore:
    """An :class:`~warta.store.protocols.ArticleStore` over one SQLite file."""

    backend = "sqlite"

    def __init__(self, path: str | Path = "warta.db", *, store: Store | None = None) -> None:
        self.store = store if store is not None else Store(path)

    @classmethod
    def query_only(cls, path: str | Path) -> SqliteArticleStore:
        """The store at ``path`` on one connection that cannot write (see :func:`open_query_only`)."""
        return cls(path, store=Store.wrap(path, open_query_only(path)))

    @property
    def location(self) -> str:
        return str(self.store.path)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> SqliteArticleStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[SqliteArticleStore]:
        with self.store.transaction():
            yield self

    @contextmanager
    def savepoint(self) -> Iterator[SqliteArticleStore]:
        with self.store.savepoint():
            yield self

    # -- captures ---------------------------------------------------------------------------
    def add_capture(self, key: str, capture: Capture, compressed: bytes | None = None) -> int:
        return self.store.add_capture(key, capture, compressed)

    def get_capture(self, capture_id: int) -> Capture | None:
        return self.store.get_capture(capture_id)

    def iter_captures(self) -> Iterator[StoredCapture]:
        for row in self.store.conn.execute("SELECT * FROM captures ORDER BY id"):
            yield StoredCapture(int(row["id"]), str(row["url_key"]), _capture_from_row(row))

    def count_captures(self) -> int:
        return int(self.store.conn.execute("SELECT COUNT(*) FROM captures").fetchone()[0])

    def latest_capture(self, key: str) -> Capture | None:
        return self.store.latest_capture(key)

    def last_capture_id(self) -> int:
        return int(self.store.conn.execute("SELECT COALESCE(MAX(id), 0) FROM captures").fetchone()[0])

    def iter_article_captures(self, first: int, last: int) -> Iterator[StoredCapture]:
        after = first - 1
        while True:  # keyset pages: no statement left open while the caller writes
            rows = self.store.conn.execute(_ARTICLE_CAPTURES, (after, last)).fetchall()
            for row in rows:
                yield StoredCapture(int(row["id"]), str(row["url_key"]), _capture_from_row(row))
            if len(rows) < _CAPTURE_PAGE:
                return
            after = int(rows[-1]["id"])

    # -- articles ---------------------------------------------------------------------------
    def upsert_article(self, key: str, article: Article, capture_id: int | None = None) -> tuple[int, bool]:
        return self.store.upsert_article(key, article, capture_id)

    def import_article(self, record: StoredArticle, capture_id: int | None) -> int:
        row = _article_row(record.article)
        with self.store.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO articles(url_key, url, site, site_name, language, title, published,"
                " published_day, section, authors, paywalled, access, text, data, capture_id, first_seen,"
                " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(url_key) DO UPDATE SET url=excluded.url, site=excluded.site,"
                " site_name=excluded.site_name, language=excluded.language, title=excluded.title,"
                " published=excluded.published, published_day=excluded.published_day, section=excluded.section,"
                " authors=excluded.authors, paywalled=excluded.paywalled, access=excluded.access,"
                " text=excluded.text, data=excluded.data, capture_id=excluded.capture_id,"
                " first_seen=excluded.first_seen, updated_at=excluded.updated_at",
                (record.url_key, *row, capture_id, record.first_seen, record.updated_at),
            )
            found = conn.execute("SELECT id FROM articles WHERE url_key=?", (record.url_key,)).fetchone()
            return int(found[0]) if found else int(cur.lastrowid or 0)

    def get_article(self, article_id: int) -> StoredArticle | None:
        return self.store.get_article(article_id)

    def get_article_by_key(self, key: str) -> StoredArticle | None:
        return self.store.get_article_by_key(key)

    def has_article(self, key: str) -> bool:
        return self.store.has_article(key)

    def iter_articles(self, where: ArticleFilter | None = None) -> Iterator[StoredArticle]:
        clauses, params = _filter_sql(where or ArticleFilter())
        return self.store.iter_articles(" AND ".join(clauses), tuple(params))

    def count_articles(self) -> int:
        return self.store.count_articles()

    def delete_article(self, key: str) -> bool:
        with self.store.transaction() as conn:
            row = conn.execute("SELECT id FROM articles WHERE url_key=?", (key,)).fetchone()
            if row is None:
                return False
            # its dedupe signature goes too (else a later article could be called a copy of nothing)
            for table in ("dedupe_bands", "dedupe_docs"):
                conn.execute(f"DELETE FROM {table} WHERE article_id=?", (int(row[0]),))
            conn.execute("DELETE FROM articles WHERE id=?", (int(row[0]),))
            return True

    def site_counts(self) -> list[dict[str, Any]]:
        return fts.site_counts(self.store.conn)

    # -- search -----------------------------------------------------------------------------
    def search(
        self,
        q: str = "",
        filters: fts.SearchFilters | None = None,
        *,
        sort: fts.Sort = "relevance",
        offset: int = 0,
        limit: int = 20,
        collapse: bool = False,
    ) -> fts.SearchPage:
        return fts.search(self.store.conn, q, filters, sort=sort, offset=offset, limit=limit, collapse=collapse)

    def facets(self, q: str = "", filters: fts.SearchFilters | None = None, *, limit: int = 12,
               sample: int = fts.FACET_SAMPLE) -> fts.Facets:
        return fts.facets(self.store.conn, q, filters or fts.SearchFilters(), limit=limit, sample=sample)

    def day_counts(self, q: str = "", filters: fts.SearchFilters | None = None) -> list[tuple[str, int]]:
        return fts.day_counts(self.store.conn, q, filters)

    def iter_matching(self, q: str = "", filters: fts.SearchFilters | None = None, *,
                      sort: fts.Sort = "date") -> Iterator[StoredArticle]:
        batch: list[int] = []
        for article_id in fts.iter_matching_ids(self.store.conn, q, filters, sort=sort):
            batch.append(article_id)
            if len(batch) >= _BATCH:
                yield from self._by_ids(batch)
                batch = []
        yield from self._by_ids(batch)

    def _by_ids(self, ids: list[int]) -> Iterator[StoredArticle]:
        """The articles of ``ids`` in that order (an id deleted meanwhile is left out)."""
        if not ids:
            return
        marks = ",".join("?" * len(ids))
        rows = {int(r["id"]): r for r in self.store.conn.execute(f"SELECT * FROM articles WHERE id IN ({marks})", ids)}
        for article_id in ids:
            if article_id in rows:
                yield _stored_from_row(rows[article_id])

    def recent_articles(self, sites: Sequence[str], limit: int) -> list[StoredArticle]:
        if not sites or limit <= 0:
            return []
        marks = ",".join("?" * len(sites))
        sql = f"SELECT * FROM articles WHERE site IN ({marks}) ORDER BY id DESC LIMIT ?"
        return [_stored_from_row(r) for r in self.store.conn.execute(sql, (*sites, limit))]

    def get_article_by_url(self, url: str) -> StoredArticle | None:
        return self.store.get_article_by_url(url)

    def cluster_of(self, article_id: int) -> list[fts.Copy]:
        return [fts.Copy(int(r["article_id"]), r["url"], r["site"], r["site_name"], r["title"], r["published"],
                         str(r["verdict"]), bool(r["is_original"]))
                for r in clusters.cluster_of(self.store.conn, article_id)]

    def cluster_info(self, article_ids: Sequence[int]) -> dict[int, tuple[str, bool]]:
        return clusters.cluster_view(article_ids, SqliteClusterStore(self.store).cluster_flags(article_ids))

    def revisions_of(self, url_key: str) -> list[RevisionSummary]:
        return [RevisionSummary(int(r["version"]), str(r["fetched_at"]), r["title"], str(r["diff"] or ""))
                for r in clusters.revision_rows(self.store.conn, url_key)]

    def rebuild_index(self) -> int:
        return fts.rebuild_index(self.store.conn)

    def frontier(self) -> Frontier | None:
        from warta.store.frontier import Frontier  # imported here: frontier imports the store

        return Frontier(self.store)


def _filter_sql(where: ArticleFilter) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for clause, value in (("site = ?", where.site), ("published_day >= ?", where.since),
                          ("published_day <= ?", where.until), ("id > ?", where.after_id)):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    return clauses, params

