"""Feeds: RSS 2.0, RSS 1.0 (RDF) and Atom, and the ``<link rel="alternate">`` that points at them.

Pure functions over bytes; XML goes through :mod:`warta.discover.xmlsafe`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from warta.discover.dates import iso_date
from warta.discover.listing import base_url, parse_page
from warta.discover.xmlsafe import child_text, local_name, parse_xml
from warta.errors import DiscoverError
from warta.urls import normalize_url, registered_domain

__all__ = ["COMMON_FEED_PATHS", "FEED_TYPES", "FeedEntry", "parse_feed", "find_feed_links", "feed_links_in",
           "common_feed_urls"]

COMMON_FEED_PATHS: tuple[str, ...] = (
    "/rss",
    "/feed",
    "/rss.xml",
    "/feed.xml",
    "/atom.xml",
    "/index.xml",
    "/feed/",
    "/rss/",
)
"""Where sites put feeds when no ``<link rel="alternate">`` says (tried in this order)."""

FEED_TYPES: frozenset[str] = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One feed item. ``published`` is ISO 8601 in the feed's own offset, or None."""

    url: str
    published: str | None = None
    title: str | None = None


def parse_feed(body: bytes, url: str) -> tuple[FeedEntry, ...]:
    """The items of an RSS 2.0, RDF or Atom feed, in feed order, one per URL.

    Raises :class:`DiscoverError` for a body that is not a feed.
    """
    root = parse_xml(body, url)
    kind = local_name(root)
    if kind in ("rss", "rdf"):
        sites = _site_domains(root, url)
        items = [i for i in root.iter() if local_name(i) == "item"]
        return _dedupe(_rss_item(i, url, sites) for i in items)
    if kind == "feed":
        return _dedupe(_atom_entry(e, url) for e in root if local_name(e) == "entry")
    raise DiscoverError(f"not a feed (root element <{kind}>)", url=url)


def _dedupe(entries: Any) -> tuple[FeedEntry, ...]:
    found: dict[str, FeedEntry] = {}
    for entry in entries:
        if entry is not None and entry.url not in found:
            found[entry.url] = entry
    return tuple(found.values())


def _site_domains(root: Any, url: str) -> frozenset[str]:
    """Registered domains of the feed itself and of the site its channel links to."""
    domains = {registered_domain(url)}
    for channel in root.iter():
        if local_name(channel) == "channel":
            site = normalize_url(child_text(channel, "link") or "", url)
            if site:
                domains.add(registered_domain(site))
            break
    return frozenset(d for d in domains if d)


def _rss_item(item: Any, base: str, sites: frozenset[str]) -> FeedEntry | None:
    """The item's article URL: origLink, link or guid, preferring one on the site's own domain.

    Proxy services (feedsportal, feedburner) put a redirect URL in ``<link>`` and the article's
    own URL in ``<feedburner:origLink>`` or in a guid marked ``isPermaLink="false"``.
    """
    found = [child_text(item, "origlink"), child_text(item, "link"), *_guids(item)]
    urls = [u for u in (normalize_url(c or "", base) for c in found) if u]
    if not urls:
        return None
    own = [u for u in urls if registered_domain(u) in sites]
    published = iso_date(child_text(item, "pubdate", "date", "published", "issued"))
    return FeedEntry((own or urls)[0], published, child_text(item, "title"))


def _guids(item: Any) -> list[str]:
    """Guids that are URLs; a permalink guid first, one marked not-a-permalink after."""
    guids: list[tuple[bool, str]] = []
    for child in item:
        if local_name(child) == "guid":
            text = "".join(child.itertext()).strip()
            if text.lower().startswith(("http://", "https://")):
                guids.append((child.get("isPermaLink", "true").lower() == "false", text))
    return [text for _, text in sorted(guids, key=lambda g: g[0])]


def _atom_entry(entry: Any, base: str) -> FeedEntry | None:
    href: str | None = child_text(entry, "origlink")
    if href is None:
        links = [c for c in entry if local_name(c) == "link" and c.get("href")]
        preferred = [c for c in links if c.get("rel", "alternate") == "alternate"]
        chosen = (preferred or links)[:1]
        href = chosen[0].get("href") if chosen else None
    url = normalize_url(href or "", base)
    if url is None:
        return None
    published = iso_date(child_text(entry, "published", "issued", "updated", "modified"))
    return FeedEntry(url, published, child_text(entry, "title"))


def find_feed_links(html: bytes, url: str) -> list[str]:
    """Feed URLs announced by ``<link rel="alternate" type="application/rss+xml|atom+xml">``."""
    doc = parse_page(html)
    return [] if doc is None else feed_links_in(doc, url)


def feed_links_in(doc: Any, url: str) -> list[str]:
    """:func:`find_feed_links` of an already parsed page."""
    found: dict[str, None] = {}
    for link in doc.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        if "alternate" in rels and any(t in kind for t in ("rss", "atom", "rdf")):
            feed = normalize_url(link.get("href") or "", base_url(doc, url))
            if feed:
                found.setdefault(feed)
    return list(found)


def common_feed_urls(site_url: str) -> list[str]:
    """:data:`COMMON_FEED_PATHS` resolved against the site's root."""
    return [u for u in (normalize_url(p, site_url) for p in COMMON_FEED_PATHS) if u]
