"""One contract for every frontier backend (SQLite and PostgreSQL): same calls, same answers.

Includes the job lock across processes (freed when its holder is killed with SIGKILL) and four
processes claiming from one job at once (every URL finished exactly once, none claimed twice).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_support import pg_url, reset_pg

from warta.errors import ConfigError
from warta.model import Article, Candidate, Capture
from warta.store.backends import open_frontier
from warta.store.frontier import Outcome, Pending
from warta.store.protocols import ArticleStore, FrontierStore

WORKER = Path(__file__).with_name("frontier_worker.py")
SEED = "https://berita.example/"


@pytest.fixture
def pair(store: ArticleStore) -> Iterator[tuple[ArticleStore, FrontierStore]]:
    yield store, open_frontier(store)


def cand(url: str, key: str | None = None, hint: str | None = None, found_by: str = "sitemap") -> Candidate:
    return Candidate(url=url, key=key or url, site="berita.example", found_by=found_by, hint_published=hint)


def article_at(url: str, kind: str = "article", **kw: object) -> Pending:
    return Pending(cand(url), kind, **kw)  # type: ignore[arg-type]


def new_job(f: FrontierStore) -> tuple[int, int]:
    job, existed = f.job("backfill", [SEED], "2024-01-01", "2024-01-31")
    assert not existed
    return job.id, f.start_run(job.id, "crawl test")


def counts(f: FrontierStore, **where: int) -> dict[tuple[str, str], int]:
    return {(o.kind, o.outcome): o.n for o in f.outcome_counts(**where)}


def capture(url: str) -> Capture:
    return Capture(url, url, 200, (("content-type", "text/html"),), b"<html></html>", "2099-01-01T00:00:00+00:00")


def test_protocol_is_implemented(pair: tuple[ArticleStore, FrontierStore]) -> None:
    store, f = pair
    assert isinstance(f, FrontierStore) and f.backend == store.backend


def test_same_command_is_the_same_job_and_runs_persist(pair: tuple[ArticleStore, FrontierStore]) -> None:
    _, f = pair
    job_id, run_id = new_job(f)
    again, existed = f.job("backfill", [SEED], "2024-01-01", "2024-01-31")
    other, other_existed = f.job("watch", [SEED], None, None)
    assert existed and again.id == job_id and again.sites == (SEED,) and again.status == "running"
    assert not other_existed and other.id != job_id
    f.set_job_status(job_id, "finished")
    f.finish_run(run_id, "finished", requests=7, stored=3)
    assert [(j.id, j.status) for j in f.jobs()] == [(job_id, "finished"), (other.id, "running")]
    run = f.runs()[0]
    assert (run["id"], run["status"], run["requests"], run["stored"], run["pid"]) == (run_id, "finished", 7, 3, os.getpid())
    second = f.start_run(job_id, "crawl again")
    assert f.start_run(job_id, "crawl third") > second
    assert [r["status"] for r in f.runs(2)] == ["running", "interrupted"]  # a run left running died


def test_workers_add_their_requests_to_the_run_as_they_go(pair: tuple[ArticleStore, FrontierStore]) -> None:
    _, f = pair
    _, run_id = new_job(f)
    other = f.start_run(f.job("watch", [SEED], None, None)[0].id, "another job's run")
    assert f.run_requests(run_id) == 0
    assert f.run_requests(run_id, 5) == 5 and f.run_requests(run_id, 3) == 8  # two workers' reports
    assert f.run_requests(other) == 0 and f.run_requests(run_id) == 8  # reading adds nothing
    f.finish_run(run_id, "finished", f.run_requests(run_id), stored=1)
    assert next(r["requests"] for r in f.runs() if r["id"] == run_id) == 8


def test_add_is_idempotent_and_records_aliases(pair: tuple[ArticleStore, FrontierStore]) -> None:
    _, f = pair
    job_id, run_id = new_job(f)
    a = article_at("https://berita.example/a")
    assert f.add(job_id, [a, a, article_at("https://berita.example/b")]) == 2
    assert f.add(job_id, [a]) == 0
    alias = Pending(cand("https://berita.example/a?utm_source=x", key="https://berita.example/a"), "article")
    assert f.add(job_id, [alias], run_id) == 0
    assert counts(f, job_id=job_id) == {("article", Outcome.DUPLICATE.value): 1}
    assert f.queued(job_id) == 2 and f.pending(job_id) == 2
    denied = Pending(cand("https://berita.example/private"), "article", 0, "robots-disallowed")
    assert f.add(job_id, [denied, denied], run_id) == 1  # decided once, counted once
    assert [(r["outcome"], r["n"]) for r in f.day_rows()] == [("robots-disallowed", 1)]


def test_claim_order_discovery_first_and_kinds(pair: tuple[ArticleStore, FrontierStore]) -> None:
    _, f = pair
    job_id, run_id = new_job(f)
    f.add(job_id, [article_at("https://berita.example/a"), article_at("https://berita.example/z"),
                   article_at("https://berita.example/list", "listing"),
                   article_at("https://berita.example/sitemap.xml", "sitemap"),
                   article_at("https://berita.example/robots.txt", "robots")])
    assert f.discovery_pending(job_id) and f.has_listed_articles(job_id)
    assert [e.kind for e in f.claim(job_id, run_id, 2, kinds=("sitemap", "listing"))] == ["sitemap", "listing"]
    got = f.claim(job_id, run_id, 10)
    assert [e.url for e in got] == ["https://berita.example/robots.txt", "https://berita.example/a",
                                    "https://berita.example/z"]  # priority, then the order added
    assert got[1].found_by == "sitemap" and got[1].depth == 0 and got[1].capture_id is None
    assert f.claim(job_id, run_id, 10) == [] and f.claim(job_id, run_id, 0) == []
    assert f.queued(job_id) == 0 and f.pending(job_id) == 5


def test_an_article_another_job_is_fetching_waits(pair: tuple[ArticleStore, FrontierStore]) -> None:
    _, f = pair
    one, run1 = new_job(f)
    two = f.job("watch", [SEED], None, None)[0].id
    run2 = f.start_run(two, "watch")
    for job in (one, two):
        f.add(job, [article_at("https://berita.example/a"), article_at("https://berita.example/b")])
    assert [e.url for e in f.claim(one, run1, 1)] == ["https://berita.example/a"]
    assert [e.url for e in f.claim(two, run2, 5)] == ["https://berita.example/b"]  # /a waits for job one
    assert f.queued(two) == 1


def test_finish_records_outcome_children_and_counts(pair: tuple[ArticleStore, FrontierStore]) -> None:
    _, f = pair
    job_id, run_id = new_job(f)
    f.add(job_id, [article_at("https://berita.example/sitemap.xml", "sitemap")])
    (entry,) = f.claim(job_id, run_id, 5)
    kids = [article_at(f"https://berita.example/{i}") for i in range(3)]
    kids.append(Pending(cand("https://berita.example/old", hint="2015-01-01"), "article", 0,
                        Outcome.OUT_OF_RANGE.value, "sitemap date 2015-01-01"))
    assert f.finish(entry.id, Outcome.PARSED.value, children=kids, job_id=job_id, run_id=run_id) == 4
    assert not f.discovery_pending(job_id) and f.has_listed_articles(job_id)
    arts = f.claim(job_id, run_id, 10)
    assert [e.url for e in arts] == [f"https://berita.example/{i}" for i in range(3)]
    f.finish(arts[0].id, Outcome.STORED.value, job_id=job_id, run_id=run_id)
    f.finish(arts[1].id, "error:timeout", detail="timed out", job_id=job_id, run_id=run_id)
    f.finish(arts[2].id, Outcome.STORED.value, job_id=job_id, run_id=run_id)
    assert counts(f, job_id=job_id) == {("sitemap", "parsed"): 1, ("article", "stored"): 2,
                                        ("article", "out of date range"): 1, ("article", "error:timeout"): 1}
    assert [(o.kind, o.outcome) for o in f.outcome_counts(run_id=run_id)][0] == ("article", "stored")
    assert f.run_outcome(run_id, "stored") == 2 and f.pending(job_id) == 0
    assert f.first_error(run_id) == ("https://berita.example/1", "timed out")
    assert f.first_error(run_id + 99) is None


def test_a_later_date_decides_a_queued_url(pair: tuple[ArticleStore, FrontierStore]) -> None:
    _, f = pair
    job_id, run_id = new_job(f)
    f.add(job_id, [Pending(cand("https://berita.example/a", found_by="link"), "article")])
    f.add(job_id, [Pending(cand("https://berita.example/a", hint="2015-05-05"), "article", 0, Outcome.OUT_OF_RANGE.value)])
    assert counts(f, job_id=job_id) == {("article", "out of date range"): 1}
    # a plain sitemap's lastmod said out of range; a news sitemap's publication date brings it back
    f.add(job_id, [Pending(cand("https://berita.example/b", hint="2024-03-02"), "article", 0, Outcome.OUT_OF_RANGE.value)])
    f.add(job_id, [Pending(cand("https://berita.example/b", hint="2024-01-15T08:00:00+07:00", found_by="news-sitemap"),
                           "article")])
    (entry,) = f.claim(job_id, run_id, 5)
    assert entry.found_by == "news-sitemap" and entry.hint == "2024-01-15T08:00:00+07:00"


def test_recover_and_release_stale_keep_captures(pair: tuple[ArticleStore, FrontierStore]) -> None:
    store, f = pair
    job_id, run_id = new_job(f)
    f.add(job_id, [article_at("https://berita.example/sitemap.xml", "sitemap"), article_at("https://berita.example/a")])
    first = f.claim(job_id, run_id, 5)
    art = next(e for e in first if e.kind == "article")
    cid = store.add_capture(art.key, capture(art.url))
    f.mark_fetched(art.id, cid)
    assert f.release_stale(job_id, 3600) == 0  # claimed just now: left to their worker
    time.sleep(2.1)
    assert f.release_stale(job_id, 1) == 2
    again = {e.kind: e for e in f.claim(job_id, run_id + 1, 5)}
    assert again["sitemap"].capture_id is None and again["article"].capture_id == cid
    assert f.recover(job_id) == 2  # a new run of a one-process job: everything in flight goes back
    assert {e.kind: e.capture_id for e in f.claim(job_id, run_id + 2, 5)} == {"sitemap": None, "article": cid}
    assert f.recent_capture(art.key) == cid and f.recent_capture("https://berita.example/none") is None
    aid, _ = store.upsert_article(art.key, Article(title="A"), cid)
    assert f.stored_article(art.key) == (aid, cid) and f.stored_article("nope") is None


def test_requeue_discovery_for_a_new_pass(pair: tuple[ArticleStore, FrontierStore]) -> None:
    _, f = pair
    job_id, run_id = new_job(f)
    f.add(job_id, [Pending(cand("https://berita.example/news-sitemap.xml", found_by="robots"), "sitemap"),
                   Pending(cand("https://berita.example/sitemap-2019.xml"), "sitemap"),
                   Pending(cand("https://berita.example/private.xml"), "sitemap", 0, "robots-disallowed")])
    for e in f.claim(job_id, run_id, 5):
        f.finish(e.id, Outcome.PARSED.value, job_id=job_id, run_id=run_id)
    assert f.requeue(job_id, ("sitemap",), entry_points_only=True) == 1
    assert f.requeue(job_id, ("sitemap", "feed")) == 1
    assert f.queued(job_id) == 2


def test_validators(pair: tuple[ArticleStore, FrontierStore]) -> None:
    _, f = pair
    job_id, _ = new_job(f)
    assert f.validators(job_id, "k") == (None, None)
    f.save_validators(job_id, "k", None, None)  # nothing to remember
    f.save_validators(job_id, "k", '"v1"', "Mon, 01 Jan 2024 00:00:00 GMT")
    f.save_validators(job_id, "k", '"v2"', None)
    assert f.validators(job_id, "k") == ('"v2"', None)
    assert f.validators(job_id + 1, "k") == (None, None)


def test_health_rows(pair: tuple[ArticleStore, FrontierStore]) -> None:
    store, f = pair
    job_id, run_id = new_job(f)
    f.add(job_id, [Pending(cand("https://www.a.example/private"), "article", 0, "robots-disallowed")], run_id)
    urls = ["https://www.a.example/1", "https://www.a.example/2", "https://www.a.example/3", "https://b.example/1"]
    f.add(job_id, [article_at(u) for u in urls])
    by_url = {e.url: e for e in f.claim(job_id, run_id, 10)}
    undated, _ = store.upsert_article("https://www.a.example/1", Article(title="tanpa tanggal"))
    f.finish(by_url[urls[0]].id, "stored", article_id=undated, job_id=job_id, run_id=run_id)
    f.finish(by_url[urls[1]].id, "blocked", detail="forbidden (403)", job_id=job_id, run_id=run_id)
    f.finish(by_url[urls[2]].id, "blocked", detail="persistent 429 Too Many Requests", job_id=job_id, run_id=run_id)
    f.finish(by_url[urls[3]].id, "not an article", job_id=job_id, run_id=run_id)
    sources = {r["site"]: r for r in f.source_rows()}
    a, b = sources["a.example"], sources["b.example"]
    assert (a["blocked_streak"], a["last_block"], a["run_fetches"], a["run_stored"], a["run_blocked"]) == (2, "429", 3, 1, 2)
    assert a["last_run"] == run_id and a["last_success_at"] is not None and a["script_streak"] == 0
    assert (b["blocked_streak"], b["run_fetches"], b["last_ok_at"] is not None) == (0, 1, True)
    days = sorted((r["site"], r["kind"], r["outcome"], r["reason"], r["fetched"], r["n"]) for r in f.day_rows())
    assert days == [("a.example", "article", "blocked", "403", 1, 1), ("a.example", "article", "blocked", "429", 1, 1),
                    ("a.example", "article", "robots-disallowed", "", 0, 1),
                    ("a.example", "article", "stored", "no-date", 1, 1),
                    ("b.example", "article", "not an article", "", 1, 1)]
    day = f.day_rows()[0]["day"]
    assert len(f.day_rows(since=day)) == 5 and f.day_rows(since="9999-01-01") == []


def _db(backend: str, tmp_path: Path) -> str:
    return str(tmp_path / "a.db") if backend == "sqlite" else pg_url()


def test_job_lock_is_one_process_and_freed_when_its_holder_is_killed(
    pair: tuple[ArticleStore, FrontierStore], backend: str, tmp_path: Path
) -> None:
    _, f = pair
    job_id, _ = new_job(f)
    with f.job_lock(job_id), pytest.raises(ConfigError, match=f"job {job_id} is being crawled by another process \\(lock "):
        with f.job_lock(job_id):
            pass
    with f.job_lock(job_id):  # released on exit
        pass
    holder = subprocess.Popen([sys.executable, str(WORKER), "lock", _db(backend, tmp_path), str(job_id)],
                              stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(ConfigError, match="being crawled by another process"), f.job_lock(job_id):
            pass
        with f.job_lock(job_id + 1):  # another job is free
            pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(30)
    deadline = time.monotonic() + 10
    while True:  # the server notices the killed session at once on loopback; allow it a moment
        try:
            with f.job_lock(job_id):
                break
        except ConfigError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_four_processes_claim_every_entry_exactly_once(
    pair: tuple[ArticleStore, FrontierStore], backend: str, tmp_path: Path
) -> None:
    _, f = pair
    job_id, _ = new_job(f)
    n = 2000
    assert f.add(job_id, [article_at(f"https://berita.example/{i}") for i in range(n)]) == n
    workers = [subprocess.Popen([sys.executable, str(WORKER), "claim", _db(backend, tmp_path), str(job_id)],
                                stdout=subprocess.PIPE, text=True, env=os.environ.copy()) for _ in range(4)]
    claimed: list[list[int]] = []
    for w in workers:
        out, _ = w.communicate(timeout=600)
        assert w.returncode == 0
        claimed.append(json.loads(out))
    every = [i for ids in claimed for i in ids]
    assert len(every) == n and len(set(every)) == n  # none claimed twice, none left out
    assert sum(1 for ids in claimed if ids) >= 2  # the work was shared
    assert f.pending(job_id) == 0 and counts(f, job_id=job_id) == {("article", "stored"): n}
    stored = sum(r["n"] for r in f.day_rows() if r["outcome"] == "stored")
    assert stored == n  # every URL finished exactly once (one health count per finish)


def test_four_processes_adding_the_same_urls_in_other_orders(
    pair: tuple[ArticleStore, FrontierStore], backend: str, tmp_path: Path
) -> None:
    """Workers that discover the same URLs at once (in other orders, with outcomes on five sites)
    neither fail (no deadlock) nor add or count a URL twice."""
    _, f = pair
    job_id, _ = new_job(f)
    workers = [subprocess.Popen([sys.executable, str(WORKER), "add", _db(backend, tmp_path), str(job_id), str(seed)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
               for seed in range(4)]
    added = []
    for w in workers:
        out, err = w.communicate(timeout=600)
        assert w.returncode == 0, err[-2000:]
        added.append(int(out))
    assert sum(added) == 2000 and f.queued(job_id) == 1500
    assert counts(f, job_id=job_id) == {("article", "robots-disallowed"): 500}
    assert sorted((r["site"], r["n"]) for r in f.day_rows()) == [(f"s{i}.example", 100) for i in range(5)]


def test_a_postgres_store_of_schema_1_gets_the_frontier_tables_on_open() -> None:
    """A database made before the frontier was behind the seam is migrated when opened, data kept."""
    import psycopg

    from warta.store.pg_frontier_schema import FRONTIER_TABLES
    from warta.store.postgres import SCHEMA_VERSION, PostgresArticleStore

    url = pg_url()
    reset_pg(url)
    with PostgresArticleStore(url) as s:
        s.upsert_article("k", Article(title="lama"))
    with psycopg.connect(url, autocommit=True) as conn:  # back to what schema 1 had
        conn.execute("DROP VIEW outcomes")
        conn.execute(f"DROP TABLE dedupe_docs, dedupe_bands, revisions, revisits, {', '.join(FRONTIER_TABLES)}")
        conn.execute("DELETE FROM schema_version WHERE version > 1")
    with PostgresArticleStore(url) as s:
        assert s.schema_version() == SCHEMA_VERSION >= 2 and s.count_articles() == 1
        f = open_frontier(s)
        job_id, run_id = new_job(f)
        assert f.add(job_id, [article_at("https://berita.example/a")]) == 1 and len(f.claim(job_id, run_id, 5)) == 1
