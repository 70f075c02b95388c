"""Multi-page articles on a loopback site: a crawl stores each as one merged article (1, 2 and 5
pages; a loop back to page 1; a page answering 404; a single-page view), fetching every page once
and keeping the per-host delay; ``warta extract URL`` merges the same way."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from conftest import run_warta
from multipage_site import Story, site_pages, stories
from sitefixture import FixtureSite, Page, min_gap
from warta.config import Settings
from warta.extract.eval import prf  # body F1 with the benchmark scorer's rules
from warta.pipeline.reextract import reextract
from warta.pipeline.runner import Crawler, CrawlSpec
from warta.store.sqlite import Store

DELAY = 0.15


def expected_pages(story: Story, base: str) -> list[str]:
    if story.single_view:
        return [f"{base}{story.path}?page=all"]
    if story.pages == 1:
        return []
    return [base + story.page_path(n) for n in range(1, story.pages + 1) if n not in story.missing]


def test_crawl_merges_multi_page_articles_politely(tmp_path: Path) -> None:
    items = stories()
    with FixtureSite(site_pages(items)) as site:
        with Store(tmp_path / "m.db") as store:
            report = Crawler(store, Settings(delay=DELAY, workers=1, allow_private=True)).run(CrawlSpec((site.url + "/",)))
            stored = {sa.article.url: sa.article for sa in store.iter_articles()}
            captures = {cap.url for _, _, cap in store.iter_captures(latest_per_key=False)}
        log = list(site.log)
    by_url = {site.url + s.path: s for s in items}
    assert set(stored) == set(by_url), "one article per story, no page stored on its own"
    for url, story in by_url.items():
        article = stored[url]
        present = tuple(n for n in range(1, story.pages + 1) if n not in story.missing)
        truth = story.truth(fetched=present)
        assert [b.text for b in article.body] == truth, story.slug  # exact block equality
        assert prf("\n\n".join(truth), article.text)[2] == 1.0
        assert list(article.pages) == expected_pages(story, site.url), story.slug
        assert article.title == "Proyek " + story.slug.replace("-", " ").title()  # page 1's metadata
        assert article.authors == ("Ana Lima",) and article.published == "2024-05-01T09:30:00+07:00"
    missing = stored[site.url + items[4].path].provenance["pages_missing"]
    assert missing == f"{site.url}{items[4].page_path(4)} (HTTP 404)"
    assert stored[site.url + items[5].path].provenance["pages"] == "single-page-view:switch"
    # every page requested once (the loop back to page 1 and the page links on every page included)
    counts = Counter(h.path for h in log)
    assert [p for p, n in counts.items() if n > 1] == []
    fetched_pages = {h.path for h in log if h.path.startswith("/berita/")}
    assert f"{items[5].path}?page=2" not in fetched_pages  # the single-page view made pages 2-3 unneeded
    # politeness: one host, requests at least DELAY apart (the server logs arrival times)
    assert min_gap(log) >= DELAY * 0.95
    # the following pages' raw captures are kept
    assert f"{site.url}{items[2].page_path(5)}" in captures
    assert report.stored == len(items)


def test_reextraction_merges_the_stored_pages_again(tmp_path: Path) -> None:
    items = stories()
    with FixtureSite(site_pages(items)) as site:
        with Store(tmp_path / "r.db") as store:
            Crawler(store, Settings(delay=0.0, workers=1, allow_private=True)).run(CrawlSpec((site.url + "/",)))
            before = {sa.article.url: sa.article for sa in store.iter_articles()}
            hits = len(site.log)
            result = reextract(store, workers=1)
            after = {sa.article.url: sa.article for sa in store.iter_articles()}
        assert len(site.log) == hits  # re-extraction reads the stored captures, never the site
    assert result.updated == len(items)
    for url, article in before.items():
        assert after[url].body == article.body and after[url].pages == article.pages, url


def test_extract_url_merges_the_pages(tmp_path: Path) -> None:
    story = stories()[2]  # five pages, path form, rel=next and "Selanjutnya"
    with FixtureSite(site_pages([story])) as site:
        proc = run_warta("extract", site.url + story.path, cwd=tmp_path, WARTA_DELAY=str(DELAY))
        log = list(site.log)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [b["text"] for b in data["body"]] == story.truth()
    assert data["pages"] == [site.url + story.page_path(n) for n in range(1, 6)]
    page_hits = [h.path for h in log if h.path.startswith("/berita/")]
    assert sorted(page_hits) == sorted(story.page_path(n) for n in range(1, 6))
    assert min_gap([h for h in log if h.path.startswith("/berita/")]) >= DELAY * 0.95


def test_a_later_page_found_on_its_own_leads_to_page_one(tmp_path: Path) -> None:
    story = stories()[1]  # two pages, ?page=N; the front page links only to page 2
    pages = site_pages([story])
    pages["/"] = Page(f'<html><body><a href="{story.page_path(2)}">Proyek</a></body></html>'.encode())
    with FixtureSite(pages) as site:
        with Store(tmp_path / "l.db") as store:
            report = Crawler(store, Settings(delay=0.0, workers=1, allow_private=True)).run(CrawlSpec((site.url + "/",)))
            stored = [sa.article for sa in store.iter_articles()]
    assert [a.url for a in stored] == [site.url + story.path]
    assert [b.text for b in stored[0].body] == story.truth()
    assert {(o.kind, o.outcome): o.n for o in report.outcomes}[("article", "duplicate URL")] == 1


def test_a_page_robots_txt_disallows_is_not_fetched_and_is_recorded(tmp_path: Path) -> None:
    story = stories()[2]  # five pages linked by rel=next / "Selanjutnya" only
    pages = site_pages([story])
    robots = f"User-agent: *\nDisallow: {story.page_path(3)}\n".encode()
    pages["/robots.txt"] = Page(robots, headers=(("Content-Type", "text/plain"),))
    with FixtureSite(pages) as site:
        proc = run_warta("extract", site.url + story.path, cwd=tmp_path, WARTA_DELAY="0")
        requested = {h.path for h in site.log}
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert story.page_path(3) not in requested
    assert data["pages"] == [site.url + story.page_path(n) for n in (1, 2)]  # the chain stops at the gap
    assert [b["text"] for b in data["body"]] == story.truth(fetched=(1, 2))
    assert "robots.txt disallows" in data["provenance"]["pages_missing"]
