"""The PostgreSQL backend of :class:`warta.store.protocols.ArticleStore` (extra ``warta[postgres]``).

psycopg 3 with a ``psycopg_pool`` connection pool. Imported only when a ``postgresql://`` URL is
opened (:func:`warta.store.backends.open_article_store`): ``import warta`` never imports psycopg.

Layout:

- ``articles``: one row per url key (``UNIQUE``), the whole ``Article.to_dict()`` in a ``jsonb``
  column ``data`` plus the columns filters need; upserts are ``INSERT ... ON CONFLICT (url_key)``.
- full-text search: a stored generated ``tsvector`` column (title weight A, lead B, authors C,
  text D) with a GIN index, built with the text search configuration ``warta_simple``: PostgreSQL's
  ``simple`` (lower-case, no stemming, no stop words) with ``unaccent`` in front, which is what the
  SQLite index does (``unicode61 remove_diacritics 2``, no stemmer). The ``indonesian`` Snowball
  configuration was measured against it (``benchmarks/store_backends.py``): it conflates words of
  different meaning (``pemerintah`` government / ``perintah`` order, ``kebijakan`` policy /
  ``bijak`` wise, ``pertanian`` / ``tani``...) so a search returns articles the user did not ask
  for, and the prefix syntax (``pemi*``) already gives the user recall on demand.
- the author filter uses a ``pg_trgm`` GIN index (``ILIKE`` over the ``; ``-joined names).
- ``captures``: raw captures, the body zlib-compressed in ``bytea`` as in SQLite.
- ``dedupe_docs``, ``dedupe_bands``, ``revisions``, ``revisits``: the dedupe stage's tables
  (:mod:`warta.store.pg_clusters`); fingerprints and band keys go with their article (``ON DELETE
  CASCADE``).
- ``schema_version``: migrations are applied when a store is opened (under an advisory lock, so two
  processes opening a fresh database at once do not race); a database made by a newer warta is
  refused instead of being written with an older layout.

Opened with ``readonly=True`` (the web app's reads), every connection of the pool runs with
``default_transaction_read_only``: PostgreSQL itself refuses a write, and no migration is tried.

The crawl frontier (:meth:`frontier`) lives in :mod:`warta.store.pg_frontier`, the dedupe stage's
clusters and revisions in :mod:`warta.store.pg_clusters` (read here by :meth:`cluster_of`,
:meth:`cluster_info`, :meth:`revisions_of`). Collapsed search is not implemented on PostgreSQL yet.
"""

from __future__ import annotations

import re
import threading
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from warta.errors import StoreConflict, StoreError
from warta.model import Article, Capture
from warta.store.clusters import cluster_view
from warta.store.fts_query import QueryError, to_fts5
from warta.store.pg_frontier_schema import FRONTIER_SCHEMA
from warta.store.protocols import ArticleFilter, ClusterMember, FrontierStore, RevisionSummary, StoredCapture
from warta.store.revisions import keep_first_version
from warta.store.search import (
    FACET_SAMPLE,
    MAX_LIMIT,
    MAX_OFFSET,
    RANK_WINDOW,
    Copy,
    Facets,
    SearchFilters,
    SearchHit,
    SearchPage,
    Sort,
    count_facets,
)
from warta.store.snippets import highlight_pattern, make_snippet
from warta.store.sqlite import StoredArticle, compress_body, utcnow

if TYPE_CHECKING:
    from warta.store.pg_clusters import PostgresClusterStore

