"""Crawl status for the status page and ``/api/runs``, read defensively from the crawl tables.

The crawl stage owns the tables; this module only reads them and copes with their absence
(missing tables or columns give an empty status, never an error):

- runs: the first existing of ``crawl_runs`` and ``runs``; every column is shown as-is, newest
  first (ordered by ``id``, else ``rowid``).
- outcomes: the ``outcomes`` table or view, one row per URL outcome or pre-aggregated. Columns
  read: the outcome name (first present of ``outcome``, ``reason``, ``status``), an optional
  ``run_id``, an optional count (``n`` or ``count``), and a site (``site``, ``domain`` or ``host``).
  When ``outcomes`` has no site column, per-site counts come from ``frontier(url, outcome,
  run_id)``, with the site taken from the URL's host (``www.`` removed).

Source health (:func:`source_health`) comes from the health tables of :mod:`warta.store.health`
(per site: last success, fetches, stored, errors, blocked, script-only pages, robots state, flags).

A site is *failing* when most of its outcomes are failures: blocked, robots-disallowed, errors,
timeouts, HTTP errors (see :data:`FAILURE_WORDS`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from warta.health.report import SourceHealth, why
from warta.health.report import source_health as read_source_health

FAILURE_WORDS = ("block", "robots", "error", "fail", "timeout", "refused", "http 4", "http 5", "forbidden")
_OUTCOME_COLUMNS = ("outcome", "reason", "status")
_RUN_TABLES = ("crawl_runs", "runs")
# host of an absolute URL, in SQL: text between '://' and the next '/'
_HOST_SQL = "substr(rest, 1, instr(rest || '/', '/') - 1)"
_SITE_COLUMNS = ("site", "domain", "host")
_COUNT_COLUMNS = ("count", "n")
MAX_RUNS = 50


@dataclass(frozen=True, slots=True)
class OutcomeCount:
    site: str
    outcome: str
    count: int
    run_id: int | None = None

    @property
    def failing(self) -> bool:
        return is_failure(self.outcome)


@dataclass(frozen=True, slots=True)
class SiteHealth:
    site: str
    total: int
    failures: int
    top_failure: str | None

    @property
    def failing(self) -> bool:
        return self.failures > 0 and self.failures * 2 >= self.total


@dataclass(frozen=True, slots=True)
class CrawlStatus:
    runs: tuple[dict[str, Any], ...] = ()
    outcomes: tuple[OutcomeCount, ...] = ()
    sites: tuple[SiteHealth, ...] = field(default_factory=tuple)

    @property
    def failing_sites(self) -> tuple[SiteHealth, ...]:
        return tuple(s for s in self.sites if s.failing)

    def to_dict(self) -> dict[str, Any]:
        return {
            "runs": [
                {**run, "outcomes": self.run_outcomes(run.get("id"))} for run in self.runs
            ],
            "outcomes_by_site": [
                {"site": o.site, "outcome": o.outcome, "count": o.count, "failing": o.failing}
                for o in self.site_outcomes()
            ],
            "failing_sites": [
                {"site": s.site, "total": s.total, "failures": s.failures, "top_failure": s.top_failure}
                for s in self.failing_sites
            ],
        }

    def run_outcomes(self, run_id: Any) -> dict[str, int]:
        table: dict[str, int] = {}
        for o in self.outcomes:
            if o.run_id is not None and o.run_id == run_id:
                table[o.outcome] = table.get(o.outcome, 0) + o.count
        return table

    def site_outcomes(self) -> list[OutcomeCount]:
        merged: dict[tuple[str, str], int] = {}
        for o in self.outcomes:
            merged[(o.site, o.outcome)] = merged.get((o.site, o.outcome), 0) + o.count
        return [OutcomeCount(s, k, n) for (s, k), n in sorted(merged.items())]


RUN_COLUMN_LABELS = {
    "id": "Run",
    "job_id": "Job",
    "command": "Command",
    "pid": "Process id",
    "started_at": "Started",
    "finished_at": "Finished",
    "status": "State",
    "requests": "Requests",
    "stored": "Articles stored",
}
TIME_COLUMNS = frozenset({"started_at", "finished_at"})


def column_label(name: str) -> str:
    """A heading for a crawl-run column: known names in words, others with underscores as spaces."""
    return RUN_COLUMN_LABELS.get(name) or name.replace("_", " ").strip().capitalize()


def is_failure(outcome: str) -> bool:
    low = outcome.lower()
    return any(word in low for word in FAILURE_WORDS)


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    try:
        return [str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})")]
    except sqlite3.Error:
        return []


def _first(candidates: tuple[str, ...], columns: list[str]) -> str | None:
    return next((c for c in candidates if c in columns), None)


def read_runs(conn: sqlite3.Connection, limit: int = MAX_RUNS) -> tuple[dict[str, Any], ...]:
    for table in _RUN_TABLES:
        columns = _columns(conn, table)
        if columns:
            order = "id" if "id" in columns else "rowid"
            rows = conn.execute(f"SELECT * FROM {table} ORDER BY {order} DESC LIMIT ?", (limit,)).fetchall()
            return tuple({name: row[i] for i, name in enumerate(columns)} for row in rows)
    return ()


def read_outcomes(conn: sqlite3.Connection) -> tuple[OutcomeCount, ...]:
    """Outcome counts per (site, outcome, run); the site is '(all)' where none can be told."""
    columns = _columns(conn, "outcomes")
    outcome = _first(_OUTCOME_COLUMNS, columns)
    site = _first(_SITE_COLUMNS, columns)
    frontier = _columns(conn, "frontier")
    if site is None and {"url", "outcome"} <= set(frontier):
        return _frontier_outcomes(conn, "run_id" in frontier)
    if outcome is None:
        return ()
    count_col = _first(_COUNT_COLUMNS, columns)
    amount = f"sum({count_col})" if count_col else "count(*)"
    run = "run_id" if "run_id" in columns else "NULL"
    site_expr = site or "'(all)'"
    sql = (
        f"SELECT {site_expr}, {outcome}, {amount}, {run} FROM outcomes WHERE {outcome} IS NOT NULL"
        f" GROUP BY {site_expr}, {outcome}, {run} ORDER BY 1, 2"
    )
    return tuple(_outcome(r) for r in conn.execute(sql))


def _frontier_outcomes(conn: sqlite3.Connection, has_run: bool) -> tuple[OutcomeCount, ...]:
    run = "run_id" if has_run else "NULL"
    sql = (
        f"SELECT {_HOST_SQL} AS host, outcome, count(*), run_id FROM"
        f" (SELECT substr(url, instr(url, '://') + 3) AS rest, outcome, {run} AS run_id FROM frontier"
        "  WHERE outcome IS NOT NULL)"
        " GROUP BY host, outcome, run_id"
    )
    merged: dict[tuple[str, str, int | None], int] = {}
    for row in conn.execute(sql):
        o = _outcome(row)
        host = o.site.lower().split(":")[0].removeprefix("www.")
        merged[(host, o.outcome, o.run_id)] = merged.get((host, o.outcome, o.run_id), 0) + o.count
    return tuple(OutcomeCount(s, k, n, r) for (s, k, r), n in sorted(merged.items(), key=lambda kv: kv[0][:2]))


def _outcome(row: sqlite3.Row | tuple[Any, ...]) -> OutcomeCount:
    return OutcomeCount(str(row[0] or "?"), str(row[1] or "?"), int(row[2] or 0), None if row[3] is None else int(row[3]))


def site_health(outcomes: tuple[OutcomeCount, ...]) -> tuple[SiteHealth, ...]:
    totals: dict[str, int] = {}
    failures: dict[str, dict[str, int]] = {}
    for o in outcomes:
        totals[o.site] = totals.get(o.site, 0) + o.count
        if o.failing:
            per = failures.setdefault(o.site, {})
            per[o.outcome] = per.get(o.outcome, 0) + o.count
    result = []
    for site_name, total in sorted(totals.items()):
        fails = failures.get(site_name, {})
        top = max(fails, key=lambda k: fails[k]) if fails else None
        result.append(SiteHealth(site_name, total, sum(fails.values()), top))
    return tuple(result)


def crawl_status(conn: sqlite3.Connection) -> CrawlStatus:
    """Runs, outcome counts and site health; empty when the crawl tables are absent."""
    try:
        outcomes = read_outcomes(conn)
        return CrawlStatus(read_runs(conn), outcomes, site_health(outcomes))
    except sqlite3.Error:
        return CrawlStatus()


def source_health(conn: sqlite3.Connection) -> tuple[SourceHealth, ...]:
    """Per-source health for the status page; empty when the store has no health tables."""
    try:
        return read_source_health(conn)
    except sqlite3.Error:
        return ()


def explain_flag(h: SourceHealth, flag: str) -> str:
    """A source's flag in words (the table cell's tooltip)."""
    return why(h, flag)
