"""Metadata classes that must generalise to unseen publishers (issue 11, item 3), on small invented
pages: authors that are not people or carry more than a name, titles whose suffix or og:title is not
the displayed headline, and dates from the wrong element."""

from __future__ import annotations

import lxml.html
import pytest

from warta.extract.body import extract_body
from warta.extract.metadata import extract_metadata
from warta.model import Article

PROSE = " ".join(["Residents gathered in the town square to celebrate this year's harvest festival."] * 6)


def _meta(body: str, head: str = "", url: str | None = "https://www.example.com/news/story") -> Article:
    tree = lxml.html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")
    return extract_metadata(tree, url, extract_body(tree, url)).fields


def _article(byline: str) -> str:
    return f"<h1>Harvest festival draws crowds</h1>{byline}<article><p>{PROSE}</p></article>"


@pytest.mark.parametrize(("byline", "names"), [
    ("By Annie-Rose Strasser on Aug 9, 2012 at 4:20 pm", ("Annie-Rose Strasser",)),
    ("By GILLIAN MOHNEY March 11, 2015 3:46 PM", ("GILLIAN MOHNEY",)),
    ("Last Updated: January 7, 2025", ()),  # a date line in a byline element names nobody
    ("On November 1, 2012 at 10:12 am Maggie said:", ()),
])
def test_a_byline_element_ending_in_its_date_gives_the_name(byline: str, names: tuple[str, ...]) -> None:
    assert _meta(_article(f'<div class="byline">{byline}</div>')).authors == names


def test_names_in_a_co_author_note_are_authors() -> None:
    byline = '<div class="author">Martin Untersinger (avec Damien Leloup et Morgane Tual)</div>'
    assert _meta(_article(byline)).authors == ("Martin Untersinger", "Damien Leloup", "Morgane Tual")


def test_a_person_named_after_a_wire_only_byline_is_the_author() -> None:
    both = '<div class="author">AFP</div><div class="author">Par Sébastien Farcis</div>'
    assert _meta(_article(both)).authors == ("Sébastien Farcis",)
    assert _meta(_article('<div class="author">AFP</div>')).authors == ("AFP",)  # a wire alone stays


def test_a_credit_naming_the_site_by_abbreviation_gives_way_to_a_person() -> None:
    head = '<meta name="byl" content="By Nelson D. Schwartz">'
    chart = "<p>By The New York Times | Source: Congressional Budget Office</p>"
    body = f"<h1>Harvest festival draws crowds</h1><article><p>{PROSE}</p>{chart}<p>{PROSE}</p></article>"
    assert _meta(body, head, "https://www.nytimes.com/2018/06/11/business/debt.html").authors == ("Nelson D. Schwartz",)


def test_an_acronym_of_the_site_is_the_site() -> None:
    from warta.extract.meta_people import _site_like

    assert _site_like("LTO", ["Legal Tribune Online"]) and _site_like("The New York Times", ["nytimes"])
    assert not _site_like("John Smith", ["jsmith"])  # one initial and a surname: a person's own blog


def test_a_site_account_is_no_person() -> None:
    head = ('<meta property="og:site_name" content="Ilanga News">'
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Harvest festival draws crowds",'
            ' "author": {"@type": "Person", "name": "Ilanga D"}}</script>')
    body = _article('<div class="byline">By Thandi Sithole</div>')
    assert _meta(body, head, "https://www.ilanganews.co.za/news/1").authors == ("Thandi Sithole",)


def test_degrees_and_the_sites_newsroom_are_not_part_of_a_name() -> None:
    url = "https://www.webmd.com/news/20150223/peanuts"
    assert _meta(_article('<div class="byline">By Brenda Goodman, MA</div>'), url=url).authors == ("Brenda Goodman",)
    assert _meta(_article('<div class="byline">By Kelli Miller WebMD Health News</div>'), url=url).authors == (
        "Kelli Miller",)


def test_a_readers_comment_or_a_menu_names_no_author() -> None:
    comments = ('<ol class="commentlist"><li class="comment"><div class="comment-author vcard">Jacob says</div>'
                "<p>Great post!</p></li></ol>")
    menu = '<nav><ul><li class="menu-item"><a rel="author" href="/about">About</a></li></ul></nav>'
    authors = '<ul id="main-nav"><li><a class="author" href="/felicia">Felicia Sonmez</a></li></ul>'
    assert _meta(menu + _article("") + comments).authors == ()
    page = authors + _article('<div class="byline">By Max Fisher</div>') + comments
    assert _meta(page).authors == ("Max Fisher",)


