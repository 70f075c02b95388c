"""Source health in PostgreSQL: the same counts and site state as :mod:`warta.store.health`.

The rules (which outcome counts as fetched, blocked, served...) are :mod:`warta.store.health`'s;
only the SQL differs. A transaction's outcomes are recorded together at its end, sites in sorted
order (the events of one site keep their order), so two workers finishing URLs of the same sites
lock the ``sources`` rows in one order and never deadlock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import psycopg

from warta.store.health import BLOCKED, SCRIPT_ONLY, SERVED, STORED, Event, block_reason, site_of

_STATE_SQL = """
UPDATE sources SET  -- every expression reads the row as it was (SET is evaluated on the old row)
    run_fetches = CASE WHEN %(run)s::bigint IS NOT NULL AND last_run IS DISTINCT FROM %(run)s::bigint
        THEN 0 ELSE run_fetches END + %(fetched)s::int,
    run_stored = CASE WHEN %(run)s::bigint IS NOT NULL AND last_run IS DISTINCT FROM %(run)s::bigint
        THEN 0 ELSE run_stored END + %(stored)s::int,
    run_blocked = CASE WHEN %(run)s::bigint IS NOT NULL AND last_run IS DISTINCT FROM %(run)s::bigint
        THEN 0 ELSE run_blocked END + %(blocked)s::int,
    run_script_only = CASE WHEN %(run)s::bigint IS NOT NULL AND last_run IS DISTINCT FROM %(run)s::bigint
        THEN 0 ELSE run_script_only END + %(shell)s::int,
    last_run = COALESCE(%(run)s::bigint, last_run),
    last_fetch_at = CASE WHEN %(fetched)s::int = 1 THEN %(at)s::text ELSE last_fetch_at END,
    last_ok_at = CASE WHEN %(ok)s::int = 1 THEN %(at)s::text ELSE last_ok_at END,
    last_success_at = CASE WHEN %(stored)s::int = 1 THEN %(at)s::text ELSE last_success_at END,
    last_blocked_at = CASE WHEN %(blocked)s::int = 1 THEN %(at)s::text ELSE last_blocked_at END,
    last_block = CASE WHEN %(blocked)s::int = 1 THEN %(reason)s::text ELSE last_block END,
    blocked_streak = CASE WHEN %(blocked)s::int = 1 THEN blocked_streak + 1
        WHEN %(ok)s::int = 1 THEN 0 ELSE blocked_streak END,
    script_streak = CASE WHEN %(shell)s::int = 1 THEN script_streak + 1
        WHEN %(article_ok)s::int = 1 THEN 0 ELSE script_streak END,
    robots = CASE WHEN %(robots)s::int = 1 THEN %(detail)s::text ELSE robots END,
    robots_at = CASE WHEN %(robots)s::int = 1 THEN %(at)s::text ELSE robots_at END
WHERE site = %(site)s
"""


def record(conn: psycopg.Connection[Any], events: Sequence[Event]) -> None:
    """Count the outcomes per site and day and update each site's state, in the caller's transaction."""
    if not events:
        return
    ordered = sorted(events, key=lambda e: site_of(e.url))  # stable: a site's events keep their order
    reasons = [_reason(conn, e) for e in ordered]
    days = Counter(
        (site_of(e.url), e.at[:10], e.kind, e.outcome, reason, int(e.fetched))
        for e, reason in zip(ordered, reasons, strict=True)
    )
    with conn.pipeline(), conn.cursor() as cur:  # sent together, one round trip
        for key, n in sorted(days.items()):
            cur.execute(
                "INSERT INTO source_days(site, day, kind, outcome, reason, fetched, n) VALUES (%s,%s,%s,%s,%s,%s,%s)"
                " ON CONFLICT (site, day, kind, outcome, reason, fetched) DO UPDATE SET n = source_days.n + EXCLUDED.n",
                (*key, n),
            )
        for site in sorted({site_of(e.url) for e in ordered}):
            cur.execute("INSERT INTO sources(site) VALUES (%s) ON CONFLICT (site) DO NOTHING", (site,))
        for params in _state_params(ordered, reasons):
            cur.execute(_STATE_SQL, params)


def _state_params(events: Sequence[Event], reasons: Sequence[str]) -> list[dict[str, Any]]:
    """One parameter set per state change; an outcome decided without a request changes only the
    site's current run, so one per (site, run) of those is enough."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, int | None]] = set()
    for e, reason in zip(events, reasons, strict=True):
        site = site_of(e.url)
        if not e.fetched and e.kind != "robots":
            if (site, e.run_id) in seen:
                continue
            seen.add((site, e.run_id))
        out.append(_state(site, e, reason))
    return out


def _state(site: str, e: Event, reason: str) -> dict[str, Any]:
    fetched = e.fetched and e.kind != "robots"
    blocked = fetched and e.outcome == BLOCKED
    shell = fetched and e.outcome == SCRIPT_ONLY
    ok = fetched and (shell or e.outcome in SERVED)
    return {
        "site": site, "at": e.at, "reason": reason, "detail": e.detail or None, "run": e.run_id,
        "fetched": int(fetched), "blocked": int(blocked), "shell": int(shell), "ok": int(ok),
        "stored": int(fetched and e.outcome in STORED), "robots": int(e.kind == "robots"),
        "article_ok": int(ok and not shell and e.kind == "article" and e.outcome != "not an article"),
    }


def _reason(conn: psycopg.Connection[Any], e: Event) -> str:
    if e.outcome == BLOCKED:
        return block_reason(e.detail)
    if e.outcome in STORED and e.article_id is not None:
        row = conn.execute(
            "SELECT published, data->'provenance'->>'published' FROM articles WHERE id = %s", (e.article_id,)
        ).fetchone()
        if row is not None and (row[0] is None or str(row[1] or "").startswith("discover:")):
            return "no-date"
    return ""
