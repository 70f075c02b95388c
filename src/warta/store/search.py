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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from warta.store.clusters import cluster_ids, copies_of, has_copies
from warta.store.fts_query import QueryError, to_fts5
from warta.store.snippets import HIGHLIGHT_END, HIGHLIGHT_START, highlight_pattern, make_snippet

SCHEMA = """
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
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
_RELEVANCE_ORDER = f"{BM25}, articles_fts.rowid DESC"  # ties: newest stored first
DEFAULT_CAP = 10_000
# Bounds on what a caller may ask for, so that no request reaches SQLite with an integer it cannot
# hold (64-bit: OFFSET + LIMIT past 2**63-1 overflows) or a LIKE pattern it refuses (50,000 bytes).
MAX_OFFSET = 1_000_000_000
MAX_LIMIT = 10_000
MAX_FILTER_CHARS = 500
Sort = Literal["relevance", "date"]
FACET_FIELDS = ("site", "language", "section", "author", "access")

__all__ = [
    "SCHEMA",
    "QueryError",
    "SearchFilters",
    "SearchHit",
    "Copy",
    "SearchPage",
    "search",
    "facet_counts",
    "facets",
    "count_facets",
    "Facets",
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
    access: str | None = None  # free | metered | teaser | paywalled

    def __post_init__(self) -> None:
        for name in ("site", "since", "until", "author", "language", "section"):
            value = getattr(self, name)
            if value is not None and len(value) > MAX_FILTER_CHARS:
                raise QueryError(f"{name} is too long (at most {MAX_FILTER_CHARS} characters)")
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                try:
                    date.fromisoformat(value)
                except ValueError as exc:
                    raise QueryError(f"{name} must be a date like 2024-01-31, not {value!r}") from exc
        from warta.model import ACCESS_VALUES  # here, not at the top: keeps this edit to search.py local

        if self.access is not None and self.access not in ACCESS_VALUES:
            raise QueryError(f"access must be one of {', '.join(ACCESS_VALUES)}, not {self.access!r}")


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: int
    url: str | None
    title: str | None
    site: str | None
    published: str | None
    snippet: str  # matched terms wrapped in HIGHLIGHT_START / HIGHLIGHT_END
    site_name: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    copies: tuple[Copy, ...] = ()  # collapsed search: every member of the hit's cluster (original first)

    @property
    def plain_snippet(self) -> str:
        return self.snippet.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")

    def to_dict(self, *, copies: bool = False) -> dict[str, Any]:
        """The API's hit; ``copies`` adds the cluster (collapsed search), keeping the default shape stable."""
        out: dict[str, Any] = {
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "site": self.site,
            "published": self.published,
            "snippet": self.plain_snippet,
        }
        if copies:
            out["copies"] = [c.to_dict() for c in self.copies]
        return out


@dataclass(frozen=True, slots=True)
class Copy:
    """One member of a hit's duplicate cluster."""

    id: int
    url: str | None
    site: str | None
    site_name: str | None
    title: str | None
    published: str | None
    verdict: str  # new (the cluster's first), exact or near
    is_original: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "url": self.url, "site": self.site, "site_name": self.site_name, "title": self.title,
            "published": self.published, "verdict": self.verdict, "is_original": self.is_original,
        }


@dataclass(frozen=True, slots=True)
class SearchPage:
    total: int
    total_capped: bool  # True: at least ``total`` articles match (shown as "10000+")
    hits: tuple[SearchHit, ...] = field(default_factory=tuple)
    rank_window: int | None = None  # set when relevance ranked only the newest N matches
    collapsed: bool = False  # one hit per duplicate cluster: ``total`` counts stories


@dataclass(frozen=True, slots=True)
class _Query:
    """A translated user query and filters: FTS5 expression plus filter clauses on ``articles a``."""

    q: str
    match: str | None
    where: tuple[str, ...]
    params: tuple[Any, ...]

    @property
    def sql(self) -> str:
        """FROM + WHERE over the join (or the articles alone when there is no text query)."""
        clauses = (("articles_fts MATCH ?",) if self.match is not None else ()) + self.where
        source = "articles_fts JOIN articles a ON a.id = articles_fts.rowid" if self.match else "articles a"
        return source + (" WHERE " + " AND ".join(clauses) if clauses else "")

    @property
    def all_params(self) -> tuple[Any, ...]:
        return ((self.match,) if self.match is not None else ()) + self.params

    def where_sql(self, *extra: str) -> str:
        clauses = self.where + extra
        return " WHERE " + " AND ".join(clauses) if clauses else ""


