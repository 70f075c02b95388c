"""Property tests: normalisation is idempotent, cleaning never crashes, the body only holds input
lines, and in-text dates come back as the day they name."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from warta.clean import clean
from warta.clean.lines import markdown_text, normalize
from warta.clean.meta import find_published
from warta.model import Article, Skip

WORDS = st.sampled_from(
    ["Pemerintah", "mengatakan", "bahwa", "jalan", "itu", "akan", "dibuka", "the", "council", "said", "on",
     "Tuesday", "Baca", "juga:", "Google", "News", "|", "*", "#", "Penulis", ":", "Reuters", "/", "2016", "(5/10/2016)",
     "dan", "yang", "di", "of", "and", "a", ".", ",", "\u00a0", "**", ">", "-", "Rabu"]
)
LINE = st.lists(WORDS, min_size=0, max_size=40).map(" ".join)
DUMP = st.lists(st.one_of(LINE, st.just(""), st.text(max_size=80)), min_size=0, max_size=40).map("\n".join)

ID_DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert "  " not in once and once == once.strip()


@given(st.text(max_size=200))
def test_markdown_text_is_idempotent_on_plain_results(text: str) -> None:
    once = markdown_text(text)
    assert markdown_text(markdown_text(once)) == markdown_text(once)


@settings(max_examples=150, deadline=None)
@given(DUMP)
def test_clean_never_crashes_and_body_lines_come_from_the_input(text: str) -> None:
    result = clean(text)
    assert isinstance(result, (Article, Skip))
    if isinstance(result, Article):
        inputs = {markdown_text(raw) for raw in text.splitlines()}
        assert result.body
        for block in result.body:
            assert block.text in inputs
        if result.lead is not None:
            assert result.lead in inputs


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2035, 12, 31)))
def test_day_first_date_with_day_name_in_text(day: dt.date) -> None:
    text = f"JAKARTA - Pemerintah mengumumkan pada {ID_DAYS[day.weekday()]} ({day.day}/{day.month}/{day.year}) bahwa"
    assert find_published([text]) == day.isoformat()
