"""Metadata classes from issue 11 on small invented pages: JSON-LD in a CDATA wrapper, authors that are
not people (site accounts, CMS accounts, the dateline city, photo credits), titles decided by the
displayed headline, and dates from the article's own stamp."""

from __future__ import annotations

import lxml.html
import pytest

from warta.extract.body import BodyResult, extract_body
from warta.extract.meta_jsonld import parse_scripts, read_jsonld
from warta.extract.meta_people import person_shaped
from warta.extract.meta_refine import clean_body
from warta.extract.metadata import extract_metadata
from warta.model import Article, Block

PROSE = " ".join(["Warga kota berkumpul di alun-alun untuk merayakan panen raya tahun ini."] * 6)


def _meta(html: str, url: str | None = "https://www.example.com/news/story") -> Article:
    tree = lxml.html.document_fromstring(html)
    return extract_metadata(tree, url, extract_body(tree, url)).fields


@pytest.mark.parametrize("wrapper", [("<![CDATA[", "]]>"), ("//<![CDATA[", "//]]>"), ("/*<![CDATA[*/", "/*]]>*/")])
def test_jsonld_inside_a_cdata_wrapper_is_read(wrapper: tuple[str, str]) -> None:
    opening, closing = wrapper
    script = f'{opening}\n {{"@type": "NewsArticle", "headline": "Judul", "datePublished": "2015-10-15T02:19:15Z"}}\n{closing}'
    found = read_jsonld(parse_scripts([script]))
    assert found.headline == "Judul"
    assert found.published == "2015-10-15T02:19:15Z"


def _page(head: str = "", body: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def test_the_sites_own_account_gives_way_to_a_byline_naming_a_person() -> None:
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Judul",'
          ' "author": {"@type": "Organization", "name": "Example News"},'
          ' "publisher": {"@type": "Organization", "name": "Example News"}}</script>'
          '<meta property="og:site_name" content="Example News">')
    html = _page(ld, f'<h1>Judul</h1><div class="byline">Von Anna Berg</div><article><p>{PROSE}</p></article>')
    assert _meta(html).authors == ("Anna Berg",)
    alone = _page(ld, f'<h1>Judul</h1><article><p>{PROSE}</p></article>')
    assert _meta(alone).authors == ("Example News",)  # nothing else names anyone: the publisher byline stays


def test_a_wire_agency_credited_in_jsonld_stays_the_author() -> None:
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Judul",'
          ' "author": {"@type": "Organization", "name": "Reuters"}}</script>'
          '<meta property="og:site_name" content="Example News">')
    html = _page(ld, f'<h1>Judul</h1><div class="byline">Example News</div><article><p>{PROSE}</p></article>')
    assert _meta(html).authors == ("Reuters",)


@pytest.mark.parametrize("account", ["admin", "Tim Redaksi", "Administrator", "REDAKSI"])
def test_a_publishing_system_account_is_no_author(account: str) -> None:
    html = _page(f'<meta name="author" content="{account}">', f"<h1>Judul</h1><article><p>{PROSE}</p></article>")
    assert _meta(html).authors == ()
    both = _page(f'<meta name="author" content="{account}, Budi Santoso">', f"<article><p>{PROSE}</p></article>")
    assert _meta(both).authors == ("Budi Santoso",)


def test_the_dateline_city_is_no_author() -> None:
    body = f'<h1>Judul</h1><span class="reporter">Jakarta</span><article><p>JAKARTA, KOMPAS.com - {PROSE}</p></article>'
    found = _meta(_page(body=body), "https://www.kompas.com/read/berita")
    assert found.dateline == "JAKARTA"
    assert found.authors == ()


def test_a_credit_inside_a_photo_caption_is_no_author() -> None:
    body = (f'<h1>Judul</h1><article><figure><img src="a.jpg"><figcaption>Banjir di kota.'
            f' <span class="author">Reuters</span></figcaption></figure><p>{PROSE}</p>'
            f'<div class="author">Budi Santoso</div></article>')
    assert _meta(_page(body=body)).authors == ("Budi Santoso",)
    caption = (f'<h1>Judul</h1><article><div class="wp-caption"><img src="a.jpg"><p class="wp-caption-text">'
               f'<span class="byline">AFP Photo</span></p></div><p>{PROSE}</p></article>')
    assert _meta(_page(body=caption)).authors == ()


def _title(head: str, body: str) -> str | None:
    return _meta(_page(head, f"{body}<article><p>{PROSE}</p></article>"), None).title


