from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from warta.dates import parse_date
from warta.lang import load

ID_MONTHS = [names[0] for names in load("id")["dates"]["months"]]
ID_DAYS = [names[0] for names in load("id")["dates"]["days"]]
days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))


@given(days)
def test_numeric_is_day_first_with_matching_day_name(day: dt.date) -> None:
    name = ID_DAYS[day.weekday()].capitalize()
    parsed = parse_date(f"{name} ({day.day}/{day.month}/{day.year})", fallback=False)
    assert parsed is not None and parsed.day == day


@given(days, st.integers(0, 23), st.integers(0, 59), st.sampled_from([("WIB", 7), ("WITA", 8), ("WIT", 9)]))
def test_indonesian_long_form_round_trips(day: dt.date, hour: int, minute: int, zone: tuple[str, int]) -> None:
    text = f"{ID_DAYS[day.weekday()].capitalize()}, {day.day:02d} {ID_MONTHS[day.month - 1].capitalize()} {day.year} {hour:02d}:{minute:02d} {zone[0]}"
    parsed = parse_date(text, fallback=False)
    assert parsed is not None
    assert parsed.value == dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.timezone(dt.timedelta(hours=zone[1])))


@given(st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2040, 1, 1), timezones=st.just(dt.UTC)))
def test_iso_round_trips(value: dt.datetime) -> None:
    value = value.replace(microsecond=0)
    parsed = parse_date(value.isoformat(), fallback=False)
    assert parsed is not None and parsed.value == value


@given(st.text(max_size=200))
def test_never_crashes_on_arbitrary_text(text: str) -> None:
    parse_date(text, fallback=False)
