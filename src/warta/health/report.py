"""Per-source health records, computed from a store's health tables (:mod:`warta.store.health`).

A source (a site: the URL's host without ``www.``) is flagged

- ``blocked`` when its latest fetches were refused (a 403 or 429 wall or a challenge page) and it
  has served no real page since (``BLOCKED_AFTER`` refusals in a row);
- ``script-only`` when its latest article pages were page shells whose article is only in their
  scripts (``SCRIPT_ONLY_AFTER`` in a row, or any when it never gave a stored article);
- ``layout broken`` when, on its latest day with at least ``LAYOUT_MIN_PAGES`` article pages, the
  share of empty bodies (``not an article``) or of pages without a date jumped by at least
  ``LAYOUT_JUMP`` against its own earlier days (at least ``LAYOUT_MIN_PAGES`` pages) to at least
  ``LAYOUT_MIN_SHARE``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol

from warta.store import health as tables
from warta.store.health import DayRow, SourceRow


class HealthTables(Protocol):
    """Where the health records are read from: a crawl frontier of either backend
    (:class:`warta.store.protocols.FrontierStore`)."""

    def source_rows(self) -> list[SourceRow]: ...

    def day_rows(self, since: str | None = None) -> list[DayRow]: ...


__all__ = [
    "HealthTables",
    "SourceAlert",
    "SourceDay",
    "SourceHealth",
    "run_alerts",
    "site_outcomes",
    "source_health",
]

BLOCKED_AFTER = 1
SCRIPT_ONLY_AFTER = 3
LAYOUT_MIN_PAGES = 5
LAYOUT_JUMP = 0.3
LAYOUT_MIN_SHARE = 0.5
ERROR_PREFIX = "error:"
# article outcomes of a page the site served, the base of the layout shares
_SERVED_ARTICLE = frozenset({"stored", "paywalled", "not an article", "undated", "out of date range"})


@dataclass(frozen=True, slots=True)
class SourceDay:
    """One site's outcomes on one (UTC) day."""

    day: str
    fetches: int = 0
    stored: int = 0
    skips: tuple[tuple[str, int], ...] = ()  # outcome -> count, for URLs not stored
    blocked: tuple[tuple[str, int], ...] = ()  # 403 | 429 | challenge -> count
    script_only: int = 0
    robots_denied: int = 0
    errors: int = 0
    article_pages: int = 0  # article pages the site served (the base of the two shares below)
    empty: int = 0  # ... that had no article body
    undated: int = 0  # ... that gave no publication date

    @property
    def blocked_total(self) -> int:
        return sum(n for _, n in self.blocked)

    def to_dict(self) -> dict[str, Any]:
        return {
            "day": self.day, "fetches": self.fetches, "stored": self.stored, "skips": dict(self.skips),
            "blocked": dict(self.blocked), "script_only": self.script_only, "robots_denied": self.robots_denied,
            "errors": self.errors, "article_pages": self.article_pages, "empty": self.empty,
            "undated": self.undated,
        }


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """One site's health: totals over its days, its current state and its flags."""

    site: str
    last_success: str | None = None  # an article was last stored
    last_fetch: str | None = None
    last_blocked: str | None = None
    last_block: str | None = None  # 403 | 429 | challenge
    blocked_streak: int = 0
    script_streak: int = 0
    robots: str | None = None  # rules | allow-all | disallow-all (unreachable robots.txt)
    flags: tuple[str, ...] = ()
    layout: str | None = None  # why the layout looks broken
    days: tuple[SourceDay, ...] = field(default_factory=tuple)

    def _sum(self, name: str) -> int:
        return sum(int(getattr(d, name)) for d in self.days)

    @property
    def fetches(self) -> int:
        return self._sum("fetches")

    @property
    def stored(self) -> int:
        return self._sum("stored")

    @property
    def errors(self) -> int:
        return self._sum("errors")

    @property
    def blocked(self) -> int:
        return self._sum("blocked_total")

    @property
    def script_only(self) -> int:
        return self._sum("script_only")

    @property
    def robots_denied(self) -> int:
        return self._sum("robots_denied")

    def to_dict(self) -> dict[str, Any]:
        return {
            "site": self.site, "flags": list(self.flags), "last_success": self.last_success,
            "last_fetch": self.last_fetch, "last_blocked": self.last_blocked, "last_block": self.last_block,
            "blocked_streak": self.blocked_streak, "script_streak": self.script_streak, "robots": self.robots,
            "layout": self.layout, "fetches": self.fetches, "stored": self.stored, "errors": self.errors,
            "blocked": self.blocked, "script_only": self.script_only, "robots_denied": self.robots_denied,
            "days": [d.to_dict() for d in self.days],
        }


