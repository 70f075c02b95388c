"""One test per cleaning signal, on small hand-made dumps (Indonesian and English)."""

from __future__ import annotations

import pytest

from warta.clean import Cleaner, clean
from warta.clean.classify import BAD, GOOD
from warta.clean.meta import domain_of, parse_byline, parse_caption, parse_dateline
from warta.clean.vocab import vocabulary
from warta.model import Article, Skip, SkipReason

PROSE_ID = [
    "Pemerintah provinsi mengumumkan bahwa jalan tol baru itu akan dibuka untuk umum pada akhir bulan ini setelah uji kelayakan selesai.",
    "Menurut kepala dinas perhubungan, pembangunan jalan tersebut menelan biaya yang cukup besar dan dikerjakan selama dua tahun.",
    "Warga sekitar berharap kehadiran jalan tol itu dapat mengurangi kemacetan yang selama ini terjadi di jalur utama kota tersebut.",
    "Ia menambahkan bahwa tarif untuk kendaraan pribadi akan diumumkan setelah mendapat persetujuan dari kementerian terkait.",
]
PROSE_EN = [
    "The city council voted on Tuesday to approve a new budget that includes funding for schools, parks and road repairs across the district.",
    "Officials said the plan would be paid for by a combination of higher fees and savings from a restructuring of the transport department.",
    "Several residents who attended the meeting said they were worried that the changes would not be enough to fix the roads in their area.",
    "The mayor is expected to sign the budget next week, after which the first projects could begin as early as the spring of next year.",
]


def _article(text: str, url: str | None = None) -> Article:
    result = clean(text, url)
    assert isinstance(result, Article), result
    return result


def _labels(text: str) -> dict[str, str]:
    parsed = Cleaner().parse(text)
    return {line.text: label.why for line, label in zip(parsed.lines, parsed.labels, strict=True)}


def _body(article: Article) -> str:
    return "\n".join(b.text for b in article.body)


def test_promo_and_cta_lines_are_furniture() -> None:
    lines = ["Ikuti kami di Google News dan WhatsApp Channel", "Baca juga: Harga BBM naik lagi pekan depan",
             "Subscribe to our newsletter for the latest updates", "Konten Premium"]
    art = _article("\n\n".join([PROSE_ID[0], lines[0], PROSE_ID[1], lines[1], PROSE_ID[2], lines[2], PROSE_ID[3], lines[3]]))
    body = _body(art)
    assert all(p in body for p in PROSE_ID)
    assert not any(line in body for line in lines)


def test_lines_repeated_inside_the_document_are_furniture() -> None:
    promo = "Nikmati akses tanpa batas ke semua artikel pilihan kami"
    text = "\n\n".join([promo, *PROSE_ID[:2], promo, *PROSE_ID[2:], promo])
    assert _labels(text)[promo] == "repeated"
    assert promo not in _body(_article(text))


def test_navigation_shapes_are_furniture() -> None:
    menu = ["World", "Sport", "Business", "Politics", "Culture", "Science"]
    piped = "Beranda | Nasional | Ekonomi | Olahraga | Teknologi"
    text = "\n".join(["* " + m for m in menu] + [piped, "", *PROSE_ID])
    labels = _labels(text)
    assert {labels[m] for m in menu} == {"link-list"}
    assert labels[piped] in ("navigation", "link-list")
    body = _body(_article(text))
    assert "Politics" not in body and "Nasional" not in body


def test_widget_headings_after_the_story_are_furniture() -> None:
    text = "\n\n".join([*PROSE_ID, "Artikel Terkait", "Berita Terbaru", "# Hot Topic", "Rekomendasi Kami"])
    labels = _labels(text)
    assert labels["Artikel Terkait"] == labels["Hot Topic"] == "widget-heading"
    assert _body(_article(text)).endswith(PROSE_ID[-1])


def test_in_body_subheading_between_paragraphs_is_kept() -> None:
    text = "\n\n".join([PROSE_EN[0], PROSE_EN[1], "## What happens next", PROSE_EN[2], PROSE_EN[3]])
    art = _article(text)
    assert [b.type for b in art.body] == ["paragraph", "paragraph", "heading", "paragraph", "paragraph"]
    assert art.body[2].text == "What happens next"


