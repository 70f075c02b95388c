"""The PostgreSQL backend of :class:`warta.store.protocols.FrontierStore` (extra ``warta[postgres]``).

Same semantics as the SQLite :class:`warta.store.frontier.Frontier` (read its docstring), in the
database of a :class:`~warta.store.postgres.PostgresArticleStore` and through its connection pool,
so that any number of worker processes, on any number of machines, share one frontier:

- a claim is one statement, ``UPDATE ... FROM (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING``:
  two workers never take one row and never wait for each other;
- adds are ``INSERT ... ON CONFLICT DO NOTHING`` over arrays (one round trip per batch);
- claim ages are the server's clock (``now()``), so :meth:`PostgresFrontier.release_stale` and
  "another job is fetching this page" hold across machines;
- the job lock is ``pg_try_advisory_lock`` on a connection held for the lock's life: a killed
  holder's session ends and the lock is freed with it.

Rows are written in key order and source-health rows in site order, so concurrent transactions
take their row locks in one order (no deadlocks).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from warta.errors import ConfigError, StoreError
from warta.store import pg_health
from warta.store.conflicts import retrying
from warta.store.frontier import (
    CAPTURE_REUSE_SECONDS,
    IN_FLIGHT_SECONDS,
    PRIORITY,
    PUBLICATION_SOURCES,
    TABLE_COLUMNS,
    Entry,
    Job,
    Outcome,
    OutcomeCount,
    Pending,
)
from warta.store.health import DayRow, Event, SourceRow, was_fetched
from warta.store.postgres import PostgresArticleStore, _reason, write_error
from warta.store.sqlite import utcnow

_JOB_LOCKS = 0x6A6F6273  # "jobs": the advisory-lock namespace of job locks (key 2 is the job id)
_ENTRY = "f.id, f.url, f.url_key, f.kind, f.found_by, f.hint, f.depth, f.capture_id"
_BUSY = (
    " AND NOT (f.kind = 'article' AND EXISTS (SELECT 1 FROM frontier o WHERE o.url_key = f.url_key"
    " AND o.state = 'fetching' AND o.job_id <> f.job_id AND o.capture_id IS NULL"
    " AND o.updated_at > now() - make_interval(secs => %(in_flight)s::float8)))"
)
_CLAIM = """
WITH again AS (
    SELECT f.id, 0 AS q, 0 AS p FROM frontier f WHERE f.job_id = %(job)s AND f.state = 'fetched'{kinds}
    ORDER BY f.id LIMIT %(n)s FOR UPDATE SKIP LOCKED
), queued AS (
    SELECT f.id, 1 AS q, f.prio AS p FROM frontier f WHERE f.job_id = %(job)s AND f.state = 'queued'{kinds}{busy}
    ORDER BY f.prio, f.id LIMIT %(n)s FOR UPDATE SKIP LOCKED
), picked AS (
    SELECT * FROM again UNION ALL SELECT * FROM queued ORDER BY q, p, id LIMIT %(n)s
)
UPDATE frontier f SET state = 'fetching', run_id = %(run)s, updated_at = now() FROM picked
WHERE f.id = picked.id RETURNING picked.q, picked.p, {entry}
"""
_LEARN_HINT = (
    "UPDATE frontier SET hint = %s, found_by = %s, state = %s, outcome = %s, detail = %s"
    " WHERE job_id = %s AND url_key = %s AND kind = 'article' AND ((state = 'queued' AND hint IS NULL)"
    " OR (%s AND found_by = 'sitemap' AND (state = 'queued' OR (state = 'done' AND outcome = %s))))"
)
_EXPORTED = {("frontier", "updated_at"):
             """to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"') AS updated_at"""}
_IMPORTED = {("frontier", "updated_at"): "%s::timestamptz"}
_REQUEUED = "CASE WHEN capture_id IS NULL THEN 'queued' ELSE 'fetched' END"


