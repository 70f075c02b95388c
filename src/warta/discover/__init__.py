"""warta.discover: where the URLs to fetch come from.

Pure functions over bytes the fetcher already has (no network I/O here):

* :mod:`warta.discover.sitemaps`: robots.txt ``Sitemap:`` lines, sitemap indexes, gzip and news sitemaps;
* :mod:`warta.discover.feeds`: RSS 2.0 / RDF / Atom, and ``<link rel="alternate">`` feed links;
* :mod:`warta.discover.listing`: listing pages (article links, date hints, pagination) and the
  generic article-URL heuristics;
* :func:`make_candidate`: the :class:`~warta.model.Candidate` record handed to the fetcher.
"""

from __future__ import annotations

from warta.discover.dates import iso_date, local_day, outside_window
from warta.discover.feeds import COMMON_FEED_PATHS, FeedEntry, feed_links_in, find_feed_links, parse_feed
from warta.discover.listing import (
    Listing,
    extract_links,
    links_in,
    listing_in,
    looks_like_article_url,
    parse_listing,
    parse_page,
)
from warta.discover.sitemaps import (
    COMMON_SITEMAP_PATHS,
    Sitemap,
    SitemapEntry,
    parse_sitemap,
    sitemaps_from_robots,
)
from warta.model import Candidate
from warta.sites import Recipe
from warta.urls import date_from_url, normalize_url, registered_domain, url_key

__all__ = [
    "COMMON_FEED_PATHS",
    "COMMON_SITEMAP_PATHS",
    "FOUND_BY",
    "FeedEntry",
    "Listing",
    "Sitemap",
    "SitemapEntry",
    "extract_links",
    "links_in",
    "listing_in",
    "find_feed_links",
    "feed_links_in",
    "iso_date",
    "local_day",
    "outside_window",
    "looks_like_article_url",
    "make_candidate",
    "parse_feed",
    "parse_listing",
    "parse_page",
    "parse_sitemap",
    "sitemaps_from_robots",
]

FOUND_BY: tuple[str, ...] = ("sitemap", "news-sitemap", "feed", "listing", "link", "seed", "recipe")


def make_candidate(
    url: str,
    found_by: str,
    hint: str | None = None,
    referrer: str | None = None,
    recipe: Recipe | None = None,
) -> Candidate | None:
    """A :class:`Candidate` for ``url`` (None when it is not an http(s) URL).

    ``site`` is the registered domain; ``hint`` is a date known before fetching (ISO 8601); when
    none is given, a date written in the URL's path is used.
    """
    norm = normalize_url(url, referrer)
    if norm is None:
        return None
    if hint is None:
        day = date_from_url(norm)
        hint = day.isoformat() if day else None
    return Candidate(
        url=norm,
        key=url_key(norm, recipe),
        site=registered_domain(norm),
        found_by=found_by,
        hint_published=hint,
        referrer=referrer,
    )
