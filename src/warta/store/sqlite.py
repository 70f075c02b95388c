"""The SQLite store: one file, WAL mode, articles upserted by canonical URL key.

Core tables live here (``articles``, ``captures``). Each other store module owns its own tables
and declares them in a module-level ``SCHEMA`` string applied when a store is opened:

- ``warta.store.frontier``: URL states, the crawl frontier, runs and outcomes (crawl)
- ``warta.store.search``: the FTS5 index over articles (search)
- ``warta.store.clusters``: dedupe signatures, clusters and revisions (dedupe)
- ``warta.store.hosts``: host leases, the politeness every worker of a distributed crawl shares
- ``warta.store.health``: per-source, per-day outcome counts and site state (source health)
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warta.errors import StoreError
from warta.model import Article, Capture

CORE_SCHEMA = """
CREATE TABLE IF NOT EXISTS captures (
    id          INTEGER PRIMARY KEY,
    url_key     TEXT NOT NULL,
    url         TEXT NOT NULL,
    final_url   TEXT NOT NULL,
    status      INTEGER NOT NULL,
    headers     TEXT NOT NULL,          -- JSON list of [name, value]
    body        BLOB NOT NULL,          -- zlib-compressed response body
    fetched_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS captures_key ON captures(url_key);

CREATE TABLE IF NOT EXISTS articles (
    id            INTEGER PRIMARY KEY,
    url_key       TEXT NOT NULL UNIQUE,
    url           TEXT,
    site          TEXT,                 -- registered domain, e.g. bisnis.com
    site_name     TEXT,
    language      TEXT,
    title         TEXT,
    published     TEXT,                 -- ISO 8601 in the page's own offset
    published_day TEXT,                 -- YYYY-MM-DD, the publisher's local day
    section       TEXT,
    authors       TEXT,                 -- names joined by '; ' (for filters)
    paywalled     INTEGER,              -- derived from access (1: teaser or paywalled), kept for old readers
    access        TEXT,                 -- free | metered | teaser | paywalled (Article.access)
    text          TEXT NOT NULL DEFAULT '',
    data          TEXT NOT NULL,        -- Article.to_dict() as JSON
    capture_id    INTEGER REFERENCES captures(id),
    first_seen    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_site_day ON articles(site, published_day);
CREATE INDEX IF NOT EXISTS articles_day ON articles(published_day);
"""


# zlib level 3: within ~11% of level 6's size at less than half its CPU (the crawl's main process
# compresses every page it fetches)
CAPTURE_ZLIB_LEVEL = 3
OPEN_RETRY_SECONDS = 30.0  # how long opening retries SQLite's immediate "locked" (see Store._prepare)


def compress_body(body: bytes) -> bytes:
    """A capture body as stored (zlib releases the GIL: a caller may run this in a thread)."""
    return zlib.compress(body, CAPTURE_ZLIB_LEVEL)


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class StoredArticle:
    id: int
    url_key: str
    article: Article
    first_seen: str
    updated_at: str
    capture_id: int | None


def migrate_access(conn: sqlite3.Connection) -> bool:
    """Give a store made before ``access`` existed its column, mapping the old ``paywalled`` flag
    (1 -> ``paywalled``, 0 -> ``free``; the JSON in ``data`` is read the same way by
    :meth:`Article.from_dict`). Returns True when it migrated."""
    columns = {str(row[1]) for row in conn.execute("PRAGMA table_info(articles)")}
    if "access" in columns:
        return False
    conn.execute("ALTER TABLE articles ADD COLUMN access TEXT")
    conn.execute(
        "UPDATE articles SET access = CASE paywalled WHEN 1 THEN 'paywalled' ELSE 'free' END"
        " WHERE paywalled IS NOT NULL"
    )
    return True


def _module_schemas() -> list[str]:
    # Imported lazily: those modules import this one for Store.
    from warta.store import clusters, frontier, hosts, search

    return [frontier.SCHEMA, search.SCHEMA, clusters.SCHEMA, hosts.SCHEMA]


def _migrate_health(conn: sqlite3.Connection) -> None:
    from warta.store import health  # lazily, like the module schemas

    health.migrate(conn)


def _refuse_url(path: str | Path) -> None:
    """A postgresql:// URL given to a SQLite-only command is an error, not a file named "postgresql:"."""
    if str(path).startswith(("postgresql://", "postgres://")):
        raise StoreError("the SQLite Store needs a SQLite file; for a postgresql:// URL open the store with"
                         " warta.store.backends.open_article_store (every warta command does)",
                         path=str(path).split("@")[-1])


class Store:
    """A warta SQLite database. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | Path = "warta.db", *, readonly: bool = False) -> None:
        _refuse_url(path)
        self.path = Path(path)
        self._depth = 0  # nesting of transaction()
        try:
            if readonly:
                self.conn = connect_readonly(self.path)
            else:
                self.conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA busy_timeout=30000")
            if not readonly:
                self._prepare()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store: {exc}", path=str(self.path)) from exc

    def _prepare(self) -> None:
        """WAL mode and the schema. Two processes opening a new file at once can meet where
        SQLite answers "locked" at once instead of waiting (a read lock upgrading to a write lock
        while the other holds one, or the switch to WAL), so that answer is retried for a while."""
        deadline = time.monotonic() + OPEN_RETRY_SECONDS
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
                self.conn.executescript(CORE_SCHEMA)
                migrate_access(self.conn)
                for schema in _module_schemas():
                    if schema:
                        self.conn.executescript(schema)
                _migrate_health(self.conn)
                self.conn.commit()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                    raise
                self.conn.rollback()
                time.sleep(random.uniform(0.02, 0.2))

    @classmethod
    def open_existing(cls, path: str | Path) -> Store:
        """The store already at ``path``, for a command that reads: never creates a database.

        A store that cannot be written (a read-only file, folder or mount) is opened read-only.
        """
        _refuse_url(path)
        target = Path(path)
        if not target.is_file():
            what = "is a directory, not a store" if target.is_dir() else "does not exist"
            raise StoreError(
                f"no store at {target}: it {what} (a crawl or `warta demo` creates one)", path=str(target)
            )
        if os.access(target, os.W_OK) and os.access(target.parent, os.W_OK):
            try:
                return cls(target)
            except StoreError as exc:
                if not _is_readonly_error(exc.__cause__):
                    raise
        return cls(target, readonly=True)

    @classmethod
    def wrap(cls, path: str | Path, conn: sqlite3.Connection) -> Store:
        """A store over a connection opened elsewhere (the web app's query-only readers); no schema applied."""
        store = cls.__new__(cls)
        store.path, store._depth, store.conn = Path(path), 0, conn
        return store

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: commits on success, rolls back on error.

        Re-entrant: a transaction opened inside another joins it, so a caller can make several
        writes (store an article, finish its URL, assign its cluster) one atomic commit.
        """
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        self._depth = 1
        try:
            with self.conn:
                yield self.conn
        except sqlite3.Error as exc:
            raise StoreError(f"write failed: {exc}", path=str(self.path)) from exc
        finally:
            self._depth = 0

    @contextmanager
    def savepoint(self) -> Iterator[sqlite3.Connection]:
        """A part of the open transaction that fails alone: an error undoes only its writes."""
        with self.transaction() as conn:
            if not conn.in_transaction:
                # else the savepoint would commit on release; IMMEDIATE: a deferred transaction that
                # reads first cannot wait for another process's write lock ("database is locked")
                conn.execute("BEGIN IMMEDIATE")
            conn.execute("SAVEPOINT warta_part")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK TO warta_part")
                conn.execute("RELEASE warta_part")
                raise
            conn.execute("RELEASE warta_part")

    # -- captures --------------------------------------------------------------------------
    def add_capture(self, key: str, capture: Capture, compressed: bytes | None = None) -> int:
        """Keep a raw capture; ``compressed`` is its body already passed through :func:`compress_body`."""
        blob = compress_body(capture.body) if compressed is None else compressed
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO captures(url_key, url, final_url, status, headers, body, fetched_at)"
                " VALUES (?,?,?,?,?,?,?)",
                (
                    key,
                    capture.url,
                    capture.final_url,
                    capture.status,
                    json.dumps([list(h) for h in capture.headers]),
                    blob,
                    capture.fetched_at,
                ),
            )
            return int(cur.lastrowid or 0)

    def get_capture(self, capture_id: int) -> Capture | None:
        row = self.conn.execute("SELECT * FROM captures WHERE id=?", (capture_id,)).fetchone()
        return _capture_from_row(row) if row else None

    def latest_capture(self, key: str) -> Capture | None:
        """The newest capture kept under ``key`` (a following page of a multi-page article, say)."""
        row = self.conn.execute(
            "SELECT * FROM captures WHERE url_key=? ORDER BY id DESC LIMIT 1", (key,)
        ).fetchone()
        return _capture_from_row(row) if row else None

    def iter_captures(self, *, latest_per_key: bool = True) -> Iterator[tuple[int, str, Capture]]:
        """Yield (capture id, url key, capture); by default only the newest capture of each key."""
        sql = "SELECT * FROM captures"
        if latest_per_key:
            sql += " WHERE id IN (SELECT MAX(id) FROM captures GROUP BY url_key)"
        for row in self.conn.execute(sql + " ORDER BY id"):
            yield int(row["id"]), str(row["url_key"]), _capture_from_row(row)

    # -- articles --------------------------------------------------------------------------
    def upsert_article(self, key: str, article: Article, capture_id: int | None = None) -> tuple[int, bool]:
        """Insert or update the article stored under ``key``. Returns (id, inserted)."""
        now = utcnow()
        row = _article_row(article)
        with self.transaction() as conn:
            existing = conn.execute("SELECT id, title, text FROM articles WHERE url_key=?", (key,)).fetchone()
            if existing is None:
                cur = conn.execute(
                    "INSERT INTO articles(url_key, url, site, site_name, language, title, published,"
                    " published_day, section, authors, paywalled, access, text, data, capture_id, first_seen,"
                    " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (key, *row, capture_id, now, now),
                )
                return int(cur.lastrowid or 0), True
            if (existing["title"], existing["text"]) != (article.title, article.text):
                _keep_first_version(self, key)  # the content being replaced stays in the history
            conn.execute(
                "UPDATE articles SET url=?, site=?, site_name=?, language=?, title=?, published=?,"
                " published_day=?, section=?, authors=?, paywalled=?, access=?, text=?, data=?,"
                " capture_id=COALESCE(?, capture_id), updated_at=? WHERE id=?",
                (*row, capture_id, now, int(existing["id"])),
            )
            return int(existing["id"]), False

    def get_article(self, article_id: int) -> StoredArticle | None:
        row = self.conn.execute("SELECT * FROM articles WHERE id=?", (article_id,)).fetchone()
        return _stored_from_row(row) if row else None

    def get_article_by_key(self, key: str) -> StoredArticle | None:
        row = self.conn.execute("SELECT * FROM articles WHERE url_key=?", (key,)).fetchone()
        return _stored_from_row(row) if row else None

    def has_article(self, key: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE url_key=?", (key,)).fetchone() is not None

    def get_article_by_url(self, url: str) -> StoredArticle | None:
        """The article whose URL (or url key) is ``url``; the first stored when several are."""
        row = self.conn.execute("SELECT * FROM articles WHERE url=? OR url_key=? ORDER BY id LIMIT 1", (url, url)).fetchone()
        return _stored_from_row(row) if row else None

    def iter_articles(self, where: str = "", params: tuple[Any, ...] = ()) -> Iterator[StoredArticle]:
        sql = "SELECT * FROM articles" + (f" WHERE {where}" if where else "") + " ORDER BY id"
        for row in self.conn.execute(sql, params):
            yield _stored_from_row(row)

    def count_articles(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])


def _is_readonly_error(exc: BaseException | None) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.Error) and ("readonly" in text or "read-only" in text or "unable to open" in text)


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection; ``immutable`` when SQLite cannot even create its WAL shared memory
    beside the file (a read-only folder or mount), which it needs to read a WAL database."""
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.Error:
        conn.close()
    return sqlite3.connect(f"{uri}?immutable=1", uri=True, check_same_thread=False)


def _keep_first_version(store: Store, key: str) -> None:
    # Imported here: both modules import this one.
    from warta.store.revisions import keep_first_version
    from warta.store.sqlite_clusters import SqliteClusterStore

    keep_first_version(SqliteClusterStore(store), key)


def _article_row(a: Article) -> tuple[Any, ...]:
    day = a.published[:10] if a.published and len(a.published) >= 10 else None
    return (
        a.url,
        a.domain,
        a.site_name,
        a.language,
        a.title,
        a.published,
        day,
        a.section,
        "; ".join(a.authors),
        None if a.paywalled is None else int(a.paywalled),
        a.access,
        a.text,
        json.dumps(a.to_dict(), ensure_ascii=False),
    )


def _stored_from_row(row: sqlite3.Row) -> StoredArticle:
    return StoredArticle(
        id=int(row["id"]),
        url_key=str(row["url_key"]),
        article=Article.from_dict(json.loads(row["data"])),
        first_seen=str(row["first_seen"]),
        updated_at=str(row["updated_at"]),
        capture_id=row["capture_id"],
    )


def _capture_from_row(row: sqlite3.Row) -> Capture:
    return Capture(
        url=str(row["url"]),
        final_url=str(row["final_url"]),
        status=int(row["status"]),
        headers=tuple((str(k), str(v)) for k, v in json.loads(row["headers"])),
        body=zlib.decompress(row["body"]),
        fetched_at=str(row["fetched_at"]),
    )