class PostgresFrontier:
    """The crawl frontier in the PostgreSQL database of ``store``."""

    backend = "postgresql"

    def __init__(self, store: PostgresArticleStore) -> None:
        self.store = store

    # -- plumbing ---------------------------------------------------------------------------------
    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return list(self.store._rows(sql, params, dicts=True))

    def _value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self.store._rows(sql, params)
        return rows[0][0] if rows else None

    def _count(self, sql: str, params: Sequence[Any] = ()) -> int:
        """One write statement (in the caller's transaction, or alone); returns its row count."""
        return self.store._exec(sql, params)

    # -- jobs, runs and the job lock ---------------------------------------------------------------
    def job(self, mode: str, sites: Sequence[str], since: str | None, until: str | None) -> tuple[Job, bool]:
        """Get or create the job for this command. Returns (job, existed)."""
        spec = json.dumps({"mode": mode, "sites": sorted(sites), "since": since, "until": until})
        now = utcnow()
        created = self.store._write(
            "INSERT INTO crawl_jobs(spec, mode, sites, since, until, status, created_at, updated_at)"
            " VALUES (%s, %s, %s, %s, %s, 'running', %s, %s) ON CONFLICT (spec) DO NOTHING RETURNING id",
            (spec, mode, Jsonb(list(sites)), since, until, now, now),
        )
        row = self._rows("SELECT * FROM crawl_jobs WHERE spec = %s", (spec,))[0]
        return _job(row), not created

    @contextmanager
    def job_lock(self, job_id: int) -> Iterator[None]:
        """One process per job: an advisory lock on a session of its own, freed when the session ends
        (the holder returns, or dies: the server drops a killed process's session)."""
        where = f"{self.store.location} advisory lock {_JOB_LOCKS}/{job_id}"
        try:
            conn = psycopg.connect(self.store.url, autocommit=True, connect_timeout=30)
        except psycopg.Error as exc:
            raise StoreError(f"cannot take the job lock: {_reason(exc)}", path=self.store.location) from exc
        with conn:
            try:
                row = conn.execute("SELECT pg_try_advisory_lock(%s::int4, %s::int4)", (_JOB_LOCKS, job_id)).fetchone()
            except psycopg.Error as exc:
                raise StoreError(f"cannot take the job lock: {_reason(exc)}", path=self.store.location) from exc
            if not (row and row[0]):
                raise ConfigError(f"job {job_id} is being crawled by another process (lock {where})", path=where)
            try:
                yield
            finally:
                with suppress(psycopg.Error):  # closing the session frees it anyway
                    conn.execute("SELECT pg_advisory_unlock(%s::int4, %s::int4)", (_JOB_LOCKS, job_id))

    def set_job_status(self, job_id: int, status: str) -> None:
        self._count("UPDATE crawl_jobs SET status = %s, updated_at = %s WHERE id = %s", (status, utcnow(), job_id))

    def start_run(self, job_id: int, command: str) -> int:
        with self.store.transaction():
            conn = self.store._conn()
            # a run still marked running belongs to a process that died
            conn.execute("UPDATE crawl_runs SET status = 'interrupted' WHERE job_id = %s AND status = 'running'",
                         (job_id,))
            row = conn.execute(
                "INSERT INTO crawl_runs(job_id, command, pid, started_at, status) VALUES (%s, %s, %s, %s, 'running')"
                " RETURNING id", (job_id, command, os.getpid(), utcnow()),
            ).fetchone()
            return int(row[0]) if row else 0

    def finish_run(self, run_id: int, status: str, requests: int, stored: int) -> None:
        self._count(
            "UPDATE crawl_runs SET status = %s, finished_at = %s, requests = %s, stored = %s WHERE id = %s",
            (status, utcnow(), requests, stored, run_id),
        )

    def run_requests(self, run_id: int, add: int = 0) -> int:
        rows = self.store._write("UPDATE crawl_runs SET requests = requests + %s WHERE id = %s RETURNING requests",
                                 (add, run_id))
        return int(rows[0][0]) if rows else 0

    def recover(self, job_id: int) -> int:
        """Put rows left in flight by a killed process back in the queue. Returns their number."""
        return self._count(f"UPDATE frontier SET state = {_REQUEUED} WHERE job_id = %s AND state = 'fetching'",
                           (job_id,))

    def release_stale(self, job_id: int, older_than_seconds: float) -> int:
        """Rows claimed (or last marked fetched) more than ``older_than_seconds`` ago by the server's
        clock and still in flight go back in the queue, their capture kept. Returns their number."""
        return self._count(
            f"UPDATE frontier SET state = {_REQUEUED} WHERE job_id = %s AND state = 'fetching'"
            " AND updated_at < now() - make_interval(secs => %s::float8)",
            (job_id, older_than_seconds),
        )

    def heartbeat(self, entry_ids: Sequence[int]) -> None:
        """A live worker still holds these claimed rows (keeps them from :meth:`release_stale`)."""
        if entry_ids:
            self._count("UPDATE frontier SET updated_at = now() WHERE id = ANY(%s::bigint[]) AND state = 'fetching'",
                        (list(entry_ids),))

    def requeue(self, job_id: int, kinds: Iterable[str], *, entry_points_only: bool = False) -> int:
        """Queue discovery documents again (see :meth:`warta.store.frontier.Frontier.requeue`)."""
        sql = (
            "UPDATE frontier SET state = 'queued', outcome = NULL, detail = NULL WHERE job_id = %s AND state = 'done'"
            " AND kind = ANY(%s) AND (outcome IS NULL OR outcome NOT LIKE 'robots%%')"
        )
        if entry_points_only:
            sql += " AND (found_by IN ('seed', 'robots', 'recipe') OR kind = 'feed' OR url LIKE '%%news%%')"
        return self._count(sql, (job_id, list(kinds)))

    # -- adding and claiming ------------------------------------------------------------------------
    def add(self, job_id: int, items: Iterable[Pending], run_id: int | None = None) -> int:
        """Add URLs (idempotent per key); returns how many keys were new."""
        with self.store.transaction(pipeline=True):
            events: list[Event] = []
            added = self._add(self.store._conn(), job_id, list(items), run_id, events)
            pg_health.record(self.store._conn(), events)
            return added

    def _add(
        self, conn: psycopg.Connection[Any], job_id: int, items: list[Pending], run_id: int | None, events: list[Event]
    ) -> int:
        if not items:
            return 0
        first: dict[str, Pending] = {}
        for p in items:
            first.setdefault(p.candidate.key, p)
        fresh = list(first.values())
        ids = sorted(int(r[0]) for r in conn.execute(
            "SELECT nextval(pg_get_serial_sequence('frontier', 'id')) FROM generate_series(1, %s)", (len(fresh),)
        ))  # ids in the order given (the claim order within a priority), rows written in key order
        now = utcnow()
        cols = list(zip(*[_row(i, p) for i, p in zip(ids, fresh, strict=True)], strict=True))
        added, inserted = 0, {str(r[0]) for r in conn.execute(
            "INSERT INTO frontier(id, job_id, url_key, url, kind, prio, found_by, hint, depth, state, outcome,"
            " detail, run_id, updated_at) SELECT u.id, %s, u.k, u.url, u.kind, u.prio, u.found_by, u.hint, u.depth,"
            " u.state, u.outcome, u.detail, %s, now() FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[],"
            " %s::int[], %s::text[], %s::text[], %s::int[], %s::text[], %s::text[], %s::text[])"
            " AS u(id, k, url, kind, prio, found_by, hint, depth, state, outcome, detail) ORDER BY u.k"
            " ON CONFLICT (job_id, url_key) DO NOTHING RETURNING url_key",
            (job_id, run_id, *[list(c) for c in cols]),
        )}
        known: list[Pending] = []
        for p in items:
            c = p.candidate
            if c.key in inserted:  # its first occurrence: the row written (a repeat is a known key)
                inserted.discard(c.key)
                added += 1
                if p.outcome is not None:  # decided without fetching (robots, a known date)
                    events.append(Event(c.url, p.kind, p.outcome, p.detail, False, run_id, now))
            else:
                known.append(p)
        self._known(conn, job_id, known, run_id)
        return added

    @staticmethod
    def _known(conn: psycopg.Connection[Any], job_id: int, known: list[Pending], run_id: int | None) -> None:
        """Keys already in the frontier: a date learned later still decides a URL not fetched yet
        (see ``Frontier._learn_hint``); another URL of the key is an alias ("duplicate URL")."""
        if not known:
            return
        hinted = sorted((p for p in known if p.candidate.hint_published), key=lambda p: p.candidate.key)
        with conn.cursor() as cur:
            cur.executemany(_LEARN_HINT, [
                (p.candidate.hint_published, p.candidate.found_by, "queued" if p.outcome is None else "done",
                 p.outcome, p.detail or None, job_id, p.candidate.key, p.candidate.found_by in PUBLICATION_SOURCES,
                 Outcome.OUT_OF_RANGE.value) for p in hinted
            ])
        urls = {str(r[0]): str(r[1]) for r in conn.execute(
            "SELECT url_key, url FROM frontier WHERE job_id = %s AND url_key = ANY(%s)",
            (job_id, sorted({p.candidate.key for p in known})),
        )}
        aliases = sorted({(p.candidate.url, p.candidate.key, p.kind) for p in known
                          if p.candidate.key in urls and urls[p.candidate.key] != p.candidate.url})
        if aliases:
            conn.execute(
                "INSERT INTO frontier_aliases(job_id, url, url_key, kind, run_id) SELECT %s, u.url, u.k, u.kind, %s"
                " FROM unnest(%s::text[], %s::text[], %s::text[]) AS u(url, k, kind) ORDER BY u.url"
                " ON CONFLICT (job_id, url) DO NOTHING",
                (job_id, run_id, *[list(c) for c in zip(*aliases, strict=True)]),
            )

    def discovery_pending(self, job_id: int) -> bool:
        """True while any non-article URL of the job is not done."""
        return self._value(
            "SELECT 1 FROM frontier WHERE job_id = %s AND state IN ('queued', 'fetching') AND prio < %s LIMIT 1",
            (job_id, PRIORITY["article"]),
        ) is not None

    def claim(self, job_id: int, run_id: int, limit: int, kinds: Sequence[str] | None = None) -> list[Entry]:
        """Take up to ``limit`` rows (fetched-but-not-extracted first, then queued by priority); rows
        another worker holds are skipped, not waited for."""
        if limit <= 0:
            return []
        only = " AND f.kind = ANY(%(kinds)s)" if kinds is not None else ""
        sql = _CLAIM.format(kinds=only, busy=_BUSY, entry=_ENTRY)
        params = {"job": job_id, "run": run_id, "n": limit, "kinds": list(kinds or ()), "in_flight": IN_FLIGHT_SECONDS}
        with self.store.transaction(pipeline=True):
            rows = self.store._conn().execute(sql, params).fetchall()
        rows.sort(key=lambda r: (r[0], r[1], r[2]))
        return [Entry(int(r[2]), r[3], r[4], r[5], r[6], r[7], int(r[8]), r[9]) for r in rows]

    def mark_fetched(self, entry_id: int, capture_id: int) -> None:
        """Remember the raw capture of an in-flight row: after a crash it is re-extracted, not re-fetched."""
        self._count("UPDATE frontier SET capture_id = %s, updated_at = now() WHERE id = %s", (capture_id, entry_id))

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
        """Record a URL's outcome and the URLs it led to, atomically. Returns new children.

        Alone (not inside a caller's transaction), a commit that collided with another worker's
        (a deadlock over the health rows, say) is run again a few times; inside one, the caller
        decides (the crawl reruns its whole batch)."""
        def unit() -> int:
            return self._finish(entry_id, outcome, detail, article_id, children, job_id, run_id)

        return unit() if self.store.in_transaction() else retrying(unit)

    def _finish(
        self,
        entry_id: int,
        outcome: str,
        detail: str,
        article_id: int | None,
        children: Sequence[Pending],
        job_id: int,
        run_id: int | None,
    ) -> int:
        with self.store.transaction(pipeline=True):  # the writes and the commit go out together
            conn = self.store._conn()
            events: list[Event] = []
            added = self._add(conn, job_id, list(children), run_id, events) if children else 0
            row = conn.execute(
                "UPDATE frontier SET state = 'done', outcome = %s, detail = %s, article_id = COALESCE(%s, article_id),"
                " run_id = COALESCE(%s, run_id), updated_at = now() WHERE id = %s"
                " RETURNING url, kind, capture_id, article_id",
                (outcome, detail[:500] or None, article_id, run_id, entry_id),
            ).fetchone()
            if row is not None:
                fetched = was_fetched(str(row[1]), outcome, row[2])
                events.append(Event(str(row[0]), str(row[1]), outcome, detail, fetched, run_id, utcnow(), row[3]))
            pg_health.record(conn, events)
            return added

    # -- validators ---------------------------------------------------------------------------------
    def validators(self, job_id: int, key: str) -> tuple[str | None, str | None]:
        rows = self._rows("SELECT etag, last_modified FROM validators WHERE job_id = %s AND url_key = %s", (job_id, key))
        return (rows[0]["etag"], rows[0]["last_modified"]) if rows else (None, None)

    def save_validators(self, job_id: int, key: str, etag: str | None, last_modified: str | None) -> None:
        if not etag and not last_modified:
            return
        self._count(
            "INSERT INTO validators(job_id, url_key, etag, last_modified) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (job_id, url_key) DO UPDATE SET etag = EXCLUDED.etag, last_modified = EXCLUDED.last_modified",
            (job_id, key, etag, last_modified),
        )

    # -- reads --------------------------------------------------------------------------------------
    def stored_article(self, key: str) -> tuple[int, int | None] | None:
        """(article id, capture id) of the article stored under ``key``, if any."""
        rows = self._rows("SELECT id, capture_id FROM articles WHERE url_key = %s", (key,))
        return (int(rows[0]["id"]), rows[0]["capture_id"]) if rows else None

    def recent_capture(self, key: str, max_age: float = CAPTURE_REUSE_SECONDS) -> int | None:
        """The newest capture of ``key`` fetched within ``max_age`` seconds (by any job), if any."""
        found = self._value(
            "SELECT id FROM captures WHERE url_key = %s AND fetched_at >= %s ORDER BY id DESC LIMIT 1",
            (key, (datetime.now(UTC) - timedelta(seconds=max_age)).isoformat(timespec="seconds")),
        )
        return None if found is None else int(found)

    def queued(self, job_id: int) -> int:
        return int(self._value("SELECT count(*) FROM frontier WHERE job_id = %s AND state = 'queued'", (job_id,)))

    def pending(self, job_id: int) -> int:
        return int(self._value("SELECT count(*) FROM frontier WHERE job_id = %s AND state <> 'done'", (job_id,)))

    def run_outcome(self, run_id: int, outcome: str) -> int:
        return int(self._value("SELECT count(*) FROM frontier WHERE run_id = %s AND outcome = %s", (run_id, outcome)))

    def first_error(self, run_id: int) -> tuple[str, str] | None:
        rows = self._rows(
            "SELECT url, outcome, detail FROM frontier WHERE run_id = %s AND outcome LIKE 'error:%%'"
            " ORDER BY prio, id LIMIT 1", (run_id,),
        )
        return None if not rows else (str(rows[0]["url"]), str(rows[0]["detail"] or rows[0]["outcome"]))

    def has_listed_articles(self, job_id: int) -> bool:
        return self._value(
            "SELECT 1 FROM frontier WHERE job_id = %s AND kind = 'article'"
            " AND found_by IN ('sitemap', 'news-sitemap', 'feed') LIMIT 1", (job_id,),
        ) is not None

    def outcome_counts(self, job_id: int | None = None, run_id: int | None = None) -> list[OutcomeCount]:
        where, params = [], []
        for column, value in (("job_id", job_id), ("run_id", run_id)):
            if value is not None:
                where.append(f"{column} = %s")
                params.append(value)
        sql = "SELECT kind, outcome, sum(n) AS n FROM outcomes"
        sql += (" WHERE " + " AND ".join(where)) if where else ""
        sql += " GROUP BY kind, outcome ORDER BY kind = 'article' DESC, kind, n DESC"
        return [OutcomeCount(r["kind"], r["outcome"], int(r["n"])) for r in self._rows(sql, params)]

    # -- copying (warta db copy) --------------------------------------------------------------------
    def export_rows(self, table: str) -> Iterator[dict[str, Any]]:
        """Every row of one of ``TABLE_COLUMNS``' tables, in the exported form (a server-side cursor:
        bounded memory for a frontier of any size)."""
        cols = [_EXPORTED.get((table, c), c) for c in TABLE_COLUMNS[table]]
        try:
            with self.store.pool.connection() as conn, conn.transaction():
                with conn.cursor(name=f"warta_export_{table}", row_factory=dict_row) as cur:
                    cur.itersize = 2000
                    cur.execute(f"SELECT {', '.join(cols)} FROM {table}".encode())
                    yield from cur
        except psycopg.Error as exc:
            raise write_error(exc, self.store.location, "read failed") from exc

    def import_rows(self, table: str, rows: Sequence[dict[str, Any]]) -> None:
        """Insert exported rows as they are (ids kept; the id sequence moves past them)."""
        cols = TABLE_COLUMNS[table]
        marks = ", ".join(_IMPORTED.get((table, c), "%s") for c in cols)
        values = [tuple(Jsonb(r[c]) if (table, c) == ("crawl_jobs", "sites") else r[c] for c in cols) for r in rows]
        with self.store.transaction():
            with self.store._conn().cursor() as cur:
                cur.executemany(f"INSERT INTO {table}({', '.join(cols)}) VALUES ({marks})".encode(), values)
                if "id" in cols:
                    cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                                f" (SELECT COALESCE(max(id), 0) + 1 FROM {table}), false)".encode())

    def jobs(self) -> list[Job]:
        return [_job(r) for r in self._rows("SELECT * FROM crawl_jobs ORDER BY id")]

    def runs(self, limit: int = 20) -> list[dict[str, object]]:
        return [dict(r) for r in self._rows("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT %s", (limit,))]

    # -- source health ------------------------------------------------------------------------------
    def source_rows(self) -> list[SourceRow]:
        return [cast(SourceRow, r) for r in self._rows("SELECT * FROM sources ORDER BY site")]

    def day_rows(self, since: str | None = None) -> list[DayRow]:
        sql = "SELECT site, day, kind, outcome, reason, fetched, n FROM source_days"
        sql += " WHERE day >= %s" if since else ""
        return [cast(DayRow, r) for r in self._rows(sql + " ORDER BY site, day", (since,) if since else ())]


def _row(entry_id: int, p: Pending) -> tuple[Any, ...]:
    c = p.candidate
    state = "queued" if p.outcome is None else "done"
    return (entry_id, c.key, c.url, p.kind, PRIORITY.get(p.kind, 3), c.found_by, c.hint_published, p.depth,
            state, p.outcome, p.detail or None)


def _job(row: dict[str, Any]) -> Job:
    return Job(int(row["id"]), str(row["mode"]), tuple(row["sites"]), row["since"], row["until"], str(row["status"]))
