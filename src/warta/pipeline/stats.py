"""What a store holds: articles, captures, and the outcome table of every crawl job.

Read through the store protocol (:class:`warta.store.protocols.SearchIndex`) and the crawl frontier
kept beside the articles; a store without one (PostgreSQL today) has no jobs, runs or sources and
says so (:data:`NO_FRONTIER`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from warta.health.report import SourceHealth, health_lines, health_summary, source_health
from warta.store.frontier import Job, OutcomeCount
from warta.store.protocols import SearchIndex

NO_FRONTIER = "no crawl jobs in this store"


def outcome_table(outcomes: Sequence[OutcomeCount]) -> str:
    """A plain-text table: kind, outcome, count."""
    rows = [("kind", "outcome", "count")] + [(o.kind, o.outcome, str(o.n)) for o in outcomes]
    if len(rows) == 1:
        return "(no outcomes yet)"
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    w2 = max(len(r[2]) for r in rows)
    return "\n".join(f"{a:<{w0}}  {b:<{w1}}  {c:>{w2}}" for a, b, c in rows)


@dataclass(frozen=True)
class JobStats:
    job: Job
    outcomes: tuple[OutcomeCount, ...]

    def to_dict(self) -> dict[str, Any]:
        j = self.job
        return {
            "id": j.id,
            "mode": j.mode,
            "sites": list(j.sites),
            "since": j.since,
            "until": j.until,
            "status": j.status,
            "outcomes": [o.to_dict() for o in self.outcomes],
        }


@dataclass(frozen=True)
class StoreStats:
    articles: int
    captures: int
    sites: tuple[tuple[str, int], ...]
    jobs: tuple[JobStats, ...]
    runs: tuple[dict[str, Any], ...]
    sources: tuple[SourceHealth, ...] = ()  # per-source health (warta sites health)
    backend: str = "sqlite"
    frontier: bool = True  # False: the store keeps no crawl frontier (no jobs, runs or sources)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "backend": self.backend,
            "sources": health_summary(self.sources),
            "articles": self.articles,
            "captures": self.captures,
            "sites": [{"site": s, "articles": n} for s, n in self.sites],
            "jobs": [j.to_dict() for j in self.jobs],
            "runs": list(self.runs),
        }
        return out if self.frontier else {**out, "note": NO_FRONTIER}

    def render(self) -> str:
        lines = [f"articles: {self.articles}   captures: {self.captures}"]
        lines += [f"  {site or '(unknown)'}: {n}" for site, n in self.sites]
        lines += health_lines(self.sources)
        if not self.frontier:
            lines += ["", f"({NO_FRONTIER})"]
        for stats in self.jobs:
            j = stats.job
            window = f"{j.since or '…'} .. {j.until or '…'}"
            lines += [
                "",
                f"job {j.id} ({j.mode}, {j.status}) {' '.join(j.sites)}  {window}",
                outcome_table(stats.outcomes),
            ]
        return "\n".join(lines)


def collect_stats(store: SearchIndex, runs: int = 10) -> StoreStats:
    sites = tuple((str(s["site"] or ""), int(s["articles"])) for s in store.site_counts()[:50])
    counts = (store.count_articles(), store.count_captures(), sites)
    frontier = store.frontier()
    if frontier is None:
        return StoreStats(*counts, (), (), backend=store.backend, frontier=False)
    jobs = tuple(JobStats(j, tuple(frontier.outcome_counts(job_id=j.id))) for j in frontier.jobs())
    return StoreStats(*counts, jobs, tuple(frontier.runs(runs)), source_health(frontier), backend=store.backend)