def test_markdown_markup_is_removed() -> None:
    text = "\n\n".join(["# The budget vote", f"**{PROSE_EN[0]}**", *PROSE_EN[1:]])
    art = _article(text)
    assert art.title == "The budget vote"
    assert art.body[0].text == PROSE_EN[0]


def test_captions_credits_and_duplicates() -> None:
    vocab = vocabulary()
    assert parse_caption("Presiden Joko Widodo di Istana Merdeka./Antara", vocab) == (
        "Presiden Joko Widodo di Istana Merdeka.", "Antara")
    assert parse_caption("The royal procession (Picture: PA)", vocab) == ("The royal procession", "Picture: PA")
    assert parse_caption("Warga mengantre bantuan. Foto: Budi Santoso", vocab) == ("Warga mengantre bantuan.", "Budi Santoso")
    caption = "Petugas memeriksa kendaraan di gerbang tol./ANTARA FOTO/Budi"
    art = _article("\n\n".join([PROSE_ID[0], caption, caption, *PROSE_ID[1:]]))
    assert len(art.images) == 1 and art.images[0].credit == "ANTARA FOTO/Budi"
    assert "gerbang tol" not in _body(art)


@pytest.mark.parametrize(
    ("line", "kind", "names"),
    [
        ("Penulis : Martin Sihombing", "author", ("Martin Sihombing",)),
        ("Reporter: Dewi Lestari", "author", ("Dewi Lestari",)),
        ("Oleh Ahmad Fauzi", "author", ("Ahmad Fauzi",)),
        ("Pewarta: Nur Imansyah", "author", ("Nur Imansyah",)),
        ("By Jane Smith and John Doe", "author", ("Jane Smith", "John Doe")),
        ("Editor: Rina Wulandari", "editor", ("Rina Wulandari",)),
        ("Sumber : ANTARA/REUTERS", "source", ("ANTARA", "REUTERS")),
    ],
)
def test_bylines(line: str, kind: str, names: tuple[str, ...]) -> None:
    found = parse_byline(line, vocabulary())
    assert [(b.kind, b.names) for b in found] == [(kind, names)]


def test_prose_starting_with_a_byline_word_is_not_a_byline() -> None:
    assert parse_byline("Oleh karena itu, pemerintah akan menunda rencana tersebut", vocabulary()) == []
    assert parse_byline("By the end of the year the project was finished", vocabulary()) == []


def test_bylines_fill_the_article_and_leave_the_body() -> None:
    art = _article("\n\n".join([*PROSE_ID, "Penulis : Dewi Lestari", "Editor : Rina Wulandari", "Sumber : ANTARA"]))
    assert art.authors == ("Dewi Lestari",) and art.editors == ("Rina Wulandari",)
    assert art.source_agencies == ("ANTARA",)
    assert "Penulis" not in _body(art)


@pytest.mark.parametrize(
    ("line", "city", "outlet", "agency"),
    [
        ("Bisnis.com, MOSKOW -  Menteri Luar Negeri Rusia", "MOSKOW", "Bisnis.com", None),
        ("Mataram, NTB (ANTARA News) - Sebanyak 29 penerbangan", "Mataram", None, "ANTARA"),
        ("TEMPO.CO, Jakarta - Organisasi Kesehatan Dunia", "Jakarta", "TEMPO.CO", None),
        ("ISTANBUL, 23 Februari 2016 (Antara/PRNewswire) -- Pemerintah kota", "ISTANBUL", None, "ANTARA"),
        ("WASHINGTON (Reuters) - The U.S. Senate on Tuesday", "WASHINGTON", None, "REUTERS"),
        ("JAKARTA - Pemerintah mengumumkan", "JAKARTA", None, None),
    ],
)
def test_datelines(line: str, city: str, outlet: str | None, agency: str | None) -> None:
    found = parse_dateline(line, vocabulary())
    assert found is not None
    assert (found.city, found.outlet, found.agency) == (city, outlet, agency)


def test_ordinary_sentence_is_not_a_dateline() -> None:
    assert parse_dateline("The council - which met on Tuesday - voted", vocabulary()) is None
    assert parse_dateline("Kapanlagi.com - Brandon Nicholas Salim, putra sulung", vocabulary()) is None


def test_published_from_day_first_numeric_date_with_day_name() -> None:
    first = "JAKARTA - Pemerintah mengumumkan pada Rabu (5/10/2016) bahwa jalan tol baru itu akan dibuka untuk umum bulan ini."
    art = _article("\n\n".join([first, *PROSE_ID[1:]]))
    assert art.published == "2016-10-05"


