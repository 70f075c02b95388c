"""The FTS5 full-text index over articles, and the queries the API and web UI run on it.

The index ``articles_fts`` is an *external-content* FTS5 table over the view ``articles_fts_src``
(title, lead, text, authors of each article), kept in sync by triggers on ``articles``, so the text
is stored once. Tokeniser: ``unicode61 remove_diacritics 2`` (Indonesian and English are both
space-separated Latin script; no stemmer, since Porter would damage Indonesian words) with prefix
indexes for 2 and 3 characters so ``pemi*`` stays fast.

A database filled before this schema existed has an empty index: :func:`rebuild_index` (``POST
/api/reindex`` or ``warta reindex``) fills it.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from warta.store.fts_query import QueryError, to_fts5

SCHEMA = """
CREATE VIEW IF NOT EXISTS articles_fts_src AS
    SELECT id, title, json_extract(data, '$.lead') AS lead, text, authors FROM articles;
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, lead, text, authors,
    content='articles_fts_src', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
CREATE TRIGGER IF NOT EXISTS articles_fts_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, lead, text, authors)
    VALUES (new.id, new.title, json_extract(new.data, '$.lead'), new.text, new.authors);
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, lead, text, authors)
    VALUES ('delete', old.id, old.title, json_extract(old.data, '$.lead'), old.text, old.authors);
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_au AFTER UPDATE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, lead, text, authors)
    VALUES ('delete', old.id, old.title, json_extract(old.data, '$.lead'), old.text, old.authors);
    INSERT INTO articles_fts(rowid, title, lead, text, authors)
    VALUES (new.id, new.title, json_extract(new.data, '$.lead'), new.text, new.authors);
END;
"""

# bm25 weights per indexed column: title, lead, text, authors
BM25 = "bm25(articles_fts, 8.0, 3.0, 1.0, 2.0)"
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_END = "\ue001"
DEFAULT_CAP = 10_000
Sort = Literal["relevance", "date"]
FACET_FIELDS = ("site", "language", "section", "author")

__all__ = [
    "SCHEMA",
    "QueryError",
    "SearchFilters",
    "SearchHit",
    "SearchPage",
    "search",
    "facet_counts",
    "day_counts",
    "site_counts",
    "iter_matching_ids",
    "rebuild_index",
    "index_size_bytes",
]


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Filters combined with AND; ``None`` means "any"."""

    site: str | None = None
    since: str | None = None  # YYYY-MM-DD, inclusive, on the publisher's local day
    until: str | None = None
    author: str | None = None  # one exact author name (case-insensitive)
    language: str | None = None
    section: str | None = None
    paywalled: bool | None = None

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                try:
                    date.fromisoformat(value)
                except ValueError as exc:
                    raise QueryError(f"{name} must be a date like 2024-01-31, not {value!r}") from exc


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: int
    url: str | None
    title: str | None
    site: str | None
    published: str | None
    snippet: str  # matched terms wrapped in HIGHLIGHT_START / HIGHLIGHT_END

    @property
    def plain_snippet(self) -> str:
        return self.snippet.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "site": self.site,
            "published": self.published,
            "snippet": self.plain_snippet,
        }


