"""``warta db copy``: move a collection between backends (SQLite <-> PostgreSQL) without loss.

Copied: every article (the whole record, provenance included, its url key, ``first_seen`` and
``updated_at``) and every raw capture (all of them, not only the newest per key), with each
article's link to its capture. Article and capture ids are assigned by the destination. Then the
dedupe stage's tables (:class:`~warta.store.protocols.ClusterStore`): fingerprints with their
verdicts, clusters and originals, LSH band keys, revisions and revisits, with article ids (and
cluster ids, which are article ids) mapped to the destination's.

Also copied, through :class:`warta.store.protocols.FrontierStore`: the crawl jobs and runs, the
frontier (every URL's state and outcome, its capture and article links mapped to the destination's
ids), duplicate-URL aliases, conditional-request validators and source health. Job, run and
frontier ids are kept, so a crawl resumed on the destination continues the same job.

Also copied, through :class:`warta.store.protocols.ClusterStore`: the dedupe stage's fingerprints
(verdicts, clusters and originals, ids mapped), LSH band keys, revisions and revisits. A fingerprint
whose article is gone from the source (a store changed by hand) is not copied; the report counts
those (``warta dedupe`` gives such articles a verdict).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from warta.errors import StoreError
from warta.store.backends import open_cluster_store
from warta.store.frontier import TABLE_COLUMNS
from warta.store.protocols import ArticleStore, ClusterStore, DocRow, FrontierStore

BATCH = 500  # rows per destination transaction
_COPIED = {"articles", "captures", "dedupe_docs", "dedupe_bands", "revisions", "revisits", *TABLE_COLUMNS}


@dataclass(frozen=True, slots=True)
class CopyReport:
    source: str
    destination: str
    articles: int
    captures: int
    frontier: dict[str, int] = field(default_factory=dict)  # frontier table -> rows copied
    not_copied: dict[str, int] = field(default_factory=dict)  # table -> rows left in the source
    fingerprints: int = 0  # dedupe rows (verdict, cluster, original) copied
    revisions: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "destination": self.destination, "articles": self.articles,
                "captures": self.captures, "frontier": self.frontier, "fingerprints": self.fingerprints,
                "revisions": self.revisions, "not_copied": self.not_copied}


def copy_store(src: ArticleStore, dst: ArticleStore, *, progress: Callable[[int], None] | None = None) -> CopyReport:
    """Copy every capture and article of ``src`` into the empty store ``dst``; returns what was copied.

    Refuses a destination that already holds articles or captures (a copy never mixes two
    collections); a failure part-way leaves the rows of finished batches in ``dst``.
    """
    from warta.store.backends import open_frontier

    src_frontier, dst_frontier = open_frontier(src), open_frontier(dst)
    if dst.count_articles() or dst.count_captures() or dst_frontier.jobs() or dst_frontier.source_rows():
        raise StoreError("the destination already holds articles, captures or crawl jobs: copy into an empty store",
                         path=dst.location)
    capture_ids: dict[int, int] = {}
    batch: list[Any] = []

    def flush_captures() -> None:
        with dst.transaction() as tx:
            for item in batch:
                capture_ids[item.id] = tx.add_capture(item.url_key, item.capture)
        batch.clear()

    for item in src.iter_captures():
        batch.append(item)
        if len(batch) >= BATCH:
            flush_captures()
    flush_captures()

    articles = 0
    article_ids: dict[int, int] = {}

    def flush_articles() -> None:
        nonlocal articles
        with dst.transaction() as tx:
            for record in batch:
                cid = None if record.capture_id is None else capture_ids.get(int(record.capture_id))
                article_ids[record.id] = tx.import_article(record, cid)
        articles += len(batch)
        batch.clear()
        if progress is not None:
            progress(articles)

    for record in src.iter_articles():
        batch.append(record)
        if len(batch) >= BATCH:
            flush_articles()
    flush_articles()
    if dst.count_articles() != src.count_articles() or dst.count_captures() != src.count_captures():
        raise StoreError("copy incomplete: counts differ after copying", path=dst.location)
    copied = copy_frontier(src_frontier, dst_frontier, capture_ids, article_ids)
    left = _left_behind(src)
    fingerprints, orphans = _copy_docs(open_cluster_store(src), open_cluster_store(dst), article_ids)
    if orphans:
        left["dedupe_docs without their article"] = orphans
    revisions = _copy_revisions(open_cluster_store(src), open_cluster_store(dst))
    return CopyReport(src.location, dst.location, articles, len(capture_ids), copied, left, fingerprints, revisions)


def copy_frontier(
    src: FrontierStore, dst: FrontierStore, capture_ids: dict[int, int], article_ids: dict[int, int]
) -> dict[str, int]:
    """Every frontier table of ``src`` into the empty frontier ``dst``, parents first; a URL's
    capture and article links are mapped to the ids the destination gave them. Returns rows per table."""
    copied: dict[str, int] = {}
    for table in TABLE_COLUMNS:
        rows: list[dict[str, Any]] = []
        n = 0
        for row in src.export_rows(table):
            if table == "frontier":
                row["capture_id"] = None if row["capture_id"] is None else capture_ids.get(int(row["capture_id"]))
                row["article_id"] = None if row["article_id"] is None else article_ids.get(int(row["article_id"]))
            rows.append(row)
            if len(rows) >= BATCH:
                dst.import_rows(table, rows)
                n += len(rows)
                rows.clear()
        if rows:
            dst.import_rows(table, rows)
            n += len(rows)
        copied[table] = n
    return copied


def _copy_docs(src: ClusterStore, dst: ClusterStore, ids: dict[int, int]) -> tuple[int, int]:
    """Fingerprints (by cluster, so each cluster's new id is known before its members) and band
    keys, with article and cluster ids mapped; returns (copied, skipped without their article)."""
    copied = orphans = 0
    docs: list[DocRow] = []
    cluster: tuple[int, int] = (0, 0)  # (source cluster id, destination cluster id)
    no_keys = np.empty(0, dtype=np.uint64)

    def flush() -> None:
        with dst.transaction() as tx:
            for doc in docs:
                tx.put_doc(doc, no_keys)
        docs.clear()

    for doc in src.iter_docs():
        new_id = ids.get(doc.article_id)
        if new_id is None:
            orphans += 1
            continue
        if cluster[0] != doc.cluster_id:  # named by its first article, or its first member still stored
            cluster = (doc.cluster_id, ids.get(doc.cluster_id, new_id))
        of = None if doc.of_id is None else ids.get(doc.of_id)
        docs.append(replace(doc, article_id=new_id, cluster_id=cluster[1], of_id=of))
        copied += 1
        if len(docs) >= BATCH:
            flush()
    flush()
    pairs: list[tuple[int, int]] = []
    for article_id, key in src.iter_band_keys():
        if article_id in ids:
            pairs.append((ids[article_id], key))
        if len(pairs) >= BATCH * 20:
            dst.add_band_keys(pairs)
            pairs.clear()
    dst.add_band_keys(pairs)
    return copied, orphans


def _copy_revisions(src: ClusterStore, dst: ClusterStore) -> int:
    """Revisions and revisits (keyed by url key: nothing to map)."""
    copied = 0
    with dst.transaction() as tx:
        for rev in src.iter_revisions():
            tx.add_revision(rev)
            copied += 1
        for key, when in src.iter_revisits():
            tx.mark_revisited(key, when)
    return copied


def _left_behind(src: ArticleStore) -> dict[str, int]:
    conn = getattr(getattr(src, "store", None), "conn", None)  # only the SQLite backend has such tables
    if not isinstance(conn, sqlite3.Connection):
        return {}
    tables = [str(r[0]) for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND name NOT LIKE 'articles_fts%' ORDER BY name")]
    out: dict[str, int] = {}
    for table in tables:
        if table not in _COPIED:
            n = int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
            if n:
                out[table] = n
    return out
