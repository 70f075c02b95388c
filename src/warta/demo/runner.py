"""``warta demo``: serve the bundled sample site on 127.0.0.1 and crawl a date window of it."""

from __future__ import annotations

import json
from collections.abc import Callable

from warta.config import Settings
from warta.demo import DEMO_SINCE, DEMO_UNTIL
from warta.demo.newssite import news_site_pages, sample_articles
from warta.demo.server import FixtureSite
from warta.pipeline.runner import Crawler, CrawlSpec
from warta.pipeline.stats import outcome_table
from warta.store.sqlite import Store


def run_demo(settings: Settings, *, as_json: bool = False, echo: Callable[[str], None] = print) -> int:
    """Crawl the sample site for the demo window into ``settings.db``; returns articles stored."""
    articles = sample_articles()
    settings = settings.replace(allow_private=True)  # the sample site is served on 127.0.0.1
    with FixtureSite() as site, Store(settings.db) as store:
        site.mount(news_site_pages(site.url, articles))
        if not as_json:
            echo(f"sample news site ({len(articles)} recorded pages) serving on {site.url}")
            echo(f"crawling {DEMO_SINCE} .. {DEMO_UNTIL} into {settings.db} (delay {settings.delay:g}s)\n")
        report = Crawler(store, settings).run(CrawlSpec((site.url + "/",), DEMO_SINCE, DEMO_UNTIL), "demo")
        titles = [sa.article.title or sa.article.url or "" for sa in store.iter_articles()]
        private_hits = len(site.hits("/private/"))
    if as_json:
        echo(
            json.dumps(
                {**report.to_dict(), "titles": titles, "private_hits": private_hits}, ensure_ascii=False
            )
        )
        return report.stored
    echo(outcome_table(report.outcomes))
    echo(
        f"\n{report.stored} new articles in {report.seconds:.1f}s, {report.requests} requests, "
        f"{private_hits} to robots-disallowed paths"
    )
    for title in titles[:5]:
        echo(f"  - {title}")
    return report.stored
