"""The crawl frontier: jobs, runs, every URL's state and outcome, conditional-request validators.

Tables (all created by :class:`warta.store.sqlite.Store` on open):

- ``crawl_jobs``: one row per distinct crawl command (mode + sites + window); re-running the same
  command resumes the same job.
- ``crawl_runs``: one row per process that worked on a job (started/finished, status, requests).
- ``frontier``: one row per URL key per job: ``kind`` (robots|sitemap|feed|listing|article),
  ``state`` (queued -> fetching -> [fetched] -> done) and the final ``outcome``.
- ``frontier_aliases``: other URLs that mapped to a key already in the frontier ("duplicate URL").
- ``validators``: ETag / Last-Modified per job and URL key, for conditional requests.
- view ``outcomes``: (job_id, run_id, kind, outcome, n) counts, read by ``warta stats`` and the web UI.

Crash safety: a URL is marked done in the same transaction that records what it produced
(children, article). Rows left in ``fetching`` by a killed process go back to ``queued``; rows in
``fetched`` keep their raw capture and are re-extracted, not re-fetched.

This module is the SQLite backend of :class:`warta.store.protocols.FrontierStore` and owns the
backend-neutral records (``Job``, ``Pending``, ``Entry``, ``OutcomeCount``, ``Outcome``); the
PostgreSQL backend is :mod:`warta.store.pg_frontier`. :func:`warta.store.backends.open_frontier`
picks one for an article store.
"""

from __future__ import annotations

import enum
import fcntl
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from warta.errors import ConfigError
from warta.model import Candidate
from warta.store import health
from warta.store.sqlite import Store, utcnow

SCHEMA = """
CREATE TABLE IF NOT EXISTS crawl_jobs (
    id          INTEGER PRIMARY KEY,
    spec        TEXT NOT NULL UNIQUE,   -- JSON of mode, sites, since, until
    mode        TEXT NOT NULL,          -- backfill | watch
    sites       TEXT NOT NULL,          -- JSON list of seed URLs
    since       TEXT,
    until       TEXT,
    status      TEXT NOT NULL,          -- running | finished
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS crawl_runs (
    id          INTEGER PRIMARY KEY,
    job_id      INTEGER NOT NULL REFERENCES crawl_jobs(id),
    command     TEXT NOT NULL,
    pid         INTEGER,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL,          -- running | finished | interrupted | failed
    requests    INTEGER NOT NULL DEFAULT 0,
    stored      INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS frontier (
    id          INTEGER PRIMARY KEY,
    job_id      INTEGER NOT NULL,
    url_key     TEXT NOT NULL,
    url         TEXT NOT NULL,
    kind        TEXT NOT NULL,          -- robots | sitemap | feed | listing | article
    prio        INTEGER NOT NULL,       -- lower first: discovery before articles
    found_by    TEXT NOT NULL,
    hint        TEXT,                   -- date known before fetching (ISO)
    depth       INTEGER NOT NULL DEFAULT 0,
    state       TEXT NOT NULL,          -- queued | fetching | fetched | done
    outcome     TEXT,                   -- stored, out of date range, ..., error:<type>
    detail      TEXT,
    capture_id  INTEGER,
    article_id  INTEGER,
    run_id      INTEGER,
    updated_at  TEXT NOT NULL,
    UNIQUE (job_id, url_key)
);
CREATE INDEX IF NOT EXISTS frontier_queue ON frontier(job_id, state, prio, id);
CREATE INDEX IF NOT EXISTS frontier_key ON frontier(url_key, state);
CREATE TABLE IF NOT EXISTS frontier_aliases (
    job_id      INTEGER NOT NULL,
    url         TEXT NOT NULL,
    url_key     TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'article',
    run_id      INTEGER,
    PRIMARY KEY (job_id, url)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS validators (
    job_id        INTEGER NOT NULL,
    url_key       TEXT NOT NULL,
    etag          TEXT,
    last_modified TEXT,
    PRIMARY KEY (job_id, url_key)
) WITHOUT ROWID;
CREATE VIEW IF NOT EXISTS outcomes AS
    SELECT job_id, run_id, kind, outcome, COUNT(*) AS n FROM frontier
    WHERE outcome IS NOT NULL GROUP BY job_id, run_id, kind, outcome
    UNION ALL
    SELECT job_id, run_id, kind, 'duplicate URL', COUNT(*) FROM frontier_aliases
    GROUP BY job_id, run_id, kind;
"""

