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
    choice = choose_title(None, "Lain Lagi", "Harga BBM Naik Lagi - Kompas.com", None, ["Kompas", "Harga BBM Naik Lagi"], SITES)
    assert choice.title == "Harga BBM Naik Lagi"


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


def test_jsonld_section_label_dropped_when_h1_and_og_lack_it() -> None:
    head = "Bubi-Bomber wieder da: Thioune fordert Geduld"
    choice = choose_title(f"{head} | Sport", head, None, f"{head} | Sport | BILD.de", [head], ["BILD.de"])
    assert (choice.title, choice.source) == (head, "jsonld")


def test_jsonld_label_kept_when_og_carries_it() -> None:
    full = "Yangınlarda son durum! - Güncel haberler"
    choice = choose_title(full, full, None, full, ["Yangınlarda son durum!"], ["Haberturk"])
    assert choice.title == full


def test_jsonld_long_trailing_segment_is_not_a_label() -> None:
    full = "Jokowi bertemu Prabowo - keduanya membahas koalisi baru"
    choice = choose_title(full, "Jokowi bertemu Prabowo", None, None, ["Jokowi bertemu Prabowo"], SITES)
    assert choice.title == full


def test_og_title_outranks_h1_confirmed_only_by_title_tag() -> None:
    og = "I sell Disney World holidays"
    h1 = "I sell Walt Disney World holidays"
    choice = choose_title(None, og, None, f"{h1} - Daily Star", [h1], ["Daily Star"])
    assert (choice.title, choice.source) == (og, "meta")


def test_h1_confirmed_by_title_tag_when_no_social_title() -> None:
    h1 = "I sell Walt Disney World holidays"
    choice = choose_title(None, None, None, f"{h1} - Daily Star", ["Menu", h1], ["Daily Star"])
    assert (choice.title, choice.source) == (h1, "dom")


def test_og_title_unknown_site_suffix_dropped_when_h1_shows_headline() -> None:
    h1 = "Steigende US-Zinsen setzen Dax zu"
    choice = choose_title(None, f"{h1} | Unbekannte Zeitung", None, h1, ["Markt", h1], SITES)
    assert choice.title == h1


def test_og_title_without_jsonld_kicker_wins() -> None:
    ld = "Neue Leipziger Schule: Judy Lybke, ganz und gar nicht eigenartig"
    og = "Judy Lybke, ganz und gar nicht eigenartig"
    choice = choose_title(ld, og, ld, f"{ld} - n-tv.de", ["Judy Lybke"], ["n-tv.de"])
    assert (choice.title, choice.source) == (og, "meta")


def test_jsonld_kicker_kept_when_the_h1_shows_it() -> None:
    # issue 11: a label prefix the visible headline shows is part of the headline (this test replaces the
    # former expectation that og:title without the kicker wins even when the <h1> displays the kicker)
    ld = "Bei Protesten 2022: Bericht: Aktivistin getötet"
    og = "Bericht: Aktivistin getötet"
    choice = choose_title(ld, og, None, None, [ld], ["mz.de"])
    assert choice.title == ld


def test_quoted_kicker_is_a_kicker() -> None:
    ld = '"Es wird bald beginnen": Trump spricht über Bodeneinsätze'
    assert choose_title(ld, "Trump spricht über Bodeneinsätze", None, None, [], SITES).title == (
        "Trump spricht über Bodeneinsätze"
    )


def test_long_colon_prefix_is_not_a_kicker() -> None:
    ld = "Menteri keuangan yang baru dilantik pekan lalu mengatakan: harga BBM naik"
    choice = choose_title(ld, "harga BBM naik", None, None, [], SITES)
    assert (choice.title, choice.source) == (ld, "jsonld")


def test_og_title_with_other_words_does_not_replace_jsonld() -> None:
    ld = "Olympische Spiele: Deutscher Basketball-Aggressor beeindruckt"
    choice = choose_title(ld, "Deutscher Aggressor beeindruckt", None, None, [ld], SITES)
    assert (choice.title, choice.source) == (ld, "jsonld")


def test_og_kicker_kept_when_h1_displays_it() -> None:
    ld = "Der 9. Juli naht: OGBL und LCGB demonstrieren"
    og = f"Nationale Demo / {ld}"
    choice = choose_title(ld, og, None, None, [f"Nationale Demo{ld}"], ["Tageblatt.lu"])
    assert (choice.title, choice.source) == (og, "meta")


def test_og_kicker_ignored_when_h1_does_not_display_it() -> None:
    ld = "Beleidigen und beschuldigen: Skisprung-Zoff ums Material"
    choice = choose_title(ld, f"Vierschanzentournee | {ld}", None, None, [ld], ["Tageblatt.lu"])
    assert (choice.title, choice.source) == (ld, "jsonld")


def test_a_mark_the_jsonld_headline_lost_is_kept_from_the_displayed_headline() -> None:
    shown = "Sri Mulyani: Utang Negara Aman"
    found = choose_title("Sri Mulyani Utang Negara Aman", shown, None, None, [shown], ["Contoh"])
    assert (found.title, found.source) == (shown, "dom")
    # the h1 alone, og:title not agreeing, is not enough: its text may hold a glued kicker
    alone = choose_title("Sri Mulyani Utang Negara Aman", "Sri Mulyani Utang Negara Aman", None, None, [shown], [])
    assert alone.title == "Sri Mulyani Utang Negara Aman"


def test_a_short_tail_the_headline_does_not_show_is_not_title() -> None:
    h1 = "Kasus Ferienjob Jerman Bukan Perdagangan Orang"
    og = f"{h1} Halaman all - Kompas.com"
    found = choose_title(None, og, None, og, [h1], ["Kompas.com"])
    assert (found.title, found.source) == (h1, "dom")
    # a headline continuing past the h1 by more than a few words is the og:title's
    longer = f"{h1} Kata Menteri Tenaga Kerja Hari Ini"
    assert choose_title(None, longer, None, None, [h1], []).title == longer
    # a short h1 (a section heading) never cuts a title
    assert choose_title(None, "Berita Utama Hari Ini", None, None, ["Berita"], []).title == "Berita Utama Hari Ini"


def test_a_label_the_displayed_headline_shows_before_a_colon_is_kept() -> None:
    og = "Banjir Rendam Jakarta Utara Hari Ini"
    assert choose_title(None, og, None, None, [f"VIDEO: {og}"], ["Contoh"]).title == f"VIDEO: {og}"
    # a label glued to the headline by markup, with no separator, is not part of it
    glued = "Posluszny agrees to five-year deal with Jaguars"
    assert choose_title(None, glued, None, None, [f"NFL Network{glued}"], []).title == glued
