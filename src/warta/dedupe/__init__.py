"""Deduplication: exact and near-duplicate clusters, originals and revisions.

Library entry points::

    cluster(items) -> dict[str, str]                   # (id, body) pairs -> cluster ids
    assign(store, article_id, article) -> Verdict      # verdict for a stored article
    cluster_info(store, article_ids) -> {id: (cluster_id, is_original)}
    list_clusters(store, since=None)                   # clusters with their members
    record_revision(store, url_key, article) -> Revision | None
    history(store, url) -> list[Revision]
    due_for_revisit(store, schedule, now) -> list[str]
    on_stored(store, article_id, article)              # what the crawl calls after each store
    dedupe_stored(store) -> DedupeReport               # verdicts for stored articles without one

``store`` is an article store of either backend (SQLite file or PostgreSQL URL, see
:func:`warta.store.backends.open_article_store`) or the SQLite ``Store``.
"""

from __future__ import annotations

from warta.dedupe.batch import cluster
from warta.dedupe.hooks import (
    assign,
    cluster_info,
    dedupe_stored,
    due_for_revisit,
    get_cluster,
    history,
    list_clusters,
    mark_revisited,
    on_stored,
    parse_schedule,
    record_revision,
    verdict_of,
)

__all__ = [
    "cluster",
    "assign",
    "cluster_info",
    "get_cluster",
    "list_clusters",
    "verdict_of",
    "record_revision",
    "history",
    "mark_revisited",
    "due_for_revisit",
    "parse_schedule",
    "on_stored",
    "dedupe_stored",
]