def test_the_title_part_a_heading_displays_is_the_headline() -> None:
    head = "<title>Seth's Blog: The importance of going first</title>"
    assert _title(head, "<h1>Seth's Blog</h1><h3>The importance of going first</h3>") == "The importance of going first"
    blog = "<title>The Dangerous Hubris of the Startup World « Rand's Blog</title>"
    assert _title(blog, "<h1>Rand's Blog</h1><h2>The Dangerous Hubris of the Startup World</h2>") == (
        "The Dangerous Hubris of the Startup World")


def test_a_site_and_a_section_suffix_go_when_the_heading_shows_neither() -> None:
    head = '<title>Banjir rendam Jakarta Utara - Nasional - Kompas.com</title>'
    assert _title(head, "<h1>Banjir rendam Jakarta Utara</h1>") == "Banjir rendam Jakarta Utara"


def test_a_colon_inside_the_displayed_headline_is_kept() -> None:
    head = "<title>Copywriting: How to Ditch Marketing for Product Knowledge | Get Elastic Blog</title>"
    body = "<h1>Get Elastic Blog</h1><h2>Copywriting: How to Ditch Marketing for Product Knowledge</h2>"
    assert _title(head, body) == "Copywriting: How to Ditch Marketing for Product Knowledge"


def test_the_displayed_quotes_and_dashes_win_over_the_plain_metadata_twin() -> None:
    head = "<meta property=\"og:title\" content=\"Someone Needs to Be Elected or We're Doomed | Danger Room\">"
    assert _title(head, "<h1>Someone Needs to Be Elected or We’re Doomed</h1>") == (
        "Someone Needs to Be Elected or We’re Doomed")


def test_an_og_title_that_names_the_blog_gives_way_to_the_displayed_title_part() -> None:
    head = ('<meta property="og:title" content="Official Blog of the National Football League">'
            "<title>Posluszny agrees with owner that Jaguars start is embarrassing - NFL.com</title>")
    body = "<h2>Posluszny agrees with owner that Jaguars start is embarrassing</h2>"
    assert _title(head, body) == "Posluszny agrees with owner that Jaguars start is embarrassing"


def test_a_short_nav_heading_repeating_a_section_name_is_not_the_headline() -> None:
    head = "<title>Big fire downtown kills three people | News | Example Times</title>"
    assert _title(head, "<h2>News</h2><h2>Sport</h2>") == "Big fire downtown kills three people | News | Example Times"


def test_a_paragraph_closed_by_a_photo_credit_is_a_caption_not_body() -> None:
    caption = "Para pelatih set-piece kini tengah tren di liga Eropa (Foto: Getty Images/Mario Carlini)"
    quote = "Ia berkata pelatih itu penting (menurut Budi: sangat penting)"
    body = BodyResult(blocks=(Block("paragraph", PROSE), Block("paragraph", caption), Block("paragraph", quote)))
    cleaned, _ = clean_body(body)
    assert [b.text for b in cleaned.blocks] == [PROSE, quote]
    assert caption in cleaned.furniture


def test_a_date_line_set_aside_from_the_body_dates_the_article() -> None:
    body = f'<h1>Judul</h1><div class="post"><p>Thursday August 9, 2012</p><p>{PROSE}</p><p>{PROSE}</p></div>'
    found = _meta(_page(body=body), "https://www.example.com/?p=250080")
    assert found.published == "2012-08-09"
    assert found.provenance["published"] == "dom"  # the line right under the headline
    headless = _meta(_page(body=body.replace("<h1>Judul</h1>", "")), "https://www.example.com/?p=250080")
    assert (headless.published, headless.provenance["published"]) == ("2012-08-09", "text")


@pytest.mark.parametrize(("url", "day"), [
    ("https://example.blogspot.com/2012/09/oscar-counting-strides.html", "2012-09-03"),  # the URL says September
    ("https://example.blogspot.com/2012/03/oscar-counting-strides.html", "2012-03-09"),  # the URL agrees
    ("https://example.blogspot.com/oscar-counting-strides.html", "2012-03-09"),  # no URL month: as read
])
def test_an_ambiguous_numeric_date_is_read_the_way_the_url_month_agrees(url: str, day: str) -> None:
    body = f'<h1>Judul</h1><span class="post-timestamp">on 9/03/2012 12:57:00 AM</span><article><p>{PROSE}</p></article>'
    found = _meta(_page(body=body), url)
    assert (found.published or "")[:10] == day


@pytest.mark.parametrize(("name", "shaped"), [
    ("Seb Dumitru", True), ("Anne-Marie Slaughter", True), ("Ludwig van Beethoven", True), ("松岡大地", True),
    ("J. R. O'Neill", True), ("red", False), ("Agenturen", False), ("Quelle: sid", False),
    ("Atli Steinn Guðmundsson skrifar frá Porsgrunn", False), ("Frankfurt", False),
])
def testperson_shaped_names(name: str, shaped: bool) -> None:
    assert person_shaped(name) is shaped
