"""``warta db copy``: a crawled SQLite collection -> PostgreSQL -> SQLite comes back equal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pg_support import pg_url, reset_pg

from warta.cli.main import cli
from warta.model import Article, Block, Capture
from warta.store.backends import open_article_store, open_frontier
from warta.store.protocols import ArticleStore


def snapshot(store: ArticleStore) -> list[tuple[object, ...]]:
    """Everything a copy must keep, independent of the ids the destination assigns."""
    out: list[tuple[object, ...]] = []
    for record in store.iter_articles():
        cap = store.get_capture(record.capture_id) if record.capture_id is not None else None
        out.append((record.url_key, record.article.to_dict(), record.first_seen, record.updated_at, cap))
    return out


def crawl_state(store: ArticleStore) -> list[object]:
    """The crawl state a copy must keep: jobs, runs, outcomes, every frontier row (its capture and
    article links read as the linked records), aliases, validators and source health."""
    f = open_frontier(store)
    rows: list[object] = [f.jobs(), f.runs(100), f.outcome_counts(), f.source_rows(),
                          sorted(f.day_rows(), key=lambda r: sorted(r.items()))]
    for table in ("frontier_aliases", "validators"):
        rows.append(sorted(tuple(sorted(r.items())) for r in f.export_rows(table)))
    for row in sorted(f.export_rows("frontier"), key=lambda r: r["id"]):
        cap, art = row.pop("capture_id"), row.pop("article_id")
        stored = store.get_article(art) if art is not None else None
        rows.append((row, store.get_capture(cap) if cap is not None else None, stored and stored.url_key))
    return rows


def captures(store: ArticleStore) -> list[tuple[str, Capture]]:
    return [(c.url_key, c.capture) for c in store.iter_captures()]


def crawled_store(tmp_path: Path) -> Path:
    """A real collection: the bundled demo site crawled, plus edge cases a crawl does not produce."""
    db = tmp_path / "src.db"
    result = CliRunner().invoke(cli, ["demo", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    with open_article_store(db) as store:
        assert store.count_articles() >= 5
        odd = Article(url=None, title="Kutipan \u201cpenting\u201d \U0001F600 \u00e9\u00e8", language=None,
                      body=(Block("paragraph", "baris\tsatu\n\ndua \\ ' \" %s"),), provenance={"title": "text"})
        store.upsert_article("text:odd", odd)  # no capture, no url, no date
        extra = Capture("https://x.example/a", "https://x.example/a", 404, (), b"\x00\xff binary", "2024-01-01T00:00:00Z")
        store.add_capture("https://x.example/a", extra)  # a capture with no article, non-UTF-8 body
        store.add_capture("https://x.example/a", extra)  # two captures under one key: both kept
    return db


def test_sqlite_postgres_sqlite_roundtrip_is_lossless(tmp_path: Path) -> None:
    url = pg_url()
    reset_pg(url)
    src = crawled_store(tmp_path)
    back = tmp_path / "back.db"
    runner = CliRunner()
    there = runner.invoke(cli, ["db", "copy", str(src), url, "--json"])
    assert there.exit_code == 0, there.output
    report = json.loads(there.output.splitlines()[0])
    assert report["frontier"]["frontier"] > 0 and report["frontier"]["sources"] > 0
    assert not set(report["not_copied"]) & {"frontier", "crawl_jobs", "crawl_runs", "sources", "source_days"}
    again = runner.invoke(cli, ["db", "copy", url, str(back)])
    assert again.exit_code == 0, again.output
    assert "copied the crawl state: 1 jobs, 1 runs" in again.output
    with open_article_store(src) as a, open_article_store(url) as pg, open_article_store(back) as b:
        assert report["articles"] == a.count_articles() and report["captures"] == a.count_captures()
        assert crawl_state(a) == crawl_state(pg) == crawl_state(b)
        new_job = open_frontier(pg).job("watch", ["https://baru.example/"], None, None)[0]
        assert new_job.id == max(j.id for j in open_frontier(a).jobs()) + 1  # ids continue after the copied ones
        assert snapshot(a) == snapshot(pg) == snapshot(b)
        assert captures(a) == captures(pg) == captures(b)
        for q in ("polisi", "film", "penting"):  # the copies are searchable, with the same hits
            want = sorted(h.url for h in a.search(q).hits)
            assert want and sorted(h.url for h in pg.search(q).hits) == want
            assert sorted(h.url for h in b.search(q).hits) == want


def test_copy_refuses_a_non_empty_destination(tmp_path: Path) -> None:
    url = pg_url()
    reset_pg(url)
    src = crawled_store(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "copy", str(src), url]).exit_code == 0
    again = runner.invoke(cli, ["db", "copy", str(src), url])
    assert again.exit_code != 0 and "empty store" in again.output
    with open_article_store(url) as pg, open_article_store(src) as a:
        assert pg.count_articles() == a.count_articles()  # nothing doubled


def test_db_info_and_same_store(tmp_path: Path) -> None:
    from warta.store.postgres import SCHEMA_VERSION

    url = pg_url()
    reset_pg(url)
    out = CliRunner().invoke(cli, ["db", "info", url, "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output) == {"backend": "postgresql", "location": url, "articles": 0, "captures": 0,
                                      "schema_version": SCHEMA_VERSION}
    same = CliRunner().invoke(cli, ["db", "copy", "x.db", "x.db"])
    assert same.exit_code != 0 and "same store" in same.output


def test_search_and_stats_take_a_postgres_url(tmp_path: Path) -> None:
    url = pg_url()
    reset_pg(url)
    src = crawled_store(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "copy", str(src), url]).exit_code == 0
    for db_args, env in ((["--db", str(src)], {}), (["--db", url], {}), ([], {"WARTA_DB": url})):
        out = runner.invoke(cli, ["search", *db_args, "polisi", "--json"], env=env)
        assert out.exit_code == 0, out.output
        hits = json.loads(out.output)
        assert hits["total"] >= 1 and all("polisi" in (h["snippet"] + (h["title"] or "")).lower()
                                          for h in hits["results"])
        # what the user sees, whatever ids the store assigned and however it ranks ties
        seen = sorted((h["url"], h["title"], h["published"], h["snippet"]) for h in hits["results"])
        if db_args == ["--db", str(src)]:
            want = (hits["total"], seen)
        else:
            assert (hits["total"], seen) == want
    stats = runner.invoke(cli, ["stats", "--json"], env={"WARTA_DB": url})
    assert stats.exit_code == 0, stats.output
    data = json.loads(stats.output)
    with open_article_store(src) as a:
        assert data["backend"] == "postgresql" and data["articles"] == a.count_articles()
        # the same counts; sites with equal counts may come in either order
        assert sorted((s["site"], s["articles"]) for s in data["sites"]) == sorted(
            (s["site"] or "", s["articles"]) for s in a.site_counts())


def test_the_sqlite_only_store_refuses_a_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The concrete SQLite ``Store`` given a URL says so (and where to go) instead of creating a
    file named "postgresql:"."""
    from warta.errors import StoreError
    from warta.store.sqlite import Store

    monkeypatch.chdir(tmp_path)  # the file would appear in the working directory
    with pytest.raises(StoreError, match="needs a SQLite file") as err:
        Store("postgresql://u:pw@127.0.0.1:9/x")
    assert "pw" not in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_reextract_takes_a_postgres_url(tmp_path: Path) -> None:
    url = pg_url()
    reset_pg(url)
    with open_article_store(url) as store:
        store.upsert_article("k", Article(title="tanpa halaman"))
    out = CliRunner().invoke(cli, ["reextract", "--db", url, "--json", "--workers", "1"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output.strip().splitlines()[-1])["updated"] == 0  # no capture kept: nothing to redo


def test_copy_maps_frontier_links_to_the_destination_ids(tmp_path: Path) -> None:
    """Article ids with a gap in the source (a deleted article) get other ids in the destination:
    each URL still points at its own article, and the URL states and health come along."""
    from warta.model import Candidate
    from warta.store.frontier import Pending

    url = pg_url()
    reset_pg(url)
    src = tmp_path / "gap.db"
    with open_article_store(src) as a:
        a.upsert_article("https://x.example/gone", Article(title="dihapus"))
        a.upsert_article("https://x.example/keep", Article(title="tetap"))
        a.delete_article("https://x.example/gone")  # ids now start at 2
        f = open_frontier(a)
        job = f.job("backfill", ["https://x.example/"], None, None)[0].id
        run = f.start_run(job, "crawl")
        keys = [f"https://x.example/{i}" for i in range(3)]
        f.add(job, [Pending(Candidate(k, k, "x.example", "sitemap", None), "article") for k in keys])
        for e in f.claim(job, run, 3):
            cid = a.add_capture(e.key, Capture(e.url, e.url, 200, (), b"<p>isi</p>", "2024-01-01T00:00:00+00:00"))
            f.mark_fetched(e.id, cid)
            aid, _ = a.upsert_article(e.key, Article(url=e.url, title=e.key), cid)
            f.finish(e.id, "stored", article_id=aid, job_id=job, run_id=run)
        f.save_validators(job, keys[0], '"e1"', None)
    assert CliRunner().invoke(cli, ["db", "copy", str(src), url]).exit_code == 0
    with open_article_store(src) as a, open_article_store(url) as pg:
        assert [r.id for r in pg.iter_articles()] != [r.id for r in a.iter_articles()]  # the ids did change
        assert crawl_state(pg) == crawl_state(a)
        assert open_frontier(pg).validators(job, keys[0]) == ('"e1"', None)
