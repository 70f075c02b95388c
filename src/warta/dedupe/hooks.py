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
    # only the key and the time are needed: the article itself is the one just stored
    row = store.conn.execute("SELECT url_key, updated_at FROM articles WHERE id=?", (article_id,)).fetchone()
    if row is not None:
        record_revision(store, str(row[0]), article, str(row[1]))
    return assign(store, article_id, article)
