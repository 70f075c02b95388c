"""Build a small news site from recorded article pages: robots.txt, sitemap index, monthly
sitemaps, a Google news sitemap, RSS, a home page and dated, paginated listings.

Every page links to a path that robots.txt disallows (``/private/``), so a crawler that ignores
robots.txt shows up in the server's log.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import format_datetime
from html import escape
from importlib import resources
from urllib.parse import urlsplit

from warta.demo.server import Page

XML = (("Content-Type", "application/xml; charset=utf-8"),)
HTML = (("Content-Type", "text/html"),)  # no charset: the crawler must not need one


@dataclass(frozen=True)
class SiteArticle:
    path: str  # where the article is served
    html: bytes
    published: str  # ISO 8601 with the publisher's offset
    title: str
    origin: str | None = None  # the site it was recorded from, e.g. http://www.antaranews.com

    @property
    def source_url(self) -> str | None:
        """Where the page was recorded (its origin plus the path it is served under)."""
        return None if self.origin is None else self.origin + self.path

    @property
    def day(self) -> str:
        return self.published[:10]

    @property
    def stamp(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.published)


def sample_articles() -> list[SiteArticle]:
    """The recorded MIT-licensed pages bundled in ``warta/demo/site`` (see its manifest.json)."""
    root = resources.files("warta.demo") / "site"
    manifest = json.loads((root / "manifest.json").read_text("utf8"))
    return [
        SiteArticle(m["path"], gzip.decompress((root / m["file"]).read_bytes()), m["published"], m["title"],
                    _origin(m["source_url"]))
        for m in manifest
    ]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def news_site_pages(
    base: str,
    articles: Sequence[SiteArticle],
    *,
    private: str = "/private/",
    per_page: int = 3,
    news_latest: int = 3,
    home_links: bool = True,
) -> dict[str, Page]:
    """All pages of the site, keyed by path (``base`` is the site's origin, e.g. http://127.0.0.1:8123).

    ``home_links=False`` leaves the latest articles off the home page (it links the dated indexes
    only), so a crawl meets the articles in the sitemaps and the feed first."""
    arts = sorted(articles, key=lambda a: a.stamp)
    pages: dict[str, Page] = {
        "/robots.txt": Page(
            f"User-agent: *\nDisallow: {private}\n\nSitemap: {base}/sitemap_index.xml\n".encode(),
            headers=(("Content-Type", "text/plain"),),
        ),
        "/sitemap_index.xml": Page(_sitemap_index(base, arts), headers=XML),
        "/sitemap-news.xml": _tagged(_news_sitemap(base, arts[-news_latest:]), XML),
        "/rss.xml": _tagged(_rss(base, arts[-5:]), (("Content-Type", "application/rss+xml"),)),
        "/": Page(_home(arts, latest=5 if home_links else 0), headers=HTML),
        f"{private}members": Page(b"<html><body>members only</body></html>", headers=HTML),
    }
    for month, group in _by(arts, lambda a: a.day[:7]).items():
        pages[f"/sitemap-{month}.xml"] = Page(_urlset(base, group), headers=XML)
    for day, group in _by(arts, lambda a: a.day).items():
        pages.update(_listing_pages(day, group, per_page, private))
    for n, a in enumerate(arts):
        pages[a.path] = _tagged(_with_private_link(a.html, f"{private}tracker-{n}"), HTML)
        pages[f"{private}tracker-{n}"] = Page(b"<html><body>private</body></html>", headers=HTML)
    return pages


def _tagged(body: bytes, headers: tuple[tuple[str, str], ...]) -> Page:
    """A page with an ETag that changes with its content (for conditional requests)."""
    return Page(body, headers=headers, etag='"' + hashlib.sha1(body).hexdigest()[:16] + '"')


def _by(arts: Sequence[SiteArticle], key: object) -> dict[str, list[SiteArticle]]:
    groups: dict[str, list[SiteArticle]] = defaultdict(list)
    for a in arts:
        groups[key(a)].append(a)  # type: ignore[operator]
    return dict(groups)


def _sitemap_index(base: str, arts: Sequence[SiteArticle]) -> bytes:
    items = [f"<sitemap><loc>{base}/sitemap-news.xml</loc></sitemap>"]
    for month, group in _by(arts, lambda a: a.day[:7]).items():
        last = max(a.published for a in group)
        items.append(f"<sitemap><loc>{base}/sitemap-{month}.xml</loc><lastmod>{last}</lastmod></sitemap>")
    return _xml("sitemapindex", "".join(items))


def _urlset(base: str, arts: Sequence[SiteArticle]) -> bytes:
    body = "".join(
        f"<url><loc>{escape(base + a.path)}</loc><lastmod>{a.published}</lastmod></url>" for a in arts
    )
    return _xml("urlset", body)


def _news_sitemap(base: str, arts: Sequence[SiteArticle]) -> bytes:
    body = "".join(
        f"<url><loc>{escape(base + a.path)}</loc><news:news><news:publication><news:name>Warta Demo</news:name>"
        f"<news:language>id</news:language></news:publication><news:publication_date>{a.published}"
        f"</news:publication_date><news:title>{escape(a.title)}</news:title></news:news></url>"
        for a in arts
    )
    return _xml("urlset", body, ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"')


def _xml(root: str, body: str, extra_ns: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        f"{extra_ns}>{body}</{root}>"
    ).encode()


def _rss(base: str, arts: Sequence[SiteArticle]) -> bytes:
    items = "".join(
        f"<item><title>{escape(a.title)}</title><link>{escape(base + a.path)}</link>"
        f"<pubDate>{format_datetime(a.stamp)}</pubDate></item>"
        for a in reversed(arts)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Warta Demo</title>'
        f"<link>{base}/</link>{items}</channel></rss>"
    ).encode()


def _links(arts: Sequence[SiteArticle]) -> str:
    return "".join(
        f'<li><a href="{escape(a.path)}">{escape(a.title)}</a> <time datetime="{a.published}">{a.day}</time></li>'
        for a in arts
    )


def _home(arts: Sequence[SiteArticle], latest: int = 5) -> bytes:
    days = sorted({a.day for a in arts}, reverse=True)
    nav = "".join(f'<li><a href="/index/{d}">Indeks {d}</a></li>' for d in days)
    return (
        '<html><head><title>Warta Demo</title><link rel="alternate" type="application/rss+xml" href="/rss.xml">'
        f"</head><body><h1>Warta Demo</h1><ul>{_links(list(reversed(arts))[:latest])}</ul><ul>{nav}</ul>"
        '<a href="/private/members">Members</a></body></html>'
    ).encode()


def _listing_pages(day: str, arts: Sequence[SiteArticle], per_page: int, private: str) -> dict[str, Page]:
    chunks = [arts[i : i + per_page] for i in range(0, len(arts), per_page)] or [[]]
    out = {}
    for n, chunk in enumerate(chunks, start=1):
        nxt = f'<a rel="next" href="/index/{day}?page={n + 1}">Berikutnya</a>' if n < len(chunks) else ""
        html = (
            f"<html><head><title>Indeks {day}</title></head><body><h1>Indeks berita {day}</h1>"
            f'<ul>{_links(chunk)}</ul>{nxt}<a href="{private}members">Members</a></body></html>'
        )
        out[f"/index/{day}" + (f"?page={n}" if n > 1 else "")] = Page(html.encode(), headers=HTML)
    return out


def _with_private_link(html: bytes, href: str) -> bytes:
    link = f'<p><a href="{href}">Langganan</a></p>'.encode()
    low = html.lower()
    at = low.rfind(b"</body>")
    return html[:at] + link + html[at:] if at >= 0 else html + link
