"""The fixture news site used by tests (and by ``warta demo``): a real HTTP server on 127.0.0.1.

    with FixtureSite(pages) as site:          # pages: {path: Page | [Page, ...]}
        site.url, site.log, site.hits("/private/")

Faults are ordinary pages; the helpers below build the usual ones.
"""

from __future__ import annotations

import gzip

from warta.demo.newssite import SiteArticle, news_site_pages, sample_articles
from warta.demo.server import FixtureSite, Hit, Page

TEXT = (("Content-Type", "text/plain"),)


def too_many_requests(retry_after: str = "2") -> Page:
    return Page(b"slow down", 429, (("Retry-After", retry_after), *TEXT))


def server_error(status: int = 500) -> Page:
    return Page(b"oops", status, TEXT)


def redirect(to: str, status: int = 302) -> Page:
    return Page(b"", status, (("Location", to),))


def gzip_bomb(size: int = 50_000_000) -> Page:
    """A small gzip body that inflates to ``size`` bytes."""
    return Page(
        gzip.compress(b"\0" * size, 9), headers=(("Content-Type", "text/html"), ("Content-Encoding", "gzip"))
    )


def oversize(size: int) -> Page:
    return Page(b"<p>" + b"x" * size + b"</p>")


def slow(page: Page, seconds: float) -> Page:
    return Page(page.body, page.status, page.headers, seconds, page.etag)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&lol9;</loc></url></urlset>"""


def min_gap(hits: list[Hit]) -> float:
    """Smallest time between two consecutive requests in a server log."""
    times = sorted(h.t for h in hits)
    return min((b - a for a, b in zip(times, times[1:], strict=False)), default=float("inf"))


__all__ = [
    "BILLION_LAUGHS",
    "FixtureSite",
    "Hit",
    "Page",
    "SiteArticle",
    "gzip_bomb",
    "min_gap",
    "news_site_pages",
    "oversize",
    "redirect",
    "sample_articles",
    "server_error",
    "slow",
    "too_many_requests",
]
