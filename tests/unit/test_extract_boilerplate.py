"""Furniture data: class/id hints and line patterns."""

from __future__ import annotations

import pytest

from warta.extract.boilerplate import load_furniture

F = load_furniture()


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Baca juga: Harga cabai naik lagi", "promo"),
        ("Baca Juga", "promo"),
        ("Simak breaking news dan berita pilihan kami langsung di ponselmu", "promo"),
        ("Pewarta: Nur Imansyah", "byline"),
        ("Editor: Heppy Ratna", "byline"),
        ("Penulis: A | Editor: B", "byline"),
        ("By", "byline"),
        ("(aff/yna)", "trailer"),
        ("(H-4)", "trailer"),
        ("November 18, 2019 12:01 PM", "date"),
        ("Kamis, 5 November 2015 14:56 WIB", "date"),
        ("<img src='x.gif'>", "markup"),
        ("0", "markup"),
    ],
)
def test_furniture_lines(line: str, kind: str) -> None:
    assert F.line_kind(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "He was born on May 5, 2019 in Paris and moved to Jakarta.",
        "Editorial boards rarely agree, the editor said.",
        "Jakarta (ANTARA) - Sebanyak 29 penerbangan dibatalkan.",
        "(Reuters) was not the only source, officials said in a long statement.",
    ],
)
def test_prose_is_not_furniture(line: str) -> None:
    assert F.line_kind(line) is None


def test_class_hints() -> None:
    assert F.is_negative("share-buttons")
    assert F.is_negative("related_posts widget")
    assert F.is_negative("inject-baca-juga")
    assert not F.is_negative("article-content share")  # a positive word protects the container
    assert not F.is_negative("detail__body-text itp_bodycontent")
    assert not F.is_negative("headline")  # words, not substrings: 'ad' is not in 'headline'


def test_stop_headings() -> None:
    assert F.is_stop("You may also like")
    assert F.is_stop("Berita Terkait")
    assert not F.is_stop("Read more")  # in-body read-more boxes do not end the article
    assert not F.is_stop("The related question of taxes is harder than it looks.")


@pytest.mark.parametrize(
    "line",
    [
        "Simak breaking news dan berita pilihan kami langsung di ponselmu. Pilih saluran andalanmu akses berita Kompas.com WhatsApp Channel",
        "Artikel ini telah tayang di TribunJateng.com dengan judul Banjir",
        "Follow Berita Okezone di Google News",
        "Baca berita tanpa iklan. Gabung Kompas.com+",
        "Download IDN App sekarang!",
        "Cek Berita dan Artikel yang lain di Google News dan WA Channel",
        "[Gambas:Video CNN]",
        "SCROLL TO CONTINUE WITH CONTENT",
        "Nyaman tanpa iklan. Langganan BisnisPro",
        "Versi cetak artikel ini terbit di Harian Kompas edisi 5 Mei 2024",
        "Disclaimer: Keputusan investasi sepenuhnya ada di tangan pembaca.",
    ],
)
def test_indonesian_portal_promo_lines(line: str) -> None:
    assert F.line_kind(line) == "promo"
