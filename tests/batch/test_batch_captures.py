"""warta batch --captures: re-extraction of a store's captures on the executor, shard by shard.

The store is filled by real crawls of two loopback sites (the bundled news pages and a site of
multi-page articles), then every article is overwritten with a stale version; re-extraction must
bring back exactly the crawl's articles (local and Ray executors, SQLite and PostgreSQL stores),
without a request to the sites, and a rerun must skip the finished shards.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from multipage_site import site_pages, stories
from sitefixture import FixtureSite, news_site_pages, sample_articles
from warta.batch import captures as batch_captures
from warta.batch.captures import CaptureItem, extract_capture, reextract_store
from warta.batch.shards import Part, shard_log
from warta.cli.main import cli
from warta.config import Settings
from warta.execute.local import LocalExecutor
from warta.model import Article, Block, Capture
from warta.pipeline.reextract import reextract
from warta.pipeline.runner import Crawler, CrawlSpec
from warta.store.backends import open_article_store
from warta.store.protocols import ArticleStore
from warta.store.sqlite import Store
from warta.store.transfer import copy_store

SHARD = 4  # capture ids per shard: the crawls keep a few dozen captures, so several shards


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store filled by two loopback crawls (the sites are gone once it is made)."""
    db = tmp_path_factory.mktemp("crawled") / "crawled.db"
    settings = Settings(delay=0.0, workers=1, allow_private=True)
    with Store(db) as store:
        with FixtureSite(site_pages(stories())) as site:
            Crawler(store, settings).run(CrawlSpec((site.url + "/",)))
        with FixtureSite() as site:
            site.mount(news_site_pages(site.url, sample_articles()))
            Crawler(store, settings).run(CrawlSpec((site.url + "/",)))
    return db


@pytest.fixture(scope="module")
def executor() -> Iterator[LocalExecutor]:
    with LocalExecutor(2) as ex:
        yield ex