# The columns of each frontier table both backends share, parents first: what ``warta db copy``
# moves (:meth:`Frontier.export_rows` / :meth:`Frontier.import_rows`). In exported rows a time is
# ISO text (UTC) and a job's ``sites`` a list.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "crawl_jobs": ("id", "spec", "mode", "sites", "since", "until", "status", "created_at", "updated_at"),
    "crawl_runs": ("id", "job_id", "command", "pid", "started_at", "finished_at", "status", "requests", "stored"),
    "frontier": ("id", "job_id", "url_key", "url", "kind", "prio", "found_by", "hint", "depth", "state", "outcome",
                 "detail", "capture_id", "article_id", "run_id", "updated_at"),
    "frontier_aliases": ("job_id", "url", "url_key", "kind", "run_id"),
    "validators": ("job_id", "url_key", "etag", "last_modified"),
    "source_days": ("site", "day", "kind", "outcome", "reason", "fetched", "n"),
    "sources": ("site", "last_fetch_at", "last_ok_at", "last_success_at", "last_blocked_at", "last_block",
                "blocked_streak", "script_streak", "robots", "robots_at", "last_run", "run_fetches", "run_stored",
                "run_blocked", "run_script_only"),
}

# Discoveries whose date is a publication date (a plain sitemap's lastmod is a modification date).
PUBLICATION_SOURCES = frozenset({"news-sitemap", "feed", "listing"})

PRIORITY = {"robots": 0, "sitemap": 1, "feed": 1, "listing": 2, "article": 3}

# An article URL in flight in another job is left alone this long (then that job is presumed dead).
IN_FLIGHT_SECONDS = 300
# A capture of an article URL fetched by any job this recently is extracted again, not re-fetched.
CAPTURE_REUSE_SECONDS = 86400


class Outcome(enum.StrEnum):
    """Final outcomes of a URL (errors are ``error:<type>`` strings)."""

    STORED = "stored"
    ALREADY_STORED = "already stored"
    OUT_OF_RANGE = "out of date range"
    NOT_ARTICLE = "not an article"
    ROBOTS = "robots-disallowed"
    DUPLICATE = "duplicate URL"
    BLOCKED = "blocked"
    PAYWALLED = "paywalled"
    PARSED = "parsed"
    NOT_MODIFIED = "not modified"
    UNDATED = "undated"
    SCRIPT_ONLY = "script-only"  # a page shell whose article text is only in its scripts


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    mode: str
    sites: tuple[str, ...]
    since: str | None
    until: str | None
    status: str


@dataclass(frozen=True, slots=True)
class Pending:
    """A URL to add to the frontier; ``outcome`` set means decided without fetching."""

    candidate: Candidate
    kind: str
    depth: int = 0
    outcome: str | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Entry:
    """One claimed frontier row."""

    id: int
    url: str
    key: str
    kind: str
    found_by: str
    hint: str | None
    depth: int
    capture_id: int | None


@dataclass(frozen=True, slots=True)
class OutcomeCount:
    kind: str
    outcome: str
    n: int

    def to_dict(self) -> dict[str, str | int]:
        return {"kind": self.kind, "outcome": self.outcome, "n": self.n}


