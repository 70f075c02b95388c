"""Verdicts for stored articles, clusters in the store, and the original of each cluster.

Storage goes through :class:`warta.store.protocols.ClusterStore` (SQLite or PostgreSQL): this
module decides, the store keeps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from warta.dedupe.fingerprint import DEFAULT, Params, band_keys, compare, fingerprint
from warta.dedupe.normalize import normalise_article
from warta.model import Article, Verdict, VerdictKind
from warta.signatures import Fingerprint
from warta.store.backends import StoreLike, open_cluster_store
from warta.store.clusters import cluster_view
from warta.store.protocols import ArticleStore, ClusterMember, ClusterStore, DocRow, StoredArticle

_FAR_FUTURE = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Member:
    article_id: int
    url: str | None
    site: str | None
    title: str | None
    published: str | None
    verdict: str
    of_id: int | None
    score: float
    is_original: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "article_id": self.article_id, "url": self.url, "site": self.site, "title": self.title,
            "published": self.published, "verdict": self.verdict, "of": self.of_id,
            "score": round(self.score, 4), "is_original": self.is_original,
        }


@dataclass(frozen=True, slots=True)
class ClusterSummary:
    cluster_id: str
    original_id: int
    members: tuple[Member, ...]

    @property
    def size(self) -> int:
        return len(self.members)

    def to_dict(self) -> dict[str, object]:
        return {
            "cluster_id": self.cluster_id, "size": self.size, "original": self.original_id,
            "members": [m.to_dict() for m in self.members],
        }


def _when(value: str | None) -> datetime:
    if not value:
        return _FAR_FUTURE
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return _FAR_FUTURE
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _refresh_original(cs: ClusterStore, cluster_id: int) -> None:
    members = cs.cluster_members(cluster_id)
    if members:
        first = min(members, key=lambda m: (_when(m.published), m.first_seen, m.article_id))
        cs.set_original(cluster_id, first.article_id)


def _best_match(
    cs: ClusterStore, article_id: int, fp: Fingerprint, params: Params
) -> tuple[list[DocRow], list[float]]:
    if fp.empty:
        return [], []
    exact, cands = cs.match_candidates(fp.exact, band_keys(fp.sig, params).ravel(), article_id)
    if exact:
        return cands, [1.0] * len(cands)
    scored = [(d, compare(fp, d.fp, params)) for d in cands]
    hits = [(d, s) for d, s in scored if s is not None]
    hits.sort(key=lambda h: (-h[1], h[0].article_id))
    return [d for d, _ in hits], [s for _, s in hits]


def assign(store: StoreLike, article_id: int, article: Article, params: Params = DEFAULT) -> Verdict:
    """Give the stored article ``article_id`` a verdict and a cluster; persists both.

    Re-assigning an article whose normalised text did not change returns its stored verdict.
    """
    fp = fingerprint(normalise_article(article), params)
    with open_cluster_store(store).transaction() as cs:
        cs.lock_clusters()
        old = cs.get_doc(article_id)
        if old is not None and old.fp.exact == fp.exact and old.fp.ntokens == fp.ntokens:
            _refresh_original(cs, old.cluster_id)
            return _verdict(old)
        if old is not None:
            cs.delete_doc(article_id)
            _refresh_original(cs, old.cluster_id)
        matches, scores = _best_match(cs, article_id, fp, params)
        if matches:
            target = min(d.cluster_id for d in matches)
            cs.merge_clusters(target, {d.cluster_id for d in matches})
            kind = VerdictKind.EXACT if scores[0] == 1.0 and matches[0].fp.exact == fp.exact else VerdictKind.NEAR
            doc = DocRow(article_id, fp, kind.value, matches[0].article_id, scores[0], target, False)
        else:  # first assignment, no match: a cluster of its own, whose original it is
            doc = DocRow(article_id, fp, VerdictKind.NEW.value, None, 1.0, article_id, old is None)
        keys = band_keys(fp.sig, params).ravel() if not fp.empty else np.empty(0, dtype=np.uint64)
        cs.put_doc(doc, keys)
        if not doc.is_original:  # (a re-assigned article may rejoin members of its old cluster)
            _refresh_original(cs, doc.cluster_id)
        return _verdict(doc)


def _verdict(doc: DocRow) -> Verdict:
    return Verdict(
        kind=VerdictKind(doc.verdict),
        of=None if doc.of_id is None else str(doc.of_id),
        score=doc.score,
        cluster_id=str(doc.cluster_id),
    )


def verdict_of(store: StoreLike, article_id: int) -> Verdict | None:
    doc = open_cluster_store(store).get_doc(article_id)
    return _verdict(doc) if doc else None


def cluster_info(store: StoreLike, article_ids: list[int]) -> dict[int, tuple[str, bool]]:
    """``{article_id: (cluster_id, is_original)}`` for exports; unassigned articles are their own cluster."""
    return cluster_view(article_ids, open_cluster_store(store).cluster_flags(article_ids))


def _member(m: ClusterMember) -> Member:
    return Member(m.article_id, m.url, m.site, m.title, m.published, m.verdict, m.of_id, m.score, m.is_original)


def get_cluster(store: StoreLike, cluster_id: int | str) -> ClusterSummary | None:
    found = open_cluster_store(store).cluster_members(int(cluster_id))
    if not found:
        return None
    members = tuple(_member(m) for m in found)
    original = next((m.article_id for m in members if m.is_original), members[0].article_id)
    return ClusterSummary(str(cluster_id), original, members)


def list_clusters(store: StoreLike, since: str | None = None, min_size: int = 2) -> list[ClusterSummary]:
    """Clusters with at least ``min_size`` members; ``since`` keeps clusters with a member
    published (or, without a date, first seen) on or after that ISO date."""
    cs = open_cluster_store(store)
    return [c for c in (get_cluster(cs, i) for i in cs.clusters_with(min_size, since)) if c is not None]


@dataclass(frozen=True, slots=True)
class DedupeReport:
    """What :func:`dedupe_stored` did: verdicts given per kind, and articles that already had one."""

    articles: int
    assigned: dict[str, int]
    already: int

    def to_dict(self) -> dict[str, object]:
        return {"articles": self.articles, "assigned": self.assigned, "already": self.already}


def dedupe_stored(
    store: ArticleStore, *, batch: int = 500, progress: Callable[[int], None] | None = None
) -> DedupeReport:
    """Give every stored article without a verdict its verdict and cluster, in id order (what a
    crawl does in ``on_stored``, for articles that came another way: ``warta db copy``, a batch
    job, an older warta). Commits every ``batch`` articles, so an interrupted run resumes."""
    cs = open_cluster_store(store)
    counts: dict[str, int] = {k.value: 0 for k in VerdictKind}
    seen = already = 0
    pending: list[StoredArticle] = []

    def flush() -> None:
        nonlocal already
        done = cs.cluster_flags([s.id for s in pending])
        with store.transaction():
            for stored in pending:
                if stored.id in done:
                    already += 1
                else:
                    counts[assign(cs, stored.id, stored.article).kind.value] += 1
        pending.clear()
        if progress is not None:
            progress(seen)

    for stored in store.iter_articles():
        pending.append(stored)
        seen += 1
        if len(pending) >= batch:
            flush()
    flush()
    return DedupeReport(seen, counts, already)
