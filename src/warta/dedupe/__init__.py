"""Deduplication: exact and near-duplicate clusters, originals and revisions.

Library entry points::

    cluster(items) -> dict[str, str]                   # (id, body) pairs -> cluster ids
    assign(store, article_id, article) -> Verdict      # verdict for a stored article
    cluster_info(store, article_ids) -> {id: (cluster_id, is_original)}
    list_clusters(store, since=None)                   # clusters with their members
    record_revision(store, url_key, article) -> Revision | None
    due_for_revisit(store, schedule, now) -> list[str]
    on_stored(store, article_id, article)              # what the crawl calls after each store
"""

from __future__ import annotations

from warta.dedupe.batch import cluster

__all__ = ["cluster"]
