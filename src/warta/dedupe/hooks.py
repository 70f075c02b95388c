"""The store-backed API in one place, and ``on_stored``: what the crawl calls after each stored article."""

from __future__ import annotations

from warta.dedupe.revisions import (
    due_for_revisit,
    has_versions,
    history,
    mark_revisited,
    parse_schedule,
    record_revision,
)
from warta.dedupe.verdicts import assign, cluster_info, get_cluster, list_clusters, verdict_of
from warta.model import Article, Verdict
from warta.store.sqlite import Store

__all__ = [
    "assign", "cluster_info", "get_cluster", "list_clusters", "verdict_of", "record_revision",
    "history", "mark_revisited", "due_for_revisit", "parse_schedule", "on_stored",
]


def on_stored(store: Store, article_id: int, article: Article) -> Verdict:
    """Assign a verdict/cluster and keep a revision when the content under this URL key changed.

    A new article is its own version 1 (nothing to write); when an upsert replaced different
    content, the store kept the old content as version 1 and this records the new one.
    """
    row = store.conn.execute("SELECT url_key, updated_at FROM articles WHERE id=?", (article_id,)).fetchone()
    if row is not None and has_versions(store, str(row[0])):
        record_revision(store, str(row[0]), article, str(row[1]))
    return assign(store, article_id, article)