def _build(q: str, filters: SearchFilters) -> _Query:
    clauses: list[str] = []
    params: list[Any] = []
    simple = {"site": "a.site", "language": "a.language", "section": "a.section", "access": "a.access"}
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
    return _Query(q, to_fts5(q), tuple(clauses), tuple(params))


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
    collapse: bool = False,
) -> SearchPage:
    """One page of matching articles and the (possibly capped) total.

    ``collapse``: copies of one story (a dedupe cluster) are one hit, the best-ranked matching member,
    carrying the whole cluster in ``copies``; ``total`` then counts stories.
    """
    if limit < 0 or offset < 0:
        raise QueryError("offset and limit must not be negative")
    if offset > MAX_OFFSET or limit > MAX_LIMIT:
        raise QueryError(f"offset must be at most {MAX_OFFSET} and limit at most {MAX_LIMIT}")
    query = _build(q, filters or SearchFilters())
    if collapse and has_copies(conn):
        return _collapsed(conn, query, sort, offset, limit, cap)
    total, capped = _count(conn, query, cap)
    if limit == 0 or offset >= total and not capped:
        return SearchPage(total, capped)
    large = capped or total > LARGE_RESULT
    window = max(RANK_WINDOW, offset + limit)
    windowed = sort == "relevance" and query.match is not None and not query.where and (capped or total > window)
    ids = _page_ids(conn, query, sort, offset, limit, large=large, window=window if windowed else None)
    return SearchPage(total, capped, _hits(conn, query, ids), window if windowed else None)


LARGE_RESULT = 2000  # above this many matches, newest-first pages walk the date index instead
RANK_WINDOW = 5000  # above this many matches, BM25 ranks the newest RANK_WINDOW of them (see README)
_DATE_ORDER = "a.published DESC, a.id DESC"  # NULL dates sort last


def _count(conn: sqlite3.Connection, query: _Query, cap: int) -> tuple[int, bool]:
    if query.match is not None and not query.where:  # the index alone answers: no row lookups
        inner = "SELECT 1 FROM articles_fts WHERE articles_fts MATCH ?"
    else:
        inner = f"SELECT 1 FROM {query.sql}"
    n = int(_run(conn, f"SELECT count(*) FROM ({inner} LIMIT ?)", (*query.all_params, cap + 1))[0][0])
    return (cap, True) if n > cap else (n, False)


def _page_ids(
    conn: sqlite3.Connection, query: _Query, sort: Sort, offset: int, limit: int, *, large: bool, window: int | None
) -> list[int]:
    """Ids of one result page, choosing the cheapest plan for the query's shape."""
    sql, params = _page_sql(query, sort, large=large, window=window)
    return [int(r[0]) for r in _run(conn, sql, (*params, limit, offset))]


def _page_sql(query: _Query, sort: Sort, *, large: bool, window: int | None) -> tuple[str, tuple[Any, ...]]:
    """The ranked-ids query for the query's shape (its last two parameters: LIMIT and OFFSET)."""
    if window is not None:  # BM25 costs a docsize lookup per match: rank the newest `window` matches
        sql = (
            f"SELECT rowid FROM (SELECT rowid, {BM25} AS score FROM articles_fts WHERE articles_fts MATCH ?"
            " ORDER BY rowid DESC LIMIT ?) ORDER BY score, rowid DESC LIMIT ? OFFSET ?"
        )
        params: tuple[Any, ...] = (query.match, window)
    elif query.match is None:
        sql = f"SELECT a.id FROM articles a{query.where_sql()} ORDER BY {_DATE_ORDER} LIMIT ? OFFSET ?"
        params = query.params
    elif sort == "relevance" and not query.where:
        sql = f"SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY {_RELEVANCE_ORDER} LIMIT ? OFFSET ?"
        params = (query.match,)
    elif sort == "relevance":
        sql = f"SELECT a.id FROM {query.sql} ORDER BY {_RELEVANCE_ORDER} LIMIT ? OFFSET ?"
        params = query.all_params
    elif large:  # many matches: walk articles newest first, keep those in the match set
        member = "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
        sql = (f"SELECT a.id FROM articles a INDEXED BY articles_published{query.where_sql(member)}"
               f" ORDER BY {_DATE_ORDER} LIMIT ? OFFSET ?")
        params = (*query.params, query.match)
    else:
        sql = f"SELECT a.id FROM {query.sql} ORDER BY {_DATE_ORDER} LIMIT ? OFFSET ?"
        params = query.all_params
    return sql, params


