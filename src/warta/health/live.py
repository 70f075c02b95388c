"""``warta sites check --live``: does each recipe still lead to article links today?

A small, polite, synchronous probe (the crawler's own fetcher is asynchronous and lives in
:mod:`warta.fetch`; this one shares its address guard: no private, loopback or link-local
address unless allowed, redirects followed by hand and only within the probed site, a
wall-clock deadline per body): one request at a time, an identifying User-Agent, robots.txt obeyed through
Protego (4xx = allow, unreachable or 5xx = disallow), a minimum delay between two requests to one
host (raised to the host's ``Crawl-delay``), a size cap on every body. For each entry point of a recipe (feeds, sitemaps, today's listing
page, index pages) it reports the HTTP status and how many article links the body yields.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from warta.discover.feeds import parse_feed
from warta.discover.listing import looks_like_article_url, parse_listing
from warta.discover.sitemaps import parse_sitemap
from warta.errors import DeadlineExceeded, DiscoverError, FetchError, RedirectOutOfScope, RobotsDisallowed
from warta.fetch.guard import SyncGuardedBackend
from warta.health.recipes import recipe_urls
from warta.sites import Recipe
from warta.urls import registered_domain

REDIRECTS = frozenset({301, 302, 303, 307, 308})

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
    allow_private: bool = False
    deadline: float = 120.0  # wall-clock seconds per response
    clock: Callable[[], float] = time.monotonic
    _robots: dict[str, Protego | None] = field(default_factory=dict)
    _robots_failed: dict[str, str] = field(default_factory=dict)  # origin -> why robots.txt was not read
    _last: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        transport = httpx.HTTPTransport(trust_env=False)
        # as in warta.fetch.client: httpx has no public hook for the network backend
        self._backend = SyncGuardedBackend(self.allow_private)
        transport._pool._network_backend = self._backend  # noqa: SLF001
        self._client = httpx.Client(
            transport=transport, headers={"User-Agent": self.user_agent}, timeout=self.timeout, trust_env=False
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

    def robots_problem(self, url: str) -> str | None:
        """Why robots.txt of ``url``'s origin could not be read (None: it was read, or is absent)."""
        parts = urlsplit(url)
        return self._robots_failed.get(f"{parts.scheme}://{parts.netloc}")

    def _load_robots(self, origin: str) -> Protego | None:
        try:
            status, body = self.get(origin + "/robots.txt")
        except (httpx.HTTPError, FetchError) as exc:
            self._robots_failed[origin] = f"robots.txt could not be fetched: {exc}"
            return None  # unreachable: disallow (RFC 9309)
        if status >= 500:
            self._robots_failed[origin] = f"robots.txt could not be fetched: HTTP {status}"
            return None
        if status >= 400:
            return Protego.parse("")  # no robots.txt: allow
        return Protego.parse(body.decode("utf-8", errors="replace"))

    def _host_delay(self, url: str) -> float:
        """The larger of our delay and the host's robots.txt ``Crawl-delay`` for us."""
        parts = urlsplit(url)
        robots = self._robots.get(f"{parts.scheme}://{parts.netloc}")
        crawl_delay = robots.crawl_delay(self.user_agent) if robots is not None else None
        return max(self.delay, float(crawl_delay or 0.0))

    def get(self, url: str) -> tuple[int, bytes]:
        """GET with the per-host delay, the size cap and the deadline, following up to five
        redirects within the URL's site (raises httpx.HTTPError or FetchError on failure)."""
        site = registered_domain(url)
        for _ in range(5):
            status, body, location = self._get_once(url)
            if status not in REDIRECTS or not location:
                return status, body
            target = urljoin(url, location)
            if registered_domain(target) != site or urlsplit(target).scheme not in ("http", "https"):
                raise RedirectOutOfScope(f"redirect leaves the site: {target[:200]}", url=url)
            if not target.endswith("/robots.txt") and not self.allowed(target):
                raise RobotsDisallowed("robots.txt disallows the redirect target", url=target)
            url = target
        raise httpx.TooManyRedirects("more than 5 redirects")

    def _get_once(self, url: str) -> tuple[int, bytes, str | None]:
        host = urlsplit(url).netloc
        wait = self._last.get(host, -1e9) + self._host_delay(url) - self.clock()
        if wait > 0:
            time.sleep(wait)
        self._backend.deadline_at = time.monotonic() + self.deadline  # headers and body, in total
        try:
            with self._client.stream("GET", url) as response:
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise httpx.DecodingError(f"body larger than {self.max_bytes} bytes")
                    chunks.append(chunk)
                return response.status_code, b"".join(chunks), response.headers.get("location")
        except httpx.TimeoutException as exc:
            if time.monotonic() >= (self._backend.deadline_at or 0):
                raise DeadlineExceeded(f"no complete response within {self.deadline:g}s", url=url) from exc
            raise
        finally:
            self._backend.deadline_at = None
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
    except (httpx.HTTPError, FetchError) as exc:
        return ProbeResult(kind, url, "error", detail=f"{type(exc).__name__}: {exc}")


def _probe_unsafe(recipe: Recipe, prober: Prober, kind: str, url: str) -> ProbeResult:
    if not prober.allowed(url):
        problem = prober.robots_problem(url)  # not a rule: robots.txt itself could not be read
        return ProbeResult(kind, url, "error", detail=problem) if problem else ProbeResult(kind, url, "robots-disallowed")
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
