"""Publication dates keep the page's own UTC offset when one source states the moment in UTC only."""

from __future__ import annotations

from warta.extract import extract
from warta.model import Article

BODY = "<article><h1>Storm hits the coast</h1>" + "<p>The storm reached the coast late in the evening, officials said.</p>" * 6


def page(head: str) -> str:
    return f"<html><head><title>Storm hits the coast</title>{head}</head><body>{BODY}</article></body></html>"


def test_a_utc_json_ld_date_takes_the_local_offset_of_a_meta_twin() -> None:
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2017-02-24T01:18:13Z"}</script>'
    meta = '<meta property="article:published_time" content="2017-02-23T17:18:13-08:00">'
    art = extract(page(ld + meta), url="https://x.test/storm")
    assert isinstance(art, Article)
    assert art.to_dict()["published"].startswith("2017-02-23T17:18:13-08:00")  # the publisher's own day


def test_a_utc_date_without_a_local_twin_stays_as_stated() -> None:
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2017-02-24T01:18:13Z"}</script>'
    meta = '<meta property="article:published_time" content="2017-02-20T09:00:00-08:00">'  # another moment
    art = extract(page(ld + meta), url="https://x.test/storm")
    assert isinstance(art, Article) and art.to_dict()["published"].startswith("2017-02-24T01:18:13")