@dataclass(frozen=True, slots=True)
class SourceAlert:
    """A flagged source in a crawl report: which flag, and why in words."""

    site: str
    flag: str
    detail: str

    def to_dict(self) -> dict[str, str]:
        return {"site": self.site, "flag": self.flag, "detail": self.detail}

    def __str__(self) -> str:
        return f"{self.flag}: {self.site} ({self.detail})"


def _day(day: str, rows: list[DayRow]) -> SourceDay:
    skips: Counter[str] = Counter()
    blocked: Counter[str] = Counter()
    n: Counter[str] = Counter()
    for r in rows:
        outcome, count, fetched = str(r["outcome"]), int(r["n"]), bool(r["fetched"])
        n["fetches"] += count if fetched and r["kind"] != "robots" else 0
        if outcome in tables.STORED:
            n["stored"] += count
        elif outcome == tables.BLOCKED:
            blocked[str(r["reason"])] += count
        elif r["kind"] == "article" or outcome.startswith(ERROR_PREFIX):
            skips[outcome] += count
        n["script_only"] += count if outcome == tables.SCRIPT_ONLY else 0
        n["robots_denied"] += count if outcome == "robots-disallowed" else 0
        n["errors"] += count if outcome.startswith(ERROR_PREFIX) else 0
        if r["kind"] == "article" and fetched and outcome in _SERVED_ARTICLE:
            n["article_pages"] += count
            n["empty"] += count if outcome == "not an article" else 0
            n["undated"] += count if outcome == "undated" or r["reason"] == "no-date" else 0
    return SourceDay(
        day, n["fetches"], n["stored"], tuple(sorted(skips.items())), tuple(sorted(blocked.items())),
        n["script_only"], n["robots_denied"], n["errors"], n["article_pages"], n["empty"], n["undated"],
    )


def layout_break(days: tuple[SourceDay, ...]) -> str | None:
    """Why the latest day's pages look like a changed layout (see the module docstring), or None."""
    full = [d for d in days if d.article_pages >= LAYOUT_MIN_PAGES]
    if not full:
        return None
    latest = full[-1]
    before = [d for d in days if d.day < latest.day]
    base = sum(d.article_pages for d in before)
    if base < LAYOUT_MIN_PAGES:
        return None
    for what, name in (("empty bodies", "empty"), ("pages without a date", "undated")):
        now = getattr(latest, name) / latest.article_pages
        then = sum(int(getattr(d, name)) for d in before) / base
        if now >= LAYOUT_MIN_SHARE and now - then >= LAYOUT_JUMP:
            return f"{what}: {now:.0%} of {latest.article_pages} pages on {latest.day}, {then:.0%} before"
    return None


def _flags(state: SourceRow | None, days: tuple[SourceDay, ...], layout: str | None) -> tuple[str, ...]:
    flags: list[str] = []
    if state is not None and int(state["blocked_streak"]) >= BLOCKED_AFTER:
        flags.append("blocked")
    if state is not None:
        streak = int(state["script_streak"])
        if streak >= SCRIPT_ONLY_AFTER or (streak and not any(d.stored for d in days)):
            flags.append("script-only")
    if layout is not None:
        flags.append("layout broken")
    return tuple(flags)


def source_health(src: HealthTables, since: str | None = None) -> tuple[SourceHealth, ...]:
    """Every source's health; ``since`` (YYYY-MM-DD) limits the days listed (flags read them all)."""
    by_day: dict[str, dict[str, list[DayRow]]] = defaultdict(lambda: defaultdict(list))
    for r in src.day_rows():
        by_day[str(r["site"])][str(r["day"])].append(r)
    states = {str(r["site"]): r for r in src.source_rows()}
    out: list[SourceHealth] = []
    for site in sorted(set(by_day) | set(states)):
        days = tuple(_day(day, rows) for day, rows in sorted(by_day[site].items()))
        state = states.get(site)
        layout = layout_break(days)
        shown = tuple(d for d in days if since is None or d.day >= since)
        out.append(_record(site, state, _flags(state, days, layout), layout, shown))
    return tuple(out)


