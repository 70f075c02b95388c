"""Re-run extraction over stored raw captures (after the extractor improves).

``warta reextract`` re-extracts every stored article each time it runs; it is the code of
``warta batch --captures`` (:func:`warta.batch.captures.reextract_store`) on local worker processes,
without the shard table that lets a batch rerun skip finished shards.
"""

from __future__ import annotations

from dataclasses import dataclass

from warta.batch.captures import reextract_store
from warta.execute.local import LocalExecutor
from warta.store.backends import as_article_store
from warta.store.protocols import ArticleStore
from warta.store.sqlite import Store


@dataclass(frozen=True)
class ReextractReport:
    updated: int
    skipped: dict[str, int]

    def to_dict(self) -> dict[str, object]:
        return {"updated": self.updated, "skipped": dict(self.skipped)}


def reextract(
    store: Store | ArticleStore, *, workers: int = 0, timeout: float = 10.0, progress: bool = False
) -> ReextractReport:
    """Re-extract the newest capture of every stored article and update the article in place.

    Captures of pages that were not stored (out of range, not an article) are left alone, so
    re-extraction never widens a crawl's window. A capture whose extraction fails keeps its
    article as stored.
    """
    articles = as_article_store(store)
    with LocalExecutor(workers) as executor:
        report = reextract_store(articles, executor, timeout=timeout or None, progress=progress)
    return ReextractReport(report.updated, dict(report.skips))
