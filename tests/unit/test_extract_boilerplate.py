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
