"""Turn fetched discovery documents into frontier entries (the pure parsers live in
``warta.discover``; this module decides scope, depth and what the date window rules out)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from warta.discover import (
    COMMON_FEED_PATHS,
    COMMON_SITEMAP_PATHS,
    Listing,
    feed_links_in,
    links_in,
    listing_in,
    looks_like_article_url,
    make_candidate,
    parse_feed,
    parse_page,
    parse_sitemap,
)
from warta.fetch.robots import RobotsRules
from warta.pipeline.window import Window
from warta.sites import Recipe, listing_urls_for_day, recipe_for
from warta.store.frontier import Outcome, Pending
from warta.urls import (
    TRACKING_PARAMS,
    TRACKING_PREFIXES,
    date_from_url,
    host_of,
    normalize_url,
    registered_domain,
)

DISCOVERY_KINDS: tuple[str, ...] = ("robots", "sitemap", "feed", "listing")


@dataclass(frozen=True)
class Scope:
    """What one job may crawl: its seed sites, window, recipes and depth limits."""

    sites: tuple[str, ...]
    window: Window
    recipes: Mapping[str, Recipe] = field(default_factory=dict)
    max_listing_depth: int = 50  # pagination steps from a seed or recipe listing
    max_link_depth: int = 1  # links followed from article pages
    # recipe per host, looked up once (every article asks for its zone twice)
    _by_host: dict[str, Recipe | None] = field(default_factory=dict, init=False, compare=False, repr=False)

    @cached_property
    def hosts(self) -> frozenset[str]:
        return frozenset(host_of(s) for s in self.sites)

    @cached_property
    def domains(self) -> frozenset[str]:
        return frozenset(registered_domain(s) for s in self.sites)

    def in_scope(self, url: str) -> bool:
        """On a seed's host or its registered domain (a malformed URL is out of scope)."""
        return host_of(url) in self.hosts or registered_domain(url) in self.domains

    def recipe(self, url: str) -> Recipe | None:
        if not self.recipes:
            return None
        host = host_of(url)
        if host not in self._by_host:
            self._by_host[host] = recipe_for(url, self.recipes)
        return self._by_host[host]

    def follows_links(self, depth: int) -> bool:
        """True when links on an article page at ``depth`` are followed (``max_link_depth``)."""
        return depth < self.max_link_depth

    def tz(self, url: str) -> ZoneInfo | None:
        """The publisher's zone when a recipe names it; else None (use the date's own offset)."""
        recipe = self.recipe(url)
        return ZoneInfo(recipe.timezone) if recipe and recipe.timezone else None

    def article(
        self, url: str, found_by: str, hint: str | None, referrer: str | None, depth: int
    ) -> Pending | None:
        """A Pending article, already decided as out of range when its known date says so."""
        if not self.in_scope(url):
            return None
        recipe = self.recipe(url)
        cand = make_candidate(fetch_url(url, recipe), found_by, hint, referrer, recipe)
        if cand is None:
            return None
        if self.window.excludes(cand.hint_published, self.tz(cand.url)):
            return Pending(
                cand, "article", depth, Outcome.OUT_OF_RANGE, f"{found_by} date {cand.hint_published}"
            )
        return Pending(cand, "article", depth)

    def doc(
        self,
        url: str,
        kind: str,
        found_by: str,
        referrer: str | None,
        depth: int = 0,
        hint: str | None = None,
    ) -> Pending | None:
        if not self.in_scope(url):
            return None
        cand = make_candidate(url, found_by, hint, referrer, None)
        return Pending(cand, kind, depth) if cand is not None else None


def fetch_url(url: str, recipe: Recipe | None = None) -> str:
    """The URL to fetch for an article link: tracking parameters dropped (they only feed the
    publisher's analytics) and the recipe's full-page switch (``page=all``) added."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    if recipe is not None and recipe.full_page_switch and "=" in recipe.full_page_switch:
        name, _, value = recipe.full_page_switch.partition("=")
        if all(k != name for k, _ in query):
            query.append((name, value))
    if not query and not parts.query:
        return url
    return urlunsplit(parts._replace(query=urlencode(query)))


def _tracking(name: str) -> bool:
    """Tracking parameters, and the ``amp`` switch (fetch the full page, not its AMP variant)."""
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES) or low == "amp"


def seeds(scope: Scope) -> list[Pending]:
    """robots.txt, the seed page itself, and whatever the site's recipe names."""
    out: list[Pending | None] = []
    for site in scope.sites:
        base = normalize_url(site)
        if base is None:
            continue
        origin = _origin(base)
        out.append(scope.doc(origin + "/robots.txt", "robots", "seed", None))
        out.append(scope.doc(base, "listing", "seed", None))
        recipe = scope.recipe(base)
        if recipe is not None:
            out.extend(_recipe_docs(scope, recipe, base))
    return _unique(out)


