"""The store-backed API in one place, and ``on_stored``: what the crawl calls after each stored article.

Every function takes an article store of either backend (SQLite file or PostgreSQL), the SQLite
``Store``, or a :class:`~warta.store.protocols.ClusterStore`; none writes SQL.
"""

from __future__ import annotations

from warta.dedupe.revisions import (
    due_for_revisit,
    history,
    mark_revisited,
    parse_schedule,
    record_revision,
)
from warta.dedupe.verdicts import assign, cluster_info, dedupe_stored, get_cluster, list_clusters, verdict_of
from warta.model import Article, Verdict
from warta.store.backends import StoreLike, open_cluster_store

__all__ = [
    "assign", "cluster_info", "get_cluster", "list_clusters", "verdict_of", "record_revision",
    "history", "mark_revisited", "due_for_revisit", "parse_schedule", "on_stored", "dedupe_stored",
]


def on_stored(store: StoreLike, article_id: int, article: Article) -> Verdict:
    """Assign a verdict/cluster and keep a revision when the content under this URL key changed.

    A new article is its own version 1 (nothing to write); when an upsert replaced different
    content, the store kept the old content as version 1 and this records the new one.
    """
    cs = open_cluster_store(store)
    stored = cs.article_content(article_id=article_id)
    if stored is not None and stored.has_revisions:
        record_revision(cs, stored.url_key, article, stored.updated_at)
    return assign(cs, article_id, article)
