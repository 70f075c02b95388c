"""The date window of a backfill: calendar days, both ends inclusive, in the publisher's time zone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from warta.errors import ConfigError


def parse_day(text: str | None, name: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(str(text)[:10])
    except ValueError as exc:
        raise ConfigError(f"{name} must be a date like 2016-10-01, got {text!r}", field=name) from exc


def local_day(iso: str | None, tz: ZoneInfo | None) -> dt.date | None:
    """The calendar day of an ISO date or timestamp.

    A timestamp with an offset is converted to ``tz`` when given, else kept in its own offset
    (the page's own offset is the publisher's); a naive timestamp or a bare date is taken as is.
    """
    if not iso:
        return None
    text = iso.strip().replace("Z", "+00:00")
    try:
        stamp = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None
    if stamp.tzinfo is not None and tz is not None:
        stamp = stamp.astimezone(tz)
    return stamp.date()


@dataclass(frozen=True)
class Window:
    """``since``/``until`` as dates; ``None`` on either side means open."""

    since: dt.date | None = None
    until: dt.date | None = None

    @classmethod
    def parse(cls, since: str | None, until: str | None) -> Window:
        window = cls(parse_day(since, "since"), parse_day(until, "until"))
        if window.since and window.until and window.since > window.until:
            raise ConfigError("--since is after --until", field="since")
        return window

    @property
    def open(self) -> bool:
        return self.since is None and self.until is None

    def contains(self, day: dt.date) -> bool:
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)

    def excludes(self, iso: str | None, tz: ZoneInfo | None) -> bool:
        """True only when ``iso`` is a known date outside the window."""
        day = local_day(iso, tz)
        return day is not None and not self.contains(day)

    def before(self, iso: str | None, tz: ZoneInfo | None) -> bool:
        """True when ``iso`` is a known date before the window starts."""
        day = local_day(iso, tz)
        return day is not None and self.since is not None and day < self.since

    def days(self) -> list[dt.date]:
        if self.since is None or self.until is None:
            return []
        n = (self.until - self.since).days
        return [self.since + dt.timedelta(days=i) for i in range(n + 1)]