@contextmanager
def job_lock(db: Path, job_id: int) -> Iterator[None]:
    """One process per job: a second ``warta crawl`` of the same command waits for nobody, it
    stops with a clear error (the OS drops the lock when its holder dies, even by kill -9)."""
    path = db.with_name(f"{db.name}.job{job_id}.lock")
    with open(path, "a+b") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise ConfigError(
                f"job {job_id} is being crawled by another process (lock {path})", path=str(path)
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


class Frontier:
    """Frontier operations over an open :class:`Store` (the SQLite ``FrontierStore``)."""

    backend = "sqlite"

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn: sqlite3.Connection = store.conn

    def job_lock(self, job_id: int) -> AbstractContextManager[None]:
        """One process per job: a lock file beside the database (see :func:`job_lock`)."""
        return job_lock(self.store.path, job_id)

    # -- jobs and runs ------------------------------------------------------------------------
    def job(self, mode: str, sites: Sequence[str], since: str | None, until: str | None) -> tuple[Job, bool]:
        """Get or create the job for this command. Returns (job, existed)."""
        spec = json.dumps({"mode": mode, "sites": sorted(sites), "since": since, "until": until})
        row = self.conn.execute("SELECT * FROM crawl_jobs WHERE spec=?", (spec,)).fetchone()
        if row is None:
            now = utcnow()
            with self.store.transaction() as conn:
                conn.execute(
                    "INSERT INTO crawl_jobs(spec, mode, sites, since, until, status, created_at, updated_at)"
                    " VALUES (?,?,?,?,?,'running',?,?)",
                    (spec, mode, json.dumps(list(sites)), since, until, now, now),
                )
            row = self.conn.execute("SELECT * FROM crawl_jobs WHERE spec=?", (spec,)).fetchone()
            return _job(row), False
        return _job(row), True

    def set_job_status(self, job_id: int, status: str) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE crawl_jobs SET status=?, updated_at=? WHERE id=?", (status, utcnow(), job_id)
            )

    def start_run(self, job_id: int, command: str) -> int:
        with self.store.transaction() as conn:
            # A run still marked running belongs to a process that died.
            conn.execute(
                "UPDATE crawl_runs SET status='interrupted' WHERE job_id=? AND status='running'", (job_id,)
            )
            cur = conn.execute(
                "INSERT INTO crawl_runs(job_id, command, pid, started_at, status) VALUES (?,?,?,?,'running')",
                (job_id, command, os.getpid(), utcnow()),
            )
            return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, status: str, requests: int, stored: int) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE crawl_runs SET status=?, finished_at=?, requests=?, stored=? WHERE id=?",
                (status, utcnow(), requests, stored, run_id),
            )

    def run_requests(self, run_id: int, add: int = 0) -> int:
        with self.store.transaction() as conn:
            row = conn.execute("UPDATE crawl_runs SET requests = requests + ? WHERE id = ? RETURNING requests",
                               (add, run_id)).fetchone()
            return int(row[0]) if row else 0

    def recover(self, job_id: int) -> int:
        """Put rows left in flight by a killed process back in the queue. Returns their number."""
        with self.store.transaction() as conn:
            cur = conn.execute(
                "UPDATE frontier SET state=CASE WHEN capture_id IS NULL THEN 'queued' ELSE 'fetched' END"
                " WHERE job_id=? AND state='fetching'",
                (job_id,),
            )
            return cur.rowcount

    def release_stale(self, job_id: int, older_than_seconds: float) -> int:
        """Put back rows claimed (``fetching``) and untouched for ``older_than_seconds``: what a
        worker that died had claimed (a live worker keeps its rows fresh with :meth:`heartbeat`).
        A row with a kept capture goes to ``fetched`` (re-extracted, not re-fetched). Returns their number."""
        with self.store.transaction() as conn:
            cur = conn.execute(
                "UPDATE frontier SET state=CASE WHEN capture_id IS NULL THEN 'queued' ELSE 'fetched' END,"
                " updated_at=? WHERE job_id=? AND state='fetching' AND updated_at<?",
                (utcnow(), job_id, _ago(older_than_seconds)),
            )
            return cur.rowcount

    def heartbeat(self, entry_ids: Sequence[int]) -> None:
        """A live worker still holds these claimed rows (keeps them from :meth:`release_stale`)."""
        if not entry_ids:
            return
        now = utcnow()
        with self.store.transaction() as conn:
            conn.executemany(
                "UPDATE frontier SET updated_at=? WHERE id=? AND state='fetching'", [(now, i) for i in entry_ids]
            )

    def requeue(self, job_id: int, kinds: Iterable[str], *, entry_points_only: bool = False) -> int:
        """Queue discovery documents again (a new pass over a finished job, or a watch poll).

        ``entry_points_only`` (watch) re-polls only what the seeds, robots.txt and recipes name,
        plus news sitemaps; deeper sitemaps and listing pages are fetched again only when new.
        """
        kinds = tuple(kinds)
        marks = ",".join("?" * len(kinds))
        sql = (
            f"UPDATE frontier SET state='queued', outcome=NULL, detail=NULL WHERE job_id=? AND state='done'"
            f" AND kind IN ({marks}) AND (outcome IS NULL OR outcome NOT LIKE 'robots%')"
        )
        if entry_points_only:
            sql += " AND (found_by IN ('seed', 'robots', 'recipe') OR kind='feed' OR url LIKE '%news%')"
        with self.store.transaction() as conn:
            return conn.execute(sql, (job_id, *kinds)).rowcount

    # -- adding and claiming ------------------------------------------------------------------
    def add(self, job_id: int, items: Iterable[Pending], run_id: int | None = None) -> int:
        """Add URLs (idempotent per key); returns how many keys were new."""
        with self.store.transaction() as conn:
            return self._add(conn, job_id, items, run_id)

    def _add(
        self, conn: sqlite3.Connection, job_id: int, items: Iterable[Pending], run_id: int | None
    ) -> int:
        now, added = utcnow(), 0
        for p in items:
            c = p.candidate
            state = "queued" if p.outcome is None else "done"
            cur = conn.execute(
                "INSERT OR IGNORE INTO frontier(job_id, url_key, url, kind, prio, found_by, hint, depth,"
                " state, outcome, detail, run_id, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    job_id,
                    c.key,
                    c.url,
                    p.kind,
                    PRIORITY.get(p.kind, 3),
                    c.found_by,
                    c.hint_published,
                    p.depth,
                    state,
                    p.outcome,
                    p.detail or None,
                    run_id,
                    now,
                ),
            )
            if cur.rowcount:
                added += 1
                if p.outcome is not None:  # decided without fetching (robots, a known date)
                    event = health.Event(c.url, p.kind, p.outcome, p.detail, False, run_id, now)
                    health.record(conn, event)
                continue
            if c.hint_published:
                self._learn_hint(conn, job_id, p)
            known = conn.execute(
                "SELECT url FROM frontier WHERE job_id=? AND url_key=?", (job_id, c.key)
            ).fetchone()
            if known is not None and known["url"] != c.url:
                conn.execute(
                    "INSERT OR IGNORE INTO frontier_aliases(job_id, url, url_key, kind, run_id)"
                    " VALUES (?,?,?,?,?)",
                    (job_id, c.url, c.key, p.kind, run_id),
                )
        return added

    def discovery_pending(self, job_id: int) -> bool:
        """True while any non-article URL of the job is not done."""
        row = self.conn.execute(
            "SELECT 1 FROM frontier WHERE job_id=? AND state IN ('queued','fetching') AND prio<? LIMIT 1",
            (job_id, PRIORITY["article"]),
        ).fetchone()
        return row is not None

    @staticmethod
    def _learn_hint(conn: sqlite3.Connection, job_id: int, p: Pending) -> None:
        """A date learned later still decides a URL not fetched yet: it fills a missing date, and a
        publication date (news sitemap, feed, listing) overrides a plain sitemap's lastmod."""
        c = p.candidate
        state = "queued" if p.outcome is None else "done"
        stronger = int(c.found_by in PUBLICATION_SOURCES)
        conn.execute(
            "UPDATE frontier SET hint=?, found_by=?, state=?, outcome=?, detail=? WHERE job_id=? AND url_key=?"
            " AND kind='article' AND ((state='queued' AND hint IS NULL) OR (? AND found_by='sitemap'"
            " AND (state='queued' OR (state='done' AND outcome=?))))",
            (
                c.hint_published,
                c.found_by,
                state,
                p.outcome,
                p.detail or None,
                job_id,
                c.key,
                stronger,
                Outcome.OUT_OF_RANGE.value,
            ),
        )

    def claim(self, job_id: int, run_id: int, limit: int, kinds: Sequence[str] | None = None) -> list[Entry]:
        """Take up to ``limit`` rows to work on (fetched-but-not-extracted first, then queued)."""
        if limit <= 0:
            return []
        sql = "SELECT id, url, url_key, kind, found_by, hint, depth, capture_id FROM frontier f WHERE job_id=?"
        params: list[object] = [job_id]
        if kinds is not None:
            sql += f" AND kind IN ({','.join('?' * len(kinds))})"
            params += list(kinds)
        # an article another job is fetching right now waits: that job's capture or article is
        # reused when it is done, so two jobs on one database never fetch one page twice
        busy = (
            " AND NOT (kind='article' AND EXISTS (SELECT 1 FROM frontier o WHERE o.url_key=f.url_key"
            " AND o.state='fetching' AND o.job_id!=f.job_id AND o.capture_id IS NULL AND o.updated_at>?))"
        )
        now = utcnow()
        with self.store.transaction() as conn:
            if not conn.in_transaction:  # read and mark as one: another job cannot claim in between
                conn.execute("BEGIN IMMEDIATE")
            rows = conn.execute(sql + " AND state='fetched' ORDER BY id LIMIT ?", (*params, limit)).fetchall()
            rows += conn.execute(
                sql + " AND state='queued'" + busy + " ORDER BY prio, id LIMIT ?",
                (*params, _ago(IN_FLIGHT_SECONDS), limit - len(rows)),
            ).fetchall()
            conn.executemany(
                "UPDATE frontier SET state='fetching', run_id=?, updated_at=? WHERE id=?",
                [(run_id, now, r["id"]) for r in rows],
            )
        return [
            Entry(
                r["id"],
                r["url"],
                r["url_key"],
                r["kind"],
                r["found_by"],
                r["hint"],
                r["depth"],
                r["capture_id"],
            )
            for r in rows
        ]

    def mark_fetched(self, entry_id: int, capture_id: int) -> None:
        """Remember the raw capture of an in-flight row: after a crash it is re-extracted, not re-fetched."""
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE frontier SET capture_id=?, updated_at=? WHERE id=?",
                (capture_id, utcnow(), entry_id),
            )

    def finish(
        self,
        entry_id: int,
        outcome: str,
        *,
        detail: str = "",
        article_id: int | None = None,
        children: Sequence[Pending] = (),
        job_id: int = 0,
        run_id: int | None = None,
    ) -> int:
        """Record a URL's outcome and the URLs it led to, atomically. Returns new children."""
        with self.store.transaction() as conn:
            added = self._add(conn, job_id, children, run_id) if children else 0
            now = utcnow()
            conn.execute(
                "UPDATE frontier SET state='done', outcome=?, detail=?, article_id=COALESCE(?, article_id),"
                " run_id=COALESCE(?, run_id), updated_at=? WHERE id=?",
                (outcome, detail[:500] or None, article_id, run_id, now, entry_id),
            )
            self._count(conn, entry_id, outcome, detail, run_id, now)
            return added

    @staticmethod
    def _count(
        conn: sqlite3.Connection, entry_id: int, outcome: str, detail: str, run_id: int | None, now: str
    ) -> None:
        """The outcome in the per-source health tables (:mod:`warta.store.health`)."""
        row = conn.execute("SELECT url, kind, capture_id, article_id FROM frontier WHERE id=?", (entry_id,)).fetchone()
        if row is not None:
            fetched = health.was_fetched(row["kind"], outcome, row["capture_id"])
            event = health.Event(row["url"], row["kind"], outcome, detail, fetched, run_id, now, row["article_id"])
            health.record(conn, event)

    # -- validators ---------------------------------------------------------------------------
    def validators(self, job_id: int, key: str) -> tuple[str | None, str | None]:
        row = self.conn.execute(
            "SELECT etag, last_modified FROM validators WHERE job_id=? AND url_key=?", (job_id, key)
        ).fetchone()
        return (row["etag"], row["last_modified"]) if row else (None, None)

    def save_validators(self, job_id: int, key: str, etag: str | None, last_modified: str | None) -> None:
        if not etag and not last_modified:
            return
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO validators(job_id, url_key, etag, last_modified) VALUES (?,?,?,?)",
                (job_id, key, etag, last_modified),
            )

    # -- reporting ----------------------------------------------------------------------------
    def stored_article(self, key: str) -> tuple[int, int | None] | None:
        """(article id, capture id) of the article stored under ``key``, if any."""
        row = self.conn.execute("SELECT id, capture_id FROM articles WHERE url_key=?", (key,)).fetchone()
        return (int(row["id"]), row["capture_id"]) if row else None

    def recent_capture(self, key: str, max_age: float = CAPTURE_REUSE_SECONDS) -> int | None:
        """The newest capture of ``key`` fetched within ``max_age`` seconds (by any job), if any."""
        row = self.conn.execute(
            "SELECT id FROM captures WHERE url_key=? AND fetched_at>=? ORDER BY id DESC LIMIT 1",
            (key, _ago(max_age)),
        ).fetchone()
        return int(row["id"]) if row else None

    def queued(self, job_id: int) -> int:
        """URLs of the job still waiting (some may wait for another job's fetch of the same page)."""
        row = self.conn.execute("SELECT COUNT(*) FROM frontier WHERE job_id=? AND state='queued'", (job_id,))
        return int(row.fetchone()[0])

    def run_outcome(self, run_id: int, outcome: str) -> int:
        """How many URLs the run finished with ``outcome``."""
        row = self.conn.execute("SELECT COUNT(*) FROM frontier WHERE run_id=? AND outcome=?", (run_id, outcome))
        return int(row.fetchone()[0])

    def first_error(self, run_id: int) -> tuple[str, str] | None:
        """(url, detail or outcome) of the first URL the run finished with an ``error:`` outcome."""
        row = self.conn.execute(
            "SELECT url, outcome, detail FROM frontier WHERE run_id=? AND outcome LIKE 'error:%'"
            " ORDER BY prio, id LIMIT 1",
            (run_id,),
        ).fetchone()
        return None if row is None else (str(row["url"]), str(row["detail"] or row["outcome"]))

    def has_listed_articles(self, job_id: int) -> bool:
        """True when sitemaps or feeds of the job named any article."""
        row = self.conn.execute(
            "SELECT 1 FROM frontier WHERE job_id=? AND kind='article'"
            " AND found_by IN ('sitemap', 'news-sitemap', 'feed') LIMIT 1",
            (job_id,),
        ).fetchone()
        return row is not None

    def pending(self, job_id: int) -> int:
        return int(
            self.conn.execute(
                "SELECT COUNT(*) FROM frontier WHERE job_id=? AND state!='done'", (job_id,)
            ).fetchone()[0]
        )

    def outcome_counts(self, job_id: int | None = None, run_id: int | None = None) -> list[OutcomeCount]:
        where, params = [], []
        if job_id is not None:
            where.append("job_id=?")
            params.append(job_id)
        if run_id is not None:
            where.append("run_id=?")
            params.append(run_id)
        sql = "SELECT kind, outcome, SUM(n) AS n FROM outcomes"
        sql += (" WHERE " + " AND ".join(where)) if where else ""
        sql += " GROUP BY kind, outcome ORDER BY kind='article' DESC, kind, n DESC"
        return [OutcomeCount(r["kind"], r["outcome"], int(r["n"])) for r in self.conn.execute(sql, params)]

    def source_rows(self) -> list[health.SourceRow]:
        """Every site's health state row (:mod:`warta.store.health`)."""
        return [_typed_source(r) for r in health.source_rows(self.conn)]

    def day_rows(self, since: str | None = None) -> list[health.DayRow]:
        """Per-site, per-day outcome counts (from the day ``since`` on), oldest day first."""
        return [_typed_day(r) for r in health.day_rows(self.conn, since)]

    # -- copying (warta db copy) ----------------------------------------------------------------
    def export_rows(self, table: str) -> Iterator[dict[str, Any]]:
        """Every row of one of :data:`TABLE_COLUMNS`' tables, in the exported form."""
        cols = TABLE_COLUMNS[table]
        for row in self.conn.execute(f"SELECT {', '.join(cols)} FROM {table}"):
            out = dict(zip(cols, row, strict=True))
            if table == "crawl_jobs":
                out["sites"] = json.loads(out["sites"])
            yield out

    def import_rows(self, table: str, rows: Sequence[dict[str, Any]]) -> None:
        """Insert exported rows as they are (ids kept)."""
        cols = TABLE_COLUMNS[table]
        values = [tuple(json.dumps(r[c]) if (table, c) == ("crawl_jobs", "sites") else r[c] for c in cols) for r in rows]
        with self.store.transaction() as conn:
            conn.executemany(f"INSERT INTO {table}({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", values)

    def jobs(self) -> list[Job]:
        return [_job(r) for r in self.conn.execute("SELECT * FROM crawl_jobs ORDER BY id")]

    def runs(self, limit: int = 20) -> list[dict[str, object]]:
        rows = self.conn.execute("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT ?", (limit,))
        return [dict(r) for r in rows]


def _ago(seconds: float) -> str:
    """The UTC time ``seconds`` ago, in the ISO form the tables store."""
    return (datetime.now(UTC) - timedelta(seconds=seconds)).isoformat(timespec="seconds")


def _job(row: sqlite3.Row) -> Job:
    return Job(
        int(row["id"]),
        str(row["mode"]),
        tuple(json.loads(row["sites"])),
        row["since"],
        row["until"],
        str(row["status"]),
    )


def _typed_source(row: sqlite3.Row) -> health.SourceRow:
    return cast(health.SourceRow, dict(row))


def _typed_day(row: sqlite3.Row) -> health.DayRow:
    return cast(health.DayRow, dict(row))