def copy_db(crawled: Path, tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    db = tmp_path / "store.db"
    shutil.copy(crawled, db)
    return db


def articles(store: ArticleStore) -> dict[str, Article]:
    return {s.url_key: comparable(s.article) for s in store.iter_articles()}


def comparable(article: Article) -> Article:
    """The article with the reasons of its missing pages cut: a page the crawl got a 404 for has no
    stored capture, which re-extraction (never online) says instead of "HTTP 404"."""
    missing = article.provenance.get("pages_missing")
    if missing is None:
        return article
    urls = re.sub(r" \((?:[^()]|\([^()]*\))*\)", "", missing)
    return dataclasses.replace(article, provenance={**article.provenance, "pages_missing": urls})


def make_stale(store: ArticleStore) -> dict[str, Article]:
    """Overwrite every article with an outdated version; returns the articles as they were."""
    before = articles(store)
    with store.transaction() as tx:
        for key, article in before.items():
            tx.upsert_article(key, dataclasses.replace(article, title="usang", body=(Block("paragraph", "isi lama"),)))
    return before


def test_batch_reextraction_restores_the_crawled_articles_and_a_rerun_skips_shards(
    crawled: Path, tmp_path: Path, executor: LocalExecutor
) -> None:
    db = copy_db(crawled, tmp_path)
    with open_article_store(db) as store:
        before = make_stale(store)
        multi = [a for a in before.values() if len(a.pages) > 1]
        assert len(before) >= 9 and len(multi) >= 4  # single pages and merged multi-page articles
        shards = batch_captures.plan(store, SHARD)
        assert len(shards) >= 5
        table = shard_log(None, db)
        report = reextract_store(store, executor, table=table, timeout=30, shard_size=SHARD)
        assert report.updated == len(before) and not report.skips
        assert articles(store) == before  # every field, multi-page merges included
        again = reextract_store(store, executor, table=table, timeout=30, shard_size=SHARD)
        table.close()
    assert (again.shards_run, again.shards_already_done, again.updated) == (0, len(shards), 0)


def test_a_new_extractor_version_or_new_captures_rerun_shards(
    crawled: Path, tmp_path: Path, executor: LocalExecutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = copy_db(crawled, tmp_path)
    with open_article_store(db) as store:
        table = shard_log(None, db)
        first = reextract_store(store, executor, table=table, timeout=30, shard_size=SHARD)
        # a newer capture of one article lands in a new shard (ids grow): only the shards it touches run
        key, stored = next((s.url_key, s) for s in store.iter_articles())
        old = store.get_capture(stored.capture_id or 0)
        assert old is not None
        new_id = store.add_capture(key, dataclasses.replace(old, fetched_at="2030-01-01T00:00:00+00:00"))
        more = reextract_store(store, executor, table=table, timeout=30, shard_size=SHARD)
        last = batch_captures.plan(store, SHARD)[-1]
        in_last = [c.id for c in store.iter_article_captures(last.first, last.last)]
        assert more.shards_run == 1 and new_id in in_last and more.updated == len(in_last)
        monkeypatch.setattr(batch_captures, "extractor_version", lambda: "9.9.9+changed-rules")
        newer = reextract_store(store, executor, table=table, timeout=30, shard_size=SHARD)
        table.close()
        assert newer.shards_already_done == 0 and newer.shards_run == len(batch_captures.plan(store, SHARD))
    assert newer.updated == first.updated


def test_two_drivers_with_a_part_each_share_the_shards(crawled: Path, tmp_path: Path, executor: LocalExecutor) -> None:
    db = copy_db(crawled, tmp_path)
    with open_article_store(db) as store:
        before = make_stale(store)
        table = shard_log(None, db)
        one = reextract_store(store, executor, table=table, timeout=30, shard_size=SHARD, part=Part(1, 2))
        assert articles(store) != before  # half the shards: some articles still stale
        two = reextract_store(store, executor, table=table, timeout=30, shard_size=SHARD, part=Part(2, 2))
        whole = reextract_store(store, executor, table=table, timeout=30, shard_size=SHARD)
        table.close()
        assert articles(store) == before
        shards = len(batch_captures.plan(store, SHARD))
    assert (one.shards_run, two.shards_run) == ((shards + 1) // 2, shards // 2)
    assert one.updated + two.updated == len(before)
    assert (whole.shards_run, whole.shards_already_done) == (0, shards)  # the parts' shards are the same shards


@pytest.mark.parametrize("part", ["3/2", "0/2", "1", "a/b"])
def test_a_bad_part_is_refused(part: str) -> None:
    out = CliRunner().invoke(cli, ["batch", "--captures", "--db", "x.db", "--part", part])
    assert out.exit_code == 2 and "--part" in out.output


def test_extractor_version_names_warta_and_its_rule_files() -> None:
    version = batch_captures.extractor_version()
    assert version.startswith(__import__("warta").__version__ + "+") and len(version.split("+")[1]) == 12


def hostile_capture(url: str) -> Capture:
    """A 9.6 MB page of tiny paragraphs: seconds of parsing, far past a 1 s limit."""
    body = b"<html><body><article>" + b"<div><p>kata demi kata</p></div>" * 290_000 + b"</article></body></html>"
    return Capture(url, url, 200, (("Content-Type", "text/html; charset=utf-8"),), body, "2030-01-01T00:00:00+00:00")


def test_a_capture_that_times_out_is_a_recorded_skip_and_keeps_its_article(
    crawled: Path, tmp_path: Path, executor: LocalExecutor
) -> None:
    db = copy_db(crawled, tmp_path)
    with open_article_store(db) as store:
        before = articles(store)
        victim = next(s for s in store.iter_articles() if len(s.article.pages) <= 1)
        capture_id = store.add_capture(victim.url_key, hostile_capture(victim.article.url or ""))
        table = shard_log(None, db)
        report = reextract_store(store, executor, table=table, timeout=1.0, shard_size=SHARD)
        table.close()
        after = articles(store)
    assert dict(report.skips) == {"timeout": 1}
    [skip] = report.skipped
    assert (skip.capture_id, skip.reason, skip.detail) == (capture_id, "timeout", "over 1 s")
    assert after == before  # the victim keeps its stored version; every other article is re-extracted
    assert report.updated == len(before) - 1


def test_reextract_command_and_batch_captures_agree(crawled: Path, tmp_path: Path) -> None:
    db = copy_db(crawled, tmp_path)
    with open_article_store(db) as store:
        before = make_stale(store)
    with Store(db) as store:
        result = reextract(store, workers=1, timeout=30)  # warta reextract: same code, no shard table
    assert result.updated == len(before)
    with open_article_store(db) as store:
        assert articles(store) == before
        make_stale(store)
    out = CliRunner().invoke(cli, ["batch", "--captures", "--db", str(db), "--workers", "2", "--timeout", "30"])
    assert out.exit_code == 0, out.output
    summary = json.loads(out.stdout)
    assert (summary["updated"], summary["skips"], summary["shards_run"]) == (len(before), {}, 1)
    with open_article_store(db) as store:
        assert articles(store) == before
    rerun = CliRunner().invoke(cli, ["batch", "--captures", "--db", str(db), "--workers", "1"])
    assert json.loads(rerun.stdout)["shards_already_done"] == 1


@pytest.mark.parametrize("args", [["a.warc.gz", "--captures", "--db", "x.db"], ["--captures"],
                                  ["--captures", "--db", "x.db", "--out", "o"], []])
def test_batch_captures_refuses_what_it_cannot_do(args: list[str], tmp_path: Path) -> None:
    out = CliRunner().invoke(cli, ["batch", *args])
    assert out.exit_code == 2 and "Error" in out.output


def test_batch_captures_refuses_a_missing_database(tmp_path: Path) -> None:
    out = CliRunner().invoke(cli, ["batch", "--captures", "--db", str(tmp_path / "none.db")])
    assert out.exit_code == 1 and "none.db" in out.output
    assert not (tmp_path / "none.db").exists()


def test_ray_gives_the_local_executors_articles(crawled: Path, tmp_path: Path, executor: LocalExecutor) -> None:
    try:
        import ray
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("Ray is not installed but CI is set: install warta[ray]")
        pytest.skip("Ray is not installed (pip install 'warta[ray]'); CI fails here instead")
    from warta.execute.ray_engine import RayExecutor

    local_db, ray_db = copy_db(crawled, tmp_path / "l"), copy_db(crawled, tmp_path / "r")
    results = []
    for db, engine in ((local_db, executor), (ray_db, None)):
        with open_article_store(db) as store:
            before = make_stale(store)
            if engine is None:
                with RayExecutor(2) as ray_ex:
                    report = reextract_store(store, ray_ex, timeout=30, shard_size=SHARD)
            else:
                report = reextract_store(store, engine, timeout=30, shard_size=SHARD)
            results.append((report.updated, dict(report.skips), articles(store)))
            assert results[-1][2] == before
    assert results[0] == results[1]
    assert not ray.is_initialized()


def test_single_pages_equal_one_in_process_extraction(crawled: Path) -> None:
    """The worker function is the crawl's extraction: page by page, it gives the stored article."""
    with open_article_store(crawled, create=False) as store:
        checked = 0
        for stored in store.iter_articles():
            cap = store.get_capture(stored.capture_id or 0)
            assert cap is not None
            result, pages = extract_capture(CaptureItem.of(cap))
            if pages:  # a multi-page article: merged with its other pages (tested above)
                continue
            assert result == stored.article
            checked += 1
    assert checked >= 4


def empty_pg() -> str:
    """The test database (``WARTA_TEST_PG``; CI fails without it), emptied: warta's tables and the shard table."""
    from contract.pg_support import pg_url, reset_pg

    url = pg_url()
    reset_pg(url)
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS batch_shards")
    return url


@pytest.fixture
def pg() -> str:
    return empty_pg()


def test_postgresql_store_is_reextracted_and_records_its_shards_inside(
    crawled: Path, pg: str, executor: LocalExecutor
) -> None:
    with open_article_store(crawled, create=False) as src, open_article_store(pg) as dst:
        copy_store(src, dst)  # every capture (pages of multi-page articles too) and article
        before = make_stale(dst)
        table = shard_log(None, pg)
        report = reextract_store(dst, executor, table=table, timeout=30, shard_size=SHARD)
        assert report.updated == len(before) and not report.skips
        assert articles(dst) == before
        rerun = reextract_store(dst, executor, table=table, timeout=30, shard_size=SHARD)
        assert rerun.shards_run == 0 and rerun.shards_already_done == report.shards_run
        assert all(key.startswith("captures ") and "by extractor" in key for key in table.done())
        table.close()
