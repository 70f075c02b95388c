"""Sitemaps: robots.txt ``Sitemap:`` lines, sitemap indexes, gzip sitemaps, Google news sitemaps.

:func:`parse_sitemap` is pure: the fetcher passes the body bytes and the URL they came from.
XML goes through :mod:`warta.discover.xmlsafe` (no entity expansion, no DTD, no network, capped
gzip). Plain-text sitemaps (one URL per line) are read too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from warta.discover.dates import iso_date
from warta.discover.xmlsafe import child_text, local_name, maybe_gunzip, parse_xml
from warta.errors import DiscoverError
from warta.urls import normalize_url

__all__ = [
    "COMMON_SITEMAP_PATHS",
    "SitemapEntry",
    "Sitemap",
    "parse_sitemap",
    "sitemaps_from_robots",
    "common_sitemap_urls",
]

COMMON_SITEMAP_PATHS: tuple[str, ...] = (
    "/sitemap.xml",
    "/sitemap_index.xml",
    "/sitemap-index.xml",
    "/news-sitemap.xml",
    "/sitemap_news.xml",
    "/sitemap-news.xml",
    "/sitemap.xml.gz",
    "/wp-sitemap.xml",
)
"""Where sites put sitemaps when robots.txt does not say (tried in this order)."""


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """One ``<url>`` of a urlset. Dates are ISO 8601 (the sitemap's own offset) or None."""

    url: str
    lastmod: str | None = None
    published: str | None = None  # news:publication_date
    title: str | None = None  # news:title


@dataclass(frozen=True, slots=True)
class Sitemap:
    """A parsed sitemap: article entries (urlset) and/or child sitemaps (sitemapindex)."""

    entries: tuple[SitemapEntry, ...] = ()
    children: tuple[str, ...] = ()

    @property
    def is_index(self) -> bool:
        return bool(self.children) and not self.entries


def parse_sitemap(body: bytes, url: str) -> Sitemap:
    """Parse a sitemap body (XML urlset or sitemapindex, gzip or plain, or a text sitemap).

    Raises :class:`DiscoverError` for a body that is neither (HTML, garbage, entity bombs).
    """
    data = maybe_gunzip(body, url)
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] != b"<":
        return _parse_text_sitemap(stripped, url)
    root = parse_xml(stripped, url)
    kind = local_name(root)
    if kind == "sitemapindex":
        return Sitemap(children=_children(root, url))
    if kind == "urlset":
        return Sitemap(entries=_entries(root, url))
    raise DiscoverError(f"not a sitemap (root element <{kind}>)", url=url)


def _children(root: Any, base: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for element in root:
        if local_name(element) == "sitemap":
            loc = normalize_url(child_text(element, "loc") or "", base)
            if loc:
                seen.setdefault(loc)
    return tuple(seen)


def _entries(root: Any, base: str) -> tuple[SitemapEntry, ...]:
    entries: dict[str, SitemapEntry] = {}
    for element in root:
        if local_name(element) != "url":
            continue
        loc = normalize_url(child_text(element, "loc") or "", base)
        if not loc or loc in entries:
            continue
        published, title = _news_fields(element)
        entries[loc] = SitemapEntry(loc, iso_date(child_text(element, "lastmod")), published, title)
    return tuple(entries.values())


def _news_fields(url_element: Any) -> tuple[str | None, str | None]:
    for child in url_element:
        if local_name(child) == "news":
            return iso_date(child_text(child, "publication_date")), child_text(child, "title")
    return None, None


def _parse_text_sitemap(data: bytes, url: str) -> Sitemap:
    text = data.decode("utf-8", errors="replace")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or not all(line.lower().startswith(("http://", "https://")) for line in lines[:5]):
        raise DiscoverError("not a sitemap (neither XML nor a list of URLs)", url=url)
    urls = dict.fromkeys(u for u in (normalize_url(line, url) for line in lines) if u)
    return Sitemap(entries=tuple(SitemapEntry(u) for u in urls))


def sitemaps_from_robots(robots_txt: str, base_url: str) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt (absolutised against ``base_url``, deduplicated)."""
    found: dict[str, None] = {}
    for raw in robots_txt.splitlines():
        line = raw.split("#", 1)[0].strip()
        name, sep, value = line.partition(":")
        if sep and name.strip().lower() == "sitemap":
            url = normalize_url(value.strip(), base_url)
            if url:
                found.setdefault(url)
    return list(found)


def common_sitemap_urls(site_url: str) -> list[str]:
    """:data:`COMMON_SITEMAP_PATHS` resolved against the site's root."""
    return [u for u in (normalize_url(p, site_url) for p in COMMON_SITEMAP_PATHS) if u]
