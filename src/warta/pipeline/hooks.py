"""Extension points of the pipeline."""

from __future__ import annotations

from warta.dedupe.hooks import on_stored as dedupe_on_stored
from warta.model import Article
from warta.store.backends import StoreLike


def on_stored(store: StoreLike, article_id: int, article: Article) -> None:
    """Called once after each article is stored by a crawl.

    The deduplication stage hooks in here: exact and near-copy verdicts, clusters and originals,
    and a revision (with a diff) when a stored URL came back with changed content.
    """
    dedupe_on_stored(store, article_id, article)
