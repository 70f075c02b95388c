"""The storage seam: what the pipeline, CLI and web layer need from an article store.

Taken from today's call sites of the SQLite :class:`warta.store.sqlite.Store` (``upsert_article``,
``get_article``, ``get_article_by_key``, ``has_article``, ``iter_articles``, ``count_articles``,
``add_capture``, ``get_capture``, ``iter_captures``, ``transaction()``) and of
:func:`warta.store.search.search`. Two backends implement it:

- :class:`warta.store.sqlite_backend.SqliteArticleStore` (the default; wraps ``Store``, one file)
- :class:`warta.store.postgres.PostgresArticleStore` (``warta[postgres]``; a ``postgresql://`` URL)

:func:`warta.store.backends.open_article_store` picks one from ``--db`` / ``WARTA_DB``.

Differences from the SQLite ``Store`` API, on purpose:

- :meth:`ArticleStore.transaction` yields the store itself, never a driver connection: a caller
  writes through the protocol, so it cannot write SQL for one backend only.
- :meth:`ArticleStore.iter_articles` takes typed filters, not a SQL ``WHERE`` text.
- :meth:`ArticleStore.import_article` writes a stored record as it is (its timestamps and its
  capture link): what ``warta db copy`` needs to move a collection without loss.

:class:`ClusterStore` (at the end) holds the dedupe stage's tables: fingerprints and LSH band keys,
clusters and their originals, revisions and revisits. :func:`warta.store.backends.open_cluster_store`
gives the one that shares an article store's database (and its transactions).

Not behind the seam yet (the remaining debt, see ``docs/scaling.md``): the crawl frontier and job
runs (``store/frontier.py``), source health (``store/health.py``), facets and collapsed search, and
the job lock. Those still take a SQLite ``Store`` or its ``conn``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from warta.dedupe.minhash import U64
from warta.model import Article, Capture
from warta.store.clusters import DocRow
from warta.store.search import SearchFilters, SearchPage, Sort
from warta.store.sqlite import StoredArticle

__all__ = [
    "ArticleFilter", "ArticleStore", "StoredArticle", "StoredCapture",
    "ArticleContent", "ClusterMember", "ClusterStore", "DocRow", "RevisionRecord",
]


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which stored articles :meth:`ArticleStore.iter_articles` yields (``None``: any)."""

    site: str | None = None  # registered domain
    since: str | None = None  # YYYY-MM-DD, inclusive, on the publisher's local day
    until: str | None = None
    after_id: int | None = None  # only ids above this one (resumable walks)


@dataclass(frozen=True, slots=True)
class StoredCapture:
    """A kept raw capture with its store id and url key."""

    id: int
    url_key: str
    capture: Capture


@runtime_checkable
class ArticleStore(Protocol):
    """Articles keyed by URL key, their raw captures, and full-text search over them."""

    @property
    def location(self) -> str:
        """Where the store lives, for messages (a path, or a URL without its password)."""
        ...

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> ArticleStore: ...

    def __exit__(self, *exc: object) -> None: ...

    def transaction(self) -> AbstractContextManager[ArticleStore]:
        """One atomic unit of writes, yielding the store; re-entrant (an inner one joins the outer)."""
        ...

    # -- captures ---------------------------------------------------------------------------
    def add_capture(self, key: str, capture: Capture) -> int: ...

    def get_capture(self, capture_id: int) -> Capture | None: ...

    def iter_captures(self) -> Iterator[StoredCapture]:
        """Every kept capture, oldest first."""
        ...

    def count_captures(self) -> int: ...

    # -- articles ---------------------------------------------------------------------------
    def upsert_article(self, key: str, article: Article, capture_id: int | None = None) -> tuple[int, bool]:
        """Insert or replace the article stored under ``key``; returns (id, inserted)."""
        ...

    def import_article(self, record: StoredArticle, capture_id: int | None) -> int:
        """Store a record exactly as given (first_seen, updated_at kept) under its url key; returns its id."""
        ...

    def get_article(self, article_id: int) -> StoredArticle | None: ...

    def get_article_by_key(self, key: str) -> StoredArticle | None: ...

    def has_article(self, key: str) -> bool: ...

    def iter_articles(self, where: ArticleFilter | None = None) -> Iterator[StoredArticle]:
        """Matching articles in id order."""
        ...

    def count_articles(self) -> int: ...

    def delete_article(self, key: str) -> bool:
        """Remove the article stored under ``key`` (and its search entry); False when there was none."""
        ...

    def site_counts(self) -> list[dict[str, Any]]:
        """Articles per site with the first and last publication day, most articles first."""
        ...

    # -- search -----------------------------------------------------------------------------
    def search(
        self,
        q: str = "",
        filters: SearchFilters | None = None,
        *,
        sort: Sort = "relevance",
        offset: int = 0,
        limit: int = 20,
    ) -> SearchPage:
        """One page of matches for a user query (syntax of :mod:`warta.store.fts_query`)."""
        ...


