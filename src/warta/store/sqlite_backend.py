"""The SQLite backend of :class:`warta.store.protocols.ArticleStore`: a thin adapter over ``Store``.

Behaviour is the SQLite ``Store``'s (same file layout, same FTS5 index, same upsert with revision
history); this module only gives it the protocol's shape, so the file can be used wherever a
PostgreSQL store can.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from warta.model import Article, Capture
from warta.store import search as fts
from warta.store.protocols import ArticleFilter, StoredCapture
from warta.store.sqlite import Store, StoredArticle, _article_row, _capture_from_row

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

    # -- captures ---------------------------------------------------------------------------
    def add_capture(self, key: str, capture: Capture) -> int:
        return self.store.add_capture(key, capture)

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
    ) -> fts.SearchPage:
        return fts.search(self.store.conn, q, filters, sort=sort, offset=offset, limit=limit)


def _filter_sql(where: ArticleFilter) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for clause, value in (("site = ?", where.site), ("published_day >= ?", where.since),
                          ("published_day <= ?", where.until), ("id > ?", where.after_id)):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    return clauses, params

