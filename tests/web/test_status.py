"""Status page and /api/runs read the crawl frontier through its methods (no table guessing)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from warta.model import Candidate
from warta.store.frontier import Frontier, Pending
from warta.store.sqlite import Store
from warta.store.sqlite_backend import SqliteArticleStore
from warta.web.status import crawl_status

from .conftest import LiveServer

RUN1 = ([(f"https://www.good.example/a/{i}", "article", "stored") for i in range(5)]
        + [(f"https://good.example/b/{i}", "article", "not an article") for i in range(2)]
        + [(f"https://bad.example/x/{i}", "article", "blocked") for i in range(6)])
RUN2 = [("https://bad.example/robots.txt", "robots", "error:timeout"), ("https://bad.example/ok", "article", "stored")]


def crawl(frontier: Frontier, job: int, outcomes: list[tuple[str, str, str]]) -> int:
    """One crawl run that finishes every URL of ``outcomes`` as given, as the crawl stage does."""
    run = frontier.start_run(job, "warta crawl")
    frontier.add(job, [Pending(Candidate(u, u, "x", "sitemap", None), kind) for u, kind, _ in outcomes], run)
    decided = {u: outcome for u, _, outcome in outcomes}
    for entry in frontier.claim(job, run, len(outcomes)):
        frontier.finish(entry.id, decided[entry.url], job_id=job, run_id=run)
    return run


def fill_frontier(db: Path) -> None:
    with Store(db) as store:
        frontier = Frontier(store)
        job = frontier.job("backfill", ["https://good.example/", "https://bad.example/"], None, None)[0].id
        first = crawl(frontier, job, RUN1)
        frontier.finish_run(first, "finished", 40, 5)
        crawl(frontier, job, RUN2)  # still running
        with store.transaction() as conn:  # fixed times, so pages can be checked for them
            conn.execute("UPDATE crawl_runs SET started_at='2024-01-01T00:00:00', finished_at='2024-01-01T01:00:00'"
                         " WHERE id=1")
            conn.execute("UPDATE crawl_runs SET started_at='2024-01-02T00:00:00' WHERE id=2")


def test_runs_outcomes_and_failing_sites(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    fill_frontier(db)
    with SqliteArticleStore.query_only(db) as store:
        status = crawl_status(store)
    assert [r["id"] for r in status.runs] == [2, 1] and status.frontier
    assert status.run_outcomes(1) == {"stored": 5, "not an article": 2, "blocked": 6}
    assert status.run_outcomes(2) == {"error:timeout": 1, "stored": 1}
    per_site = {(o.site, o.outcome): o.count for o in status.site_outcomes()}
    assert per_site[("good.example", "stored")] == 5  # www. folded into the site
    assert per_site[("bad.example", "blocked")] == 6
    assert [(s.site, s.failures, s.top_failure) for s in status.failing_sites] == [("bad.example", 7, "blocked")]


def test_store_without_crawl_tables(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    sqlite3.connect(db).execute("CREATE TABLE articles (id INTEGER PRIMARY KEY)").connection.close()
    with SqliteArticleStore.query_only(db) as store:  # a store made before the crawl tables existed
        assert crawl_status(store).to_dict() == {"runs": [], "outcomes_by_site": [], "failing_sites": []}


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

    sqlite3.connect(tmp_path / "empty.db").close()
    with SqliteArticleStore.query_only(tmp_path / "empty.db") as store:
        assert source_health(store) == ()
