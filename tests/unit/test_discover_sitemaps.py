from __future__ import annotations

import gzip
import time

import pytest

from warta.discover.sitemaps import (
    COMMON_SITEMAP_PATHS,
    Sitemap,
    SitemapEntry,
    common_sitemap_urls,
    parse_sitemap,
    sitemaps_from_robots,
)
from warta.discover.xmlsafe import gunzip_capped
from warta.errors import DiscoverError

BASE = "https://news.example.co.id/sitemap.xml"

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://news.example.co.id/read/2016/10/05/1/a</loc><lastmod>2016-10-05T10:00:00+07:00</lastmod></url>
  <url><loc> /read/2016/10/06/2/b </loc><lastmod>2016-10-06</lastmod></url>
  <url><loc>https://news.example.co.id/read/2016/10/05/1/a</loc></url>
  <url><loc>javascript:alert(1)</loc></url>
  <url><lastmod>2016-10-06</lastmod></url>
  <url><loc>https://news.example.co.id/c?x=1&amp;y=2</loc><lastmod>not a date</lastmod></url>
</urlset>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://news.example.co.id/sitemap-2016-10.xml.gz</loc><lastmod>2016-10-31</lastmod></sitemap>
  <sitemap><loc>/sitemap-news.xml</loc></sitemap>
</sitemapindex>"""

NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://news.example.co.id/read/1</loc>
    <news:news><news:publication><news:name>Contoh</news:name><news:language>id</news:language></news:publication>
      <news:publication_date>2016-10-05T23:30:00+07:00</news:publication_date>
      <news:title>Gempa di Lombok, warga mengungsi</news:title></news:news></url>
</urlset>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.example/&lol9;</loc></url></urlset>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.example/&xxe;</loc></url></urlset>"""


def test_urlset_entries_are_absolute_deduplicated_and_dated() -> None:
    sitemap = parse_sitemap(URLSET, BASE)
    assert not sitemap.is_index and sitemap.children == ()
    assert sitemap.entries == (
        SitemapEntry("https://news.example.co.id/read/2016/10/05/1/a", "2016-10-05T10:00:00+07:00"),
        SitemapEntry("https://news.example.co.id/read/2016/10/06/2/b", "2016-10-06"),
        SitemapEntry("https://news.example.co.id/c?x=1&y=2", None),
    )


def test_sitemap_index_lists_children() -> None:
    sitemap = parse_sitemap(INDEX, BASE)
    assert sitemap.is_index
    assert sitemap.children == (
        "https://news.example.co.id/sitemap-2016-10.xml.gz",
        "https://news.example.co.id/sitemap-news.xml",
    )


def test_gzip_sitemap_is_recognised_by_magic_bytes() -> None:
    assert parse_sitemap(gzip.compress(URLSET), "https://news.example.co.id/s.xml") == parse_sitemap(URLSET, BASE)


def test_news_sitemap_gives_publication_date_and_title() -> None:
    (entry,) = parse_sitemap(NEWS, BASE).entries
    assert entry.published == "2016-10-05T23:30:00+07:00"
    assert entry.title == "Gempa di Lombok, warga mengungsi"
    assert entry.lastmod is None


def test_text_sitemap() -> None:
    body = b"https://example.com/a/1\nhttps://example.com/a/2\n\nhttps://example.com/a/1\n"
    assert [e.url for e in parse_sitemap(body, "https://example.com/s.txt").entries] == [
        "https://example.com/a/1",
        "https://example.com/a/2",
    ]


def test_billion_laughs_is_refused_quickly() -> None:
    start = time.perf_counter()
    with pytest.raises(DiscoverError, match="entity"):
        parse_sitemap(BILLION_LAUGHS, BASE)
    with pytest.raises(DiscoverError):
        parse_sitemap(gzip.compress(BILLION_LAUGHS), BASE)
    assert time.perf_counter() - start < 1.0


def test_external_entities_are_never_resolved() -> None:
    with pytest.raises(DiscoverError):
        parse_sitemap(XXE, BASE)


def test_gzip_bomb_is_refused() -> None:
    bomb = gzip.compress(b"<" + b" " * (5 * 1024 * 1024))
    with pytest.raises(DiscoverError, match="larger than"):
        gunzip_capped(bomb, BASE, limit=1024 * 1024)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html><body>Not found</body></html>",
        b"\x00\x01\x02 binary",
        b"<<<>>>",
        b"\x1f\x8b\x08\x00garbage",
        b"<?xml version='1.0'?><rss><channel></channel></rss>",
    ],
)
def test_non_sitemaps_raise_discover_error(body: bytes) -> None:
    with pytest.raises(DiscoverError) as info:
        parse_sitemap(body, BASE)
    assert info.value.url == BASE  # type: ignore[attr-defined]


def test_truncated_sitemap_keeps_what_it_has() -> None:
    truncated = URLSET[: URLSET.index(b"<url><loc> /read")]
    assert [e.url for e in parse_sitemap(truncated, BASE).entries] == ["https://news.example.co.id/read/2016/10/05/1/a"]


def test_sitemaps_from_robots() -> None:
    robots = """User-agent: *
Disallow: /search
Sitemap: https://www.example.com/sitemap_index.xml
sitemap:/news-sitemap.xml  # relative, lower-case
SITEMAP: https://www.example.com/sitemap_index.xml
Sitemap: mailto:nobody@example.com
"""
    assert sitemaps_from_robots(robots, "https://www.example.com/robots.txt") == [
        "https://www.example.com/sitemap_index.xml",
        "https://www.example.com/news-sitemap.xml",
    ]
    assert sitemaps_from_robots("", "https://www.example.com/") == []


def test_common_sitemap_urls() -> None:
    urls = common_sitemap_urls("https://www.example.com/some/page")
    assert urls[0] == "https://www.example.com/sitemap.xml"
    assert len(urls) == len(COMMON_SITEMAP_PATHS)
    assert isinstance(parse_sitemap(INDEX, BASE), Sitemap)