def test_an_opinion_wrapper_named_comment_still_holds_the_byline() -> None:
    body = (f'<div class="comment-piece"><h1>Harvest festival draws crowds</h1><div class="byline">By Ed Avis</div>'
            f"<p>{PROSE}</p><p>{PROSE}</p></div>")
    assert _meta(body).authors == ("Ed Avis",)


@pytest.mark.parametrize(("byline", "names"), [
    ("Gary Younge in Sarasota, Florida", ("Gary Younge",)),
    ("Tom Kington in Rome", ("Tom Kington",)),
    ("Authors", ()),
])
def test_where_the_reporter_filed_from_and_a_bare_label_are_no_names(byline: str, names: tuple[str, ...]) -> None:
    assert _meta(_article(f'<div class="byline">{byline}</div>')).authors == names


def test_a_site_name_with_its_tagline_is_stripped_from_the_title() -> None:
    from warta.extract.meta_title import strip_site

    head = "Ipswitch File Transfer Launches MOVEit Cloud & MOVEit Ad Hoc Transfer"
    title = f"{head} : VMblog.com - Virtualization Technology News and Information for Everyone"
    assert strip_site(title, ["VMblog.com"]) == head


def test_a_section_suffix_goes_only_when_the_page_names_that_section() -> None:
    head = '<title>Steuerreform beschlossen | Politik | Stadtzeitung</title><meta property="og:site_name" content="Stadtzeitung">'
    body = f"<article><p>{PROSE}</p></article>"
    url = "https://www.stadtzeitung.example/politik/steuerreform-beschlossen-123"
    assert _meta(body, head, url).title == "Steuerreform beschlossen"
    other = "https://www.stadtzeitung.example/wirtschaft/steuerreform-beschlossen-123"
    assert _meta(body, head, other).title == "Steuerreform beschlossen | Politik"  # no evidence: kept


def test_the_articles_own_h1_beats_an_seo_title_but_a_logo_h1_does_not() -> None:
    head = "<title>Instagram photos from Iceland: Reykjavik &amp; the Golden Circle | Legal Nomads</title>"
    post = f'<div class="post"><h1>Instagramming Iceland</h1><div class="entry"><p>{PROSE}</p><p>{PROSE}</p></div></div>'
    assert _meta('<div id="header"><h1>Legal Nomads</h1></div>' + post, head).title == "Instagramming Iceland"
    logo = f'<div id="header"><h1>The White House Blog</h1></div><div class="post"><p>{PROSE}</p><p>{PROSE}</p></div>'
    head = "<title>President Obama Offers Comfort to Aurora | The White House</title>"
    url = "https://www.whitehouse.gov/blog/2012/07/22/president-obama-offers-comfort-aurora"
    assert _meta(logo, head, url).title == "President Obama Offers Comfort to Aurora"


def test_a_heading_with_a_glued_label_shows_the_title_when_og_title_is_the_blog_name() -> None:
    from warta.extract.meta_title import choose_title

    story = "Posluszny agrees with owner that Jaguars start is embarrassing"
    choice = choose_title(None, "Official Blog of the National Football League", None, f"{story} - NFL.com", [],
                          ["NFL.com"], all_headings=lambda: ["Share this:", f"NFL Network {story}"])
    assert choice.title == story


def test_a_colon_the_jsonld_headline_lost_is_kept_from_og_title() -> None:
    from warta.extract.meta_title import choose_title

    ld = "Rückbau von Atomkraftwerk - Kühltürme von AKW Gundremmingen gesprengt"
    og = "Rückbau von Atomkraftwerk: Kühltürme von AKW Gundremmingen gesprengt"
    assert choose_title(ld, og, None, None, ["Kühltürme von AKW Gundremmingen gesprengt"], ["stuttgarter-zeitung.de"]).title == og
    assert choose_title(og, ld, None, None, [], []).title == og  # never the other way round


def _dated(body: str, head: str = "", url: str = "https://www.example.com/news/story") -> str | None:
    return _meta(body, head, url).published


def test_a_related_storys_date_is_not_the_articles() -> None:
    related = '<div class="related-posts"><a href="/x">Older story</a><time datetime="2019-05-05T10:00:00">5 May</time></div>'
    body = (f'<div class="post"><h1>Harvest festival draws crowds</h1><span class="date">12 March 2020</span>'
            f"<p>{PROSE}</p><p>{PROSE}</p>{related}</div>")
    assert _dated(body) == "2020-03-12"


def test_the_first_stamp_wins_and_takes_a_time_only_from_the_same_day() -> None:
    def page(later: str) -> str:
        return (f'<div class="post"><h1>Harvest festival draws crowds</h1><span class="date">March 12, 2020</span>'
                f'<p>{PROSE}</p><p>{PROSE}</p><time datetime="{later}">later</time></div>')

    assert _dated(page("2020-03-01T09:00:00")) == "2020-03-12"  # another day: another story's time
    assert _dated(page("2020-03-12T09:00:00")) == "2020-03-12T09:00:00"


