"""Verdicts for stored articles, clusters in the store, and the original of each cluster."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from warta.dedupe.fingerprint import DEFAULT, Fingerprint, Params, band_keys, compare, fingerprint
from warta.dedupe.normalize import normalise_article
from warta.model import Article, Verdict, VerdictKind
from warta.store import clusters as db
from warta.store.sqlite import Store

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


def _refresh_original(conn: sqlite3.Connection, cluster_id: int) -> None:
    rows = db.cluster_members(conn, cluster_id)
    if rows:
        first = min(rows, key=lambda r: (_when(r["published"]), str(r["first_seen"]), int(r["article_id"])))
        db.set_original(conn, cluster_id, int(first["article_id"]))


def _best_match(
    conn: sqlite3.Connection, article_id: int, fp: Fingerprint, params: Params
) -> tuple[list[db.DocRow], list[float]]:
    exact = db.exact_matches(conn, fp.exact, article_id) if not fp.empty else []
    if exact:
        docs = db.get_docs(conn, exact)
        return docs, [1.0] * len(docs)
    if fp.empty:
        return [], []
    cands = db.get_docs(conn, db.band_matches(conn, band_keys(fp.sig, params).ravel(), article_id))
    scored = [(d, compare(fp, d.fp, params)) for d in cands]
    hits = [(d, s) for d, s in scored if s is not None]
    hits.sort(key=lambda h: (-h[1], h[0].article_id))
    return [d for d, _ in hits], [s for _, s in hits]


def assign(store: Store, article_id: int, article: Article, params: Params = DEFAULT) -> Verdict:
    """Give the stored article ``article_id`` a verdict and a cluster; persists both.

    Re-assigning an article whose normalised text did not change returns its stored verdict.
    """
    fp = fingerprint(normalise_article(article), params)
    with store.transaction() as conn:
        old = db.get_doc(conn, article_id)
        if old is not None and old.fp.exact == fp.exact and old.fp.ntokens == fp.ntokens:
            _refresh_original(conn, old.cluster_id)
            return _verdict(old)
        if old is not None:
            db.delete_doc(conn, article_id)
            _refresh_original(conn, old.cluster_id)
        matches, scores = _best_match(conn, article_id, fp, params)
        if matches:
            target = min(d.cluster_id for d in matches)
            db.merge_clusters(conn, target, {d.cluster_id for d in matches})
            kind = VerdictKind.EXACT if scores[0] == 1.0 and matches[0].fp.exact == fp.exact else VerdictKind.NEAR
            doc = db.DocRow(article_id, fp, kind.value, matches[0].article_id, scores[0], target, False)
        else:  # first assignment, no match: a cluster of its own, whose original it is
            doc = db.DocRow(article_id, fp, VerdictKind.NEW.value, None, 1.0, article_id, old is None)
        keys = band_keys(fp.sig, params).ravel() if not fp.empty else np.empty(0, dtype=np.uint64)
        db.put_doc(conn, doc, keys)
        if not doc.is_original:  # (a re-assigned article may rejoin members of its old cluster)
            _refresh_original(conn, doc.cluster_id)
        return _verdict(doc)


def _verdict(doc: db.DocRow) -> Verdict:
    return Verdict(
        kind=VerdictKind(doc.verdict),
        of=None if doc.of_id is None else str(doc.of_id),
        score=doc.score,
        cluster_id=str(doc.cluster_id),
    )


def verdict_of(store: Store, article_id: int) -> Verdict | None:
    doc = db.get_doc(store.conn, article_id)
    return _verdict(doc) if doc else None


def cluster_info(store: Store, article_ids: list[int]) -> dict[int, tuple[str, bool]]:
    """``{article_id: (cluster_id, is_original)}`` for exports; unassigned articles are their own cluster."""
    out = {a: (str(a), True) for a in article_ids}
    for start in range(0, len(article_ids), 500):
        chunk = article_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = store.conn.execute(
            f"SELECT article_id, cluster_id, is_original FROM dedupe_docs WHERE article_id IN ({marks})",
            chunk,
        )
        for r in rows:
            out[int(r[0])] = (str(r[1]), bool(r[2]))
    return out


def _member(r: sqlite3.Row) -> Member:
    return Member(
        int(r["article_id"]), r["url"], r["site"], r["title"], r["published"], str(r["verdict"]),
        None if r["of_id"] is None else int(r["of_id"]), float(r["score"]), bool(r["is_original"]),
    )


def get_cluster(store: Store, cluster_id: int | str) -> ClusterSummary | None:
    rows = db.cluster_members(store.conn, int(cluster_id))
    if not rows:
        return None
    members = tuple(_member(r) for r in rows)
    original = next((m.article_id for m in members if m.is_original), members[0].article_id)
    return ClusterSummary(str(cluster_id), original, members)


def list_clusters(store: Store, since: str | None = None, min_size: int = 2) -> list[ClusterSummary]:
    """Clusters with at least ``min_size`` members; ``since`` keeps clusters with a member
    published (or, without a date, first seen) on or after that ISO date."""
    sql = (
        "SELECT d.cluster_id FROM dedupe_docs d JOIN articles a ON a.id=d.article_id"
        " GROUP BY d.cluster_id HAVING COUNT(*)>=?"
    )
    params: list[object] = [min_size]
    if since:
        sql += " AND MAX(COALESCE(a.published, a.first_seen))>=?"
        params.append(since)
    ids = [int(r[0]) for r in store.conn.execute(sql + " ORDER BY d.cluster_id", params)]
    return [c for c in (get_cluster(store, i) for i in ids) if c is not None]
