"""Date parsing for news pages and text dumps.

The common shapes are parsed directly (fast, predictable); ``dateparser`` is only the fallback:

- ISO 8601 (``2016-10-05T14:30:00+07:00``, ``2016-10-05 14:30``, ``2016-10-05``)
- Indonesian and English long forms (``Rabu, 05 Oktober 2016 14:30 WIB``, ``October 5, 2016 2:30 PM``)
- numeric day-first forms (``5/10/2016``, ``05-10-2016 14.30``): Indonesian dates are day first; when a
  day name is given (``Rabu (5/10/2016)``) and only the month-first reading matches it, that one wins.

Times keep the page's own UTC offset (WIB = +07:00, WITA = +08:00, WIT = +09:00); a date without a time is
returned as a date alone. Vocabulary (month and day names, zone abbreviations) lives in ``warta/lang/*.toml``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from warta import lang

DATE_LANGS = ("id", "en")


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A date found in text; ``value`` is a ``datetime`` when a time was given, else a ``date``."""

    value: dt.datetime | dt.date
    start: int = 0  # span in the input where it was found
    end: int = 0

    @property
    def has_time(self) -> bool:
        return isinstance(self.value, dt.datetime)

    def isoformat(self) -> str:
        return self.value.isoformat()

    @property
    def day(self) -> dt.date:
        return self.value.date() if isinstance(self.value, dt.datetime) else self.value


@dataclass(frozen=True, slots=True)
class _Vocab:
    months: dict[str, int]
    days: dict[str, int]
    zones: dict[str, dt.timezone]
    month_re: str
    day_re: str
    zone_re: str


def _offset(text: str) -> dt.timezone:
    sign = -1 if text.startswith("-") else 1
    hours, minutes = text.lstrip("+-").split(":")
    return dt.timezone(sign * dt.timedelta(hours=int(hours), minutes=int(minutes)))


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@functools.cache
def _vocab() -> _Vocab:
    months: dict[str, int] = {}
    days: dict[str, int] = {}
    zones: dict[str, dt.timezone] = {}
    for code in DATE_LANGS:
        data = lang.load(code)
        for number, names in enumerate(data["dates"]["months"], start=1):
            months.update({n: number for n in names})
        for number, names in enumerate(data["dates"]["days"]):
            days.update({n: number for n in names})
        zones.update({k: _offset(v) for k, v in data.get("timezones", {}).items()})
    return _Vocab(months, days, zones, _alternation(list(months)), _alternation(list(days)), _alternation(list(zones)))


_YEAR = re.compile(r"\d{4}")
_TIME = r"(?P<H>[01]?\d|2[0-3])[:.](?P<M>[0-5]\d)(?:[:.](?P<S>[0-5]\d))?(?:\s*(?P<ampm>[ap]\.?m\.?))?"
_NUMTZ = r"(?:GMT|UTC)?\s*(?P<ntz>[+-](?:0?\d|1[0-4])(?::?[0-5]\d)?)"


@functools.cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    v = _vocab()
    # names start a word (not "sen" in "beschlossen") or a capital glued to a word, as text dumps
    # glue inline elements ("Associated PressApril 28, 2023"); the guard also keeps re from trying
    # every name at every position, which made these patterns about 4x slower
    word_start = r"(?:(?<![^\W\d_])|(?-i:(?<=[a-z])(?=[A-Z])))"
    day = rf"(?:{word_start}(?P<dname>{v.day_re})\.?\s*,?\s*\(?\s*)?"
    tz = rf"(?:\s*(?:(?P<tz>{v.zone_re})\b|{_NUMTZ}))?"
    timepart = rf"(?:\s*[,|/\-–]?\s*(?:(?:pukul|pkl\.?|jam|at)\s+)?{_TIME}{tz})?"
    flags = re.IGNORECASE
    iso = re.compile(
        r"(?<![\d/])(?P<y>(?:19|20)\d{2})(?P<isep>[-/])(?P<m>\d{1,2})(?P=isep)(?P<d>\d{1,2})"
        r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?"
        r"\s*(?P<iz>Z|[+-]\d{2}:?\d{2})?)?(?!\d)",
        flags,
    )
    dmy_words = re.compile(
        rf"{day}(?<!\d)(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<mname>{v.month_re})\.?,?\s+(?P<y>\d{{4}})(?!\d){timepart}",
        flags,
    )
    mdy_words = re.compile(
        rf"{day}{word_start}(?P<mname>{v.month_re})\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d){timepart}",
        flags,
    )
    numeric = re.compile(
        rf"{day}(?<![\d/.-])(?P<d>[0-3]?\d)(?P<sep>[/.-])(?P<m>[01]?\d)(?P=sep)(?P<y>\d{{4}})(?![\d/]){timepart}",
        flags,
    )
    return iso, dmy_words, mdy_words, numeric


