"""Dates as people read them, in the publisher's own UTC offset as stored (never converted).

- Indonesian pages: ``Selasa, 23 Februari 2016 15:06 WIB`` (WIB +07, WITA +08, WIT +09; any other
  offset is written ``+05:30``).
- Other pages: ``Tue 23 Feb 2016, 15:06 (+07:00)``.
- A date without a time shows no time; a time without an offset shows no zone; a value that is
  not ISO 8601 is shown as stored.

Day and month names come from ``warta/lang/id.toml`` (the tables the date parser already uses),
so no locale library is needed for the two formats; English abbreviations are fixed here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from warta.lang import load

EN_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _id_names() -> tuple[tuple[str, ...], tuple[str, ...], dict[str, str]]:
    """(day names Monday first, month names, offset -> zone name) from ``id.toml``."""
    data = load("id")
    days = tuple(str(names[0]).capitalize() for names in data["dates"]["days"])
    months = tuple(str(names[0]).capitalize() for names in data["dates"]["months"])
    zones = {str(offset): str(name) for name, offset in data["timezones"].items()}
    return days, months, zones


def parse(value: str) -> date | datetime | None:
    """``datetime`` for a timestamp, ``date`` for a bare day, ``None`` when not ISO 8601."""
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def offset_text(delta: timedelta) -> str:
    """``+07:00`` / ``-03:30`` / ``+00:00``."""
    minutes = int(delta.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"


def human_date(value: str | None, language: str | None = None) -> str:
    """``value`` (ISO 8601 as stored) the way a reader of ``language`` writes dates."""
    if not value:
        return ""
    when = parse(value)
    if when is None:
        return value
    if (language or "").lower().startswith("id"):
        return _indonesian(when)
    return _english(when)


def _indonesian(when: date | datetime) -> str:
    days, months, zones = _id_names()
    day = f"{days[when.weekday()]}, {when.day} {months[when.month - 1]} {when.year}"
    if not isinstance(when, datetime):
        return day
    delta = when.utcoffset()
    if delta is None:
        return f"{day} {when:%H:%M}"
    offset = offset_text(delta)
    return f"{day} {when:%H:%M} {zones.get(offset, 'UTC' if offset == '+00:00' else offset)}"


def _english(when: date | datetime) -> str:
    day = f"{EN_DAYS[when.weekday()]} {when.day} {EN_MONTHS[when.month - 1]} {when.year}"
    if not isinstance(when, datetime):
        return day
    delta = when.utcoffset()
    if delta is None:
        return f"{day}, {when:%H:%M}"
    return f"{day}, {when:%H:%M} ({offset_text(delta)})"


def short_day(value: str) -> str:
    """``2016-02-23`` -> ``23 Feb`` (chart axis labels); anything else as given."""
    when = parse(value)
    if when is None:
        return value
    return f"{when.day} {EN_MONTHS[when.month - 1]}"
