"""extract_metadata over small HTML snippets and recorded MIT pages (tests/fixtures/meta)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import lxml.html
import pytest

from warta.extract.body import extract_body
from warta.extract.meta_jsonld import parse_scripts, read_jsonld
from warta.extract.metadata import extract_metadata
from warta.model import Article

FIXTURES = Path(__file__).parent.parent / "fixtures" / "meta"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text("utf8"))


def _meta(html: str, url: str | None = "https://www.example.co.id/read/2016/10/05/berita") -> Article:
    tree = lxml.html.document_fromstring(html)
    return extract_metadata(tree, url, extract_body(tree, url)).fields


def test_jsonld_graph_with_broken_json_is_read() -> None:
    scripts = [
        '{"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": "Contoh"},'
        ' {"@type": "NewsArticle", "headline": "Judul &amp; Berita", "datePublished": "2016-10-05T14:30:00+07:00",'
        ' "author": [{"@type": "Person", "name": "Ana Lima"}, {"@type": "Organization", "name": "ANTARA"}],'
        ' "isAccessibleForFree": "False", "keywords": "a, b, a",}]}',
        "{not json",
    ]
    ld = read_jsonld(parse_scripts(scripts))
    assert ld.headline == "Judul & Berita"
    assert ld.published == "2016-10-05T14:30:00+07:00"
    assert [p.name for p in ld.authors] == ["Ana Lima", "ANTARA"]
    assert ld.free is False and ld.keywords == ("a", "b") and ld.site_name == "Contoh"


PAGE = """<html lang="id-ID"><head><title>Harga Cabai Naik - Contoh.co.id</title>
<meta property="og:site_name" content="Contoh.co.id"><meta property="og:title" content="Harga Cabai Naik">
<meta name="author" content="Contoh.co.id"><meta property="article:section" content="Ekonomi">
<meta name="keywords" content="cabai, harga"><meta property="og:image" content="/img/cabai.jpg">
<meta name="description" content="Ringkasan yang berbeda dari paragraf pertama berita ini.">
<link rel="canonical" href="/read/2016/10/05/harga-cabai-naik"></head>
<body><h1>Harga Cabai Naik</h1><div class="date">Rabu, 05 Oktober 2016 14:30 WIB</div>
<div class="article"><p>Jakarta (ANTARA) - Harga cabai di pasar naik tajam pekan ini menurut pedagang.</p>
<p>Pedagang mengatakan pasokan berkurang karena hujan deras di daerah penghasil.</p>
<p>Penulis: Ana Lima dan Budi Santoso</p><p>Editor: Citra Dewi</p></div></body></html>"""


def test_snippet_fills_every_field_generically() -> None:
    meta = _meta(PAGE)
    assert meta.title == "Harga Cabai Naik"
    assert meta.published == "2016-10-05T14:30:00+07:00"
    assert meta.authors == ("Ana Lima", "Budi Santoso")
    assert meta.editors == ("Citra Dewi",)
    assert meta.dateline == "Jakarta" and meta.source_agencies == ("ANTARA",)
    assert meta.site_name == "Contoh.co.id" and meta.domain == "example.co.id"
    assert meta.canonical_url == "https://www.example.co.id/read/2016/10/05/harga-cabai-naik"
    assert meta.language == "id" and meta.section == "Ekonomi" and meta.tags == ("cabai", "harga")
    assert meta.images[0].url == "https://www.example.co.id/img/cabai.jpg"
    assert meta.lead is not None
    assert meta.provenance["published"] == "dom" and meta.provenance["authors"] == "text"


def test_url_date_is_the_last_resort_and_site_author_is_not_a_person() -> None:
    meta = _meta("<html><head><meta name='author' content='Example'></head><body><p>Teks berita.</p></body></html>")
    assert meta.published == "2016-10-05" and meta.provenance["published"] == "url"
    assert meta.authors == ("Example",)  # only the site is named: kept as a last resort


@pytest.mark.parametrize("page_id", sorted(EXPECTED))
def test_recorded_pages(page_id: str) -> None:
    expected = EXPECTED[page_id]
    html = gzip.decompress((FIXTURES / f"{page_id}.html.gz").read_bytes()).decode("utf8", "replace")
    meta = _meta(html, expected["url"])
    assert meta.title == expected["title"]
    assert [a.casefold() for a in meta.authors] == [a.casefold() for a in expected["authors"]]
    assert (meta.published or "")[:10] == expected["published"]
    if expected.get("editors"):
        assert list(meta.editors) == expected["editors"]


def test_visible_local_time_replaces_a_utc_stamp_of_the_same_moment() -> None:
    html = """<html><head><meta property="article:published_time" content="2016-02-15T23:30:00Z"></head><body>
    <h1>Judul</h1><div class="date">Selasa, 16 Februari 2016 06:30 WIB</div><p>Teks berita yang cukup panjang.</p></body></html>"""
    meta = _meta(html)
    assert meta.published == "2016-02-16T06:30:00+07:00" and meta.provenance["published"] == "dom"


def test_naive_meta_time_borrows_the_page_offset() -> None:
    html = """<html><head><meta name="publishdate" content="2022/12/10 20:55:32">
    <meta property="article:modified_time" content="2022-12-10T21:00:00+07:00"></head>
    <body><h1>Judul</h1><p>Teks berita yang cukup panjang.</p></body></html>"""
    assert _meta(html).published == "2022-12-10T20:55:32+07:00"


def test_jsonld_people_keep_a_wire_credited_beside_them_but_not_other_orgs() -> None:
    ld = (
        '{"@type": "NewsArticle", "headline": "Judul", "datePublished": "2024-01-02", "author": ['
        '{"@type": "Organization", "name": "Deutsche Presse-Agentur"}, {"@type": "Person", "name": "Ana Lima"},'
        '{"@type": "Organization", "name": "Contoh Media"}]}'
    )
    html = f'<html><head><script type="application/ld+json">{ld}</script></head><body><p>Teks.</p></body></html>'
    assert _meta(html).authors == ("Deutsche Presse-Agentur", "Ana Lima")


def test_text_contradicting_a_template_language_wins() -> None:
    text = "Harga cabai di pasar naik tajam pekan ini dan pedagang mengatakan bahwa pasokan yang ada tidak cukup untuk memenuhi permintaan karena hujan yang turun di daerah itu sudah berhari hari dan para petani juga tidak bisa panen."
    meta = _meta(f'<html lang="en"><body><p>{text}</p><p>{text}</p></body></html>')
    assert meta.language == "id" and meta.provenance["language"] == "text"
    assert _meta(f'<html lang="de"><body><p>{text}</p></body></html>').language == "de"  # no German stop words to judge by
