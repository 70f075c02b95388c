"""What a store holds: articles, captures, and the outcome table of every crawl job."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from warta.store.frontier import Frontier, OutcomeCount
from warta.store.sqlite import Store


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
    id: int
    mode: str
    sites: tuple[str, ...]
    since: str | None
    until: str | None
    status: str
    outcomes: tuple[OutcomeCount, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "mode": self.mode,
            "sites": list(self.sites),
            "since": self.since,
            "until": self.until,
            "status": self.status,
            "outcomes": [{"kind": o.kind, "outcome": o.outcome, "n": o.n} for o in self.outcomes],
        }


@dataclass(frozen=True)
class StoreStats:
    articles: int
    captures: int
    sites: tuple[tuple[str, int], ...]
    jobs: tuple[JobStats, ...]
    runs: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "captures": self.captures,
            "sites": [{"site": s, "articles": n} for s, n in self.sites],
            "jobs": [j.to_dict() for j in self.jobs],
            "runs": list(self.runs),
        }

    def render(self) -> str:
        lines = [f"articles: {self.articles}   captures: {self.captures}"]
        lines += [f"  {site or '(unknown)'}: {n}" for site, n in self.sites]
        for j in self.jobs:
            window = f"{j.since or '…'} .. {j.until or '…'}"
            lines += [
                "",
                f"job {j.id} ({j.mode}, {j.status}) {' '.join(j.sites)}  {window}",
                outcome_table(j.outcomes),
            ]
        return "\n".join(lines)


def collect_stats(store: Store, runs: int = 10) -> StoreStats:
    conn = store.conn
    frontier = Frontier(store)
    sites = tuple(
        (str(r[0] or ""), int(r[1]))
        for r in conn.execute(
            "SELECT site, COUNT(*) FROM articles GROUP BY site ORDER BY COUNT(*) DESC LIMIT 50"
        )
    )
    jobs = tuple(
        JobStats(
            j.id, j.mode, j.sites, j.since, j.until, j.status, tuple(frontier.outcome_counts(job_id=j.id))
        )
        for j in frontier.jobs()
    )
    captures = int(conn.execute("SELECT COUNT(*) FROM captures").fetchone()[0])
    return StoreStats(store.count_articles(), captures, sites, jobs, tuple(frontier.runs(runs)))
