"""Crawl the fixture news site with the crawler's own code, then serve and search what it stored."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
from click.testing import CliRunner

from warta.cli.main import cli
from warta.demo.newssite import news_site_pages, sample_articles
from warta.demo.server import FixtureSite

from .conftest import LiveServer


def test_crawl_then_search_read_and_status(serve: Callable[..., LiveServer], tmp_path: Path) -> None:
    db = tmp_path / "crawled.db"
    articles = sample_articles()
    with FixtureSite() as site:
        site.mount(news_site_pages(site.url, articles))
        result = CliRunner().invoke(
            cli, ["crawl", site.url + "/", "--db", str(db), "--delay", "0.05", "--json", "--allow-private"], catch_exceptions=False
        )
        assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    stored = sum(o["n"] for o in report["outcomes"] if o["outcome"] == "stored")
    assert stored >= 3

    live = serve(db)
    with httpx.Client(base_url=live.base, timeout=10) as client:
        total = client.get("/api/search", params={"per_page": 100}).json()
        assert total["total"] == stored  # every stored article is browsable
        found = 0
        for article in articles:
            word = max(article.title.split(), key=len)
            hits = client.get("/api/search", params={"q": word}).json()["results"]
            found += any(h["url"] and h["url"].startswith(site.url) for h in hits)
        assert found >= stored // 2  # titles of crawled pages are searchable
        first = total["results"][0]
        page = client.get(f"/articles/{first['id']}").text
        assert "<p>" in page and "Read the original" in page
        runs = client.get("/api/runs").json()
        assert runs["runs"] and runs["runs"][0]["outcomes"].get("stored") == stored
        status = client.get("/status").text
        assert "stored" in status and "No crawl runs recorded." not in status
