from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from warta.discover import make_candidate
from warta.discover.listing import extract_links, looks_like_article_url, parse_listing
from warta.sites import parse_recipe

LISTINGS = Path(__file__).parents[1] / "fixtures" / "discover" / "listings"

PAGE = b"""<html><head><link rel="next" href="/indeks?page=2"></head><body>
<a href="/read/2016/10/05/123/gempa-lombok">Gempa</a>
<div class="card"><a href="/berita/527615/banjir-melanda-jakarta-utara">Banjir</a>
  <time datetime="2016-10-04T21:00:00+07:00">4 Okt</time></div>
<a href="/read/2016/10/05/123/gempa-lombok#comments">komentar</a>
<a href="/tag/gempa">tag</a> <a href="/kategori/nasional">kategori</a> <a href="/video/2016/10/05/1234567/x">video</a>
<a href="/foto/123456/galeri-foto-banjir">foto</a> <a href="/search?q=x">cari</a>
<a href="https://other.example/read/2016/10/05/1/luar-situs-artikel">luar</a>
<a href="javascript:void(0)">js</a> <a href="mailto:r@example.co.id">mail</a>
<a href="/static/2016/10/05/a.jpg">img</a>
<nav><a href="/indeks?page=1">1</a><a href="/indeks?page=2">2</a><a href="/indeks?page=3">3</a>
<a href="/indeks?page=2">Berikutnya &raquo;</a><a href="/tentang-kami">Tentang</a></nav>
</body></html>"""


def test_parse_listing_generic() -> None:
    listing = parse_listing(PAGE, "https://www.example.co.id/indeks?page=1")
    assert listing.articles == (
        ("https://www.example.co.id/read/2016/10/05/123/gempa-lombok", "2016-10-05"),
        ("https://www.example.co.id/berita/527615/banjir-melanda-jakarta-utara", "2016-10-04T21:00:00+07:00"),
    )
    assert listing.next_pages == ("https://www.example.co.id/indeks?page=2", "https://www.example.co.id/indeks?page=3")


def test_path_page_numbers_are_pagination() -> None:
    html = b'<a href="/indeks/2">2</a><a href="/indeks/3">3</a><a href="/berita/12">12</a>'
    listing = parse_listing(html, "https://news.example.com/indeks/1")
    assert listing.next_pages == ("https://news.example.com/indeks/2", "https://news.example.com/indeks/3")


def test_extract_links_same_site_only_and_deduplicated() -> None:
    links = extract_links(PAGE, "https://www.example.co.id/")
    assert "https://www.example.co.id/read/2016/10/05/123/gempa-lombok" in links
    assert len(links) == len(set(links))
    assert not any("other.example" in u or u.startswith(("javascript", "mailto")) for u in links)
    assert extract_links(b"", "https://x.example/") == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.detik.com/berita/d-7573050/judul-berita-panjang", True),
        ("https://nasional.kompas.com/read/2024/03/27/06161181/kasus-ferienjob", True),
        ("https://www.antaranews.com/berita/527615/29-penerbangan-bandara", True),
        ("https://tirto.id/sejarah-panjang-kopi-di-nusantara-gkXy", True),
        ("https://example.com/2016/10/05/short", True),
        ("https://www.liputan6.com/tag/jokowi", False),
        ("https://news.okezone.com/kategori/nasional", False),
        ("https://www.example.com/", False),
        ("https://www.example.com/nasional", False),
        ("https://www.example.com/video/2016/10/05/123456/x", False),
        ("https://www.example.com/search?q=2016-10-05", False),
        ("https://www.example.com/author/budi-santoso-wartawan-senior", False),
        ("https://www.example.com/uploads/2016/10/05/foto-banjir-di-jakarta.jpg", False),
        ("ftp://www.example.com/2016/10/05/a", False),
        ("https://apnews.com/article/4f5e6a7b8c9d0e1f2a3b4c5d6e7f8a9b", True),
        ("https://example.org/news/3f2504e0-4f89-11d3-9a0c-0305e82c3301", True),
        ("https://example.org/nasional/banjir-jakarta.html", True),
        ("https://example.org/nasional/index.html", False),
        ("https://example.org/tentang.html", False),
        ("https://example.org/about.html", False),
        ("https://example.org/kategori/banjir-jakarta.html", False),
        ("https://example.org/berita/d3adbeefcafeb4be", True),
        ("https://winfuture.de/news,142489.html", True),
        ("https://www.asahi.com/articles/AST1F4445T1FUTIL02SM.html", True),
        ("https://www.bbc.com/news/articles/clymn8zyrp9o", True),
        ("https://www.thespacereview.com/article/3834/1", True),
        ("https://example.org/nasional/2024", False),
        ("https://example.org/news/covid19", False),
        ("https://properti.example.com/galleri360", False),
        ("https://example.org/berita/deadbeefcafebabe", False),  # letters only: a word, not an id
        ("https://example.org/news/abcdefabcdefabcdef", False),
    ],
)
def test_generic_article_heuristics(url: str, expected: bool) -> None:
    assert looks_like_article_url(url) is expected


