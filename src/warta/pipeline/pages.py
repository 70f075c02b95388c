"""Whole articles fetched now: ``warta extract URL`` with the other pages of a multi-page article.

:func:`complete_article` fetches the pages through a polite :class:`~warta.fetch.Fetcher`
(robots.txt, the per-host delay, retries and size caps hold) and walks and merges them with
:func:`warta.extract.whole.whole_article`, the walker the crawl and re-extraction use too.
"""

from __future__ import annotations

import asyncio

from warta.extract.html import parse_html
from warta.extract.pagination import Pagination, extract_with_pages, find_pagination
from warta.extract.whole import whole_article
from warta.fetch import Fetcher, FetchPolicy
from warta.model import Article, Skip


def complete_article(first: Article, html: bytes, url: str, policy: FetchPolicy) -> Article:
    """``first``, extracted from ``html`` fetched at ``url`` (as ``warta extract URL`` does), with its
    other pages fetched politely (robots.txt, ``policy.delay`` between requests, page 1 included)
    and merged. Blocking: runs its own event loop."""
    tree = parse_html(html, url)
    pagination = Pagination() if isinstance(tree, Skip) else find_pagination(tree, url)
    if not pagination:
        return first

    async def extract(body: bytes, page_url: str) -> tuple[Article | Skip, Pagination]:
        return extract_with_pages(body, page_url)

    async def run() -> Article:
        await asyncio.sleep(policy.delay)  # page 1 was fetched just now
        async with Fetcher(policy) as fetcher:
            return await whole_article(first, pagination, url, fetcher.fetch, extract)

    return asyncio.run(run())
