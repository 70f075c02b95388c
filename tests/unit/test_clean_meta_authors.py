"""Author rules of the text-dump cleaner: bylines near the body and name lines in the header block."""

from __future__ import annotations

import pytest

from cleantexts import HEADLINE, PROSE
from warta.clean import clean
from warta.model import Article


def _authors(header: list[str], footer: list[str] | None = None) -> tuple[str, ...]:
    result = clean("\n\n".join([*header, *PROSE, *(footer or [])]))
    assert isinstance(result, Article), result
    assert [b.text for b in result.body] == PROSE  # the author rules never move the body
    return result.authors


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Jane Doe", ("Jane Doe",)),  # a name alone
        ("Jane Doe - Example News", ("Jane Doe",)),  # name - outlet
        ("Jane Doe / EXAMPLE.COM / Sep 2, 2024, 17:07 IST", ("Jane Doe",)),  # name / OUTLET / date
        ("Jane Doe , 26.04.2024 10:00 Uhr", ("Jane Doe",)),  # name, date
        ("Kolumne von Jane Doe", ("Jane Doe",)),  # a by-word inside the line
        ("Mathias Hagen – Journalist", ("Mathias Hagen",)),  # name – job title
        ("Jane DoePublished 3 March 2024", ("Jane Doe",)),  # glued to the next word
        ("Jane Doe and John Roe", ("Jane Doe", "John Roe")),
        ("Miguel A. Herguedas", ("Miguel A. Herguedas",)),  # an initial
        ("Jane Doe | Reporter", ("Jane Doe",)),  # name | role
    ],
)
def test_name_lines_between_headline_and_body(line: str, names: tuple[str, ...]) -> None:
    assert _authors([HEADLINE, line, "March 3, 2024"]) == names


def test_lines_that_are_not_names_give_no_author() -> None:
    assert _authors([HEADLINE, "Read the full story here.", "Related stories:", "March 3, 2024"]) == ()
    assert _authors([HEADLINE, "breaking news", "March 3, 2024"]) == ()


def test_a_list_of_many_people_is_no_byline() -> None:
    people = ["Ann Lee", "Bob Ray", "Cid Moe", "Dan Poe", "Eve Kay"]
    assert _authors([HEADLINE, *people, "March 3, 2024"]) == ()


def test_a_byline_near_the_body_wins_over_one_in_a_far_teaser_list() -> None:
    teasers = [f"Teaser story number {i} about the city" for i in range(3)]
    far = ["By Tom Far", *teasers, *(f"Menu item {i}" for i in range(45))]
    assert _authors([*far, HEADLINE, "By Jane Near", "March 3, 2024"]) == ("Jane Near",)


def test_a_byline_at_the_end_still_counts_when_the_header_has_none() -> None:
    assert _authors([HEADLINE, "March 3, 2024"], footer=["Penulis: Budi Santoso", "Editor: Ani Wijaya"]) == ("Budi Santoso",)


def test_credit_names_helper() -> None:
    from warta.clean.meta import credit_names
    from warta.clean.vocab import vocabulary

    vocab = vocabulary()
    assert credit_names("Vasilisa Stepanenko The Associated Press", vocab) == ["Vasilisa Stepanenko"]
    assert credit_names("Dolores Chang For Example.com", vocab) == ["Dolores Chang"]
    assert credit_names("Marco Pizzorno 4 Febbraio 2025 - 14:41", vocab) == ["Marco Pizzorno"]
    assert credit_names("Januar 2026 • Gregor Meier • 3 Minuten", vocab) == ["Gregor Meier"]
    assert credit_names("Home News Sport Weather Travel Culture", vocab) == []


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Jon Doe, News Reporter", ("Jon Doe",)),  # a job title is no second author
        ("By Ann Lee and Bob Ray The Associated Press", ("Ann Lee", "Bob Ray")),  # the agency ends the name
        ("Von dpa 30.04.2024, 18:58", ("dpa",)),  # a byline crediting only a wire service names it
    ],
)
def test_byline_names_end_at_titles_and_wire_only_bylines_count(byline: str, names: tuple[str, ...]) -> None:
    assert _authors([HEADLINE, byline, "March 3, 2024"]) == names


def test_media_controls_under_the_headline_are_no_author() -> None:
    assert _authors(["# " + HEADLINE, "Play Video"]) == ()
    assert _authors(["# " + HEADLINE, "Jane Doe", "Watch Live"]) == ("Jane Doe",)
