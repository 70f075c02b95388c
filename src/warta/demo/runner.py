"""``warta demo``: replay the bundled recorded pages on 127.0.0.1 and crawl a date window of them.

Each recorded page is served under the address it was recorded from (``http://www.antaranews.com/
berita/...``): the loopback server answers as an HTTP proxy for those sites (one robots.txt,
sitemap, feed and dated listing per site), and the crawl goes through it (the ``proxy`` setting).
So the demo's articles carry their real addresses and domains, and running the demo again finds
the same articles (their keys do not depend on the loopback port): the store keeps one copy.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from warta.config import Settings
from warta.demo import DEMO_SINCE, DEMO_UNTIL
from warta.demo.newssite import SiteArticle, news_site_pages, sample_articles
from warta.demo.server import FixtureSite, Page
from warta.pipeline.runner import Crawler, CrawlSpec
from warta.pipeline.stats import outcome_table
from warta.store.sqlite import Store

SHOWN_TITLES = 10
# stand-ins for the bundled recipes of the recorded sites, without their live https entry points
DEMO_RECIPES = Path(__file__).with_name("recipes")


def replay_pages(articles: Sequence[SiteArticle]) -> dict[str, Page]:
    """Every page of every recorded site, keyed by absolute URL (what a proxy is asked for)."""
    by_origin: dict[str, list[SiteArticle]] = defaultdict(list)
    for article in articles:
        by_origin[article.origin or "http://demo.invalid"].append(article)
    pages: dict[str, Page] = {}
    for origin, group in by_origin.items():
        pages.update({origin + path: page for path, page in news_site_pages(origin, group, home_links=False).items()})
    return pages


def origins(articles: Sequence[SiteArticle]) -> tuple[str, ...]:
    """The front page of each recorded site: the crawl's seeds."""
    return tuple(sorted({(a.origin or "http://demo.invalid") + "/" for a in articles}))


def run_demo(settings: Settings, *, as_json: bool = False, echo: Callable[[str], None] = print) -> int:
    """Crawl the recorded sites for the demo window into ``settings.db``; returns articles stored."""
    articles = sample_articles()
    seeds = origins(articles)
    settings = settings.replace(allow_private=True)  # the recorded sites are replayed on 127.0.0.1
    with FixtureSite(replay_pages(articles)) as site, Store(settings.db) as store:
        crawl_settings = settings.replace(proxy=site.url, recipe_dirs=str(DEMO_RECIPES))
        if not as_json:
            echo(f"{len(articles)} recorded pages of {len(seeds)} news sites, replayed from {site.url}")
            echo(f"crawling {DEMO_SINCE} .. {DEMO_UNTIL} into {settings.db} (delay {settings.delay:g}s)\n")
        report = Crawler(store, crawl_settings).run(CrawlSpec(seeds, DEMO_SINCE, DEMO_UNTIL), "demo")
        stored = {sa.article.url: sa.article.title or sa.article.url or "" for sa in store.iter_articles()}
        titles = [stored[url] for url in sorted(stored, key=lambda u: u or "") if _is_demo(url, articles)]
        private_hits = len([h for h in site.log if "/private/" in h.path])
    if as_json:
        echo(json.dumps({**report.to_dict(), "titles": titles, "private_hits": private_hits}, ensure_ascii=False))
        return report.stored
    echo(outcome_table(report.outcomes))
    echo(
        f"\n{report.stored} new articles in {report.seconds:.1f}s, {report.requests} requests, "
        f"{private_hits} to robots-disallowed paths; {len(titles)} demo articles in the store:"
    )
    for line in listing(titles):
        echo(line)
    return report.stored


def _is_demo(url: str | None, articles: Sequence[SiteArticle]) -> bool:
    return url is not None and any(url == a.source_url for a in articles)


def listing(titles: Sequence[str], shown: int = SHOWN_TITLES) -> list[str]:
    """The titles as a list, the tail summed up as ``+N more``."""
    lines = [f"  - {t}" for t in titles[:shown]]
    if len(titles) > shown:
        lines.append(f"  +{len(titles) - shown} more")
    return lines


__all__ = ["listing", "origins", "replay_pages", "run_demo"]