TS_CONFIG = "warta_simple"
# ts_rank weights for {D, C, B, A} = {text, authors, lead, title}: SQLite's bm25 weights 1, 2, 3, 8
RANK_WEIGHTS = "{0.125, 0.25, 0.375, 1.0}"
_ADVISORY_KEY = 0x77617274  # "wart": serialises schema migrations across processes

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (1, f"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{TS_CONFIG}') THEN
        CREATE TEXT SEARCH CONFIGURATION {TS_CONFIG} (COPY = pg_catalog.simple);
        ALTER TEXT SEARCH CONFIGURATION {TS_CONFIG}
            ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
            WITH unaccent, simple;
    END IF;
END $$;
CREATE TABLE captures (
    id          bigserial PRIMARY KEY,
    url_key     text NOT NULL,
    url         text NOT NULL,
    final_url   text NOT NULL,
    status      integer NOT NULL,
    headers     jsonb NOT NULL,
    body        bytea NOT NULL,
    fetched_at  text NOT NULL
);
CREATE INDEX captures_key ON captures(url_key);
CREATE TABLE articles (
    id            bigserial PRIMARY KEY,
    url_key       text NOT NULL UNIQUE,
    url           text,
    site          text,
    site_name     text,
    language      text,
    title         text,
    published     text,
    published_day text,
    section       text,
    authors       text NOT NULL DEFAULT '',
    paywalled     boolean,
    access        text,
    text          text NOT NULL DEFAULT '',
    data          jsonb NOT NULL,
    capture_id    bigint REFERENCES captures(id),
    first_seen    text NOT NULL,
    updated_at    text NOT NULL,
    tsv           tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('{TS_CONFIG}', coalesce(title, '')), 'A')
        || setweight(to_tsvector('{TS_CONFIG}', coalesce(data->>'lead', '')), 'B')
        || setweight(to_tsvector('{TS_CONFIG}', authors), 'C')
        || setweight(to_tsvector('{TS_CONFIG}', text), 'D')
    ) STORED
);
CREATE INDEX articles_tsv ON articles USING gin(tsv);
CREATE INDEX articles_site_day ON articles(site, published_day);
CREATE INDEX articles_day ON articles(published_day);
CREATE INDEX articles_published ON articles(published DESC NULLS LAST, id DESC);
CREATE INDEX articles_authors_trgm ON articles USING gin(authors gin_trgm_ops);
"""),
    (2, FRONTIER_SCHEMA),  # crawl frontier, job runs, validators, source health (store/pg_frontier.py)
    # 3: the dedupe stage's tables (warta.store.pg_clusters): fingerprints, band keys, revisions
    (3, """
CREATE TABLE dedupe_docs (
    article_id   bigint PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    exact_hash   bigint NOT NULL,
    ntokens      integer NOT NULL,
    sig          bytea NOT NULL,
    sents        bytea NOT NULL,
    nums         bytea NOT NULL,
    verdict      text NOT NULL,
    of_id        bigint,
    score        double precision NOT NULL,
    cluster_id   bigint NOT NULL,
    is_original  boolean NOT NULL DEFAULT false
);
CREATE INDEX dedupe_docs_exact ON dedupe_docs(exact_hash, article_id) WHERE ntokens > 0;
CREATE INDEX dedupe_docs_cluster ON dedupe_docs(cluster_id);
CREATE TABLE dedupe_bands (
    band_key    bigint NOT NULL,
    article_id  bigint NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (band_key, article_id)
);
CREATE INDEX dedupe_bands_article ON dedupe_bands(article_id);
CREATE TABLE revisions (
    id          bigserial PRIMARY KEY,
    url_key     text NOT NULL,
    version     integer NOT NULL,
    fetched_at  text NOT NULL,
    text_hash   bigint NOT NULL,
    title       text,
    body        bytea NOT NULL,
    diff        text NOT NULL DEFAULT '',
    UNIQUE (url_key, version)
);
CREATE TABLE revisits (
    url_key     text PRIMARY KEY,
    last_visit  text NOT NULL
);
"""),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]

_ARTICLE_COLUMNS = (
    "url_key, url, site, site_name, language, title, published, published_day, section, authors,"
    " paywalled, access, text, data, capture_id, first_seen, updated_at"
)
_UPDATE_SET = (
    "url=EXCLUDED.url, site=EXCLUDED.site, site_name=EXCLUDED.site_name, language=EXCLUDED.language,"
    " title=EXCLUDED.title, published=EXCLUDED.published, published_day=EXCLUDED.published_day,"
    " section=EXCLUDED.section, authors=EXCLUDED.authors, paywalled=EXCLUDED.paywalled,"
    " access=EXCLUDED.access, text=EXCLUDED.text, data=EXCLUDED.data"
)
_CAPTURE_PAGE = 100  # captures per keyset page of iter_article_captures
# the newest capture of each url key that has an article (captures_key indexes both subqueries)
_ARTICLE_CAPTURES = (
    "SELECT c.* FROM captures c WHERE c.id > %s AND c.id <= %s"
    " AND EXISTS (SELECT 1 FROM articles a WHERE a.url_key = c.url_key)"
    " AND NOT EXISTS (SELECT 1 FROM captures n WHERE n.url_key = c.url_key AND n.id > c.id)"
    f" ORDER BY c.id LIMIT {_CAPTURE_PAGE}"
)
_INSERT = f"INSERT INTO articles({_ARTICLE_COLUMNS}) VALUES ({', '.join(['%s'] * 17)})"


def redact(url: str) -> str:
    """The URL with its password replaced by ``***`` (for messages and logs)."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