def _recipe_docs(scope: Scope, recipe: Recipe, base: str) -> list[Pending | None]:
    out = [scope.doc(u, "feed", "recipe", base) for u in recipe.feeds]
    out += [scope.doc(u, "listing", "recipe", base) for u in recipe.index_pages]
    out += [scope.doc(u, "sitemap", "recipe", base) for u in recipe.sitemaps]
    for day in scope.window.days():
        out += [
            scope.doc(u, "listing", "recipe", base, 0, day.isoformat())
            for u in listing_urls_for_day(recipe, day)
        ]
    return out


def from_robots(scope: Scope, rules: RobotsRules, robots_url: str) -> list[Pending]:
    origin = _origin(robots_url)
    maps = rules.sitemaps if rules.mode == "rules" else []
    if rules.mode == "disallow-all":
        return []
    if not maps:
        maps = [origin + path for path in COMMON_SITEMAP_PATHS]
    return _unique(scope.doc(u, "sitemap", "robots", robots_url) for u in maps)


def from_sitemap(scope: Scope, body: bytes, url: str) -> list[Pending]:
    sitemap = parse_sitemap(body, url)
    out: list[Pending | None] = []
    for child in sitemap.children:
        out.append(scope.doc(child, "sitemap", "sitemap", url))
    news = any(e.published for e in sitemap.entries)
    for e in sitemap.entries:
        hint = e.published or _url_day(e.url) or e.lastmod
        out.append(scope.article(e.url, "news-sitemap" if news else "sitemap", hint, url, 0))
    return _unique(out)


def from_feed(scope: Scope, body: bytes, url: str) -> list[Pending]:
    return _unique(
        scope.article(e.url, "feed", e.published or _url_day(e.url), url, 0) for e in parse_feed(body, url)
    )


def from_listing(
    scope: Scope, body: bytes, url: str, depth: int, hint: str | None, seed: bool = False
) -> list[Pending]:
    """Article links and next pages of a listing; a seed page also yields its feeds (one parse)."""
    doc = parse_page(body)  # None: empty or unreadable (a seed still tries the usual feed paths)
    listing = listing_in(doc, url, scope.recipe(url)) if doc is not None else Listing()
    out: list[Pending | None] = []
    hints: list[str | None] = []
    for link, link_hint in listing.articles:
        day_hint = link_hint or _url_day(link) or hint
        hints.append(day_hint)
        out.append(scope.article(link, "listing", day_hint, url, 0))
    tz = scope.tz(url)
    all_old = bool(hints) and all(scope.window.before(h, tz) for h in hints)
    if depth < scope.max_listing_depth and not all_old:
        out += [scope.doc(u, "listing", "listing", url, depth + 1, hint) for u in listing.next_pages]
    if seed:
        feeds = (feed_links_in(doc, url) if doc is not None else []) or [_origin(url) + p for p in COMMON_FEED_PATHS]
        out += [scope.doc(u, "feed", "listing", url) for u in feeds]
        out += _dated_indexes(scope, doc, url) if doc is not None else []
    return _unique(out)


def _dated_indexes(scope: Scope, doc: Any, url: str) -> list[Pending | None]:
    """Links from a seed page to dated index pages (``/indeks/2016-10-05``) inside the window."""
    if scope.window.open:
        return []
    tz = scope.tz(url)
    out: list[Pending | None] = []
    for link in links_in(doc, url):
        day = _url_day(link)
        if (
            day
            and not looks_like_article_url(link, scope.recipe(link))
            and not scope.window.excludes(day, tz)
        ):
            out.append(scope.doc(link, "listing", "listing", url, 1, day))
    return out


def from_article(scope: Scope, links: Iterable[str], url: str, depth: int) -> list[Pending]:
    """The article-looking ones of ``links``, read from an article page at ``depth`` whose links the
    scope follows (:meth:`Scope.follows_links`; the extraction worker read them from its parse)."""
    found = [u for u in links if looks_like_article_url(u, scope.recipe(u))]
    return _unique(scope.article(u, "link", None, url, depth + 1) for u in found)


def _url_day(url: str) -> str | None:
    day = date_from_url(url)
    return day.isoformat() if day else None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _unique(items: Iterable[Pending | None]) -> list[Pending]:
    seen: set[str] = set()
    out: list[Pending] = []
    for p in items:
        if p is not None and p.candidate.url not in seen:
            seen.add(p.candidate.url)
            out.append(p)
    return out


__all__: Sequence[str] = (
    "DISCOVERY_KINDS",
    "Scope",
    "seeds",
    "from_robots",
    "from_sitemap",
    "from_feed",
    "from_listing",
    "from_article",
)