def test_published_from_a_date_line_before_the_body() -> None:
    art = _article("\n\n".join(["Jalan Tol Baru Dibuka Akhir Bulan", "Kamis, 12 Januari 2023 14:30 WIB", *PROSE_ID]))
    assert art.published == "2023-01-12T14:30:00+07:00"
    assert art.title == "Jalan Tol Baru Dibuka Akhir Bulan"


def test_title_prefers_the_line_matching_the_url_slug() -> None:
    text = "\n\n".join(["Berita Pilihan Hari Ini", "Jalan tol baru dibuka akhir bulan", "Kamis, 12 Januari 2023", *PROSE_ID])
    art = _article(text, url="https://news.example.co.id/read/123/jalan-tol-baru-dibuka-akhir-bulan")
    assert art.title == "Jalan tol baru dibuka akhir bulan"
    assert art.domain == "example.co.id"


def test_comment_section_is_cut() -> None:
    comments = ["Jane on May 5, 2020 at 4:47 pm said:",
                "I really think the council should have spent more of this money on the bus network instead of roads.",
                "Tom on May 6, 2020 at 9:12 am said:",
                "Agreed, although the road repairs were badly needed in my part of town for years already, honestly."]
    art = _article("\n\n".join([*PROSE_EN, *comments]))
    assert _body(art).endswith(PROSE_EN[-1])


def test_english_article_end_to_end() -> None:
    text = "\n".join(["Skip to main content", "* Home", "* World", "* Business", "* Sport", "",
                      "# Council approves new budget", "By Jane Smith", "March 3, 2024", "", *PROSE_EN, "",
                      "Share this article", "Related stories", "Copyright © 2024 Example News. All rights reserved."])
    art = _article(text)
    assert art.title == "Council approves new budget"
    assert art.authors == ("Jane Smith",)
    assert art.published == "2024-03-03"
    assert [b.text for b in art.body] == PROSE_EN


def test_block_level_smoothing_keeps_short_paragraph_inside_the_story() -> None:
    text = "\n\n".join([PROSE_EN[0], PROSE_EN[1], "He declined to comment.", PROSE_EN[2], PROSE_EN[3]])
    parsed = Cleaner().parse(text)
    assert all(parsed.keep)
    assert parsed.labels[2].cls != GOOD  # kept through its neighbours, not on its own


def test_short_lines_outside_the_story_are_dropped() -> None:
    parsed = Cleaner().parse("\n".join(["Login", "Menu", "", *PROSE_EN, "", "Tags", "budget"]))
    kept = [line.text for line, keep in zip(parsed.lines, parsed.keep, strict=True) if keep]
    assert kept == PROSE_EN
    assert parsed.labels[0].cls != GOOD and parsed.labels[-1].cls != GOOD
    assert BAD in {lab.cls for lab in parsed.labels}


@pytest.mark.parametrize(
    ("text", "reason"),
    [("", SkipReason.EMPTY), ("   \n\n ", SkipReason.EMPTY), ("\x00\x01\x02binary\x03" * 50, SkipReason.UNREADABLE),
     ("Home\nNews\nSport\nLogin", SkipReason.NOT_AN_ARTICLE)],
)
def test_skips(text: str, reason: SkipReason) -> None:
    result = clean(text)
    assert isinstance(result, Skip) and result.reason is reason


def test_domain_of() -> None:
    assert domain_of("https://www.bisnis.com/a") == "bisnis.com"
    assert domain_of("https://news.detik.co.id/x") == "detik.co.id"
    assert domain_of("https://a.b.example.co.uk/x") == "example.co.uk"  # the public-suffix list, not a rule of thumb
    assert domain_of("http://127.0.0.1:8080/a") == "127.0.0.1"  # an IP is its own site
    assert domain_of(None) is None


def test_indentation_sets_teasers_apart_in_plain_renderings() -> None:
    story = ["        " + p for p in PROSE_EN]
    teaser = ("  Another story: the regional transport agency said on Monday that it would review all of its "
              "bus routes next year, officials confirmed.")
    text = "\n".join([*story[:2], teaser, *story[2:]])
    art = _article(text)
    assert [b.text for b in art.body] == PROSE_EN