class PostgresArticleStore:
    """An :class:`~warta.store.protocols.ArticleStore` in a PostgreSQL database."""

    backend = "postgresql"

    def __init__(self, url: str, *, max_connections: int = 4, readonly: bool = False) -> None:
        self.url = url
        self._local = threading.local()  # per thread: the open transaction's connection and depth
        kwargs: dict[str, Any] = {"autocommit": True}
        if readonly:
            kwargs["options"] = "-c default_transaction_read_only=on"
        try:
            with psycopg.connect(url, connect_timeout=30):  # fails fast (the pool would retry for 30 s)
                pass
            self.pool = ConnectionPool(url, min_size=1, max_size=max_connections, open=True,
                                       kwargs=kwargs, timeout=30)
            self.pool.wait(timeout=30)
        except Exception as exc:  # psycopg.Error, or the pool's own timeout
            raise StoreError(f"cannot open store: {_reason(exc)}", path=redact(url)) from exc
        if readonly:
            return
        try:
            self._migrate()
        except BaseException:
            self.pool.close()
            raise

    @property
    def location(self) -> str:
        return redact(self.url)

    # -- lifecycle ---------------------------------------------------------------------------
    def close(self) -> None:
        self.pool.close()

    def __enter__(self) -> PostgresArticleStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        return int(self._one("SELECT COALESCE(max(version), 0) FROM schema_version")[0])

    def _migrate(self) -> None:
        with self.transaction():
            conn = self._conn()
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_ADVISORY_KEY,))
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY,"
                " applied_at timestamptz NOT NULL DEFAULT now())"
            )
            row = conn.execute("SELECT COALESCE(max(version), 0) FROM schema_version").fetchone()
            current = int(row[0]) if row else 0
            if current > SCHEMA_VERSION:
                raise StoreError(
                    f"this database has schema version {current}, newer than this warta knows"
                    f" ({SCHEMA_VERSION}): upgrade warta", path=self.location,
                )
            for version, sql in MIGRATIONS:
                if version > current:
                    conn.execute(sql.encode())
                    conn.execute("INSERT INTO schema_version(version) VALUES (%s)", (version,))

    @contextmanager
    def transaction(self, *, pipeline: bool = False) -> Iterator[PostgresArticleStore]:
        """One atomic unit of writes; re-entrant within a thread (an inner one joins the outer).

        ``pipeline``: the outermost transaction runs in pipeline mode (statements whose results
        are not read go out together with the commit: fewer round trips for many small writes).
        """
        if getattr(self._local, "conn", None) is not None:
            yield self
            return
        try:
            with self.pool.connection() as conn, conn.pipeline() if pipeline else nullcontext(), conn.transaction():
                self._local.conn = conn
                try:
                    yield self
                finally:
                    self._local.conn = None
        except psycopg.Error as exc:
            raise write_error(exc, self.location) from exc

    def in_transaction(self) -> bool:
        """Whether this thread is inside a transaction of this store."""
        return getattr(self._local, "conn", None) is not None

    @contextmanager
    def savepoint(self) -> Iterator[PostgresArticleStore]:
        """A SAVEPOINT inside the thread's transaction (undone alone when the block raises), or a
        transaction of its own."""
        conn: psycopg.Connection[Any] | None = getattr(self._local, "conn", None)
        if conn is None:
            with self.transaction():
                yield self
            return
        try:
            with conn.transaction():
                yield self
        except psycopg.Error as exc:
            raise write_error(exc, self.location) from exc

    def _conn(self) -> psycopg.Connection[Any]:
        conn: psycopg.Connection[Any] | None = getattr(self._local, "conn", None)
        if conn is None:
            raise RuntimeError("no open transaction")
        return conn

    def _rows(self, sql: str, params: Sequence[Any] = (), *, dicts: bool = False) -> list[Any]:
        """Run a read in the thread's transaction, or on a pooled connection of its own."""
        try:
            current = getattr(self._local, "conn", None)
            if current is not None:
                with current.cursor(row_factory=dict_row) if dicts else current.cursor() as cur:
                    return list(cur.execute(sql.encode(), params).fetchall())
            with self.pool.connection() as conn:
                with conn.cursor(row_factory=dict_row) if dicts else conn.cursor() as cur:
                    return list(cur.execute(sql.encode(), params).fetchall())
        except psycopg.Error as exc:
            raise write_error(exc, self.location, "read failed") from exc

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _exec(self, sql: str, params: Sequence[Any] = ()) -> int:
        """One write statement, in the thread's transaction or alone (autocommit: atomic by itself,
        one round trip); returns its row count."""
        try:
            current = getattr(self._local, "conn", None)
            if current is not None:
                return int(current.execute(sql.encode(), params).rowcount)
            with self.pool.connection() as conn:
                return int(conn.execute(sql.encode(), params).rowcount)
        except psycopg.Error as exc:
            raise write_error(exc, self.location) from exc

    def _write(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self.transaction():
            cur = self._conn().execute(sql.encode(), params)
            return list(cur.fetchall()) if cur.description else []

    # -- captures ----------------------------------------------------------------------------
    def add_capture(self, key: str, capture: Capture, compressed: bytes | None = None) -> int:
        blob = compress_body(capture.body) if compressed is None else compressed
        rows = self._write(
            "INSERT INTO captures(url_key, url, final_url, status, headers, body, fetched_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
            (key, capture.url, capture.final_url, capture.status, Jsonb([list(h) for h in capture.headers]),
             blob, capture.fetched_at),
        )
        return int(rows[0][0])

    def get_capture(self, capture_id: int) -> Capture | None:
        rows = self._rows("SELECT * FROM captures WHERE id = %s", (capture_id,), dicts=True)
        return _capture(rows[0]) if rows else None

    def iter_captures(self) -> Iterator[StoredCapture]:
        last = 0
        while True:  # keyset pages: no long-lived cursor, bounded memory
            rows = self._rows("SELECT * FROM captures WHERE id > %s ORDER BY id LIMIT 500", (last,), dicts=True)
            for row in rows:
                yield StoredCapture(int(row["id"]), str(row["url_key"]), _capture(row))
            if len(rows) < 500:
                return
            last = int(rows[-1]["id"])

    def count_captures(self) -> int:
        return int(self._one("SELECT count(*) FROM captures")[0])

    def latest_capture(self, key: str) -> Capture | None:
        rows = self._rows("SELECT * FROM captures WHERE url_key = %s ORDER BY id DESC LIMIT 1", (key,), dicts=True)
        return _capture(rows[0]) if rows else None

    def last_capture_id(self) -> int:
        return int(self._one("SELECT COALESCE(max(id), 0) FROM captures")[0])

    def iter_article_captures(self, first: int, last: int) -> Iterator[StoredCapture]:
        after = first - 1
        while True:  # keyset pages, as iter_captures
            rows = self._rows(_ARTICLE_CAPTURES, (after, last), dicts=True)
            for row in rows:
                yield StoredCapture(int(row["id"]), str(row["url_key"]), _capture(row))
            if len(rows) < _CAPTURE_PAGE:
                return
            after = int(rows[-1]["id"])

    # -- articles ----------------------------------------------------------------------------
    def upsert_article(self, key: str, article: Article, capture_id: int | None = None) -> tuple[int, bool]:
        now = utcnow()
        with self.transaction():
            old = self._rows("SELECT title, text FROM articles WHERE url_key = %s FOR UPDATE", (key,))
            if old and (old[0][0], old[0][1]) != (article.title, article.text):
                keep_first_version(self._clusters(), key)  # the content being replaced stays in the history
            rows = self._write(
                f"{_INSERT} ON CONFLICT (url_key) DO UPDATE SET {_UPDATE_SET},"
                " capture_id = COALESCE(EXCLUDED.capture_id, articles.capture_id), updated_at = EXCLUDED.updated_at"
                " RETURNING id, (xmax = 0) AS inserted",
                (key, *_article_values(article), capture_id, now, now),
            )
        return int(rows[0][0]), bool(rows[0][1])

    def import_article(self, record: StoredArticle, capture_id: int | None) -> int:
        rows = self._write(
            f"{_INSERT} ON CONFLICT (url_key) DO UPDATE SET {_UPDATE_SET}, capture_id = EXCLUDED.capture_id,"
            " first_seen = EXCLUDED.first_seen, updated_at = EXCLUDED.updated_at RETURNING id",
            (record.url_key, *_article_values(record.article), capture_id, record.first_seen, record.updated_at),
        )
        return int(rows[0][0])

    def get_article(self, article_id: int) -> StoredArticle | None:
        rows = self._rows(f"SELECT {_STORED} FROM articles WHERE id = %s", (article_id,), dicts=True)
        return _stored(rows[0]) if rows else None

    def get_article_by_key(self, key: str) -> StoredArticle | None:
        rows = self._rows(f"SELECT {_STORED} FROM articles WHERE url_key = %s", (key,), dicts=True)
        return _stored(rows[0]) if rows else None

    def has_article(self, key: str) -> bool:
        return self._one("SELECT 1 FROM articles WHERE url_key = %s", (key,)) is not None

    def iter_articles(self, where: ArticleFilter | None = None) -> Iterator[StoredArticle]:
        where = where or ArticleFilter()
        clauses: list[str] = ["id > %s"]
        params: list[Any] = [where.after_id or 0]
        for clause, value in (("site = %s", where.site), ("published_day >= %s", where.since),
                              ("published_day <= %s", where.until)):
            if value is not None:
                clauses.append(clause)
                params.append(value)
        while True:  # keyset pages
            sql = f"SELECT {_STORED} FROM articles WHERE {' AND '.join(clauses)} ORDER BY id LIMIT 500"
            rows = self._rows(sql, params, dicts=True)
            for row in rows:
                yield _stored(row)
            if len(rows) < 500:
                return
            params[0] = int(rows[-1]["id"])

    def count_articles(self) -> int:
        return int(self._one("SELECT count(*) FROM articles")[0])

    def delete_article(self, key: str) -> bool:
        return bool(self._write("DELETE FROM articles WHERE url_key = %s RETURNING id", (key,)))

    def site_counts(self) -> list[dict[str, Any]]:
        rows = self._rows(
            "SELECT site, max(site_name), count(*), min(published_day), max(published_day)"
            " FROM articles GROUP BY site ORDER BY count(*) DESC, site"
        )
        return [{"site": r[0], "site_name": r[1], "articles": int(r[2]), "first_day": r[3], "last_day": r[4]}
                for r in rows]

    # -- search ------------------------------------------------------------------------------
    def search(
        self,
        q: str = "",
        filters: SearchFilters | None = None,
        *,
        sort: Sort = "relevance",
        offset: int = 0,
        limit: int = 20,
        collapse: bool = False,
        cap: int = 10_000,
    ) -> SearchPage:
        """One page of matches: ``ts_rank`` over the GIN-indexed tsvector, or newest first.

        Like the SQLite search, relevance over more than ``RANK_WINDOW`` matches of an unfiltered
        query ranks the newest ``RANK_WINDOW`` of them (``SearchPage.rank_window`` says so).
        ``collapse``: one hit per duplicate cluster (its best-ranked matching member), with the
        cluster's members as ``copies``; ``total`` counts clusters (see :meth:`_collapsed`).
        """
        if limit < 0 or offset < 0:
            raise QueryError("offset and limit must not be negative")
        if offset > MAX_OFFSET or limit > MAX_LIMIT:
            raise QueryError(f"offset must be at most {MAX_OFFSET} and limit at most {MAX_LIMIT}")
        where_sql, params, tsq, tsq_params = self._where(q, filters)
        if collapse and self._clusters().has_copies():
            return self._collapsed(q, where_sql, params, tsq, tsq_params, sort, offset, limit, cap)
        n = int(self._one(f"SELECT count(*) FROM (SELECT 1 FROM articles a{where_sql} LIMIT %s) m",
                          (*params, cap + 1))[0])
        total, capped = (cap, True) if n > cap else (n, False)
        if limit == 0 or offset >= total and not capped:
            return SearchPage(total, capped)
        window = max(RANK_WINDOW, offset + limit)
        windowed = (sort == "relevance" and tsq is not None and filters in (None, SearchFilters())
                    and (capped or total > window))
        if sort == "relevance" and tsq is not None:
            rank = f"ts_rank('{RANK_WEIGHTS}', a.tsv, {tsq})"
            if windowed:
                sql = (f"SELECT {_HIT_COLUMNS} FROM (SELECT * FROM articles a{where_sql} ORDER BY a.id DESC LIMIT %s) a"
                       f" ORDER BY {rank} DESC, a.id DESC LIMIT %s OFFSET %s")
                args: tuple[Any, ...] = (*params, window, *tsq_params, limit, offset)
            else:
                sql = f"SELECT {_HIT_COLUMNS} FROM articles a{where_sql} ORDER BY {rank} DESC, a.id DESC LIMIT %s OFFSET %s"
                args = (*params, *tsq_params, limit, offset)
        else:
            sql = (f"SELECT {_HIT_COLUMNS} FROM articles a{where_sql}"
                   " ORDER BY a.published DESC NULLS LAST, a.id DESC LIMIT %s OFFSET %s")
            args = (*params, limit, offset)
        pattern = highlight_pattern(q) if tsq is not None else None
        hits = tuple(_hit(r, pattern) for r in self._rows(sql, args))
        return SearchPage(total, capped, hits, window if windowed else None)

    def _collapsed(self, q: str, where_sql: str, params: list[Any], tsq: str | None, tsq_params: list[Any],
                   sort: Sort, offset: int, limit: int, cap: int) -> SearchPage:
        """One page of stories: each cluster's best-ranked matching member stands for it (one
        window function over the matches); articles never deduplicated are their own cluster."""
        joined = f"articles a LEFT JOIN dedupe_docs d ON d.article_id = a.id{where_sql}"
        n = int(self._one(f"SELECT count(*) FROM (SELECT DISTINCT COALESCE(d.cluster_id, a.id) FROM {joined}"
                          " LIMIT %s) m", (*params, cap + 1))[0])
        total, capped = (cap, True) if n > cap else (n, False)
        if limit == 0 or offset >= total and not capped:
            return SearchPage(total, capped, collapsed=True)
        if sort == "relevance" and tsq is not None:
            key, key_params, order = f"ts_rank('{RANK_WEIGHTS}', a.tsv, {tsq})", tsq_params, "k DESC, id DESC"
        else:
            key, key_params, order = "a.published", [], "k DESC NULLS LAST, id DESC"
        ids = [int(r[0]) for r in self._rows(
            f"SELECT id FROM (SELECT a.id, {key} AS k, row_number() OVER (PARTITION BY COALESCE(d.cluster_id, a.id)"
            f" ORDER BY {key} DESC NULLS LAST, a.id DESC) AS rn FROM {joined}) m WHERE rn = 1"
            f" ORDER BY {order} LIMIT %s OFFSET %s",
            (*key_params, *key_params, *params, limit, offset))]
        rows = {int(r[0]): r for r in self._rows(
            f"SELECT {_HIT_COLUMNS} FROM articles a WHERE a.id = ANY(%s::bigint[])", (ids,))}
        members = self._clusters().copies_of(ids)
        pattern = highlight_pattern(q) if tsq is not None else None
        hits = tuple(_hit(r, pattern, tuple(_copy(m) for m in members.get(i, ())))
                     for i in ids if (r := rows.get(i)) is not None)
        return SearchPage(total, capped, hits, None, True)

    def _where(self, q: str, filters: SearchFilters | None) -> tuple[str, list[Any], str | None, list[Any]]:
        """WHERE text over ``articles a`` and its parameters, plus the tsquery and its own parameters."""
        tsq, tsq_params = tsquery_sql(q)
        where, params = _filter_clauses(filters or SearchFilters())
        if tsq is not None:
            where.insert(0, f"a.tsv @@ {tsq}")
            params[:0] = tsq_params
        return (" WHERE " + " AND ".join(where) if where else ""), params, tsq, tsq_params

    def facets(self, q: str = "", filters: SearchFilters | None = None, *, limit: int = 12,
               sample: int = FACET_SAMPLE) -> Facets:
        where_sql, params, _, _ = self._where(q, filters)
        rows = self._rows(
            "SELECT a.site, a.language, a.section, a.authors, a.published_day, a.access"
            f" FROM articles a{where_sql} ORDER BY a.id DESC LIMIT %s", (*params, sample + 1))
        return count_facets(rows, limit=limit, sample=sample)

    def day_counts(self, q: str = "", filters: SearchFilters | None = None) -> list[tuple[str, int]]:
        where_sql, params, _, _ = self._where(q, filters)
        where_sql += (" AND" if where_sql else " WHERE") + " a.published_day IS NOT NULL"
        rows = self._rows(f"SELECT a.published_day, count(*) FROM articles a{where_sql}"
                          " GROUP BY a.published_day ORDER BY a.published_day", params)
        return [(str(r[0]), int(r[1])) for r in rows]

    def iter_matching(self, q: str = "", filters: SearchFilters | None = None, *,
                      sort: Sort = "date") -> Iterator[StoredArticle]:
        """Every match, streamed through a server-side cursor (bounded memory however many match)."""
        where_sql, params, tsq, tsq_params = self._where(q, filters)
        if sort == "relevance" and tsq is not None:
            order, order_params = f"ts_rank('{RANK_WEIGHTS}', a.tsv, {tsq}) DESC, a.id DESC", tsq_params
        else:
            order, order_params = "a.published DESC NULLS LAST, a.id DESC", []
        sql = f"SELECT {_STORED_A} FROM articles a{where_sql} ORDER BY {order}"
        try:
            with self.pool.connection() as conn, conn.transaction(), \
                    conn.cursor(name="warta_export", row_factory=dict_row) as cur:
                cur.itersize = 500
                cur.execute(sql.encode(), (*params, *order_params))
                for row in cur:
                    yield _stored(row)
        except psycopg.Error as exc:
            raise write_error(exc, self.location, "read failed") from exc

    def recent_articles(self, sites: Sequence[str], limit: int) -> list[StoredArticle]:
        if not sites or limit <= 0:
            return []
        rows = self._rows(f"SELECT {_STORED} FROM articles WHERE site = ANY(%s) ORDER BY id DESC LIMIT %s",
                          (list(sites), limit), dicts=True)
        return [_stored(r) for r in rows]

    def get_article_by_url(self, url: str) -> StoredArticle | None:
        rows = self._rows(f"SELECT {_STORED} FROM articles WHERE url = %s OR url_key = %s ORDER BY id LIMIT 1",
                          (url, url), dicts=True)
        return _stored(rows[0]) if rows else None

    # -- what the dedupe stage keeps (read through warta.store.pg_clusters) -------------------
    def _clusters(self) -> PostgresClusterStore:
        from warta.store.pg_clusters import PostgresClusterStore  # imported here: it imports this module

        return PostgresClusterStore(self)

    def cluster_of(self, article_id: int) -> list[Copy]:
        return [_copy(m) for m in self._clusters().cluster_of(article_id)]

    def cluster_info(self, article_ids: Sequence[int]) -> dict[int, tuple[str, bool]]:
        return cluster_view(article_ids, self._clusters().cluster_flags(article_ids))

    def revisions_of(self, url_key: str) -> list[RevisionSummary]:
        return [RevisionSummary(r.version, r.fetched_at, r.title, r.diff) for r in self._clusters().revisions(url_key)]

    def rebuild_index(self) -> int:
        """Nothing to rebuild: the tsvector is a generated column, current with every write."""
        return self.count_articles()

    def frontier(self) -> FrontierStore | None:
        from warta.store.pg_frontier import PostgresFrontier  # imported here: it imports this module

        return PostgresFrontier(self)


_HIT_COLUMNS = "a.id, a.url, a.title, a.site, a.published, a.text, a.site_name, a.authors, a.language"


def _hit(row: Sequence[Any], pattern: re.Pattern[str] | None, copies: tuple[Copy, ...] = ()) -> SearchHit:
    """A search hit from a row of :data:`_HIT_COLUMNS` (its snippet cut around the query's words)."""
    return SearchHit(int(row[0]), row[1], row[2], row[3], row[4], make_snippet(str(row[5] or ""), pattern), row[6],
                     tuple(n for n in str(row[7] or "").split("; ") if n), row[8], copies)


def _copy(m: ClusterMember) -> Copy:
    return Copy(m.article_id, m.url, m.site, m.site_name, m.title, m.published, m.verdict, m.is_original)


# -- query translation -------------------------------------------------------------------------

_FTS5_TOKEN = re.compile(r'"((?:[^"]|"")*)"(\*?)|\(|\)|AND|OR|NOT|\s+')
_WORD = re.compile(r"\w+")


def tsquery_sql(q: str, config: str = TS_CONFIG) -> tuple[str | None, list[Any]]:
    """A user query (syntax of :mod:`warta.store.fts_query`) as a tsquery SQL expression and its
    parameters; ``(None, [])`` when the query has no terms.

    The query is parsed once, by the same parser as for SQLite (so both backends accept and refuse
    the same queries); each quoted term or phrase becomes ``phraseto_tsquery`` and each prefix a
    ``to_tsquery`` with ``:*``, so user text is always a bound parameter, never tsquery syntax.
    """
    expr = to_fts5(q)
    if expr is None:
        return None, []
    tokens = [m for m in _FTS5_TOKEN.finditer(expr) if not m.group(0).isspace()]
    params: list[Any] = []
    pos = 0

    def leaf(match: re.Match[str]) -> str:
        text = match.group(1).replace('""', '"')
        if match.group(2):
            words = _WORD.findall(text)
            params.append(" <-> ".join(f"'{w}'" for w in words) + ":*")
            return f"to_tsquery('{config}', %s)"
        params.append(text)
        return f"phraseto_tsquery('{config}', %s)"

    def expression() -> str:
        nonlocal pos
        tok = tokens[pos]
        pos += 1
        if tok.group(0) != "(":
            return leaf(tok)
        out = expression()
        while tokens[pos].group(0) != ")":
            op = tokens[pos].group(0)
            pos += 1
            right = expression()
            out = {"AND": f"({out} && {right})", "OR": f"({out} || {right})",
                   "NOT": f"({out} && !!({right}))"}[op]
        pos += 1
        return out

    return expression(), params


def _filter_clauses(filters: SearchFilters) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for name in ("site", "language", "section", "access"):
        value = getattr(filters, name)
        if value is not None:
            clauses.append(f"a.{name} = %s")
            params.append(value)
    if filters.since is not None:
        clauses.append("a.published_day >= %s")
        params.append(filters.since)
    if filters.until is not None:
        clauses.append("a.published_day <= %s")
        params.append(filters.until)
    if filters.paywalled is not None:
        clauses.append("COALESCE(a.paywalled, false) = %s")
        params.append(filters.paywalled)
    if filters.author is not None:
        # the first ILIKE can use the trigram index; the second keeps the match to a whole name
        name = _like_escape(filters.author)
        clauses.append("a.authors ILIKE %s AND ('; ' || a.authors || '; ') ILIKE %s")
        params.extend([f"%{name}%", f"%; {name}; %"])
    return clauses, params


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# -- rows ----------------------------------------------------------------------------------------

_STORED = "id, url_key, data, first_seen, updated_at, capture_id"
_STORED_A = "a.id, a.url_key, a.data, a.first_seen, a.updated_at, a.capture_id"


def _article_values(a: Article) -> tuple[Any, ...]:
    day = a.published[:10] if a.published and len(a.published) >= 10 else None
    return (a.url, a.domain, a.site_name, a.language, a.title, a.published, day, a.section, "; ".join(a.authors),
            a.paywalled, a.access, a.text, Jsonb(a.to_dict()))


def _stored(row: dict[str, Any]) -> StoredArticle:
    return StoredArticle(
        id=int(row["id"]),
        url_key=str(row["url_key"]),
        article=Article.from_dict(row["data"]),
        first_seen=str(row["first_seen"]),
        updated_at=str(row["updated_at"]),
        capture_id=None if row["capture_id"] is None else int(row["capture_id"]),
    )


def _capture(row: dict[str, Any]) -> Capture:
    return Capture(
        url=str(row["url"]),
        final_url=str(row["final_url"]),
        status=int(row["status"]),
        headers=tuple((str(k), str(v)) for k, v in row["headers"]),
        body=zlib.decompress(row["body"]),
        fetched_at=str(row["fetched_at"]),
    )


def write_error(exc: psycopg.Error, location: str, what: str = "write failed") -> StoreError:
    """A failed statement as warta's error: :class:`StoreConflict` when PostgreSQL rolled the
    transaction back for colliding with another (deadlock 40P01, serialization 40001), so the
    caller may run it again."""
    cls = StoreConflict if getattr(exc, "sqlstate", None) in ("40P01", "40001") else StoreError
    return cls(f"{what}: {_reason(exc)}", path=location)


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