def _zone(match: re.Match[str], default_tz: dt.tzinfo | None) -> dt.tzinfo | None:
    groups = match.groupdict()
    if groups.get("iz"):
        iz = groups["iz"]
        if iz.upper() == "Z":
            return dt.UTC
        iz = iz if ":" in iz else f"{iz[:3]}:{iz[3:]}"
        return _offset(iz)
    if groups.get("tz"):
        key = groups["tz"]
        zones = _vocab().zones
        return zones.get(key) or zones.get(key.upper())
    if groups.get("ntz"):
        raw = groups["ntz"].replace(":", "")
        sign, digits = raw[0], raw[1:]
        hours, minutes = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "00")
        return _offset(f"{sign}{int(hours):02d}:{minutes}")
    return default_tz


def _build(
    match: re.Match[str], y: int, m: int, d: int, default_tz: dt.tzinfo | None
) -> dt.datetime | dt.date | None:
    try:
        day = dt.date(y, m, d)
    except ValueError:
        return None
    groups = match.groupdict()
    if groups.get("H") is None:
        return day
    hour, minute, second = int(groups["H"]), int(groups["M"]), int(groups.get("S") or 0)
    ampm = (groups.get("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23:
        return day
    return dt.datetime(y, m, d, hour, minute, second, tzinfo=_zone(match, default_tz))


def _numeric_value(match: re.Match[str], default_tz: dt.tzinfo | None) -> dt.datetime | dt.date | None:
    """Day first; the month-first reading wins only when the day name matches it alone."""
    a, b, y = int(match["d"]), int(match["m"]), int(match["y"])
    first = _build(match, y, b, a, default_tz)
    dname = match.groupdict().get("dname")
    if dname is None:
        return first
    weekday = _vocab().days.get(dname.lower())
    second = _build(match, y, a, b, default_tz)

    def fits(v: dt.datetime | dt.date | None) -> bool:
        if v is None:
            return False
        as_day = v.date() if isinstance(v, dt.datetime) else v
        return as_day.weekday() == weekday

    if not fits(first) and fits(second):
        return second
    return first


def _value(index: int, match: re.Match[str], default_tz: dt.tzinfo | None) -> dt.datetime | dt.date | None:
    if index == 3:
        return _numeric_value(match, default_tz)
    if index == 0:
        return _build(match, int(match["y"]), int(match["m"]), int(match["d"]), default_tz)
    month = _vocab().months.get(match["mname"].lower())
    return _build(match, int(match["y"]), month or 0, int(match["d"]), default_tz) if month else None


def find_dates(text: str, default_tz: dt.tzinfo | None = None) -> list[ParsedDate]:
    """Every date mention in ``text`` in order of appearance (overlapping readings removed)."""
    found: list[ParsedDate] = []
    if not _YEAR.search(text):  # every pattern needs a four-digit year
        return found
    for index, pattern in enumerate(_patterns()):
        for match in pattern.finditer(text):
            value = _value(index, match, default_tz)
            if value is not None:
                found.append(ParsedDate(value, match.start(), match.end()))
    found.sort(key=lambda p: (p.start, -(p.end - p.start)))
    result: list[ParsedDate] = []
    for item in found:
        if result and item.start < result[-1].end:
            continue
        result.append(item)
    return result


def parse_date(
    text: str | None, default_tz: dt.tzinfo | None = None, *, fallback: bool = True
) -> ParsedDate | None:
    """The first date in ``text``; ``dateparser`` (day first) is tried when no direct pattern matches."""
    if not text or len(text) > 500:
        return None
    dates = find_dates(text, default_tz)
    if dates:
        return dates[0]
    return _dateparser(text, default_tz) if fallback else None


_EPOCH = re.compile(r"\s*(\d{10}|\d{13})\s*")  # Unix time in seconds or milliseconds
_ISO_START = re.compile(r"\s*\d{4}-\d\d-\d\d")  # ISO shape that the direct parser already refused


def _dateparser(text: str, default_tz: dt.tzinfo | None) -> ParsedDate | None:
    if not re.search(r"\d", text) or _ISO_START.match(text):
        return None
    epoch = _EPOCH.fullmatch(text)
    if epoch:
        digits = epoch.group(1)
        value = dt.datetime.fromtimestamp(int(digits) / (1000 if len(digits) == 13 else 1), dt.UTC)
        return ParsedDate(value, 0, len(text)) if 1900 <= value.year <= 2100 else None
    import dateparser  # slow to import and to warm up (about 0.5 s): only when needed

    settings = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    try:
        value = dateparser.parse(text, settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    if value is None or not 1900 <= value.year <= 2100:
        return None
    if value.tzinfo is None and default_tz is not None:
        value = value.replace(tzinfo=default_tz)
    return ParsedDate(value, 0, len(text))


def to_iso(text: str | None, default_tz: dt.tzinfo | None = None) -> str | None:
    """``parse_date(...).isoformat()`` or ``None``."""
    parsed = parse_date(text, default_tz)
    return parsed.isoformat() if parsed else None
