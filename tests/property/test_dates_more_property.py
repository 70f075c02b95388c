from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from warta.dates import find_dates, parse_date
from warta.lang import load

EN_MONTHS = [names[0] for names in load("en")["dates"]["months"]]
days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))
offsets = st.integers(-12 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m - m % 15)))


@given(days, st.integers(0, 23), st.integers(0, 59), offsets)
def test_iso_keeps_the_page_offset(day: dt.date, hour: int, minute: int, zone: dt.timezone) -> None:
    value = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
    parsed = parse_date(value.isoformat(), fallback=False)
    assert parsed is not None and parsed.value == value
    assert parsed.isoformat()[:10] == day.isoformat()  # never converted to UTC


@given(days)
def test_numeric_without_day_name_is_day_first(day: dt.date) -> None:
    parsed = parse_date(f"{day.day:02d}/{day.month:02d}/{day.year}", fallback=False)
    assert parsed is not None and parsed.day == day


@given(days, st.booleans())
def test_english_long_forms(day: dt.date, month_first: bool) -> None:
    month = EN_MONTHS[day.month - 1].capitalize()
    text = f"{month} {day.day}, {day.year}" if month_first else f"{day.day} {month} {day.year}"
    parsed = parse_date(text, fallback=False)
    assert parsed is not None and parsed.value == day


@given(st.lists(days, min_size=1, max_size=4))
def test_find_dates_reports_every_date_in_order(dates: list[dt.date]) -> None:
    text = " lalu ".join(f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}" for d in dates)
    assert [p.day for p in find_dates(text)] == dates
