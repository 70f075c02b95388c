"""A site with no robots.txt, no sitemap and no feed still works: front page, pagination and
dated index pages; duplicate links (tracking parameters, AMP variants) are one article, fetched without tracking
parameters."""

from __future__ import annotations

from pathlib import Path

from sitefixture import FixtureSite, Page, sample_articles
from warta.config import Settings
from warta.pipeline.runner import Crawler, CrawlSpec
from warta.store.sqlite import Store

SINCE, UNTIL = "2016-02-14", "2016-02-23"


def test_plain_site_through_front_page_and_dated_indexes(tmp_path: Path) -> None:
    arts = sample_articles()
    inside = [a for a in arts if SINCE <= a.day <= UNTIL]
    days = sorted({a.day for a in arts})
    index = {
        f"/indeks/{d}": Page(
            (
                "<html><body><ul>"
                + "".join(f'<li><a href="{a.path}">{a.title}</a></li>' for a in arts if a.day == d)
                + "</ul></body></html>"
            ).encode()
        )
        for d in days
    }
    first = inside[0].path
    home = (
        "<html><body>"
        + "".join(f'<a href="/indeks/{d}">Indeks {d}</a> ' for d in days)
        + f'<a href="{first}?utm_source=home">top story</a><a href="{first}?amp=1">amp</a>'
        + "</body></html>"
    )
    with FixtureSite({"/": Page(home.encode()), **index, **{a.path: Page(a.html) for a in arts}}) as site:
        with Store(tmp_path / "p.db") as store:
            report = Crawler(store, Settings(delay=0.0, workers=1, allow_private=True)).run(
                CrawlSpec((site.url + "/",), SINCE, UNTIL)
            )
            stored = {sa.article.url for sa in store.iter_articles()}
        log = list(site.log)
    fetched = {h.path for h in log}
    assert stored == {site.url + a.path for a in inside}
    outcomes = {(o.kind, o.outcome): o.n for o in report.outcomes}
    assert outcomes[("article", "stored")] == len(inside)
    assert ("article", "duplicate URL") not in outcomes  # variants were cleaned before queueing
    assert ("feed", "duplicate URL") in outcomes  # /feed and /feed/ probes share a key
    article_hits = [h.path for h in log if h.path.split("?")[0] in {a.path for a in arts}]
    assert len(article_hits) == len(set(article_hits)) and not [p for p in article_hits if "?" in p]
    # dated index pages outside the window were never requested
    assert not {f"/indeks/{d}" for d in days if not SINCE <= d <= UNTIL} & fetched
