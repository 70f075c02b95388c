"""Extension points of the pipeline."""

from __future__ import annotations

from warta.model import Article
from warta.store.sqlite import Store


def on_stored(store: Store, article_id: int, article: Article) -> None:
    """Called once after each article is stored by a crawl. No-op by default.

    The deduplication stage (``warta.dedupe``) hooks in here: exact and near-copy detection,
    clusters and revision history.
    """
    return None
