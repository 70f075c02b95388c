"""``warta sites check --live``: does each recipe still lead to article links today?

A small, polite, synchronous probe (the crawler's own fetcher is asynchronous and lives in
:mod:`warta.fetch`): one request at a time, an identifying User-Agent, robots.txt obeyed through
Protego (4xx = allow, unreachable or 5xx = disallow), a minimum delay between two requests to one
host, a size cap on every body. For each entry point of a recipe (feeds, sitemaps, today's listing
page, index pages) it reports the HTTP status and how many article links the body yields.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
from protego import Protego

from warta.discover.feeds import parse_feed
from warta.discover.listing import looks_like_article_url, parse_listing
from warta.discover.sitemaps import parse_sitemap
from warta.errors import DiscoverError
from warta.sites import Recipe
from warta.sites.check import recipe_urls

__all__ = ["ProbeResult", "LiveReport", "Prober", "check_live"]


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """One entry point probed: ``outcome`` is ok, empty, robots-disallowed, http-<status>, error."""

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


@dataclass
class Prober:
    """A polite synchronous fetcher for probes (robots.txt cached per origin for its lifetime)."""

    user_agent: str
    delay: float = 1.0
    timeout: float = 20.0
    max_bytes: int = 10_000_000
    clock: Callable[[], float] = time.monotonic
    _robots: dict[str, Protego | None] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._client = httpx.Client(
            headers={"User-Agent": self.user_agent}, timeout=self.timeout, follow_redirects=True, max_redirects=5
        )

    def close(self) -> None:
        self._client.close()

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        robots = self._robots[origin]
        return robots is not None and bool(robots.can_fetch(url, self.user_agent))

    def _load_robots(self, origin: str) -> Protego | None:
        try:
            status, body = self.get(origin + "/robots.txt")
        except httpx.HTTPError:
            return None  # unreachable: disallow (RFC 9309)
        if status >= 500:
            return None
        if status >= 400:
            return Protego.parse("")  # no robots.txt: allow
        return Protego.parse(body.decode("utf-8", errors="replace"))

    def get(self, url: str) -> tuple[int, bytes]:
        """GET with the per-host delay and the size cap (raises httpx.HTTPError on failure)."""
        host = urlsplit(url).netloc
        wait = self._last.get(host, -1e9) + self.delay - self.clock()
        if wait > 0:
            time.sleep(wait)
        try:
            with self._client.stream("GET", url) as response:
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise httpx.DecodingError(f"body larger than {self.max_bytes} bytes")
                    chunks.append(chunk)
                return response.status_code, b"".join(chunks)
        finally:
            self._last[host] = self.clock()


def check_live(recipe: Recipe, prober: Prober, day: dt.date | None = None) -> LiveReport:
    """Probe every entry point of ``recipe`` (listing pages for ``day``, default today in its zone)."""
    from zoneinfo import ZoneInfo

    today = day or dt.datetime.now(ZoneInfo(recipe.timezone)).date()
    probes = tuple(_probe(recipe, prober, kind, url) for kind, url in recipe_urls(recipe, today))
    return LiveReport(recipe.id, recipe.status, probes)


def _probe(recipe: Recipe, prober: Prober, kind: str, url: str) -> ProbeResult:
    try:
        return _probe_unsafe(recipe, prober, kind, url)
    except httpx.HTTPError as exc:
        return ProbeResult(kind, url, "error", detail=f"{type(exc).__name__}: {exc}")


def _probe_unsafe(recipe: Recipe, prober: Prober, kind: str, url: str) -> ProbeResult:
    if not prober.allowed(url):
        return ProbeResult(kind, url, "robots-disallowed")
    status, body = prober.get(url)
    if status >= 400:
        return ProbeResult(kind, url, f"http-{status}", status)
    try:
        if kind == "sitemap":
            return _probe_sitemap(recipe, prober, url, status, body)
        count = _count_articles(recipe, kind, url, body)
    except DiscoverError as exc:
        return ProbeResult(kind, url, "unparseable", status, detail=str(exc))
    return ProbeResult(kind, url, "ok" if count else "empty", status, count)


def _probe_sitemap(recipe: Recipe, prober: Prober, url: str, status: int, body: bytes) -> ProbeResult:
    """A sitemap, or the first child of a sitemap index (news sitemaps list the newest first)."""
    sitemap = parse_sitemap(body, url)
    detail = ""
    if sitemap.is_index:
        child = sitemap.children[0]
        detail = f"index of {len(sitemap.children)}; first child {child}"
        if not prober.allowed(child):
            return ProbeResult("sitemap", url, "robots-disallowed", status, detail=detail)
        status, body = prober.get(child)
        sitemap = parse_sitemap(body, child)
    count = sum(1 for e in sitemap.entries if looks_like_article_url(e.url, recipe))
    return ProbeResult("sitemap", url, "ok" if count else "empty", status, count, detail)


def _count_articles(recipe: Recipe, kind: str, url: str, body: bytes) -> int:
    if kind == "feed":
        return sum(1 for e in parse_feed(body, url) if looks_like_article_url(e.url, recipe))
    return len(parse_listing(body, url, recipe).articles)