def test_a_page_level_date_header_dates_a_post_whose_own_line_holds_only_a_time() -> None:
    post = (f'<div class="post"><h3>Harvest festival</h3><div class="post-body"><p>{PROSE}</p><p>{PROSE}</p></div>'
            '<div class="post-footer"><span class="post-timestamp">at 8:40 AM</span></div></div>')
    body = ('<div class="blog-posts"><div class="date-outer"><h2 class="date-header">Thursday, July 05, 2012</h2>'
            f'<div class="date-posts"><div class="post-outer">{post}</div></div></div></div>')
    assert (_dated(body) or "")[:10] == "2012-07-05"


def test_a_readers_comment_date_does_not_date_the_article() -> None:
    comments = '<ol class="commentlist"><li class="comment"><span class="comment-date">August 8, 2012 at 9:00 am</span></li></ol>'
    assert _dated(_article("") + comments) is None


@pytest.mark.parametrize(("url", "day"), [
    ("https://x.example/2021/09/10-things-to-know", None),  # a month, then a slug starting with a number
    ("https://x.example/2016/10/05/slug", "2016-10-05"),
    ("https://x.example/fortune/2023-11/17/c_1129981476.htm", "2023-11-17"),
    ("https://x.example/news/20161005-slug", "2016-10-05"),
    ("https://x.example/item/20161005123", None),
])
def test_a_url_segment_counts_only_when_it_is_a_whole_date(url: str, day: str | None) -> None:
    from warta.extract.meta_dates import url_date

    assert url_date(url) == day


def test_a_utc_stamp_shown_as_a_local_clock_time_keeps_the_pages_day() -> None:
    head = '<meta property="article:published_time" content="2019-11-19T00:04:00Z">'
    body = f'<div class="post"><h1>Harvest</h1><span class="date">Nov 18, 2019 7:04 pm</span><p>{PROSE}</p><p>{PROSE}</p></div>'
    assert _dated(body, head) == "2019-11-18T19:04:00-05:00"
    shown_utc = body.replace("7:04 pm", "12:04 am").replace("Nov 18", "Nov 19")
    assert _dated(shown_utc, head) == "2019-11-19T00:04:00+00:00"  # the page shows UTC: kept
    unrelated = body.replace("7:04 pm", "7:31 pm")  # not a whole offset away: another moment
    assert _dated(unrelated, head) == "2019-11-19T00:04:00+00:00"


def test_a_utc_stamp_beside_a_local_stamp_without_zone_keeps_the_pages_day() -> None:
    head = ('<meta property="article:published_time" content="2024-01-05T23:30:00Z">'
            '<meta name="publishdate" content="2024/01/06 06:30:00">')
    body = f'<div class="post"><h1>Harvest</h1><p>{PROSE}</p><p>{PROSE}</p></div>'
    assert _dated(body, head) == "2024-01-06T06:30:00+07:00"
    other = head.replace("06:30:00", "06:41:00")  # not a whole offset away: not the same moment
    assert _dated(body, other) == "2024-01-05T23:30:00+00:00"


def test_author_meta_with_a_homepage_note_and_article_author_name_are_read() -> None:
    body = f"<h1>Harvest festival draws crowds</h1><article><p>{PROSE}</p></article>"
    assert _meta(body, '<meta name="author" content="Bradley M. Kuhn (http://ebb.org/bkuhn/)">').authors == (
        "Bradley M. Kuhn",)
    assert _meta(body, '<meta name="article:author_name" content="Hazel Sheffield">').authors == ("Hazel Sheffield",)


def test_a_blogs_host_name_marks_its_name_in_the_title() -> None:
    page = ('<div id="header"><h1>Angry by Choice</h1></div><div class="post"><h3>A Curious Night</h3>'
            f'<div class="post-body"><p>{PROSE}</p><p>{PROSE}</p></div></div>')
    url = "http://angrybychoice.fieldofscience.com/2012/08/a-curious-night.html"
    assert _meta(page, "<title>Angry by Choice: A Curious Night</title>", url).title == "A Curious Night"


@pytest.mark.parametrize(("byline", "names"), [
    ("By TOM KRISHER, AP Auto Writer", ("TOM KRISHER",)),
    ("Von Anna Berg, Leitende Redakteurin", ("Anna Berg",)),
    ("By Jane Doe and John Roe", ("Jane Doe", "John Roe")),
])
def test_a_job_description_after_a_name_is_no_second_author(byline: str, names: tuple[str, ...]) -> None:
    assert _meta(_article(f'<div class="byline">{byline}</div>')).authors == names


