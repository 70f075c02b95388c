"""Articles are committed in batches: an article whose store hook fails is recorded as an error
on its URL while the rest of its batch is stored, and a finished crawl leaves nothing pending."""

from __future__ import annotations

from pathlib import Path

from sitefixture import FixtureSite, news_site_pages, sample_articles
from warta.config import Settings
from warta.model import Article
from warta.pipeline.hooks import on_stored
from warta.pipeline.runner import Crawler, CrawlSpec
from warta.store.sqlite import Store


def test_a_failing_article_fails_alone_in_its_batch(tmp_path: Path) -> None:
    arts = sample_articles()
    bad = arts[3]

    def hook(store: Store, article_id: int, article: Article) -> None:
        on_stored(store, article_id, article)  # the dedupe writes happen, then are undone
        if article.url and article.url.endswith(bad.path):
            raise ValueError("hook tripped on this article")

    with FixtureSite() as site:
        site.mount(news_site_pages(site.url, arts))
        with Store(tmp_path / "b.db") as store:
            report = Crawler(store, Settings(delay=0.0, workers=1, allow_private=True), on_stored=hook).run(
                CrawlSpec((site.url + "/",))
            )
            stored = {s.article.url for s in store.iter_articles()}
            docs = store.conn.execute("SELECT COUNT(*) FROM dedupe_docs").fetchone()[0]
            row = store.conn.execute(
                "SELECT state, outcome, detail FROM frontier WHERE url=?", (site.url + bad.path,)
            ).fetchone()
    assert stored == {site.url + a.path for a in arts if a is not bad}
    assert report.stored == len(arts) - 1 and docs == len(arts) - 1
    assert tuple(row) == ("done", "error:ValueError", "hook tripped on this article")
    outcomes = {(o.kind, o.outcome): o.n for o in report.outcomes}
    assert outcomes[("article", "stored")] == len(arts) - 1