# -- clusters and revisions (the dedupe stage's tables) ----------------------------------------------


@dataclass(frozen=True, slots=True)
class ClusterMember:
    """A member of a cluster: its dedupe row joined with the article's display fields."""

    article_id: int
    verdict: str
    of_id: int | None
    score: float
    is_original: bool
    url: str | None
    site: str | None
    site_name: str | None
    title: str | None
    published: str | None
    first_seen: str


@dataclass(frozen=True, slots=True)
class RevisionRecord:
    """One kept version of the content under a URL key (the store compresses ``text``)."""

    url_key: str
    version: int
    fetched_at: str
    title: str | None
    text: str
    diff: str  # unified diff against the previous version ('' for the first)
    text_hash: int  # signed 64-bit hash of the normalised content


@dataclass(frozen=True, slots=True)
class ArticleContent:
    """What the dedupe stage reads of a stored article (without parsing its whole record)."""

    id: int
    url_key: str
    title: str | None
    text: str
    first_seen: str
    updated_at: str
    has_revisions: bool  # versions were kept under url_key (else the article row is version 1)


@runtime_checkable
class ClusterStore(Protocol):
    """Fingerprints with their LSH band keys, clusters of copies, revisions and revisits.

    Shares its article store's database: :meth:`transaction` joins an open article-store
    transaction (a crawl stores an article and assigns its cluster in one commit). Article and
    cluster ids are article ids; band keys are uint64 (stored as signed 64-bit integers).
    """

    @property
    def backend(self) -> str: ...

    def transaction(self) -> AbstractContextManager[ClusterStore]:
        """One atomic unit of writes, yielding this store; joins an open one."""
        ...

    def lock_clusters(self) -> None:
        """Serialise cluster assignment until the open transaction ends (concurrent writers on a
        shared database then see each other's fingerprints); a no-op where writes are serial."""
        ...

    # -- fingerprints -----------------------------------------------------------------------
    def get_doc(self, article_id: int) -> DocRow | None: ...

    def get_docs(self, article_ids: Sequence[int]) -> list[DocRow]:
        """The dedupe rows of ``article_ids`` that exist, in article id order."""
        ...

    def exact_matches(self, exact: int, exclude: int) -> list[int]:
        """The earliest other non-empty article with this exact hash (at most one id)."""
        ...

    def band_matches(self, keys: U64, exclude: int) -> list[int]:
        """Other articles sharing a band key, in id order."""
        ...

    def match_candidates(self, exact: int, keys: U64, exclude: int) -> tuple[bool, list[DocRow]]:
        """What a new fingerprint is compared with, in one read: ``(True, [doc])`` with the earliest
        other non-empty article of exact hash ``exact`` when there is one, else ``(False, docs)`` of
        the other articles sharing a band key in ``keys``, in id order."""
        ...

    def put_doc(self, doc: DocRow, keys: U64) -> None:
        """Insert or replace ``doc`` and add its band keys."""
        ...

    def delete_doc(self, article_id: int) -> None:
        """Remove an article's dedupe row and band keys."""
        ...

    def iter_docs(self) -> Iterator[DocRow]:
        """Every dedupe row, by cluster id then article id (for copying a store)."""
        ...

    def iter_band_keys(self) -> Iterator[tuple[int, int]]:
        """Every (article id, uint64 band key) pair (for copying a store)."""
        ...

    def add_band_keys(self, pairs: Iterable[tuple[int, int]]) -> None:
        """Add (article id, uint64 band key) pairs; existing pairs are kept."""
        ...

    # -- clusters ---------------------------------------------------------------------------
    def merge_clusters(self, into: int, others: Iterable[int]) -> None:
        """Move every member of the ``others`` clusters into cluster ``into``."""
        ...

    def cluster_members(self, cluster_id: int) -> list[ClusterMember]:
        """The members of a cluster in article id order (empty when there is no such cluster)."""
        ...

    def set_original(self, cluster_id: int, article_id: int) -> None:
        """Make ``article_id`` the only original of its cluster."""
        ...

    def cluster_of(self, article_id: int) -> list[ClusterMember]:
        """Every member of the article's cluster (itself included): the original first, then by
        publication date (undated last), then id. Empty when the article has no dedupe row."""
        ...

    def copies_of(self, article_ids: Sequence[int]) -> dict[int, list[ClusterMember]]:
        """For each of ``article_ids`` in a cluster of two or more, its cluster (ordered as in
        :meth:`cluster_of`); articles alone in their cluster are left out."""
        ...

    def cluster_ids(self, article_ids: Sequence[int]) -> dict[int, int]:
        """Cluster id of each of ``article_ids`` that has a dedupe row."""
        ...

    def cluster_flags(self, article_ids: Sequence[int]) -> dict[int, tuple[int, bool]]:
        """(cluster id, is original) of each of ``article_ids`` that has a dedupe row."""
        ...

    def has_copies(self) -> bool:
        """True when some cluster has two or more members."""
        ...

    def clusters_with(self, min_size: int, since: str | None = None) -> list[int]:
        """Ids of clusters with at least ``min_size`` members, ascending; ``since`` (an ISO date)
        keeps those with a member published (or, undated, first seen) on or after it."""
        ...

    # -- revisions and revisits -------------------------------------------------------------
    def article_content(self, *, article_id: int | None = None, url_key: str | None = None) -> ArticleContent | None:
        """The stored article with this id or url key (its title, text and timestamps)."""
        ...

    def find_url_key(self, url_or_key: str) -> str | None:
        """The url key of the article stored under, fetched from, or canonically at ``url_or_key``."""
        ...

    def has_revisions(self, url_key: str) -> bool: ...

    def latest_revision(self, url_key: str) -> RevisionRecord | None: ...

    def revisions(self, url_key: str) -> list[RevisionRecord]:
        """The versions kept for ``url_key``, oldest first."""
        ...

    def iter_revisions(self) -> Iterator[RevisionRecord]:
        """Every kept version, by url key and version (for copying a store)."""
        ...

    def add_revision(self, rev: RevisionRecord) -> None: ...

    def mark_revisited(self, url_key: str, when: str) -> None:
        """Note a visit of ``url_key`` at ``when`` (ISO 8601); an earlier time never replaces a later one."""
        ...

    def iter_revisits(self) -> Iterator[tuple[str, str]]:
        """Every (url key, last visit) pair (for copying a store)."""
        ...

    def due_for_revisit(self, schedule: Sequence[timedelta], now: datetime) -> list[str]:
        """URLs (or url keys) whose latest passed schedule point (first_seen + offset) is after
        their last visit, oldest first_seen first."""
        ...