def test_class_words_that_only_begin_like_comment_or_nav_are_no_comments() -> None:
    body = ('<div class="commentary-header navy-theme"><div class="byline">By Jane Doe</div></div>'
            f"<h1>Harvest festival draws crowds</h1><article><p>{PROSE}</p></article>")
    assert _meta(body).authors == ("Jane Doe",)


# Pages whose elements are named in words nobody listed (``c4821937``): the stamp and the byline are
# read from the lines beside the headline, by their shape alone.

def _unnamed(lines: str, before: str = "") -> str:
    return (f'<div class="c1">{before}<h1 class="c2">Harvest festival draws crowds</h1>{lines}'
            f'<div class="c3"><p>{PROSE}</p><p>{PROSE}</p></div></div>')


def test_the_date_beside_an_unnamed_headline_dates_the_article() -> None:
    page = _unnamed('<span class="c4">Kamis, 05 November 2015 11:52</span><span class="c5"> | </span>')
    assert (_meta(page).published or "").startswith("2015-11-05T11:52")


def test_a_date_above_the_headline_counts_but_a_related_storys_date_after_the_prose_does_not() -> None:
    related = '<div class="c9"><a href="/x">Another story</a><span>12 March 2014</span></div>'
    page = _unnamed("", before='<div class="c7">23 February 2016</div>') + related
    assert (_meta(page).published or "").startswith("2016-02-23")
    assert _meta(_unnamed("") + related).published is None  # past the prose: not the article's own


@pytest.mark.parametrize(("line", "names"), [
    ("<div class='c4'>By <a href='/p/erin'>Erin Cunningham</a></div>", ("Erin Cunningham",)),
    ("<p class='c4'>Von: Simone Jung</p>", ("Simone Jung",)),
    ("<div class='c4'><strong>Fino Yurio Kristo</strong> - examplenet</div>", ("Fino Yurio Kristo",)),
    ("<div class='c4'>27. Januar 2026 • Gregor Meier • 3 Minuten</div>", ("Gregor Meier",)),
    ("<div class='c4'>Naufal Zuhdi <span>20/1/2026 18:30</span> A- A+</div>", ("Naufal Zuhdi",)),
    ("<div class='c4'>Jakarta, 20/1/2026 18:30</div>", ()),  # a place before the date is no name
    ("<div class='c4'>Politik | Wirtschaft</div>", ()),  # no date, no by-word, not the site: no byline
    ("<div class='c4'>Latin America</div><div class='c5'>April 28, 2023</div>", ()),  # a bare line is no byline
    ("<div class='c4'>By continuing you agree to our terms</div>", ()),  # not person-shaped
])
def test_a_byline_beside_an_unnamed_headline_is_read_by_its_shape(line: str, names: tuple[str, ...]) -> None:
    assert _meta(_unnamed(line)).authors == names


def test_a_heading_calling_the_reader_is_no_closing_signature() -> None:
    page = _unnamed("", before="") + "<h2>DON'T MISS!!!</h2>"
    assert _meta(page).authors == ()
    signed = _unnamed("").replace(f"<p>{PROSE}</p></div>", f"<p>{PROSE}</p><p>DINI TEJA</p></div>")
    assert _meta(signed).authors == ("DINI TEJA",)


@pytest.mark.parametrize(("line", "names"), [
    ("Kontributor Bandung, Agie Permadi", ("Agie Permadi",)),  # a job title and where the reporter is posted
    ("Laporan Wartawan Tribunnews.com, Budi Santoso", ("Budi Santoso",)),  # ... or the outlet's domain
    ("Kontributor Bandung, Agie Permadi dan Budi Santoso", ("Agie Permadi", "Budi Santoso")),
    ("Oleh Budi, Ani", ("Budi", "Ani")),  # after a by-word every part is a name
])
def test_a_job_title_with_the_reporters_post_is_no_name(line: str, names: tuple[str, ...]) -> None:
    assert _meta(_article(f'<div class="author">{line}</div>')).authors == names
    if len(names[0].split()) > 1:  # beside the headline, without a class word, too
        assert _meta(_unnamed(f'<div class="c4">{line}</div>')).authors == names


def test_an_abbreviated_degree_is_no_second_author() -> None:
    ld = '<script type="application/ld+json">{"@type":"NewsArticle","author":{"@type":"Person","name":"Budi Santoso, S.Sos"}}</script>'
    assert _meta(_article(""), head=ld).authors == ("Budi Santoso",)


@pytest.mark.parametrize("platform", ["wordpress", "Facebook"])
def test_a_platform_in_the_author_tag_is_no_author(platform: str) -> None:
    assert _meta(_article(""), head=f'<meta name="author" content="{platform}">').authors == ()
