"""Re-run extraction over stored raw captures (after the extractor improves)."""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from dataclasses import dataclass

from tqdm import tqdm

from warta.errors import FetchError
from warta.extract.pagination import Pagination
from warta.model import Article, Capture, Skip
from warta.pipeline.extraction import ExtractPool
from warta.pipeline.pages import ExtractPaged, Fetch, whole_article
from warta.store.sqlite import Store


@dataclass(frozen=True)
class ReextractReport:
    updated: int
    skipped: dict[str, int]

    def to_dict(self) -> dict[str, object]:
        return {"updated": self.updated, "skipped": dict(self.skipped)}


def reextract(
    store: Store, *, workers: int = 0, timeout: float = 10.0, progress: bool = False
) -> ReextractReport:
    """Re-extract the newest capture of every stored article and update the article in place.

    Captures of pages that were not stored (out of range, not an article) are left alone, so
    re-extraction never widens a crawl's window.
    """
    return asyncio.run(_reextract(store, workers, timeout, progress))


async def _reextract(store: Store, workers: int, timeout: float, progress: bool) -> ReextractReport:
    skipped: Counter[str] = Counter()
    updated = 0
    total = store.count_articles()
    with (
        ExtractPool(workers, timeout) as pool,
        tqdm(total=total, desc="reextract", unit="doc", disable=not progress, file=sys.stderr) as bar,
    ):
        batch: list[tuple[int, str, bytes, str]] = []
        for capture_id, key, cap in store.iter_captures():
            if not store.has_article(key):
                continue
            batch.append((capture_id, key, cap.body, cap.final_url))
            if len(batch) >= 4 * pool.workers:
                updated += await _run_batch(store, pool, batch, skipped)
                bar.update(len(batch))
                batch = []
        updated += await _run_batch(store, pool, batch, skipped)
        bar.update(len(batch))
    return ReextractReport(updated, dict(skipped))


async def _run_batch(
    store: Store, pool: ExtractPool, batch: list[tuple[int, str, bytes, str]], skipped: Counter[str]
) -> int:
    results = await asyncio.gather(*(pool.extract_paged(body, url) for _, _, body, url in batch))
    n = 0
    for (capture_id, key, _, url), (result, _, pages) in zip(batch, results, strict=True):
        if isinstance(result, Skip):
            skipped[result.reason.value] += 1
            continue
        if pages:  # a multi-page article: merged again from its pages' stored captures (no fetch)
            result = await whole_article(result, pages, url, _stored(store), _paged(pool))
        store.upsert_article(key, result, capture_id)
        n += 1
    return n


def _stored(store: Store) -> Fetch:
    """A page "fetch" that reads the capture the crawl kept (re-extraction never goes online)."""
    async def fetch(url: str) -> Capture:
        cap = store.latest_capture(url)  # the crawl keeps a page's capture under its URL as linked
        if cap is None:
            raise FetchError("no stored capture of this page", url=url)
        return cap
    return fetch


def _paged(pool: ExtractPool) -> ExtractPaged:
    async def extract(body: bytes, url: str) -> tuple[Article | Skip, Pagination]:
        result, _, pages = await pool.extract_paged(body, url)
        return result, pages
    return extract