@dataclass(frozen=True, slots=True)
class SearchPage:
    total: int
    total_capped: bool  # True: at least ``total`` articles match (shown as "10000+")
    hits: tuple[SearchHit, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class _Query:
    """FROM + WHERE clause for a user query and filters, with its parameters."""

    match: str | None
    sql: str
    params: tuple[Any, ...]


def _build(q: str, filters: SearchFilters) -> _Query:
    match = to_fts5(q)
    clauses: list[str] = []
    params: list[Any] = []
    if match is not None:
        source = "articles_fts JOIN articles a ON a.id = articles_fts.rowid"
        clauses.append("articles_fts MATCH ?")
        params.append(match)
    else:
        source = "articles a"
    simple = {"site": "a.site", "language": "a.language", "section": "a.section"}
    for name, column in simple.items():
        value = getattr(filters, name)
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if filters.since is not None:
        clauses.append("a.published_day >= ?")
        params.append(filters.since)
    if filters.until is not None:
        clauses.append("a.published_day <= ?")
        params.append(filters.until)
    if filters.paywalled is not None:
        clauses.append("COALESCE(a.paywalled, 0) = ?")
        params.append(int(filters.paywalled))
    if filters.author is not None:
        clauses.append("('; ' || a.authors || '; ') LIKE ? ESCAPE '\\'")
        params.append("%; " + _like_escape(filters.author) + "; %")
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    return _Query(match, source + where, tuple(params))


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _run(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> list[sqlite3.Row]:
    try:
        return list(conn.execute(sql, params).fetchall())
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc):  # the translator quotes everything, but never answer a 500 for a query
            raise QueryError(f"cannot search for this query: {exc}") from exc
        raise


def search(
    conn: sqlite3.Connection,
    q: str = "",
    filters: SearchFilters | None = None,
    *,
    sort: Sort = "relevance",
    offset: int = 0,
    limit: int = 20,
    cap: int = DEFAULT_CAP,
) -> SearchPage:
    """One page of matching articles and the (possibly capped) total."""
    if limit < 0 or offset < 0:
        raise QueryError("offset and limit must not be negative")
    query = _build(q, filters or SearchFilters())
    total, capped = _count(conn, query, cap)
    if limit == 0 or offset >= total and not capped:
        return SearchPage(total, capped)
    if query.match is not None:
        snippet = f"snippet(articles_fts, 2, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', ' … ', 24)"
        order = BM25 if sort == "relevance" else _DATE_ORDER
    else:
        snippet = "substr(a.text, 1, 240)"
        order = _DATE_ORDER
    sql = (
        f"SELECT a.id, a.url, a.title, a.site, a.published, {snippet} AS snippet FROM {query.sql}"
        f" ORDER BY {order} LIMIT ? OFFSET ?"
    )
    rows = _run(conn, sql, (*query.params, limit, offset))
    hits = tuple(
        SearchHit(int(r[0]), r[1], r[2], r[3], r[4], str(r[5] or "").replace("\n\n", " ¶ ")) for r in rows
    )
    return SearchPage(total, capped, hits)


_DATE_ORDER = "a.published IS NULL, a.published DESC, a.id DESC"


def _count(conn: sqlite3.Connection, query: _Query, cap: int) -> tuple[int, bool]:
    sql = f"SELECT count(*) FROM (SELECT 1 FROM {query.sql} LIMIT ?)"
    n = int(_run(conn, sql, (*query.params, cap + 1))[0][0])
    return (cap, True) if n > cap else (n, False)


def iter_matching_ids(
    conn: sqlite3.Connection, q: str = "", filters: SearchFilters | None = None, *, sort: Sort = "date"
) -> Iterator[int]:
    """Every matching article id (no cap), for exports; rows are streamed from SQLite."""
    query = _build(q, filters or SearchFilters())
    order = BM25 if sort == "relevance" and query.match is not None else _DATE_ORDER
    try:
        cursor = conn.execute(f"SELECT a.id FROM {query.sql} ORDER BY {order}", query.params)
        for row in cursor:
            yield int(row[0])
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc):
            raise QueryError(f"cannot search for this query: {exc}") from exc
        raise


def facet_counts(
    conn: sqlite3.Connection, q: str, filters: SearchFilters, name: str, *, limit: int = 12
) -> list[tuple[str, int]]:
    """The most frequent values of one facet (site, language, section, author) among matches."""
    if name not in FACET_FIELDS:
        raise QueryError(f"unknown facet {name!r}")
    query = _build(q, filters)
    if name == "author":
        counts: Counter[str] = Counter()
        for row in _run(conn, f"SELECT a.authors FROM {query.sql}", query.params):
            counts.update(n for n in str(row[0] or "").split("; ") if n)
        return counts.most_common(limit)
    column = f"a.{name}"
    sql = (
        f"SELECT {column}, count(*) AS n FROM {query.sql}"
        f"{' AND' if ' WHERE ' in query.sql else ' WHERE'} {column} IS NOT NULL AND {column} != ''"
        f" GROUP BY {column} ORDER BY n DESC, {column} LIMIT ?"
    )
    return [(str(r[0]), int(r[1])) for r in _run(conn, sql, (*query.params, limit))]


def day_counts(conn: sqlite3.Connection, q: str = "", filters: SearchFilters | None = None) -> list[tuple[str, int]]:
    """Matching articles per publication day (the publisher's local day), oldest first."""
    query = _build(q, filters or SearchFilters())
    extra = " AND" if " WHERE " in query.sql else " WHERE"
    sql = (
        f"SELECT a.published_day, count(*) FROM {query.sql}{extra} a.published_day IS NOT NULL"
        " GROUP BY a.published_day ORDER BY a.published_day"
    )
    return [(str(r[0]), int(r[1])) for r in _run(conn, sql, query.params)]


def site_counts(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Articles per site with the first and last publication day."""
    sql = (
        "SELECT site, max(site_name), count(*), min(published_day), max(published_day)"
        " FROM articles GROUP BY site ORDER BY count(*) DESC, site"
    )
    return [
        {"site": r[0], "site_name": r[1], "articles": int(r[2]), "first_day": r[3], "last_day": r[4]}
        for r in conn.execute(sql)
    ]


def rebuild_index(conn: sqlite3.Connection) -> int:
    """Rebuild the full-text index from the articles table; returns the number of articles indexed."""
    with conn:
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
    return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def index_size_bytes(conn: sqlite3.Connection) -> int:
    """Bytes the FTS5 shadow tables take on disk (needs SQLite's dbstat; 0 when unavailable)."""
    try:
        row = conn.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'articles_fts%' AND name != 'articles_fts_src'"
        ).fetchone()
    except sqlite3.OperationalError:
        return 0
    return int(row[0] or 0)
