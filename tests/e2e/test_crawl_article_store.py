"""The crawl writes through the ArticleStore protocol: a store opened with ``open_article_store``
crawls like a bare SQLite ``Store``, and crawl options that belong to the distributed engine are
refused without it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sitefixture import FixtureSite, news_site_pages, sample_articles
from warta.cli.main import cli
from warta.config import Settings
from warta.pipeline.runner import Crawler, CrawlSpec
from warta.store.backends import open_article_store


def test_a_crawl_into_an_article_store_keeps_articles_and_their_captures(tmp_path: Path) -> None:
    arts = sample_articles()
    with FixtureSite() as site:
        pages = news_site_pages(site.url, arts)
        site.mount(pages)
        with open_article_store(tmp_path / "a.db") as store:
            report = Crawler(store, Settings(delay=0.0, workers=1, allow_private=True)).run(
                CrawlSpec((site.url + "/",))
            )
            stored = list(store.iter_articles())
            captures = {c.url_key: c.capture for c in store.iter_captures()}
    assert report.stored == len(arts) == len(stored)
    assert {s.article.url for s in stored} == {site.url + a.path for a in arts}
    for s in stored:  # each article points at its raw capture, kept (compressed) through the protocol
        assert s.capture_id is not None
        path = (s.article.url or "").removeprefix(site.url)
        assert captures[s.url_key].body == pages[path].body  # the bytes served, whole


def test_address_needs_the_ray_engine(tmp_path: Path) -> None:
    out = CliRunner().invoke(cli, ["crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "x.db"),
                                   "--address", "auto"])
    assert out.exit_code != 0 and "--address needs --engine ray" in out.output, out.output
