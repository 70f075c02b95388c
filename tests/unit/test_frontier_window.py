"""The date window and the discovery glue that decides what is never fetched."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from warta.errors import ConfigError
from warta.pipeline import discovery as disc
from warta.pipeline.window import Window, local_day
from warta.store.frontier import Outcome

JKT = ZoneInfo("Asia/Jakarta")


def test_local_day_keeps_own_offset_or_converts_to_the_publisher_zone() -> None:
    assert local_day("2016-10-07T23:30:00+07:00", None) == dt.date(2016, 10, 7)
    assert local_day("2016-10-07T20:00:00Z", JKT) == dt.date(2016, 10, 8)  # 03:00 WIB next day
    assert local_day("2016-10-07", JKT) == dt.date(2016, 10, 7)
    assert local_day("not a date", None) is None
    assert local_day(None, None) is None


def test_window_is_inclusive_and_validated() -> None:
    w = Window.parse("2016-10-01", "2016-10-07")
    assert w.contains(dt.date(2016, 10, 1)) and w.contains(dt.date(2016, 10, 7))
    assert not w.contains(dt.date(2016, 9, 30)) and not w.contains(dt.date(2016, 10, 8))
    assert w.excludes("2016-10-08T00:10:00+07:00", None)
    assert not w.excludes(None, None)  # unknown is never excluded before fetching
    assert len(w.days()) == 7
    with pytest.raises(ConfigError):
        Window.parse("2016-10-07", "2016-10-01")
    with pytest.raises(ConfigError):
        Window.parse("yesterday", None)


SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.example.co.id/a/in-window</loc><news:news><news:publication_date>2016-10-03T10:00:00+07:00</news:publication_date></news:news></url>
<url><loc>https://news.example.co.id/a/too-old</loc><news:news><news:publication_date>2016-09-20T10:00:00+07:00</news:publication_date></news:news></url>
<url><loc>https://other.example.com/a/off-site</loc><news:news><news:publication_date>2016-10-03T10:00:00+07:00</news:publication_date></news:news></url>
</urlset>"""


def test_sitemap_dates_outside_the_window_are_decided_before_fetching() -> None:
    scope = disc.Scope(("https://news.example.co.id/",), Window.parse("2016-10-01", "2016-10-07"), {})
    pending = {
        p.candidate.url: p for p in disc.from_sitemap(scope, SITEMAP, "https://news.example.co.id/s.xml")
    }
    assert set(pending) == {"https://news.example.co.id/a/in-window", "https://news.example.co.id/a/too-old"}
    assert pending["https://news.example.co.id/a/in-window"].outcome is None
    assert pending["https://news.example.co.id/a/too-old"].outcome == Outcome.OUT_OF_RANGE.value
    assert all(p.candidate.found_by == "news-sitemap" for p in pending.values())


def test_seeds_include_robots_and_the_seed_page() -> None:
    scope = disc.Scope(("http://127.0.0.1:8123/news/",), Window(), {})
    kinds = {(p.kind, p.candidate.url) for p in disc.seeds(scope)}
    assert ("robots", "http://127.0.0.1:8123/robots.txt") in kinds
    assert ("listing", "http://127.0.0.1:8123/news/") in kinds


def test_scope_reads_hosts_like_the_rest_of_warta() -> None:
    scope = disc.Scope(("https://News.Example.co.id./",), Window(), {})
    assert scope.in_scope("https://news.example.co.id/a")  # case and the root's trailing dot
    assert scope.in_scope("https://www.example.co.id./b")  # same registered domain
    assert not scope.in_scope("https://example.com/c")
    assert not scope.in_scope("http://[::1/broken")  # malformed: out of scope, not a crash
