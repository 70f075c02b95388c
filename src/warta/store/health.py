"""Source health tables: what each site answered, per day, and its latest state.

Tables (created, and filled from the frontier's history for a store made before them, by
:func:`migrate` when a store is opened):

- ``source_days``: counts per (site, UTC day, URL kind, outcome, reason, fetched). ``reason``
  refines an outcome: ``403``/``429``/``challenge`` for ``blocked``, ``no-date`` for a stored
  article whose page gave no publication date; ``fetched`` is 1 when a request reached the site.
- ``sources``: one row per site: when it last answered, last stored an article, last refused
  the crawler; the current run of refusals and of script-only pages (reset by a real page);
  its robots.txt state; counts of the latest crawl run that touched it.

Every URL outcome the frontier records passes through :func:`record`, in the same transaction.
The site is the URL's host without ``www.``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TypedDict

from warta.urls import host_of

SCHEMA = """
CREATE TABLE IF NOT EXISTS source_days (
    site        TEXT NOT NULL,
    day         TEXT NOT NULL,          -- YYYY-MM-DD (UTC) the outcome was recorded
    kind        TEXT NOT NULL,          -- robots | sitemap | feed | listing | article
    outcome     TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    fetched     INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (site, day, kind, outcome, reason, fetched)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sources (
    site            TEXT PRIMARY KEY,
    last_fetch_at   TEXT,
    last_ok_at      TEXT,               -- the site last served a real page
    last_success_at TEXT,               -- an article was last stored
    last_blocked_at TEXT,
    last_block      TEXT,               -- 403 | 429 | challenge
    blocked_streak  INTEGER NOT NULL DEFAULT 0,
    script_streak   INTEGER NOT NULL DEFAULT 0,
    robots          TEXT,               -- rules | allow-all | disallow-all
    robots_at       TEXT,
    last_run        INTEGER,
    run_fetches     INTEGER NOT NULL DEFAULT 0,
    run_stored      INTEGER NOT NULL DEFAULT 0,
    run_blocked     INTEGER NOT NULL DEFAULT 0,
    run_script_only INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
"""

SCRIPT_ONLY = "script-only"
BLOCKED = "blocked"
STORED = ("stored", "paywalled")
NOT_FETCHED = frozenset({"already stored", "robots-disallowed", "duplicate URL"})
# a fetched page that shows the site serves the crawler real pages
SERVED = frozenset({"stored", "paywalled", "not an article", "undated", "out of date range", "parsed",
                    "not modified"})


class SourceRow(TypedDict):
    """One site's state, as :meth:`FrontierStore.source_rows` returns it (the ``sources`` columns)."""

    site: str
    last_fetch_at: str | None
    last_ok_at: str | None
    last_success_at: str | None
    last_blocked_at: str | None
    last_block: str | None
    blocked_streak: int
    script_streak: int
    robots: str | None
    robots_at: str | None
    last_run: int | None
    run_fetches: int
    run_stored: int
    run_blocked: int
    run_script_only: int


class DayRow(TypedDict):
    """One (site, day, kind, outcome, reason, fetched) count, as :meth:`FrontierStore.day_rows` returns it."""

    site: str
    day: str
    kind: str
    outcome: str
    reason: str
    fetched: int
    n: int


@dataclass(frozen=True, slots=True)
class Event:
    """One recorded URL outcome, as the health tables see it."""

    url: str
    kind: str
    outcome: str
    detail: str
    fetched: bool
    run_id: int | None
    at: str  # ISO time (UTC)
    article_id: int | None = None


def site_of(url: str) -> str:
    host = host_of(url)
    return host.removeprefix("www.") or "?"


def block_reason(detail: str) -> str:
    """``403``, ``429`` or ``challenge`` from a blocked outcome's detail."""
    low = detail.lower()
    if low.startswith("challenge"):
        return "challenge"
    for status in ("429", "403"):
        if status in low:
            return status
    return "other"


def was_fetched(kind: str, outcome: str, capture_id: int | None) -> bool:
    """Whether the outcome came from a request to the site (a date known before fetching and
    an article already stored are decided without one)."""
    if outcome in NOT_FETCHED:
        return False
    if kind == "article" and outcome == "out of date range":
        return capture_id is not None
    return True


def migrate(conn: sqlite3.Connection) -> None:
    """Create the tables; a store that had crawl history before them gets it counted once."""
    existed = conn.execute("SELECT 1 FROM sqlite_master WHERE name='source_days'").fetchone()
    conn.executescript(SCHEMA)
    has_frontier = conn.execute("SELECT 1 FROM sqlite_master WHERE name='frontier'").fetchone()
    if existed is None and has_frontier is not None:
        _backfill(conn)


def _backfill(conn: sqlite3.Connection) -> None:
    rows = conn.execute(
        "SELECT url, kind, outcome, detail, capture_id, article_id, run_id, updated_at FROM frontier"
        " WHERE outcome IS NOT NULL ORDER BY updated_at, id"
    )
    for r in rows.fetchall():
        outcome = str(r[2])
        fetched = was_fetched(str(r[1]), outcome, r[4])
        record(conn, Event(str(r[0]), str(r[1]), outcome, str(r[3] or ""), fetched, r[6], str(r[7]), r[5]))


def _reason(conn: sqlite3.Connection, e: Event) -> str:
    if e.outcome == BLOCKED:
        return block_reason(e.detail)
    if e.outcome in STORED and e.article_id is not None:
        row = conn.execute(
            "SELECT published, json_extract(data, '$.provenance.published') FROM articles WHERE id=?",
            (e.article_id,),
        ).fetchone()
        if row is not None and (row[0] is None or str(row[1] or "").startswith("discover:")):
            return "no-date"
    return ""


def record(conn: sqlite3.Connection, e: Event) -> None:
    """Count one URL outcome for its site and day, and update the site's state."""
    site = site_of(e.url)
    reason = _reason(conn, e)
    conn.execute(
        "INSERT INTO source_days(site, day, kind, outcome, reason, fetched, n) VALUES (?,?,?,?,?,?,1)"
        " ON CONFLICT(site, day, kind, outcome, reason, fetched) DO UPDATE SET n=n+1",
        (site, e.at[:10], e.kind, e.outcome, reason, int(e.fetched)),
    )
    _update_state(conn, site, e, reason)


_STATE_SQL = """
UPDATE sources SET  -- every expression reads the row as it was (SQLite evaluates SET on the old row)
    run_fetches = CASE WHEN :run IS NOT NULL AND last_run IS NOT :run THEN 0 ELSE run_fetches END + :fetched,
    run_stored = CASE WHEN :run IS NOT NULL AND last_run IS NOT :run THEN 0 ELSE run_stored END + :stored,
    run_blocked = CASE WHEN :run IS NOT NULL AND last_run IS NOT :run THEN 0 ELSE run_blocked END + :blocked,
    run_script_only = CASE WHEN :run IS NOT NULL AND last_run IS NOT :run THEN 0 ELSE run_script_only END + :shell,
    last_run = COALESCE(:run, last_run),
    last_fetch_at = CASE WHEN :fetched THEN :at ELSE last_fetch_at END,
    last_ok_at = CASE WHEN :ok THEN :at ELSE last_ok_at END,
    last_success_at = CASE WHEN :stored THEN :at ELSE last_success_at END,
    last_blocked_at = CASE WHEN :blocked THEN :at ELSE last_blocked_at END,
    last_block = CASE WHEN :blocked THEN :reason ELSE last_block END,
    blocked_streak = CASE WHEN :blocked THEN blocked_streak + 1 WHEN :ok THEN 0 ELSE blocked_streak END,
    script_streak = CASE WHEN :shell THEN script_streak + 1 WHEN :article_ok THEN 0 ELSE script_streak END,
    robots = CASE WHEN :robots THEN :detail ELSE robots END,
    robots_at = CASE WHEN :robots THEN :at ELSE robots_at END
WHERE site = :site
"""


def _update_state(conn: sqlite3.Connection, site: str, e: Event, reason: str) -> None:
    """One statement: the site's latest times, streaks, robots state and current-run counts."""
    conn.execute("INSERT OR IGNORE INTO sources(site) VALUES (?)", (site,))
    fetched = e.fetched and e.kind != "robots"
    blocked = fetched and e.outcome == BLOCKED
    shell = fetched and e.outcome == SCRIPT_ONLY
    ok = fetched and (shell or e.outcome in SERVED)
    conn.execute(_STATE_SQL, {
        "site": site, "at": e.at, "reason": reason, "detail": e.detail or None, "run": e.run_id,
        "fetched": fetched, "blocked": blocked,
        "shell": shell, "ok": ok, "stored": fetched and e.outcome in STORED, "robots": e.kind == "robots",
        "article_ok": ok and not shell and e.kind == "article" and e.outcome != "not an article",
    })


def _rows(conn: sqlite3.Connection, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row  # whatever the connection's own row factory (the web's is plain)
    return list(cur.execute(sql, params))


def source_rows(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Every site's state row."""
    return _rows(conn, "SELECT * FROM sources ORDER BY site")


def day_rows(conn: sqlite3.Connection, since: str | None = None) -> list[sqlite3.Row]:
    """The per-day counts (optionally from the day ``since`` on), oldest day first."""
    sql = "SELECT site, day, kind, outcome, reason, fetched, n FROM source_days"
    sql += " WHERE day >= ?" if since else ""
    return _rows(conn, sql + " ORDER BY site, day", (since,) if since else ())