def _hits(conn: sqlite3.Connection, query: _Query, ids: list[int]) -> tuple[SearchHit, ...]:
    if not ids:
        return ()
    marks = ",".join("?" * len(ids))
    sql = "SELECT id, url, title, site, published, text, site_name, authors, language"
    sql += f" FROM articles WHERE id IN ({marks})"
    rows = {int(r[0]): r for r in conn.execute(sql, ids)}
    pattern = highlight_pattern(query.q) if query.match is not None else None
    return tuple(
        SearchHit(i, rows[i][1], rows[i][2], rows[i][3], rows[i][4], make_snippet(str(rows[i][5] or ""), pattern),
                  rows[i][6], tuple(n for n in str(rows[i][7] or "").split("; ") if n), rows[i][8])
        for i in ids
        if i in rows
    )


# -- collapsed search: one hit per dedupe cluster ------------------------------------------------

_CLUSTER_SQL = "COALESCE((SELECT d.cluster_id FROM dedupe_docs d WHERE d.article_id = a.id), a.id)"
_COLLAPSE_BATCH = 256


def _collapsed(conn: sqlite3.Connection, query: _Query, sort: Sort, offset: int, limit: int, cap: int) -> SearchPage:
    """One page of stories: the best-ranked matching member of each cluster stands for it.

    Walks the plain search's ranked ids (same plan, same order) and keeps the first member of each
    cluster until the page is full, so a page costs about what the plain page costs plus one
    cluster lookup per id read. Articles never deduplicated are their own cluster. ``total``
    counts distinct clusters among the matches (capped like the plain total).
    """
    if query.match is not None and not query.where:  # the index alone gives the ids: no article rows read
        source = "articles_fts WHERE articles_fts MATCH ?"
        cluster = _CLUSTER_SQL.replace("a.id", "articles_fts.rowid")
    else:
        source, cluster = query.sql, _CLUSTER_SQL
    count_sql = f"SELECT count(*) FROM (SELECT DISTINCT {cluster} FROM {source} LIMIT ?)"
    n = int(_run(conn, count_sql, (*query.all_params, cap + 1))[0][0])
    total, capped = (cap, True) if n > cap else (n, False)
    if limit == 0 or offset >= total and not capped:
        return SearchPage(total, capped, collapsed=True)
    matches, matches_capped = _count(conn, query, cap)
    window = max(RANK_WINDOW, offset + limit)
    windowed = (sort == "relevance" and query.match is not None and not query.where
                and (matches_capped or matches > window))
    sql, params = _page_sql(query, sort, large=matches_capped or matches > LARGE_RESULT,
                            window=window if windowed else None)
    first: dict[int, int] = {}  # cluster id -> its best-ranked matching member, in rank order
    try:
        cursor = conn.execute(sql, (*params, -1, 0))
        while len(first) < offset + limit:
            batch = [int(r[0]) for r in cursor.fetchmany(_COLLAPSE_BATCH)]
            if not batch:
                break
            clusters = cluster_ids(conn, batch)
            for article_id in batch:
                first.setdefault(clusters.get(article_id, article_id), article_id)
        cursor.close()
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc):
            raise QueryError(f"cannot search for this query: {exc}") from exc
        raise
    ids = list(first.values())[offset : offset + limit]
    members = copies_of(conn, ids)
    hits = tuple(
        replace(hit, copies=tuple(_copy(r) for r in members.get(hit.id, ())))
        for hit in _hits(conn, query, ids)
    )
    return SearchPage(total, capped, hits, window if windowed else None, True)


def _copy(row: sqlite3.Row) -> Copy:
    return Copy(int(row["article_id"]), row["url"], row["site"], row["site_name"], row["title"], row["published"],
                str(row["verdict"]), bool(row["is_original"]))


