from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from warta.discover.feeds import FeedEntry, common_feed_urls, find_feed_links, parse_feed
from warta.errors import DiscoverError

LISTINGS = Path(__file__).parents[1] / "fixtures" / "discover" / "listings"

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Contoh</title><link href="https://example.org/"/>
  <entry><title>Satu</title>
    <link rel="self" href="https://example.org/api/1"/>
    <link rel="alternate" type="text/html" href="/2016/10/05/satu"/>
    <published>2016-10-05T08:00:00+07:00</published><updated>2016-10-06T08:00:00+07:00</updated></entry>
  <entry><title>Dua</title><link href="https://example.org/2016/10/06/dua"/>
    <updated>2016-10-06T01:00:00Z</updated></entry>
  <entry><title>Tanpa tautan</title></entry>
</feed>"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://example.net/"><title>Contoh</title></channel>
  <item rdf:about="https://example.net/a"><title>A</title><link>https://example.net/a</link>
    <dc:date>2016-10-05T10:00:00+07:00</dc:date></item>
</rdf:RDF>"""

RSS_GUID = b"""<rss version="2.0"><channel><title>t</title>
<item><title>Guid only</title><guid>https://example.com/read/1</guid><pubDate>Wed, 05 Oct 2016 10:00:00 +0700</pubDate></item>
<item><title>Not a permalink</title><guid isPermaLink="false">abc-123</guid></item>
<item><title>Proxy</title><link>https://proxy.example/x</link>
  <feedburner:origLink xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">https://example.com/read/2</feedburner:origLink></item>
</channel></rss>"""


def test_antaranews_rss_recorded_2015() -> None:
    body = gzip.open(LISTINGS / "antaranews.com__anpandu_antara-mainpage.html.gz").read()
    entries = parse_feed(body, "http://www.antaranews.com/rss/news.xml")
    assert len(entries) >= 10
    assert entries[0] == FeedEntry(
        "http://www.antaranews.com/berita/527615/29-penerbangan-bandara-internasional-lombok-dibatalkan",
        "2015-11-05T14:56:43+07:00",
        "29 penerbangan Bandara Internasional Lombok dibatalkan",
    )
    assert all(e.published and e.published.startswith("2015-11-0") for e in entries)


def test_republika_rss_with_namespaces() -> None:
    body = gzip.open(LISTINGS / "republika.co.id__anpandu_republika-mainpage.html.gz").read()
    entries = parse_feed(body, "http://www.republika.co.id/rss/")
    assert entries and all("republika.co.id/berita/" in e.url for e in entries)
    assert all(e.title for e in entries)


def test_kapanlagi_latin1_rss_with_two_digit_years() -> None:
    body = gzip.open(LISTINGS / "kapanlagi.com__anpandu_kapanlagi-mainpage.html.gz").read()
    entries = parse_feed(body, "http://www.kapanlagi.com/feed/")
    assert entries and all(e.url.startswith("http://") and e.url.endswith(".html") for e in entries)
    assert "'" in entries[0].title if entries[0].title else False


def test_detik_feedsportal_rss_gives_the_article_url_from_the_guid() -> None:
    body = gzip.open(LISTINGS / "detik.com__anpandu_detik-mainpage.html.gz").read()
    entries = parse_feed(body, "http://rss.detik.com/index.php/detikcom")
    assert len(entries) == 20
    assert entries[0].url == "http://inet.detik.com/read/2015/11/05/100026/3062623/323/google-umbar-kelemahan-galaxy-s6-edge"
    assert entries[0].published == "2015-11-05T03:08:58+00:00"
    assert not any("feedsportal" in e.url for e in entries)


def test_atom_prefers_alternate_link_and_published_date() -> None:
    entries = parse_feed(ATOM, "https://example.org/feed.atom")
    assert entries == (
        FeedEntry("https://example.org/2016/10/05/satu", "2016-10-05T08:00:00+07:00", "Satu"),
        FeedEntry("https://example.org/2016/10/06/dua", "2016-10-06T01:00:00+00:00", "Dua"),
    )


def test_rdf_feed() -> None:
    assert parse_feed(RDF, "https://example.net/rss") == (
        FeedEntry("https://example.net/a", "2016-10-05T10:00:00+07:00", "A"),
    )


def test_rss_guid_permalink_and_feedburner_origlink() -> None:
    entries = parse_feed(RSS_GUID, "https://example.com/rss")
    assert [e.url for e in entries] == ["https://example.com/read/1", "https://example.com/read/2"]
    assert entries[0].published == "2016-10-05T10:00:00+07:00"


@pytest.mark.parametrize(
    "body",
    [b"", b"<html><head></head><body>x</body></html>", b"not xml at all", b'<?xml version="1.0"?><urlset/>'],
)
def test_non_feeds_raise_discover_error(body: bytes) -> None:
    with pytest.raises(DiscoverError):
        parse_feed(body, "https://example.com/rss")


def test_entity_declarations_in_feeds_are_refused() -> None:
    body = b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">]><rss><channel><item><link>https://e.com/&a;</link></item></channel></rss>'
    with pytest.raises(DiscoverError, match="entity"):
        parse_feed(body, "https://e.com/rss")


def test_find_feed_links() -> None:
    html = b"""<html><head><base href="https://www.example.com/news/">
      <link rel="alternate" type="application/rss+xml" title="RSS" href="rss.xml">
      <link rel="Alternate" type="application/atom+xml" href="https://www.example.com/atom">
      <link rel="alternate" hreflang="en" href="https://en.example.com/">
      <link rel="stylesheet" type="text/css" href="s.css">
      <link rel="alternate" type="application/rss+xml" href="javascript:void(0)">
    </head><body></body></html>"""
    assert find_feed_links(html, "https://www.example.com/") == [
        "https://www.example.com/news/rss.xml",
        "https://www.example.com/atom",
    ]
    assert find_feed_links(b"", "https://www.example.com/") == []


def test_common_feed_urls() -> None:
    assert common_feed_urls("https://www.example.com/x/y")[0] == "https://www.example.com/rss"
