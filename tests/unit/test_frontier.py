"""The SQLite frontier: idempotent adds, claims, crash recovery, outcomes."""

from __future__ import annotations

from pathlib import Path

from warta.model import Candidate
from warta.store.frontier import Frontier, Outcome, Pending
from warta.store.sqlite import Store


def cand(url: str, key: str | None = None, hint: str | None = None, found_by: str = "sitemap") -> Candidate:
    return Candidate(url=url, key=key or url, site="example.com", found_by=found_by, hint_published=hint)


def open_frontier(tmp_path: Path) -> tuple[Store, Frontier, int, int]:
    store = Store(tmp_path / "f.db")
    f = Frontier(store)
    job, existed = f.job("backfill", ["https://example.com/"], "2016-01-01", "2016-01-31")
    assert not existed
    return store, f, job.id, f.start_run(job.id, "crawl test")


def test_same_command_is_the_same_job(tmp_path: Path) -> None:
    store, f, job_id, _ = open_frontier(tmp_path)
    again, existed = f.job("backfill", ["https://example.com/"], "2016-01-01", "2016-01-31")
    other, other_existed = f.job("backfill", ["https://example.com/"], "2016-02-01", "2016-02-28")
    assert existed and again.id == job_id
    assert not other_existed and other.id != job_id
    store.close()


def test_add_is_idempotent_and_records_aliases(tmp_path: Path) -> None:
    store, f, job_id, run_id = open_frontier(tmp_path)
    a = Pending(cand("https://example.com/a"), "article")
    assert f.add(job_id, [a, a]) == 1
    alias = Pending(cand("https://example.com/a?utm_source=x", key="https://example.com/a"), "article")
    assert f.add(job_id, [alias], run_id) == 0
    counts = {(o.kind, o.outcome): o.n for o in f.outcome_counts(job_id=job_id)}
    assert counts[("article", Outcome.DUPLICATE.value)] == 1
    store.close()


def test_claim_orders_discovery_first_and_recover_requeues_in_flight(tmp_path: Path) -> None:
    store, f, job_id, run_id = open_frontier(tmp_path)
    f.add(
        job_id,
        [
            Pending(cand("https://example.com/a"), "article"),
            Pending(cand("https://example.com/sitemap.xml"), "sitemap"),
        ],
    )
    assert f.discovery_pending(job_id)
    first = f.claim(job_id, run_id, 1)
    assert first[0].kind == "sitemap"
    second = f.claim(job_id, run_id, 5)
    assert [e.kind for e in second] == ["article"]
    assert f.claim(job_id, run_id, 5) == []  # both in flight
    capture_id = store.add_capture(second[0].key, _capture(second[0].url))
    f.mark_fetched(second[0].id, capture_id)
    # the process dies here; a new run recovers: the sitemap is queued again, the article keeps its capture
    assert f.recover(job_id) == 2
    again = {e.kind: e for e in f.claim(job_id, run_id + 1, 5)}
    assert again["sitemap"].capture_id is None
    assert again["article"].capture_id == capture_id
    store.close()


def test_finish_records_outcome_and_children_atomically(tmp_path: Path) -> None:
    store, f, job_id, run_id = open_frontier(tmp_path)
    f.add(job_id, [Pending(cand("https://example.com/sitemap.xml"), "sitemap")])
    (entry,) = f.claim(job_id, run_id, 5)
    kids = [Pending(cand(f"https://example.com/{i}"), "article") for i in range(3)]
    kids.append(
        Pending(cand("https://example.com/old", hint="2015-01-01"), "article", 0, Outcome.OUT_OF_RANGE.value)
    )
    assert f.finish(entry.id, Outcome.PARSED.value, children=kids, job_id=job_id, run_id=run_id) == 4
    assert not f.discovery_pending(job_id)
    assert len(f.claim(job_id, run_id, 10)) == 3  # the out-of-range one is already done
    counts = {(o.kind, o.outcome): o.n for o in f.outcome_counts(job_id=job_id)}
    assert counts == {("sitemap", "parsed"): 1, ("article", "out of date range"): 1}
    store.close()


def test_a_later_date_hint_rules_out_a_queued_url(tmp_path: Path) -> None:
    store, f, job_id, _ = open_frontier(tmp_path)
    f.add(job_id, [Pending(cand("https://example.com/a", found_by="link"), "article")])
    late = Pending(cand("https://example.com/a", hint="2015-05-05"), "article", 0, Outcome.OUT_OF_RANGE.value)
    f.add(job_id, [late])
    counts = {(o.kind, o.outcome): o.n for o in f.outcome_counts(job_id=job_id)}
    assert counts == {("article", "out of date range"): 1}
    store.close()


def test_validators_and_runs_persist(tmp_path: Path) -> None:
    store, f, job_id, run_id = open_frontier(tmp_path)
    f.save_validators(job_id, "https://example.com/rss", '"v1"', "Mon, 01 Jan 2024 00:00:00 GMT")
    f.finish_run(run_id, "finished", requests=7, stored=3)
    store.close()
    with Store(tmp_path / "f.db") as reopened:
        f2 = Frontier(reopened)
        assert f2.validators(job_id, "https://example.com/rss") == ('"v1"', "Mon, 01 Jan 2024 00:00:00 GMT")
        run = f2.runs()[0]
        assert run["status"] == "finished" and run["requests"] == 7 and run["stored"] == 3


def _capture(url: str):  # type: ignore[no-untyped-def]
    from warta.model import Capture

    return Capture(
        url, url, 200, (("Content-Type", "text/html"),), b"<html></html>", "2016-01-01T00:00:00+00:00"
    )


def test_a_publication_date_overrides_a_sitemap_lastmod(tmp_path: Path) -> None:
    store, f, job_id, run_id = open_frontier(tmp_path)
    # the monthly sitemap came first: lastmod (a later edit) says out of range
    lastmod = Pending(
        cand("https://example.com/a", hint="2016-03-02"), "article", 0, Outcome.OUT_OF_RANGE.value
    )
    f.add(job_id, [lastmod])
    news = Pending(
        cand("https://example.com/a", hint="2016-01-15T08:00:00+07:00", found_by="news-sitemap"), "article"
    )
    f.add(job_id, [news])
    (entry,) = f.claim(job_id, run_id, 5)
    assert entry.found_by == "news-sitemap" and entry.hint == "2016-01-15T08:00:00+07:00"
    store.close()


def test_release_stale_returns_what_a_dead_worker_held_and_spares_a_live_one(tmp_path: Path) -> None:
    import time

    store, f, job_id, run_id = open_frontier(tmp_path)
    urls = [f"https://example.com/{c}" for c in "abc"]
    f.add(job_id, [Pending(cand(u), "article") for u in urls])
    live, dead, fetched = f.claim(job_id, run_id, 3)
    capture_id = store.add_capture(fetched.key, _capture(fetched.url))
    f.mark_fetched(fetched.id, capture_id)
    time.sleep(1.1)  # the tables keep whole seconds: the claims are now a second older than a touch
    f.heartbeat([live.id])
    assert f.release_stale(job_id, 0) == 2
    states = dict(store.conn.execute("SELECT url, state FROM frontier WHERE job_id=?", (job_id,)).fetchall())
    # the live worker keeps its row; the dead one's rows go back: fetched with its capture kept
    assert states == {live.url: "fetching", dead.url: "queued", fetched.url: "fetched"}
    assert f.release_stale(job_id, 0) == 0
    again = f.claim(job_id, run_id, 3)
    assert {e.url for e in again} == {dead.url, fetched.url}
    assert next(e for e in again if e.url == fetched.url).capture_id == capture_id
    store.close()