def site_outcomes(src: HealthTables) -> list[tuple[str, str, int]]:
    """(site, outcome, count) over every recorded day, by site then outcome (the status page's table)."""
    counts: Counter[tuple[str, str]] = Counter()
    for r in src.day_rows():
        counts[(str(r["site"]), str(r["outcome"]))] += int(r["n"])
    return [(site, outcome, n) for (site, outcome), n in sorted(counts.items())]


def _record(
    site: str, state: SourceRow | None, flags: tuple[str, ...], layout: str | None, days: tuple[SourceDay, ...]
) -> SourceHealth:
    if state is None:
        return SourceHealth(site, flags=flags, layout=layout, days=days)
    return SourceHealth(
        site, state["last_success_at"], state["last_fetch_at"], state["last_blocked_at"], state["last_block"],
        int(state["blocked_streak"]), int(state["script_streak"]), state["robots"], flags, layout, days,
    )


def run_alerts(src: HealthTables, run_id: int) -> tuple[SourceAlert, ...]:
    """The flagged sources among those a crawl run fetched from, each with what this run saw."""
    runs = {str(r["site"]): r for r in src.source_rows() if r["last_run"] == run_id}
    alerts: list[SourceAlert] = []
    for h in source_health(src):
        run = runs.get(h.site)
        if run is None:
            continue
        seen = (f"this run: {run['run_fetches']} fetches, {run['run_stored']} stored, "
                f"{run['run_blocked']} refused, {run['run_script_only']} script-only")
        alerts += [SourceAlert(h.site, flag, f"{why(h, flag)}; {seen}") for flag in h.flags]
    return tuple(alerts)


def why(h: SourceHealth, flag: str) -> str:
    """A flag of ``h`` explained in words."""
    if flag == "blocked":
        return f"{h.blocked_streak} refused in a row, last by {_wall(h.last_block)} at {h.last_blocked}"
    if flag == "script-only":
        return f"{h.script_streak} article pages in a row had their text only in scripts"
    return h.layout or flag


def _wall(reason: str | None) -> str:
    return {"403": "a 403 wall", "429": "a 429 wall", "challenge": "a challenge page"}.get(reason or "", "the site")


HEADERS = ("site", "last success", "fetches", "stored", "errors", "blocked", "script-only", "robots denied",
           "robots", "flags")


def health_row(h: SourceHealth) -> tuple[str, ...]:
    """One source as the cells of :data:`HEADERS`."""
    return (
        h.site, (h.last_success or "never")[:16].replace("T", " "), str(h.fetches), str(h.stored),
        str(h.errors), str(h.blocked), str(h.script_only), str(h.robots_denied), h.robots or "?",
        ", ".join(h.flags) or "ok",
    )


def _cell(i: int, text: str, width: int) -> str:
    return text.ljust(width) if i in (0, 1, 8, 9) else text.rjust(width)  # names left, counts right


def health_table(records: tuple[SourceHealth, ...]) -> str:
    """A plain-text table of sources, with why each flagged one is flagged."""
    if not records:
        return "(no crawl outcomes recorded yet)"
    rows = [HEADERS, *(health_row(h) for h in records)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADERS))]
    lines = ["  ".join(_cell(i, c, w) for i, (c, w) in enumerate(zip(r, widths, strict=True))) for r in rows]
    lines += [f"  {flag}: {h.site}: {why(h, flag)}" for h in records for flag in h.flags]
    return "\n".join(line.rstrip() for line in lines)


def health_summary(records: tuple[SourceHealth, ...]) -> dict[str, Any]:
    """Counts of sources by flag, and the flagged ones (for ``warta stats --json``)."""
    flagged = [h for h in records if h.flags]
    return {
        "sources": len(records),
        "flagged": [{"site": h.site, "flags": list(h.flags), "last_success": h.last_success} for h in flagged],
        "by_flag": dict(Counter(f for h in records for f in h.flags)),
    }


def health_lines(records: tuple[SourceHealth, ...]) -> list[str]:
    """The ``warta stats`` lines about sources: how many, and each flagged one by name."""
    if not records:
        return []
    flagged = [h for h in records if h.flags]
    lines = ["", f"sources: {len(records)} ({len(flagged)} flagged; details: warta sites health)"]
    for h in flagged:
        lines += [f"  {flag}: {h.site} ({why(h, flag)}; last stored {h.last_success or 'never'})" for flag in h.flags]
    return lines
