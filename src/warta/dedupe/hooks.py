"""The store-backed API in one place, and ``on_stored``: what the crawl calls after each stored article."""

from __future__ import annotations

from warta.dedupe.revisions import due_for_revisit, history, mark_revisited, parse_schedule, record_revision
from warta.dedupe.verdicts import assign, cluster_info, get_cluster, list_clusters, verdict_of
from warta.model import Article, Verdict
from warta.store.sqlite import Store

__all__ = [
    "assign", "cluster_info", "get_cluster", "list_clusters", "verdict_of", "record_revision",
    "history", "mark_revisited", "due_for_revisit", "parse_schedule", "on_stored",
]


def on_stored(store: Store, article_id: int, article: Article) -> Verdict:
    """Assign a verdict/cluster and keep a revision when the content under this URL key changed."""
    stored = store.get_article(article_id)
    if stored is not None:
        record_revision(store, stored.url_key, article, stored.updated_at)
    return assign(store, article_id, article)
