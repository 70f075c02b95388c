from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from warta.discover.dates import date_of, iso_date, local_day, outside_window

WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2016-10-05", "2016-10-05"),
        ("2016-10-05T10:00:00+07:00", "2016-10-05T10:00:00+07:00"),
        ("2016-10-05T03:00:00Z", "2016-10-05T03:00:00+00:00"),
        ("2016-10-05 10:00", "2016-10-05T10:00:00"),
        ("Thu, 05 Nov 2015 14:56:43 +0700", "2015-11-05T14:56:43+07:00"),
        ("Thu, 05 Nov 15 12:58:01 +0700", "2015-11-05T12:58:01+07:00"),
        ("Thu, 05 Nov 2015 03:12:42 GMT", "2015-11-05T03:12:42+00:00"),
        ("2016-13-45", None),
        ("kemarin", None),
        ("", None),
        (None, None),
    ],
)
def test_iso_date(text: str | None, iso: str | None) -> None:
    assert iso_date(text) == iso


def test_local_day_uses_the_publisher_zone() -> None:
    assert local_day("2016-09-30T20:00:00+00:00", WIB) == dt.date(2016, 10, 1)
    assert local_day("2016-10-01T23:30:00+07:00", WIB) == dt.date(2016, 10, 1)
    assert local_day("2016-10-01T23:30:00", WIB) == dt.date(2016, 10, 1)
    assert local_day("2016-10-01", WIB) == dt.date(2016, 10, 1)
    assert local_day("garbage-value", WIB) is None
    assert date_of("2016-10-01T23:30:00+07:00") == dt.date(2016, 10, 1)


@pytest.mark.parametrize(
    ("published", "lastmod", "outside"),
    [
        ("2016-10-03T12:00:00+07:00", None, False),
        ("2016-09-30T20:00:00Z", None, False),  # 03:00 WIB on 1 October: inside
        ("2016-09-30T16:59:59Z", None, True),  # 23:59 WIB on 30 September: outside
        ("2016-10-08", None, True),
        (None, "2016-09-15", True),  # modified before the window: published before it
        (None, "2016-11-20", False),  # modified after: may still be published inside
        (None, None, False),
        ("2016-10-02", "2016-09-01", False),  # a publication date wins over lastmod
    ],
)
def test_outside_window(published: str | None, lastmod: str | None, outside: bool) -> None:
    since, until = dt.date(2016, 10, 1), dt.date(2016, 10, 7)
    assert outside_window(since, until, WIB, published, lastmod) is outside
