from __future__ import annotations

from warta.extract.meta_title import choose_title, strip_site

SITES = ["Kompas.com", "kompas.com", "kompas"]


def test_strip_site_suffix_and_prefix() -> None:
    assert strip_site("Harga BBM Naik - Kompas.com", SITES) == "Harga BBM Naik"
    assert strip_site("Kompas.com | Harga BBM Naik", SITES) == "Harga BBM Naik"
    assert strip_site("KOMPAS.com: Harga BBM Naik", SITES) == "Harga BBM Naik"
    assert strip_site("Harga BBM Naik - Ekonomi - Kompas.com", SITES) == "Harga BBM Naik - Ekonomi"


def test_strip_site_keeps_headline_dashes() -> None:
    assert strip_site("Jokowi - Prabowo Bertemu di Istana", SITES) == "Jokowi - Prabowo Bertemu di Istana"


def test_h1_confirmed_by_metadata_wins() -> None:
    choice = choose_title(None, "Lain Lagi", None, "Harga BBM Naik Lagi - Kompas.com", ["Kompas", "Harga BBM Naik Lagi"], SITES)
    assert (choice.title, choice.source) == ("Harga BBM Naik Lagi", "dom")


def test_metadata_twin_restores_kicker_punctuation() -> None:
    choice = choose_title(None, "Ahrtal-Flut: Zwei Rücktritte", None, None, ["Ahrtal-FlutZwei Rücktritte"], SITES)
    assert (choice.title, choice.source) == ("Ahrtal-Flut: Zwei Rücktritte", "meta")


def test_jsonld_headline_comes_first() -> None:
    choice = choose_title("Harga BBM naik lagi - Kompas.com", "Harga BBM Naik", None, None, ["Harga BBM Naik"], SITES)
    assert (choice.title, choice.source) == ("Harga BBM naik lagi", "jsonld")


def test_jsonld_headline_when_no_h1_matches() -> None:
    choice = choose_title("Harga BBM naik lagi", "Lain", None, None, ["Menu"], SITES)
    assert (choice.title, choice.source) == ("Harga BBM naik lagi", "jsonld")


def test_title_tag_fallback_is_stripped() -> None:
    assert choose_title(None, None, None, "Berita Satu | Kompas.com", [], SITES).title == "Berita Satu"
    assert choose_title(None, None, None, None, [], SITES).title is None