def iter_matching_ids(
    conn: sqlite3.Connection, q: str = "", filters: SearchFilters | None = None, *, sort: Sort = "date"
) -> Iterator[int]:
    """Every matching article id (no cap), for exports; rows are streamed from SQLite."""
    query = _build(q, filters or SearchFilters())
    order = _RELEVANCE_ORDER if sort == "relevance" and query.match is not None else _DATE_ORDER
    try:
        cursor = conn.execute(f"SELECT a.id FROM {query.sql} ORDER BY {order}", query.all_params)
        for row in cursor:
            yield int(row[0])
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc):
            raise QueryError(f"cannot search for this query: {exc}") from exc
        raise


def facet_counts(
    conn: sqlite3.Connection, q: str, filters: SearchFilters, name: str, *, limit: int = 12
) -> list[tuple[str, int]]:
    """The most frequent values of one facet (site, language, section, author, access) among matches."""
    if name not in FACET_FIELDS:
        raise QueryError(f"unknown facet {name!r}")
    query = _build(q, filters)
    if name == "author":
        counts: Counter[str] = Counter()
        for row in _run(conn, f"SELECT a.authors FROM {query.sql}", query.all_params):
            counts.update(n for n in str(row[0] or "").split("; ") if n)
        return _top(counts, limit)
    column = f"a.{name}"
    sql = (
        f"SELECT {column}, count(*) AS n FROM {query.sql}"
        f"{' AND' if ' WHERE ' in query.sql else ' WHERE'} {column} IS NOT NULL AND {column} != ''"
        f" GROUP BY {column} ORDER BY n DESC, {column} LIMIT ?"
    )
    return [(str(r[0]), int(r[1])) for r in _run(conn, sql, (*query.all_params, limit))]


FACET_SAMPLE = 10_000


@dataclass(frozen=True, slots=True)
class Facets:
    """Facet values and per-day counts over the matches, in one pass (the search page's sidebar)."""

    values: dict[str, list[tuple[str, int]]]  # facet name -> most frequent (value, count)
    days: list[tuple[str, int]]  # oldest first
    sampled: int | None = None  # set when only the newest N matches were counted


def facets(conn: sqlite3.Connection, q: str, filters: SearchFilters, *, limit: int = 12,
           sample: int = FACET_SAMPLE) -> Facets:
    """Count site, language, section, author, access and day over the matches (the newest ``sample`` when more)."""
    query = _build(q, filters)
    cols = "a.site, a.language, a.section, a.authors, a.published_day, a.access"
    newest = "articles_fts.rowid DESC" if query.match is not None else "a.id DESC"  # no sort needed
    sql = f"SELECT {cols} FROM {query.sql} ORDER BY {newest} LIMIT ?"
    return count_facets(_run(conn, sql, (*query.all_params, sample + 1)), limit=limit, sample=sample)


def count_facets(rows: Sequence[Sequence[Any]], *, limit: int = 12, sample: int = FACET_SAMPLE) -> Facets:
    """:class:`Facets` from (site, language, section, authors, published_day, access) rows, newest
    first; more than ``sample`` rows means only the first ``sample`` were counted (every backend)."""
    sampled = len(rows) > sample
    counters: dict[str, Counter[str]] = {name: Counter() for name in (*FACET_FIELDS, "day")}
    for site, language, section, authors, day, access in rows[:sample]:
        for name, value in (("site", site), ("language", language), ("section", section), ("day", day),
                            ("access", access)):
            if value:
                counters[name][str(value)] += 1
        counters["author"].update(n for n in str(authors or "").split("; ") if n)
    values = {name: _top(counters[name], limit) for name in FACET_FIELDS}
    return Facets(values, sorted(counters["day"].items()), sample if sampled else None)


def _top(counter: Counter[str], limit: int) -> list[tuple[str, int]]:
    """Most frequent first, ties by value (the order the SQL facets use)."""
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def day_counts(conn: sqlite3.Connection, q: str = "", filters: SearchFilters | None = None) -> list[tuple[str, int]]:
    """Matching articles per publication day (the publisher's local day), oldest first."""
    query = _build(q, filters or SearchFilters())
    extra = " AND" if " WHERE " in query.sql else " WHERE"
    sql = (
        f"SELECT a.published_day, count(*) FROM {query.sql}{extra} a.published_day IS NOT NULL"
        " GROUP BY a.published_day ORDER BY a.published_day"
    )
    return [(str(r[0]), int(r[1])) for r in _run(conn, sql, query.all_params)]


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
