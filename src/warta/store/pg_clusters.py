"""The PostgreSQL backend of :class:`warta.store.protocols.ClusterStore` (extra ``warta[postgres]``).

Lives in the article store's database and uses its pool and its per-thread transaction
(:class:`warta.store.postgres.PostgresArticleStore`), so a crawl stores an article and assigns its
cluster in one commit. Tables (migration 2 of :mod:`warta.store.postgres`):

- ``dedupe_docs``: one row per article (``ON DELETE CASCADE`` from ``articles``), the fingerprint
  arrays as ``bytea`` (uint32, as in SQLite), a partial index on the exact hash of non-empty texts
  and an index on the cluster id.
- ``dedupe_bands``: ``(band_key bigint, article_id)`` primary key (uint64 band keys stored as
  signed 64-bit integers), an index on the article id for deletes; written with one
  ``INSERT ... SELECT unnest(...) ON CONFLICT DO NOTHING`` per article.
- ``revisions`` (zlib-compressed text, unique per url key and version) and ``revisits``.

Concurrent writers (several crawl workers on one database) take a transaction-scoped advisory lock
before assigning (:meth:`PostgresClusterStore.lock_clusters`): each assignment sees every
fingerprint committed before it, as with SQLite's single writer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from warta.signatures import U64, Fingerprint
from warta.store.clusters import compress, decompress, signed, signed_one
from warta.store.postgres import PostgresArticleStore
from warta.store.protocols import ArticleContent, ClusterMember, DocRow, RevisionRecord

_LOCK_KEY = 0x77646470  # "wddp": serialises cluster assignment across processes
_PAGE = 500  # rows per keyset page when iterating a whole table
_MEMBER_COLUMNS = (
    "d.article_id, d.verdict, d.of_id, d.score, d.is_original, a.url, a.site, a.site_name, a.title, a.published,"
    " a.first_seen"
)
# the original first, then by date (ISO strings compared bytewise, whatever the database collation)
_MEMBER_ORDER = 'd.is_original DESC, a.published IS NULL, a.published COLLATE "C", d.article_id'
_DOC_COLUMNS = "article_id, exact_hash, ntokens, sig, sents, nums, verdict, of_id, score, cluster_id, is_original"


class PostgresClusterStore:
    """A :class:`~warta.store.protocols.ClusterStore` in a PostgreSQL article store's database."""

    backend = "postgresql"

    def __init__(self, store: PostgresArticleStore) -> None:
        self.store = store

    @contextmanager
    def transaction(self) -> Iterator[PostgresClusterStore]:
        with self.store.transaction():
            yield self

    def lock_clusters(self) -> None:
        with self.store.transaction():
            self._exec("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return self.store._rows(sql, params)

    def _exec(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self.store.transaction():
            self.store._conn().execute(sql.encode(), params)

    # -- fingerprints -----------------------------------------------------------------------
    def get_doc(self, article_id: int) -> DocRow | None:
        rows = self._rows(f"SELECT {_DOC_COLUMNS} FROM dedupe_docs WHERE article_id = %s", (article_id,))
        return _doc(rows[0]) if rows else None

    def get_docs(self, article_ids: Sequence[int]) -> list[DocRow]:
        if not article_ids:
            return []
        rows = self._rows(
            f"SELECT {_DOC_COLUMNS} FROM dedupe_docs WHERE article_id = ANY(%s::bigint[]) ORDER BY article_id",
            (list(article_ids),),
        )
        return [_doc(r) for r in rows]

    def exact_matches(self, exact: int, exclude: int) -> list[int]:
        rows = self._rows(
            "SELECT article_id FROM dedupe_docs WHERE exact_hash = %s AND article_id <> %s AND ntokens > 0"
            " ORDER BY article_id LIMIT 1",
            (signed_one(exact), exclude),
        )
        return [int(r[0]) for r in rows]

    def band_matches(self, keys: U64, exclude: int) -> list[int]:
        if not len(keys):
            return []
        rows = self._rows(
            "SELECT DISTINCT article_id FROM dedupe_bands WHERE band_key = ANY(%s::bigint[]) AND article_id <> %s"
            " ORDER BY article_id",
            (signed(keys), exclude),
        )
        return [int(r[0]) for r in rows]

    def match_candidates(self, exact: int, keys: U64, exclude: int) -> tuple[bool, list[DocRow]]:
        rows = self._rows(
            "WITH e AS (SELECT article_id FROM dedupe_docs WHERE exact_hash = %s AND article_id <> %s"
            " AND ntokens > 0 ORDER BY article_id LIMIT 1)"
            f" SELECT true, {_DOC_COLUMNS} FROM dedupe_docs WHERE article_id IN (SELECT article_id FROM e)"
            f" UNION ALL SELECT false, {_DOC_COLUMNS} FROM dedupe_docs WHERE NOT EXISTS (SELECT 1 FROM e)"
            " AND article_id IN (SELECT article_id FROM dedupe_bands WHERE band_key = ANY(%s::bigint[])"
            " AND article_id <> %s) ORDER BY 2",
            (signed_one(exact), exclude, signed(keys), exclude),
        )
        return (bool(rows[0][0]) if rows else False), [_doc(r[1:]) for r in rows]

    def put_doc(self, doc: DocRow, keys: U64) -> None:
        fp = doc.fp
        self._exec(
            f"WITH doc AS (INSERT INTO dedupe_docs({_DOC_COLUMNS}) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
            " ON CONFLICT (article_id) DO UPDATE SET exact_hash = EXCLUDED.exact_hash, ntokens = EXCLUDED.ntokens,"
            " sig = EXCLUDED.sig, sents = EXCLUDED.sents, nums = EXCLUDED.nums, verdict = EXCLUDED.verdict,"
            " of_id = EXCLUDED.of_id, score = EXCLUDED.score, cluster_id = EXCLUDED.cluster_id,"
            " is_original = EXCLUDED.is_original)"
            " INSERT INTO dedupe_bands(band_key, article_id) SELECT k, %s FROM unnest(%s::bigint[]) AS k"
            " ON CONFLICT DO NOTHING",
            (doc.article_id, signed_one(fp.exact), fp.ntokens, fp.sig.tobytes(), fp.sents.tobytes(),
             fp.nums.tobytes(), doc.verdict, doc.of_id, doc.score, doc.cluster_id, doc.is_original,
             doc.article_id, signed(keys)),
        )

    def delete_doc(self, article_id: int) -> None:
        with self.transaction():
            self._exec("DELETE FROM dedupe_bands WHERE article_id = %s", (article_id,))
            self._exec("DELETE FROM dedupe_docs WHERE article_id = %s", (article_id,))

    def iter_docs(self) -> Iterator[DocRow]:
        last = (-(1 << 63), -(1 << 63))
        while True:  # keyset pages: bounded memory, no long-lived cursor
            rows = self._rows(
                f"SELECT {_DOC_COLUMNS} FROM dedupe_docs WHERE (cluster_id, article_id) > (%s, %s)"
                " ORDER BY cluster_id, article_id LIMIT %s",
                (*last, _PAGE),
            )
            for row in rows:
                yield _doc(row)
            if len(rows) < _PAGE:
                return
            last = (int(rows[-1][9]), int(rows[-1][0]))

    def iter_band_keys(self) -> Iterator[tuple[int, int]]:
        last = (-(1 << 63), -(1 << 63))
        while True:
            rows = self._rows(
                "SELECT band_key, article_id FROM dedupe_bands WHERE (band_key, article_id) > (%s, %s)"
                " ORDER BY band_key, article_id LIMIT %s",
                (*last, _PAGE * 20),
            )
            for key, article_id in rows:
                yield int(article_id), int(key) & 0xFFFFFFFFFFFFFFFF
            if len(rows) < _PAGE * 20:
                return
            last = (int(rows[-1][0]), int(rows[-1][1]))

    def add_band_keys(self, pairs: Iterable[tuple[int, int]]) -> None:
        ids, keys = [], []
        for article_id, key in pairs:
            ids.append(article_id)
            keys.append(signed_one(key))
        if ids:
            self._exec(
                "INSERT INTO dedupe_bands(band_key, article_id) SELECT * FROM unnest(%s::bigint[], %s::bigint[])"
                " ON CONFLICT DO NOTHING",
                (keys, ids),
            )

    # -- clusters ---------------------------------------------------------------------------
    def merge_clusters(self, into: int, others: Iterable[int]) -> None:
        moved = [o for o in others if o != into]
        if moved:
            self._exec("UPDATE dedupe_docs SET cluster_id = %s WHERE cluster_id = ANY(%s::bigint[])", (into, moved))

    def cluster_members(self, cluster_id: int) -> list[ClusterMember]:
        rows = self._rows(
            f"SELECT {_MEMBER_COLUMNS} FROM dedupe_docs d JOIN articles a ON a.id = d.article_id"
            " WHERE d.cluster_id = %s ORDER BY d.article_id",
            (cluster_id,),
        )
        return [_member(r) for r in rows]

    def set_original(self, cluster_id: int, article_id: int) -> None:
        # only the rows whose flag changes are written (at most two), not the whole cluster
        self._exec(
            "UPDATE dedupe_docs SET is_original = (article_id = %s)"
            " WHERE cluster_id = %s AND is_original <> (article_id = %s)",
            (article_id, cluster_id, article_id),
        )

    def cluster_of(self, article_id: int) -> list[ClusterMember]:
        rows = self._rows(
            f"SELECT {_MEMBER_COLUMNS} FROM dedupe_docs d0 JOIN dedupe_docs d ON d.cluster_id = d0.cluster_id"
            f" JOIN articles a ON a.id = d.article_id WHERE d0.article_id = %s ORDER BY {_MEMBER_ORDER}",
            (article_id,),
        )
        return [_member(r) for r in rows]

    def copies_of(self, article_ids: Sequence[int]) -> dict[int, list[ClusterMember]]:
        if not article_ids:
            return {}
        rows = self._rows(
            f"SELECT d0.article_id, {_MEMBER_COLUMNS} FROM dedupe_docs d0"
            " JOIN dedupe_docs d ON d.cluster_id = d0.cluster_id JOIN articles a ON a.id = d.article_id"
            f" WHERE d0.article_id = ANY(%s::bigint[]) ORDER BY d0.article_id, {_MEMBER_ORDER}",
            (list(article_ids),),
        )
        out: dict[int, list[ClusterMember]] = {}
        for row in rows:
            out.setdefault(int(row[0]), []).append(_member(row[1:]))
        return {hit: members for hit, members in out.items() if len(members) > 1}

    def cluster_ids(self, article_ids: Sequence[int]) -> dict[int, int]:
        return {a: c for a, (c, _) in self.cluster_flags(article_ids).items()}

    def cluster_flags(self, article_ids: Sequence[int]) -> dict[int, tuple[int, bool]]:
        if not article_ids:
            return {}
        rows = self._rows(
            "SELECT article_id, cluster_id, is_original FROM dedupe_docs WHERE article_id = ANY(%s::bigint[])",
            (list(article_ids),),
        )
        return {int(r[0]): (int(r[1]), bool(r[2])) for r in rows}

    def has_copies(self) -> bool:
        return bool(self._rows("SELECT 1 FROM dedupe_docs GROUP BY cluster_id HAVING count(*) > 1 LIMIT 1"))

    def clusters_with(self, min_size: int, since: str | None = None) -> list[int]:
        sql = (
            "SELECT d.cluster_id FROM dedupe_docs d JOIN articles a ON a.id = d.article_id"
            " GROUP BY d.cluster_id HAVING count(*) >= %s"
        )
        params: list[Any] = [min_size]
        if since:
            sql += ' AND max(COALESCE(a.published, a.first_seen) COLLATE "C") >= %s'
            params.append(since)
        return [int(r[0]) for r in self._rows(sql + " ORDER BY d.cluster_id", params)]

    # -- revisions and revisits -------------------------------------------------------------
    def article_content(self, *, article_id: int | None = None, url_key: str | None = None) -> ArticleContent | None:
        column, value = ("id", article_id) if article_id is not None else ("url_key", url_key)
        rows = self._rows(
            "SELECT id, url_key, title, text, first_seen, updated_at,"
            f" EXISTS(SELECT 1 FROM revisions r WHERE r.url_key = a.url_key) FROM articles a WHERE {column} = %s",
            (value,),
        )
        if not rows:
            return None
        r = rows[0]
        return ArticleContent(int(r[0]), str(r[1]), r[2], str(r[3]), str(r[4]), str(r[5]), bool(r[6]))

    def find_url_key(self, url_or_key: str) -> str | None:
        rows = self._rows(
            "SELECT url_key FROM articles WHERE url_key = %s OR url = %s OR data->>'canonical_url' = %s LIMIT 1",
            (url_or_key, url_or_key, url_or_key),
        )
        return str(rows[0][0]) if rows else None

    def has_revisions(self, url_key: str) -> bool:
        return bool(self._rows("SELECT 1 FROM revisions WHERE url_key = %s LIMIT 1", (url_key,)))

    def latest_revision(self, url_key: str) -> RevisionRecord | None:
        rows = self._rows(
            f"SELECT {_REVISION_COLUMNS} FROM revisions WHERE url_key = %s ORDER BY version DESC LIMIT 1", (url_key,)
        )
        return _revision(rows[0]) if rows else None

    def revisions(self, url_key: str) -> list[RevisionRecord]:
        rows = self._rows(f"SELECT {_REVISION_COLUMNS} FROM revisions WHERE url_key = %s ORDER BY version", (url_key,))
        return [_revision(r) for r in rows]

    def iter_revisions(self) -> Iterator[RevisionRecord]:
        last_id = 0
        while True:
            rows = self._rows(
                f"SELECT {_REVISION_COLUMNS}, id FROM revisions WHERE id > %s ORDER BY id LIMIT %s", (last_id, _PAGE)
            )
            for row in rows:
                yield _revision(row)
            if len(rows) < _PAGE:
                return
            last_id = int(rows[-1][-1])

    def add_revision(self, rev: RevisionRecord) -> None:
        self._exec(
            "INSERT INTO revisions(url_key, version, fetched_at, text_hash, title, body, diff)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (rev.url_key, rev.version, rev.fetched_at, rev.text_hash, rev.title, compress(rev.text), rev.diff),
        )

    def mark_revisited(self, url_key: str, when: str) -> None:
        self._exec(
            "INSERT INTO revisits(url_key, last_visit) VALUES (%s, %s) ON CONFLICT (url_key) DO UPDATE"
            ' SET last_visit = GREATEST(revisits.last_visit COLLATE "C", EXCLUDED.last_visit COLLATE "C")',
            (url_key, when),
        )

    def iter_revisits(self) -> Iterator[tuple[str, str]]:
        for key, when in self._rows("SELECT url_key, last_visit FROM revisits ORDER BY url_key"):
            yield str(key), str(when)

    def due_for_revisit(self, schedule: Sequence[timedelta], now: datetime) -> list[str]:
        clauses: list[str] = []
        params: list[Any] = []
        for off in schedule:
            point = "a.first_seen::timestamptz + %s * interval '1 second'"
            clauses.append(
                f"({point} <= %s AND GREATEST(a.updated_at COLLATE \"C\","
                f" COALESCE(v.last_visit, a.updated_at) COLLATE \"C\")::timestamptz < {point})"
            )
            params += [off.total_seconds(), now.astimezone(UTC), off.total_seconds()]
        if not clauses:
            return []
        sql = (
            "SELECT COALESCE(a.url, a.url_key) FROM articles a LEFT JOIN revisits v ON v.url_key = a.url_key"
            f" WHERE {' OR '.join(clauses)} ORDER BY a.first_seen COLLATE \"C\", a.id"
        )
        return [str(r[0]) for r in self._rows(sql, params)]


_REVISION_COLUMNS = "url_key, version, fetched_at, title, body, diff, text_hash"


def _doc(r: Sequence[Any]) -> DocRow:
    fp = Fingerprint(
        exact=int(r[1]) & 0xFFFFFFFFFFFFFFFF,
        sig=np.frombuffer(r[3], dtype=np.uint32),
        sents=np.frombuffer(r[4], dtype=np.uint32),
        nums=np.frombuffer(r[5], dtype=np.uint32),
        ntokens=int(r[2]),
    )
    return DocRow(int(r[0]), fp, str(r[6]), None if r[7] is None else int(r[7]), float(r[8]), int(r[9]), bool(r[10]))


def _member(r: Sequence[Any]) -> ClusterMember:
    return ClusterMember(
        article_id=int(r[0]), verdict=str(r[1]), of_id=None if r[2] is None else int(r[2]), score=float(r[3]),
        is_original=bool(r[4]), url=r[5], site=r[6], site_name=r[7], title=r[8], published=r[9],
        first_seen=str(r[10]),
    )


def _revision(r: Sequence[Any]) -> RevisionRecord:
    return RevisionRecord(
        url_key=str(r[0]), version=int(r[1]), fetched_at=str(r[2]), title=r[3], text=decompress(bytes(r[4])),
        diff=str(r[5]), text_hash=int(r[6]),
    )
