"""Whole articles: walk the other pages of a multi-page article and merge them.

The extractor reports the pages it saw (:func:`warta.extract.pagination.find_pagination`);
:func:`whole_article` walks them through a ``fetch`` the caller gives (the crawl's polite fetcher,
:func:`warta.pipeline.pages.complete_article` for ``warta extract URL``, or the stored captures
when ``warta reextract`` and ``warta batch --captures`` re-extract) and merges them with the pure
:func:`~warta.extract.pagination.merge_pages`. No I/O happens here but through ``fetch``.

- A single-page view (``?page=all``, a "Tampilkan semua" link) is preferred: one more fetch.
- Otherwise pages are fetched in page order, each URL once (a page linking back to page 1, or to a
  page already fetched, ends nowhere), at most ``max_pages`` in all.
- A page that fails (HTTP 404, blocked, not an article) is recorded in ``provenance["pages_missing"]``;
  the pages fetched are kept.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from warta.errors import FetchError
from warta.extract.pagination import (
    MAX_PAGES,
    Fetched,
    Merge,
    Missing,
    PageLink,
    Pagination,
    merge_pages,
    single_page_article,
)
from warta.model import Article, Capture, Skip
from warta.urls import url_key

__all__ = ["ExtractPaged", "Fetch", "whole_article"]

Fetch = Callable[[str], Awaitable[Capture]]
ExtractPaged = Callable[[bytes, str], Awaitable[tuple[Article | Skip, Pagination]]]


@dataclass
class _Walk:
    """The pages still to fetch (page order) and every URL key already fetched or queued."""

    queue: list[PageLink]
    seen: set[str]

    def add(self, links: tuple[PageLink, ...]) -> None:
        for link in links:
            key = url_key(link.url)
            if key not in self.seen:
                self.seen.add(key)
                self.queue.append(link)
        # numbered pages first in page order; pages known only as "next" after, in the order found
        self.queue.sort(key=lambda p: (p.number is None, p.number or 0))


async def whole_article(
    first: Article,
    pagination: Pagination,
    url: str,
    fetch: Fetch,
    extract: ExtractPaged,
    *,
    max_pages: int = MAX_PAGES,
) -> Article:
    """``first`` (page 1 at ``url``) with the rest of the article, fetched and merged."""
    if not pagination:
        return first
    if pagination.single_page:
        whole = await _single_page(first, pagination, fetch, extract)
        if whole is not None:
            return whole
        if not pagination.next:
            return first
    walk = _Walk([], {url_key(u) for u in (url, first.url, first.canonical_url) if u})
    walk.add(pagination.next)
    fetched = [Fetched(url, first)]
    missing: list[Missing] = []
    hows = {p.how for p in pagination.next}
    while walk.queue and len(fetched) < max_pages:
        link = walk.queue.pop(0)
        try:
            cap = await fetch(link.url)
        except FetchError as exc:
            missing.append(Missing(link.url, _reason(exc)))
            continue
        walk.seen.add(url_key(cap.final_url))
        result, more = await extract(cap.body, cap.final_url)
        if isinstance(result, Skip):
            missing.append(Missing(link.url, str(result)))
            continue
        fetched.append(Fetched(link.url, result))
        walk.add(more.next)
        hows.update(p.how for p in more.next)
    if len(fetched) == 1 and not missing:
        return first
    return merge_pages(Merge(tuple(fetched), tuple(missing), "+".join(sorted(hows))))


async def _single_page(
    first: Article, pagination: Pagination, fetch: Fetch, extract: ExtractPaged
) -> Article | None:
    """The single-page view, when it fetches and holds at least as much text as page 1."""
    assert pagination.single_page is not None
    try:
        cap = await fetch(pagination.single_page)
    except FetchError:
        return None
    whole, _ = await extract(cap.body, cap.final_url)
    if isinstance(whole, Skip) or len(whole.text.split()) < len(first.text.split()):
        return None
    return single_page_article(first, whole, pagination.single_page, pagination.how)


def _reason(exc: FetchError) -> str:
    status = getattr(exc, "status", None)
    return f"HTTP {status}" if status else str(exc)
