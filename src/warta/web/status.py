"""Crawl status for the status page and ``/api/runs``, read defensively from the crawl tables.

The crawl stage owns the tables; this module only reads them and copes with their absence:

- ``runs``: every column is shown as-is, newest first (ordered by ``id``, else ``rowid``).
- ``outcomes``: one row per URL outcome, or pre-aggregated rows. Columns read: ``site`` (or
  ``domain``), the outcome name from the first present of ``outcome``, ``reason``, ``kind``,
  ``status``, an optional ``run_id`` (per-run tables) and an optional ``count``/``n`` (pre-aggregated).

A site is *failing* when most of its outcomes are failures: blocked, robots-disallowed, errors,
timeouts, HTTP errors (see :data:`FAILURE_WORDS`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

FAILURE_WORDS = ("block", "robots", "error", "fail", "timeout", "refused", "http 4", "http 5", "forbidden")
_OUTCOME_COLUMNS = ("outcome", "reason", "kind", "status")
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
    columns = _columns(conn, "runs")
    if not columns:
        return ()
    order = "id" if "id" in columns else "rowid"
    rows = conn.execute(f"SELECT * FROM runs ORDER BY {order} DESC LIMIT ?", (limit,)).fetchall()
    return tuple({name: row[i] for i, name in enumerate(columns)} for row in rows)


def read_outcomes(conn: sqlite3.Connection) -> tuple[OutcomeCount, ...]:
    columns = _columns(conn, "outcomes")
    site = _first(_SITE_COLUMNS, columns)
    outcome = _first(_OUTCOME_COLUMNS, columns)
    if site is None or outcome is None:
        return ()
    count_col = _first(_COUNT_COLUMNS, columns)
    amount = f"sum({count_col})" if count_col else "count(*)"
    run = "run_id" if "run_id" in columns else "NULL"
    sql = (
        f"SELECT {site}, {outcome}, {amount}, {run} FROM outcomes"
        f" GROUP BY {site}, {outcome}, {run} ORDER BY {site}, {outcome}"
    )
    return tuple(
        OutcomeCount(str(r[0] or "?"), str(r[1] or "?"), int(r[2] or 0), None if r[3] is None else int(r[3]))
        for r in conn.execute(sql)
    )


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
