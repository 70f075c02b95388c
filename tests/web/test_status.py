"""Status page and /api/runs read the crawl tables defensively, in either shape they may take."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from warta.store.sqlite import Store
from warta.web.status import crawl_status

from .conftest import LiveServer

# The shape of the crawl stage's tables (crawl_runs, frontier, an outcomes view without a site);
# the crawl stage's own schema (warta.store.frontier) creates them first where it is present.
FRONTIER_SHAPE = """
CREATE TABLE IF NOT EXISTS crawl_runs (id INTEGER PRIMARY KEY, job_id INTEGER, command TEXT, started_at TEXT,
    finished_at TEXT, status TEXT, requests INTEGER, stored INTEGER);
CREATE TABLE IF NOT EXISTS frontier (id INTEGER PRIMARY KEY, job_id INTEGER, url_key TEXT, url TEXT, kind TEXT,
    prio INTEGER, found_by TEXT, state TEXT, outcome TEXT, run_id INTEGER, updated_at TEXT);
CREATE VIEW IF NOT EXISTS outcomes AS SELECT job_id, run_id, kind, outcome, COUNT(*) AS n FROM frontier
    WHERE outcome IS NOT NULL GROUP BY job_id, run_id, kind, outcome;
"""


def fill_frontier(db: Path) -> None:
    with Store(db):
        pass
    with sqlite3.connect(db) as conn:
        conn.executescript(FRONTIER_SHAPE)
        runs = "INSERT INTO crawl_runs(id, job_id, command, started_at, finished_at, status, requests, stored)"
        conn.execute(runs + " VALUES (1, 1, 'warta crawl', '2024-01-01T00:00:00', '2024-01-01T01:00:00', 'finished', 40, 5)")
        conn.execute(runs + " VALUES (2, 1, 'warta crawl', '2024-01-02T00:00:00', NULL, 'running', 3, 0)")
        rows = [(1, f"https://www.good.example/a/{i}", "article", "stored", 1) for i in range(5)]
        rows += [(1, f"https://good.example/b/{i}", "article", "not an article", 1) for i in range(2)]
        rows += [(1, f"https://bad.example/x/{i}", "article", "blocked", 1) for i in range(6)]
        rows += [(1, "https://bad.example/robots.txt", "robots", "error:timeout", 2)]
        rows += [(1, "https://bad.example/ok", "article", "stored", 2)]
        rows = [(*row, row[1]) for row in rows]  # url key = url
        conn.executemany(
            "INSERT INTO frontier(job_id, url, kind, outcome, run_id, url_key, prio, found_by, state, updated_at)"
            " VALUES (?,?,?,?,?,?, 0, 'test', 'done', '2024-01-01')", rows)


def test_crawl_stage_shape(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    fill_frontier(db)
    status = crawl_status(sqlite3.connect(db))
    assert [r["id"] for r in status.runs] == [2, 1]
    assert status.run_outcomes(1) == {"stored": 5, "not an article": 2, "blocked": 6}
    assert status.run_outcomes(2) == {"error:timeout": 1, "stored": 1}
    per_site = {(o.site, o.outcome): o.count for o in status.site_outcomes()}
    assert per_site[("good.example", "stored")] == 5  # www. folded into the site
    assert per_site[("bad.example", "blocked")] == 6
    assert [(s.site, s.failures, s.top_failure) for s in status.failing_sites] == [("bad.example", 7, "blocked")]


def test_simple_shape_and_absent_tables(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    conn = sqlite3.connect(db)
    assert crawl_status(conn).to_dict() == {"runs": [], "outcomes_by_site": [], "failing_sites": []}
    conn.executescript("CREATE TABLE runs (started TEXT); INSERT INTO runs VALUES ('t1');"
                       "CREATE TABLE outcomes (site TEXT, reason TEXT);"
                       "INSERT INTO outcomes VALUES ('a.example', 'stored'), ('a.example', 'robots-disallowed');")
    status = crawl_status(conn)
    assert status.runs == ({"started": "t1"},)
    assert [(o.site, o.outcome, o.count) for o in status.site_outcomes()] == [
        ("a.example", "robots-disallowed", 1), ("a.example", "stored", 1)]
    assert [s.site for s in status.failing_sites] == ["a.example"]


@pytest.fixture(scope="module")
def live(serve: Callable[..., LiveServer], tmp_path_factory: pytest.TempPathFactory) -> LiveServer:
    db = tmp_path_factory.mktemp("status") / "warta.db"
    fill_frontier(db)
    return serve(db)


def test_api_runs_and_status_page(live: LiveServer) -> None:
    with httpx.Client(base_url=live.base) as client:
        data = client.get("/api/runs").json()
        assert [r["id"] for r in data["runs"]] == [2, 1]
        assert data["runs"][1]["outcomes"] == {"stored": 5, "not an article": 2, "blocked": 6}
        assert data["failing_sites"][0]["site"] == "bad.example"
        html = client.get("/status").text
    assert "bad.example" in html and "blocked" in html and "warta crawl" in html
    assert "No crawl runs recorded." not in html


def test_status_page_shows_source_health(serve: Callable[..., LiveServer], tmp_path: Path) -> None:
    from warta.model import Candidate
    from warta.store.frontier import Frontier, Pending

    db = tmp_path / "h.db"
    with Store(db) as store:
        f = Frontier(store)
        job = f.job("backfill", ["https://walled.example/"], None, None)[0].id
        run = f.start_run(job, "crawl")
        urls = ["https://walled.example/a", "https://walled.example/b", "https://fine.example/c"]
        f.add(job, [Pending(Candidate(u, u, "x", "sitemap", None), "article") for u in urls])
        entries = {e.url: e for e in f.claim(job, run, 3)}
        f.finish(entries[urls[0]].id, "stored", job_id=job, run_id=run)
        f.finish(entries[urls[1]].id, "blocked", detail="challenge page (cf-chl)", job_id=job, run_id=run)
        f.finish(entries[urls[2]].id, "stored", job_id=job, run_id=run)
    with httpx.Client(base_url=serve(db).base) as client:
        html = client.get("/status").text
    section = html[html.index('<section class="source-health">'):]
    section = section[: section.index("</section>")]
    rows = section.split('<tr class="source')[1:]
    assert 'data-site="walled.example"' in rows[0] and "flag-blocked" in rows[0]  # flagged first
    assert "(last: challenge)" in rows[0] and "a challenge page" in rows[0]
    assert 'data-site="fine.example"' in rows[1] and ">ok<" in rows[1]


def test_status_page_without_health_tables(tmp_path: Path) -> None:
    from warta.web.status import source_health

    assert source_health(sqlite3.connect(tmp_path / "empty.db")) == ()
