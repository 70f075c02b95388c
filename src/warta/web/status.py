"""Crawl status for the status page and ``/api/runs``, read through the crawl frontier's methods.

Everything comes from the :class:`warta.store.frontier.Frontier` kept beside the articles
(:meth:`SearchIndex.frontier`); no SQL is written here:

- runs: :meth:`Frontier.runs` (newest first), each with its outcome table from
  :meth:`Frontier.outcome_counts` (``run_id=``), kinds summed;
- outcomes per site: the source-health tables (:func:`warta.health.report.site_outcomes`);
- source health (:func:`source_health`): :func:`warta.health.report.source_health`.

A store without a frontier (PostgreSQL, until its frontier backend lands) has a status with
``frontier`` false, shown as "no crawl jobs in this store"; a SQLite store made before the crawl
tables existed gives an empty status, never an error.

A site is *failing* when most of its outcomes are failures: blocked, robots-disallowed, errors,
timeouts, HTTP errors (see :data:`FAILURE_WORDS`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from warta.health.report import SourceHealth, site_outcomes, why
from warta.health.report import source_health as read_source_health
from warta.store.protocols import SearchIndex

NO_FRONTIER = "no crawl jobs in this store"
FAILURE_WORDS = ("block", "robots", "error", "fail", "timeout", "refused", "http 4", "http 5", "forbidden")
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
    outcomes: tuple[OutcomeCount, ...] = ()  # per site (run_id None) and per run (site '(all)')
    sites: tuple[SiteHealth, ...] = field(default_factory=tuple)
    frontier: bool = True  # False: the store keeps no crawl frontier (shown as NO_FRONTIER)

    @property
    def failing_sites(self) -> tuple[SiteHealth, ...]:
        return tuple(s for s in self.sites if s.failing)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
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
        if not self.frontier:
            out["note"] = NO_FRONTIER
        return out

    def run_outcomes(self, run_id: Any) -> dict[str, int]:
        table: dict[str, int] = {}
        for o in self.outcomes:
            if o.run_id is not None and o.run_id == run_id:
                table[o.outcome] = table.get(o.outcome, 0) + o.count
        return table

    def site_outcomes(self) -> list[OutcomeCount]:
        merged: dict[tuple[str, str], int] = {}
        for o in self.outcomes:
            if o.run_id is None:
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


def crawl_status(store: SearchIndex) -> CrawlStatus:
    """Runs, outcome counts and site health from the store's crawl frontier (see the module docstring)."""
    frontier = store.frontier()
    if frontier is None:
        return CrawlStatus(frontier=False)
    try:
        runs = tuple(frontier.runs(MAX_RUNS))
        per_run = tuple(
            OutcomeCount("(all)", o.outcome, o.n, int(str(run["id"])))
            for run in runs for o in frontier.outcome_counts(run_id=int(str(run["id"])))
        )
        per_site = tuple(OutcomeCount(site, outcome, n) for site, outcome, n in site_outcomes(frontier))
    except sqlite3.Error:  # a store made before the crawl tables existed
        return CrawlStatus()
    return CrawlStatus(runs, per_run + per_site, site_health(per_site))


def source_health(store: SearchIndex) -> tuple[SourceHealth, ...]:
    """Per-source health for the status page; empty when the store keeps no health tables."""
    frontier = store.frontier()
    if frontier is None:
        return ()
    try:
        return read_source_health(frontier)
    except sqlite3.Error:
        return ()


def explain_flag(h: SourceHealth, flag: str) -> str:
    """A source's flag in words (the table cell's tooltip)."""
    return why(h, flag)
