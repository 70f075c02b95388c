"""Source health tables and records on a real SQLite store: outcomes counted per site and day, the
migration of a store made before the tables, and the blocked / script-only / layout-broken flags."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from warta.health.report import health_table, run_alerts, source_health
from warta.model import Candidate
from warta.store import health
from warta.store.frontier import Frontier, Pending
from warta.store.sqlite import Store


def pending(url: str, kind: str = "article", outcome: str | None = None) -> Pending:
    c = Candidate(url=url, key=url, site="example.com", found_by="sitemap", hint_published=None)
    return Pending(c, kind, outcome=outcome)


def crawl(f: Frontier, job: int, run: int, outcomes: list[tuple[str, str, str]]) -> None:
    """Finish one URL per (url, outcome, detail) as the crawler does."""
    f.add(job, [pending(u) for u, _, _ in outcomes])
    by_url = {e.url: e for e in f.claim(job, run, len(outcomes))}
    for url, outcome, detail in outcomes:
        f.finish(by_url[url].id, outcome, detail=detail, job_id=job, run_id=run)


def event(url: str, outcome: str, day: str, kind: str = "article", run: int = 1) -> health.Event:
    return health.Event(url, kind, outcome, "", True, run, f"{day}T10:00:00+00:00")


def test_outcomes_are_counted_per_site_and_day(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        f = Frontier(store)
        job = f.job("backfill", ["https://www.a.example/"], None, None)[0].id
        run = f.start_run(job, "crawl")
        f.add(job, [pending("https://www.a.example/private", outcome="robots-disallowed")], run)
        crawl(f, job, run, [
            ("https://www.a.example/1", "stored", ""),
            ("https://www.a.example/2", "blocked", "forbidden (403)"),
            ("https://www.a.example/3", "blocked", "persistent 429 Too Many Requests"),
            ("https://b.example/1", "not an article", "no article body found"),
            ("https://b.example/2", "error:timeout", "timed out"),
        ])
        records = {h.site: h for h in source_health(Frontier(store))}
    a, b = records["a.example"], records["b.example"]
    assert (a.fetches, a.stored, a.blocked, a.robots_denied) == (3, 1, 2, 1)
    assert dict(a.days[-1].blocked) == {"403": 1, "429": 1}
    assert a.flags == ("blocked",) and a.last_block == "429" and a.blocked_streak == 2
    assert (b.fetches, b.stored, b.errors, b.flags) == (2, 0, 1, ())
    assert dict(b.days[-1].skips) == {"error:timeout": 1, "not an article": 1}


def test_a_served_page_clears_the_blocked_flag(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        f = Frontier(store)
        job = f.job("backfill", ["https://a.example/"], None, None)[0].id
        run = f.start_run(job, "crawl")
        crawl(f, job, run, [("https://a.example/1", "blocked", "challenge page (cf-chl)")])
        assert [a.flag for a in run_alerts(Frontier(store), run)] == ["blocked"]
        crawl(f, job, run, [("https://a.example/2", "not an article", "")])
        assert source_health(Frontier(store))[0].flags == ()
        assert run_alerts(Frontier(store), run) == ()


def test_a_store_made_before_the_health_tables_gets_its_history_counted(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Store(path) as store:
        f = Frontier(store)
        job = f.job("backfill", ["https://a.example/"], None, None)[0].id
        run = f.start_run(job, "crawl")
        crawl(f, job, run, [("https://a.example/1", "stored", ""), ("https://a.example/2", "blocked", "forbidden (403)")])
        expected = source_health(Frontier(store))
    conn = sqlite3.connect(path)  # the store as an older warta left it
    conn.executescript("DROP TABLE source_days; DROP TABLE sources;")
    conn.close()
    with Store(path) as store:
        migrated = source_health(Frontier(store))
        assert migrated == expected and migrated[0].stored == 1 and migrated[0].flags == ("blocked",)
    with Store(path) as store:  # opened again: counted once
        assert source_health(Frontier(store)) == expected


def test_script_only_pages_in_a_row_flag_the_source(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        conn = store.conn
        health.record(conn, event("https://a.example/0", "stored", "2026-01-01"))
        for i in range(3):
            health.record(conn, event(f"https://a.example/{i + 1}", "script-only", "2026-01-02"))
        (h,) = source_health(Frontier(store))
        assert h.flags == ("script-only",) and h.script_only == 3
        assert "script-only: a.example" in health_table((h,))
        health.record(conn, event("https://a.example/9", "stored", "2026-01-03"))
        assert source_health(Frontier(store))[0].flags == ()


def test_empty_bodies_jumping_against_the_sites_history_flag_a_broken_layout(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        conn = store.conn
        for site in ("steady.example", "broken.example"):
            for day in ("2026-01-01", "2026-01-02"):
                for i in range(10):  # history: one empty page in ten
                    health.record(conn, event(f"https://{site}/{day}/{i}", "not an article" if i == 0 else "stored", day))
        for i in range(8):  # the latest day
            broken = "not an article" if i < 6 else "stored"
            health.record(conn, event(f"https://broken.example/n/{i}", broken, "2026-01-03"))
            health.record(conn, event(f"https://steady.example/n/{i}", "not an article" if i == 0 else "stored", "2026-01-03"))
        records = {h.site: h for h in source_health(Frontier(store))}
    assert records["steady.example"].flags == ()
    broken_site = records["broken.example"]
    assert broken_site.flags == ("layout broken",)
    assert broken_site.layout == "empty bodies: 75% of 8 pages on 2026-01-03, 10% before"


def test_days_can_be_limited_without_changing_the_flags(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        for day in ("2026-01-01", "2026-01-05"):
            health.record(store.conn, event(f"https://a.example/{day}", "stored", day))
        (h,) = source_health(Frontier(store), since="2026-01-03")
    assert [d.day for d in h.days] == ["2026-01-05"]