def test_recipe_patterns_win() -> None:
    data = {"id": "x", "name": "X", "domains": ["example.com"], "article_patterns": [r"/read/\d+/"], "deny_patterns": ["/read/0/"]}
    verified = parse_recipe(data | {"status": "verified", "verified_by": ["a test"]})
    unverified = parse_recipe(data)
    for recipe in (verified, unverified):
        assert looks_like_article_url("https://example.com/read/12/x", recipe)
        assert not looks_like_article_url("https://example.com/read/0/a-long-article-like-slug-here", recipe)
    dated = "https://example.com/2016/10/05/dated-but-not-matching"
    assert not looks_like_article_url(dated, verified)
    assert looks_like_article_url(dated, unverified)  # unproven patterns never hide articles


def test_viva_index_recorded_page_pagination() -> None:
    body = gzip.open(LISTINGS / "viva.co.id__anpandu_viva-mainpage.html.gz").read()
    listing = parse_listing(body, "http://www.viva.co.id/indeks")
    assert len(listing.articles) >= 20
    assert "http://www.viva.co.id/indeks?page=2" in listing.next_pages


def test_make_candidate() -> None:
    cand = make_candidate("/read/2016/10/05/1/a?utm_source=x", "listing", referrer="https://www.example.co.id/indeks")
    assert cand is not None
    assert cand.url == "https://www.example.co.id/read/2016/10/05/1/a?utm_source=x"
    assert cand.key == "https://example.co.id/read/2016/10/05/1/a"
    assert cand.site == "example.co.id"
    assert cand.hint_published == "2016-10-05"
    assert cand.found_by == "listing"
    assert make_candidate("javascript:x()", "link") is None
    given = make_candidate("https://e.com/read/2016/10/05/a", "news-sitemap", hint="2016-10-04T23:00:00+07:00")
    assert given is not None and given.hint_published == "2016-10-04T23:00:00+07:00"


def test_undeclared_utf8_links_are_not_read_as_latin1() -> None:
    # no <meta charset> and no header: libxml2 alone would read these bytes as Latin-1 (mojibake URLs)
    html = '<html><body><a href="/berita/2024/01/02/café-naïve-über-judul">Kafé</a></body></html>'.encode()
    assert extract_links(html, "http://e.com/") == ["http://e.com/berita/2024/01/02/caf%C3%A9-na%C3%AFve-%C3%BCber-judul"]


def test_binary_or_empty_pages_give_no_links_and_no_error() -> None:
    for body in (b"", b"   ", b"\x00\x01\x02\x03" * 500, b"<!-- only a comment -->"):
        assert extract_links(body, "http://e.com/") == []
        assert parse_listing(body, "http://e.com/").articles == ()
