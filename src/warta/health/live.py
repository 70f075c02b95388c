"""``warta sites check --live``: does each recipe still lead to article links today?

The probe fetches through the crawler's own :class:`~warta.fetch.Fetcher`, one for the whole
check, so every rule of a crawl holds here too: the address guard (no private, loopback or
link-local address unless allowed), robots.txt per RFC 9309 read once per origin (4xx allows; 5xx,
429 or unreachable disallows), the per-host delay raised to the host's ``Crawl-delay``, retries of
429 and 5xx answers with Retry-After, the size cap, the wall-clock deadline per request, and
redirects followed hop by hop within the probed site (each hop checked against robots.txt). Entry
points are probed one at a time. For each entry point of a recipe (feeds, sitemaps, today's
listing page, index pages) it reports the outcome, the HTTP status and how many article links the
body yields.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from warta.discover.feeds import parse_feed
from warta.discover.listing import looks_like_article_url, parse_listing
from warta.discover.sitemaps import parse_sitemap
from warta.errors import DiscoverError, FetchError
from warta.fetch import Fetcher, FetchPolicy
from warta.health.recipes import recipe_urls
from warta.model import Capture
from warta.sites import Recipe
from warta.urls import registered_domain

__all__ = ["ProbeResult", "LiveReport", "check_live", "probe_recipe"]


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """One entry point probed: ``outcome`` is ok, empty, robots-disallowed, http-<status>,
    unparseable, error."""

    kind: str
    url: str
    outcome: str
    status: int | None = None
    articles: int = 0
    detail: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "url": self.url, "outcome": self.outcome, "status": self.status,
                "articles": self.articles, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class LiveReport:
    site: str
    status: str
    probes: tuple[ProbeResult, ...]

    @property
    def working(self) -> bool:
        return any(p.articles > 0 for p in self.probes)

    def to_dict(self) -> dict[str, object]:
        return {"site": self.site, "status": self.status, "working": self.working,
                "articles": sum(p.articles for p in self.probes), "probes": [p.to_dict() for p in self.probes]}


def check_live(recipes: Iterable[Recipe], policy: FetchPolicy, day: dt.date | None = None) -> list[LiveReport]:
    """Probe every entry point of each recipe (listing pages for ``day``, default today in the
    recipe's zone) through one :class:`Fetcher` in one event loop. ``recipes`` is consumed lazily,
    one recipe at a time (a progress bar wrapping it advances as each recipe is done)."""

    async def run() -> list[LiveReport]:
        async with Fetcher(policy) as fetcher:
            return [await probe_recipe(recipe, fetcher, day) for recipe in recipes]

    return asyncio.run(run())


async def probe_recipe(recipe: Recipe, fetcher: Fetcher, day: dt.date | None = None) -> LiveReport:
    """Probe every entry point of ``recipe`` with ``fetcher``, one after the other."""
    from zoneinfo import ZoneInfo

    today = day or dt.datetime.now(ZoneInfo(recipe.timezone)).date()
    probes = [await _probe(recipe, fetcher, kind, url) for kind, url in recipe_urls(recipe, today)]
    return LiveReport(recipe.id, recipe.status, tuple(probes))


async def _probe(recipe: Recipe, fetcher: Fetcher, kind: str, url: str) -> ProbeResult:
    try:
        return await _probe_unsafe(recipe, fetcher, kind, url)
    except FetchError as exc:
        return _failed(kind, url, exc)


def _failed(kind: str, url: str, exc: FetchError, detail: str = "") -> ProbeResult:
    """An HTTP error status is ``http-<status>``; anything else (network, guard, deadline, size
    cap, redirect out of the site) is an ``error`` that says what happened."""
    status = getattr(exc, "status", None)
    if isinstance(status, int) and status >= 400:
        return ProbeResult(kind, url, f"http-{status}", status, detail=detail)
    why = f"{type(exc).__name__}: {exc}"
    return ProbeResult(kind, url, "error", detail=f"{detail}; {why}" if detail else why)


async def _robots_refusal(fetcher: Fetcher, kind: str, url: str, status: int | None = None,
                          detail: str = "") -> ProbeResult | None:
    """The probe's result when robots.txt stops ``url`` (None: allowed). A robots.txt that could
    not be read (unreachable, refused address, 5xx, 429) is an ``error`` saying why, not a rule."""
    rules = await fetcher.robots(url)
    if rules.allowed(url):
        return None
    if rules.mode == "disallow-all":
        return ProbeResult(kind, url, "error", status, detail=f"{detail}; {rules.reason}" if detail else rules.reason)
    return ProbeResult(kind, url, "robots-disallowed", status, detail=detail)


async def _get(fetcher: Fetcher, url: str, site: str) -> Capture:
    """GET ``url`` the crawler's way; a redirect may not leave ``site`` (a registered domain)."""
    return await fetcher.fetch(url, in_scope=lambda target: registered_domain(target) == site)


async def _probe_unsafe(recipe: Recipe, fetcher: Fetcher, kind: str, url: str) -> ProbeResult:
    refused = await _robots_refusal(fetcher, kind, url)
    if refused is not None:
        return refused
    capture = await _get(fetcher, url, registered_domain(url))
    try:
        if kind == "sitemap":
            return await _probe_sitemap(recipe, fetcher, url, capture)
        count = _count_articles(recipe, kind, capture.final_url, capture.body)
    except DiscoverError as exc:
        return ProbeResult(kind, url, "unparseable", capture.status, detail=str(exc))
    return ProbeResult(kind, url, "ok" if count else "empty", capture.status, count)


async def _probe_sitemap(recipe: Recipe, fetcher: Fetcher, url: str, capture: Capture) -> ProbeResult:
    """A sitemap, or the first child of a sitemap index (news sitemaps list the newest first)."""
    sitemap = parse_sitemap(capture.body, capture.final_url)
    status, detail = capture.status, ""
    if sitemap.is_index:
        child = sitemap.children[0]
        detail = f"index of {len(sitemap.children)}; first child {child}"
        refused = await _robots_refusal(fetcher, "sitemap", child, status, detail)
        if refused is not None:
            return ProbeResult("sitemap", url, refused.outcome, status, detail=refused.detail)
        try:
            child_capture = await _get(fetcher, child, registered_domain(child))
        except FetchError as exc:
            return _failed("sitemap", url, exc, detail)
        status = child_capture.status
        sitemap = parse_sitemap(child_capture.body, child_capture.final_url)
    count = sum(1 for e in sitemap.entries if looks_like_article_url(e.url, recipe))
    return ProbeResult("sitemap", url, "ok" if count else "empty", status, count, detail)


def _count_articles(recipe: Recipe, kind: str, url: str, body: bytes) -> int:
    if kind == "feed":
        return sum(1 for e in parse_feed(body, url) if looks_like_article_url(e.url, recipe))
    return len(parse_listing(body, url, recipe).articles)
