"""A site whose only way in is a front page linking one article: the crawl follows article links
(read by the extraction worker from the same parse as the article) up to the link depth."""

from __future__ import annotations

from pathlib import Path

from sitefixture import FixtureSite, Page, sample_articles
from warta.config import Settings
from warta.pipeline.runner import Crawler, CrawlSpec
from warta.store.sqlite import Store


def _linking(html: bytes, href: str) -> bytes:
    at = html.lower().rfind(b"</body>")
    link = f'<p><a href="{href}">Baca juga</a></p>'.encode()
    return html[:at] + link + html[at:] if at >= 0 else html + link


def test_links_are_followed_from_article_pages_up_to_the_depth(tmp_path: Path) -> None:
    first, second, third = sample_articles()[:3]
    pages = {
        "/": Page(f'<html><body><a href="{first.path}">{first.title}</a></body></html>'.encode()),
        first.path: Page(_linking(first.html, second.path)),  # depth 0 -> links to depth 1
        second.path: Page(_linking(second.html, third.path)),  # depth 1 -> not followed (max depth 1)
        third.path: Page(third.html),
    }
    with FixtureSite(pages) as site:
        with Store(tmp_path / "l.db") as store:
            report = Crawler(store, Settings(delay=0.0, workers=1, allow_private=True)).run(CrawlSpec((site.url + "/",)))
            stored = {sa.article.url for sa in store.iter_articles()}
            found_by = dict(store.conn.execute("SELECT url, found_by FROM frontier WHERE kind='article'").fetchall())
        fetched = [h.path for h in site.log]
    assert stored == {site.url + first.path, site.url + second.path}
    assert found_by[site.url + second.path] == "link"
    assert third.path not in fetched  # beyond the link depth
    assert fetched.count(first.path) == 1 and fetched.count(second.path) == 1
    assert report.stored == 2
