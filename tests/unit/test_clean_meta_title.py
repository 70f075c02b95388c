"""Headline rules of the text-dump cleaner, one per test, on small invented dumps."""

from __future__ import annotations

from cleantexts import PROSE
from warta.clean import Cleaner, clean
from warta.model import Article


def _article(lines: list[str], url: str | None = None) -> Article:
    result = clean("\n\n".join([*lines, *PROSE]), url)
    assert isinstance(result, Article), result
    return result


def _body(article: Article) -> list[str]:
    return [block.text for block in article.body]


def test_the_line_right_above_the_credits_is_the_headline() -> None:
    art = _article(["Council approves the new city budget", "By Jane Smith", "March 3, 2024", "Weather warning for the coast tonight"])
    assert art.title == "Council approves the new city budget"
    assert _body(art) == PROSE


def test_a_date_stamp_is_never_the_headline() -> None:
    art = _article(["Council approves the new city budget", "Stand: 03.03.2024 17:23 Uhr"])
    assert art.title == "Council approves the new city budget"


def test_a_standfirst_below_its_headline_is_not_the_headline() -> None:
    art = _article(["Council approves new budget for roads and schools",
                    "The council approves a budget with money for schools, parks and roads"])
    assert art.title == "Council approves new budget for roads and schools"


def test_a_kicker_run_into_the_headline_yields_to_the_headline_alone() -> None:
    art = _article(["Council approves the new city budget", "City Politics Council approves the new city budget", "March 3, 2024"])
    assert art.title == "Council approves the new city budget"


def test_headline_shown_twice_on_the_page_is_still_a_candidate() -> None:
    text = "\n\n".join(["Council approves the new city budget - Example News", "Home", "News",
                        "Council approves the new city budget", "Share on social media", "Council approves the new city budget",
                        *PROSE])
    art = clean(text)
    assert isinstance(art, Article)
    assert art.title == "Council approves the new city budget"


def test_a_headline_starting_with_a_byline_word_but_no_name_is_kept() -> None:
    art = _article(["# Von München bis Aachen: ein langer Weg", "von Anna Schmidt"], url=None)
    assert art.title == "Von München bis Aachen: ein langer Weg"
    assert art.authors == ("Anna Schmidt",)


def test_slug_words_match_with_accents_dropped_or_umlauts_spelled_out() -> None:
    from warta.clean.meta import headline_slug, slug_share

    slug = headline_slug("https://example.se/nyheter/a/Xy12/hanna-forsvunnen-i-uddevalla?ref=rss")
    assert slug == frozenset({"hanna", "forsvunnen", "uddevalla"})
    assert slug_share(("hanna", "18", "försvunnen", "i", "uddevalla"), slug) == 1.0
    de = headline_slug("https://example.de/politik/rueckbau-von-atomkraftwerk-100.html")
    assert slug_share(("rückbau", "von", "atomkraftwerk"), de) == 1.0
    assert headline_slug("https://example.com/") == frozenset()
    assert "html" not in de


def test_the_slug_picks_the_headline_with_accents_folded() -> None:
    url = "https://news.example.se/nyheter/a/Xy12/hanna-forsvunnen-i-uddevalla.html"
    art = _article(["Hanna försvunnen i Uddevalla", "Uddevalla: Hanna hittad igen"], url=url)
    assert art.title == "Hanna försvunnen i Uddevalla"


def test_headline_choice_leaves_the_body_alone() -> None:
    lines = ["Council approves the new city budget", "By Jane Smith", "March 3, 2024"]
    parsed = Cleaner().parse("\n\n".join([*lines, *PROSE]))
    assert [ln.text for ln, keep in zip(parsed.lines, parsed.keep, strict=True) if keep] == PROSE


def test_heading_marks_inside_a_list_item_are_not_part_of_the_title() -> None:
    art = _article(["1. Home", "2. Politics", "3. # Council approves the new city budget", "By Jane Smith"])
    assert art.title == "Council approves the new city budget"


def test_a_headline_starting_with_a_colon_continues_the_line_above() -> None:
    art = _article(["City hall", ": Council approves the new city budget", "By Jane Smith"])
    assert art.title == "City hall: Council approves the new city budget"
