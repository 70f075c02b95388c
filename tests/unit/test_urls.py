from __future__ import annotations

import datetime as dt

import pytest

from warta.sites import parse_recipe
from warta.urls import date_from_url, normalize_url, registered_domain, same_site, url_key


@pytest.mark.parametrize(
    ("url", "key"),
    [
        (
            "HTTP://WWW.Bisnis.com:80/read/20161005/9/589/slug/?utm_source=x&b=2&a=1#frag",
            "https://bisnis.com/read/20161005/9/589/slug?a=1&b=2",
        ),
        ("https://m.detik.com/news/d-123/judul?single=1", "https://detik.com/news/d-123/judul"),
        (
            "https://amp.kompas.com/nasional/read/2024/03/27/06161181/kasus/amp?page=all",
            "https://kompas.com/nasional/read/2024/03/27/06161181/kasus",
        ),
        ("https://nasional.kompas.com/read/2024/03/27/1/x?page=all", "https://nasional.kompas.com/read/2024/03/27/1/x"),
        ("https://example.com/a/b.amp.html", "https://example.com/a/b.html"),
        ("https://example.com/amp/a/b", "https://example.com/a/b"),
        ("https://example.com/a?amp=1&fbclid=abc&gclid=x&id=7", "https://example.com/a?id=7"),
        ("https://example.com:443/a/./b/../c/", "https://example.com/a/c"),
        ("http://127.0.0.1:8000/x?page=2", "https://127.0.0.1:8000/x?page=2"),
        ("https://www.example.com", "https://example.com/"),
        ("https://example.com/%7Euser/a%20b", "https://example.com/~user/a%20b"),
    ],
)
def test_url_key_examples(url: str, key: str) -> None:
    assert url_key(url) == key
    assert url_key(key) == key


def test_url_key_keeps_listing_page_numbers_and_meaningful_params() -> None:
    assert url_key("https://example.com/indeks?page=2") != url_key("https://example.com/indeks?page=3")
    assert url_key("https://example.com/read?id=1") != url_key("https://example.com/read?id=2")


def test_url_key_does_not_strip_below_registered_domain() -> None:
    assert url_key("https://m.co.id/a") == "https://m.co.id/a"
    assert url_key("https://www.co.uk/a").startswith("https://www.co.uk/")


def test_recipe_full_page_switch_is_understood() -> None:
    recipe = parse_recipe({"id": "s", "name": "S", "domains": ["sindonews.com"], "full_page_switch": "showall=1"})
    assert url_key("https://sindonews.com/read/1/a?showall=1", recipe) == "https://sindonews.com/read/1/a"
    path_switch = parse_recipe({"id": "i", "name": "I", "domains": ["inews.id"], "full_page_switch": "/all"})
    assert url_key("https://inews.id/news/123/judul/all", path_switch) == "https://inews.id/news/123/judul"


def test_url_key_of_non_http_input_is_stable() -> None:
    assert url_key("mailto:a@b.c") == "mailto:a@b.c"


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("/read/1/a", "https://www.example.com/x/", "https://www.example.com/read/1/a"),
        ("b#frag", "https://example.com/a/", "https://example.com/a/b"),
        ("//cdn.example.com/x", "https://example.com/", "https://cdn.example.com/x"),
        ("javascript:void(0)", "https://example.com/", None),
        ("mailto:x@example.com", None, None),
        ("tel:123", None, None),
        ("#top", "https://example.com/", None),
        ("", "https://example.com/", None),
        ("ftp://example.com/a", None, None),
        ("http://", None, None),
        ("http://[::1", None, None),
        ("  HTTP://Example.COM:80/A b\n", None, "http://example.com/A%20b"),
        ("https://example.com:8443/a", None, "https://example.com:8443/a"),
    ],
)
def test_normalize_url(url: str, base: str | None, expected: str | None) -> None:
    assert normalize_url(url, base) == expected


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("news.detik.com", "detik.com"),
        ("https://jateng.tribunnews.com/2024/12/10/x", "tribunnews.com"),
        ("www.republika.co.id", "republika.co.id"),
        ("http://127.0.0.1:8000/a", "127.0.0.1"),
        ("localhost", "localhost"),
        ("", ""),
    ],
)
def test_registered_domain(host: str, domain: str) -> None:
    assert registered_domain(host) == domain


def test_same_site() -> None:
    assert same_site("https://news.detik.com/a", "https://finance.detik.com/b")
    assert not same_site("https://detik.com/", "https://kompas.com/")


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://nasional.kompas.com/read/2024/03/27/06161181/kasus", dt.date(2024, 3, 27)),
        ("https://bisnis.com/read/20161005/9/589/slug", dt.date(2016, 10, 5)),
        ("https://www.cnnindonesia.com/tv/20230501141610-400-943931/video", dt.date(2023, 5, 1)),
        ("http://inet.detik.com/read/2015/11/05/100026/3062623/323/google", dt.date(2015, 11, 5)),
        ("https://example.com/2016-10-05/slug", dt.date(2016, 10, 5)),
        ("https://example.com/2016/13/45/slug", None),
        ("https://example.com/2016/02/30/slug", None),
        ("https://www.antaranews.com/berita/527615/29-penerbangan", None),
        ("https://2016.example.com/20161005", dt.date(2016, 10, 5)),
        ("https://example.com/id/123456789012", None),
    ],
)
def test_date_from_url(url: str, day: dt.date | None) -> None:
    assert date_from_url(url) == day
