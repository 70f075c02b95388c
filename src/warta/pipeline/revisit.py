"""Re-fetch stored articles on a schedule and keep their revisions (``warta watch --revisit 1h,1d,7d``).

Each due article is fetched again politely (robots.txt, per-host delay) with a conditional request built
from its stored capture (``If-None-Match`` / ``If-Modified-Since``). A 304, or a page whose title and
body did not change, only moves the schedule on; changed content is extracted, stored as the article's
current content, and kept as a new revision with a readable diff (``warta history URL``).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from warta.config import Settings
from warta.dedupe.revisions import due_for_revisit, mark_revisited, record_revision
from warta.errors import FetchError
from warta.fetch import Fetcher, FetchPolicy, Validators
from warta.model import Article
from warta.pipeline.extraction import ExtractPool
from warta.store.protocols import SearchIndex
from warta.store.sqlite import StoredArticle
from warta.urls import registered_domain


@dataclass
class RevisitReport:
    checked: int = 0
    not_modified: int = 0
    unchanged: int = 0
    changed: list[str] = field(default_factory=list)  # URLs with a new revision
    errors: dict[str, str] = field(default_factory=dict)  # URL -> reason

    def to_dict(self) -> dict[str, object]:
        return {
            "checked": self.checked,
            "not_modified": self.not_modified,
            "unchanged": self.unchanged,
            "changed": list(self.changed),
            "errors": dict(self.errors),
        }


def _validators(store: SearchIndex, stored: StoredArticle) -> Validators:
    capture = store.get_capture(stored.capture_id) if stored.capture_id else None
    if capture is None or capture.status != 200:
        return Validators()
    return Validators(capture.header("etag"), capture.header("last-modified"))


def due_articles(
    store: SearchIndex, schedule: list[timedelta], sites: tuple[str, ...] = (), now: datetime | None = None
) -> list[StoredArticle]:
    """Stored articles of ``sites`` (registered domains; all when empty) due for a revisit."""
    domains = {registered_domain(s) for s in sites}
    found: list[StoredArticle] = []
    for url in due_for_revisit(store, schedule, now):
        stored = store.get_article_by_url(url)
        if stored is not None and (not domains or registered_domain(url) in domains):
            found.append(stored)
    return found


async def _revisit_one(
    store: SearchIndex, fetcher: Fetcher, pool: ExtractPool, stored: StoredArticle, report: RevisitReport
) -> None:
    url = stored.article.url or stored.url_key
    report.checked += 1
    try:
        site = registered_domain(url)  # a redirect off the article's site is not followed
        capture = await fetcher.fetch(url, _validators(store, stored), lambda u: registered_domain(u) == site)
    except FetchError as exc:
        report.errors[url] = str(exc)
        return
    if capture.status == 304:
        report.not_modified += 1
        mark_revisited(store, stored.url_key, capture.fetched_at)
        return
    result = await pool.extract(capture.body, capture.final_url)
    if not isinstance(result, Article):
        report.errors[url] = str(result)
        mark_revisited(store, stored.url_key, capture.fetched_at)
        return
    with store.transaction():  # the new version, its capture and the article: one commit
        revision = record_revision(store, stored.url_key, result, capture.fetched_at)
        if revision is not None:
            capture_id = store.add_capture(stored.url_key, capture)
            store.upsert_article(stored.url_key, result, capture_id)
    if revision is None:
        report.unchanged += 1
        return
    report.changed.append(url)


async def arevisit(store: SearchIndex, settings: Settings, articles: list[StoredArticle]) -> RevisitReport:
    report = RevisitReport()
    if not articles:
        return report
    with ExtractPool(settings.workers, settings.doc_timeout) as pool:
        async with Fetcher(FetchPolicy.from_settings(settings)) as fetcher:
            await asyncio.gather(*(_revisit_one(store, fetcher, pool, a, report) for a in articles))
    return report


def revisit(
    store: SearchIndex,
    settings: Settings,
    schedule: list[timedelta],
    sites: tuple[str, ...] = (),
    now: datetime | None = None,
) -> RevisitReport:
    """Re-fetch every stored article of ``sites`` that ``schedule`` says is due; keep changed versions."""
    return asyncio.run(arevisit(store, settings, due_articles(store, schedule, sites, now)))
