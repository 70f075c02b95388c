from __future__ import annotations

import datetime as dt

import pytest

from warta.dates import find_dates, parse_date, to_iso

WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rabu (5/10/2016)", "2016-10-05"),
        ("Senin (10/3/2016)", "2016-10-03"),  # day name fits only the month-first reading
        ("Rabu, 05 Oktober 2016 14:30 WIB", "2016-10-05T14:30:00+07:00"),
        ("Kamis, 05/11/2015 14:56 WIB", "2015-11-05T14:56:00+07:00"),
        ("Jumat, 13 Mei 2016 pukul 08.00 WITA", "2016-05-13T08:00:00+08:00"),
        ("2016-10-05T14:30:00Z", "2016-10-05T14:30:00+00:00"),
        ("2016-10-05T14:30:00+0700", "2016-10-05T14:30:00+07:00"),
        ("October 5, 2016 2:30 PM EDT", "2016-10-05T14:30:00-04:00"),
        ("Wednesday, Oct. 5, 2016", "2016-10-05"),
        ("5 Okt 2016 | 14.30 WIB", "2016-10-05T14:30:00+07:00"),
        ("12 Agustus 2020 jam 23:59 WIT", "2020-08-12T23:59:00+09:00"),
    ],
)
def test_common_shapes(text: str, expected: str) -> None:
    assert to_iso(text) == expected


def test_default_zone_applies_to_times_without_zone() -> None:
    assert to_iso("Selasa 6/12/2016 | 10:00", WIB) == "2016-12-06T10:00:00+07:00"


def test_impossible_dates_are_rejected() -> None:
    assert parse_date("31/02/2016", fallback=False) is None
    assert parse_date("no date here") is None
    assert parse_date("") is None


def test_find_dates_in_running_text() -> None:
    text = "Bisnis.com, MOSKOW - Kerry membicarakan, Rabu (5/10/2016), hanya dua hari setelah 3 Oktober 2016."
    found = [d.isoformat() for d in find_dates(text)]
    assert found == ["2016-10-05", "2016-10-03"]


def test_fallback_parser_reads_day_first() -> None:
    parsed = parse_date("3. Februar 2024")
    assert parsed is not None and parsed.day == dt.date(2024, 2, 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kompas.com - 27/03/2024, 06:16 WIB", "2024-03-27T06:16:00+07:00"),
        ("Kompas.com - 03/12/2020,07.19 WIB", "2020-12-03T07:19:00+07:00"),
        ("Kamis, 5 November 2015 - 15:56 wib", "2015-11-05T15:56:00+07:00"),
        ("Rabu 25 Oct 2017 14:49 WIB", "2017-10-25T14:49:00+07:00"),
        ("Selasa, 16 Februari 2016 | 14:38 WIB", "2016-02-16T14:38:00+07:00"),
        ("Jum'at, 14 November 2025 | 15:20", "2025-11-14T15:20:00"),
        ("2022/12/10 20:55:32", "2022-12-10T20:55:32"),
    ],
)
def test_portal_date_shapes(text: str, expected: str) -> None:
    assert to_iso(text) == expected


def test_names_start_a_word_or_a_glued_capital() -> None:
    # a text dump glues inline elements: the capital after a lower-case letter still starts a name
    glued = find_dates("Associated PressApril 28, 2023 GMT")
    assert [d.day for d in glued] == [dt.date(2023, 4, 28)]
    # a day name inside another word is no day name: the match starts at the date itself
    inside = find_dates("Sanktionen beschlossen. 18.04.2024 | 0:21 min")
    assert [(d.day, d.start) for d in inside] == [(dt.date(2024, 4, 18), 24)]


def test_text_without_a_four_digit_year_has_no_date() -> None:
    assert find_dates("Rabu 5/10 pukul 14.30 WIB") == []
