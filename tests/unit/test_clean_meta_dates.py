"""Publication-date rules of the text-dump cleaner, on small invented dumps."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleantexts import HEADLINE, PROSE
from warta.clean import clean
from warta.model import Article


def _published(before: list[str], after: list[str] | None = None, url: str | None = None) -> str | None:
    text = "\n\n".join([*before, PROSE[0], *(after or []), *PROSE[1:]])
    result = clean(text, url)
    assert isinstance(result, Article), result
    assert [b.text for b in result.body] == PROSE  # the date rules never move the body
    return result.published


@pytest.mark.parametrize(
    ("stamp", "published"),
    [
        ("28\\. April 2023, 19:50 Uhr", "2023-04-28T19:50:00"),  # markdown escape, "28. April"
        ("Publié le 30 août 2023 à 14h52", "2023-08-30"),  # French month name
        ("Veröffentlicht am 27.04.24 um 07:39 Uhr", "2024-04-27"),  # two-digit year
        ("2025年1月14日 01時28分", "2025-01-14T01:28:00"),  # CJK date and time
        ("입력 2025.05.15 20:00", "2025-05-15T20:00:00"),  # year.month.day
    ],
)
def test_date_shapes_of_other_languages_are_read(stamp: str, published: str) -> None:
    assert _published([HEADLINE, stamp]) == published


def test_a_date_just_below_the_first_paragraph_is_read() -> None:
    assert _published([HEADLINE], after=["22.11.2024 07.57"]) == "2024-11-22T07:57:00"


def test_the_date_nearest_the_body_start_wins_over_a_teaser_date_further_up() -> None:
    teasers = ["Earlier: storm closes the harbour", "Monday, 5 February 2024", "Earlier: schools reopen after repairs"]
    got = _published([*teasers, "Menu", "Search", "Sport", HEADLINE, "By Jane Smith", "Wednesday, 6 March 2024"])
    assert got == "2024-03-06"


def test_the_url_day_arbitrates_a_date_of_another_day() -> None:
    url = "https://news.example.com/2023/08/30/council-approves-budget/"
    assert _published([HEADLINE, "Updated 12 July 2023"], url=url) == "2023-08-30"
    assert _published([HEADLINE, "30 August 2023, 14:52"], url=url) == "2023-08-30T14:52:00"


def test_no_date_anywhere_gives_none() -> None:
    assert _published([HEADLINE, "By Jane Smith"]) is None


def test_date_helpers() -> None:
    from warta.clean.meta import date_text, find_published, url_day
    from warta.clean.vocab import vocabulary

    vocab = vocabulary()
    assert url_day("https://example.com/news/2024-03-07/storm-hits") == "2024-03-07"
    assert url_day("https://example.com/a/story-20260425145127-nts.html") == "2026-04-25"
    assert url_day("https://example.com/news/11862251/story/") is None
    assert date_text("Home News Sport") is None
    assert date_text("Heute im Programm 2024") == "Heute im Programm 2024"
    assert date_text("28\\. April 2023") == "28 April 2023"
    assert date_text("am 27.04.24 um 07:39") == "am 27.04.2024 um 07:39"
    assert find_published(["5. März 2024"], vocab) == "2024-03-05"
    assert find_published(["Hamburg Marathon 2024", "no date here"], vocab) is None


def test_a_photo_caption_date_is_not_the_publication_date() -> None:
    caption = "The mayor speaks to reporters outside city hall on Monday, April 14, 2024, after the vote. (Photo: Jane Smith)"
    assert _published([HEADLINE, "April 28, 2024", caption]) == "2024-04-28"


def test_url_helpers_survive_odd_urls() -> None:
    from warta.clean.meta import domain_of, headline_slug, url_day

    assert url_day("https://example.com/2024/02/30/story") is None  # not a day
    assert domain_of("http://[::1") is None  # broken IPv6 literal: no host, no error
    assert domain_of("/2024/05/01/story") is None  # a path alone has no host
    assert domain_of("//example.com/x") == "example.com"
    assert domain_of("https://user:pw@News.Example.CO.ID:8080/a?b#c") == "example.co.id"
    assert headline_slug("https://example.com/%E0%A4%A/a-b") == frozenset()


@given(
    lines=st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=80), max_size=30),
    url=st.one_of(st.none(), st.text(max_size=60), st.just("https://example.com/2024/02/30/a-b-c.html")),
)
@settings(max_examples=60, deadline=None)
def test_metadata_rules_never_fail_on_arbitrary_dumps(lines: list[str], url: str | None) -> None:
    result = clean("\n\n".join([*lines, *PROSE]), url)
    assert isinstance(result, Article)
    assert result.published is None or result.published[:4].isdigit()
