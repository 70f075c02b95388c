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

:class:`FrontierStore` is the crawl frontier, job runs, source health and the job lock (the
methods of :class:`warta.store.frontier.Frontier` that code outside ``store/`` calls), with two
backends: :class:`warta.store.frontier.Frontier` (SQLite) and
:class:`warta.store.pg_frontier.PostgresFrontier`; :func:`warta.store.backends.open_frontier`
picks one for an article store.

:class:`SearchIndex` (at the end) extends it with what the web app, exports and stats read:
facets, per-day counts, collapsed search, matching articles for an export, the cluster and the
revisions of one article, and the crawl frontier kept beside the articles (if any).

:class:`ClusterStore` (at the end) holds the dedupe stage's tables: fingerprints and LSH band keys,
clusters and their originals, revisions and revisits. :func:`warta.store.backends.open_cluster_store`
gives the one that shares an article store's database (and its transactions).

"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from warta.model import Article, Capture
from warta.signatures import U64
from warta.store.clusters import DocRow
from warta.store.frontier import CAPTURE_REUSE_SECONDS, Entry, Job, OutcomeCount, Pending
from warta.store.health import DayRow, SourceRow
from warta.store.search import FACET_SAMPLE, Copy, Facets, SearchFilters, SearchPage, Sort
from warta.store.sqlite import StoredArticle

__all__ = [
    "ArticleContent",
    "ArticleFilter",
    "ArticleStore",
    "ClusterMember",
    "ClusterStore",
    "DocRow",
    "FrontierStore",
    "RevisionRecord",
    "RevisionSummary",
    "SearchIndex",
    "StoredArticle",
    "StoredCapture",
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

    def savepoint(self) -> AbstractContextManager[ArticleStore]:
        """Inside a transaction, a part that is undone alone when it raises (the rest of the
        transaction stands); outside one, a transaction of its own."""
        ...

    # -- captures ---------------------------------------------------------------------------
    def add_capture(self, key: str, capture: Capture, compressed: bytes | None = None) -> int:
        """Keep a raw capture; ``compressed``: its body already zlib-compressed (off the caller's loop)."""
        ...

    def get_capture(self, capture_id: int) -> Capture | None: ...

    def iter_captures(self) -> Iterator[StoredCapture]:
        """Every kept capture, oldest first."""
        ...

    def count_captures(self) -> int: ...

    def latest_capture(self, key: str) -> Capture | None:
        """The newest capture kept under ``key`` (a following page of a multi-page article, say)."""
        ...

    def last_capture_id(self) -> int:
        """The highest capture id, 0 when there is none (re-extraction shards are id ranges up to it)."""
        ...

    def iter_article_captures(self, first: int, last: int) -> Iterator[StoredCapture]:
        """For capture ids ``first``..``last`` (inclusive), in id order: each capture that is the
        newest of its url key and whose key has a stored article (what re-extraction reads)."""
        ...

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


@runtime_checkable
class FrontierStore(Protocol):
    """The crawl frontier of one database: jobs, runs, every URL's state and outcome, validators,
    source health and the one-process-per-job lock.

    A URL moves ``queued -> fetching -> [fetched] -> done``; claims are atomic (two processes,
    on one machine or many, never claim one row), a URL's outcome is recorded with the URLs it led
    to in one transaction, and every outcome is counted in the source health tables.
    """

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        ...

    # -- jobs, runs, the job lock ---------------------------------------------------------------
    def job(self, mode: str, sites: Sequence[str], since: str | None, until: str | None) -> tuple[Job, bool]:
        """Get or create the job for this command. Returns (job, existed)."""
        ...

    def job_lock(self, job_id: int) -> AbstractContextManager[None]:
        """Held while one process works on the job; a second holder gets a ConfigError
        (``job N is being crawled by another process (lock ...)``); freed when its holder dies."""
        ...

    def set_job_status(self, job_id: int, status: str) -> None: ...

    def start_run(self, job_id: int, command: str) -> int: ...

    def finish_run(self, run_id: int, status: str, requests: int, stored: int) -> None: ...

    def run_requests(self, run_id: int, add: int = 0) -> int:
        """Add ``add`` to the run's request count and return the count (the workers of a
        distributed run report theirs as they go, so a worker that dies still counts)."""
        ...

    def recover(self, job_id: int) -> int:
        """Every row of the job left in flight goes back to the queue (a new run of a one-process job)."""
        ...

    def release_stale(self, job_id: int, older_than_seconds: float) -> int:
        """Rows in flight whose claim is older than the limit go back to the queue, capture kept."""
        ...

    def heartbeat(self, entry_ids: Sequence[int]) -> None:
        """A live worker still holds these claimed rows: their claim time is now (see release_stale)."""
        ...

    def requeue(self, job_id: int, kinds: Iterable[str], *, entry_points_only: bool = False) -> int: ...

    # -- adding, claiming, finishing ------------------------------------------------------------
    def add(self, job_id: int, items: Iterable[Pending], run_id: int | None = None) -> int:
        """Add URLs (idempotent per key); returns how many keys were new."""
        ...

    def discovery_pending(self, job_id: int) -> bool: ...

    def claim(self, job_id: int, run_id: int, limit: int, kinds: Sequence[str] | None = None) -> list[Entry]:
        """Take up to ``limit`` rows (fetched-but-not-extracted first, then queued by priority)."""
        ...

    def mark_fetched(self, entry_id: int, capture_id: int) -> None: ...

    def finish(
        self,
        entry_id: int,
        outcome: str,
        *,
        detail: str = "",
        article_id: int | None = None,
        children: Sequence[Pending] = (),
        job_id: int = 0,
        run_id: int | None = None,
    ) -> int:
        """Record a URL's outcome and the URLs it led to, atomically. Returns new children."""
        ...

    # -- validators -----------------------------------------------------------------------------
    def validators(self, job_id: int, key: str) -> tuple[str | None, str | None]: ...

    def save_validators(self, job_id: int, key: str, etag: str | None, last_modified: str | None) -> None: ...

    # -- reads ----------------------------------------------------------------------------------
    def stored_article(self, key: str) -> tuple[int, int | None] | None: ...

    def recent_capture(self, key: str, max_age: float = CAPTURE_REUSE_SECONDS) -> int | None: ...

    def queued(self, job_id: int) -> int: ...

    def pending(self, job_id: int) -> int: ...

    def run_outcome(self, run_id: int, outcome: str) -> int: ...

    def first_error(self, run_id: int) -> tuple[str, str] | None: ...

    def has_listed_articles(self, job_id: int) -> bool: ...

    def outcome_counts(self, job_id: int | None = None, run_id: int | None = None) -> list[OutcomeCount]: ...

    def jobs(self) -> list[Job]: ...

    def runs(self, limit: int = 20) -> list[dict[str, object]]: ...

    # -- copying (warta db copy) ----------------------------------------------------------------
    def export_rows(self, table: str) -> Iterator[dict[str, Any]]:
        """Every row of a table of ``warta.store.frontier.TABLE_COLUMNS`` (times as UTC ISO text,
        a job's sites as a list): the same form from both backends."""
        ...

    def import_rows(self, table: str, rows: Sequence[dict[str, Any]]) -> None:
        """Insert exported rows as they are, ids kept (into an empty frontier)."""
        ...

    # -- source health --------------------------------------------------------------------------
    def source_rows(self) -> list[SourceRow]: ...

    def day_rows(self, since: str | None = None) -> list[DayRow]: ...


# -- what the web app, exports and stats read -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class RevisionSummary:
    """One kept version of an article's content (the reading view's history)."""

    version: int
    fetched_at: str
    title: str | None
    diff: str  # unified diff against the previous version ('' for the first)


@runtime_checkable
class SearchIndex(ArticleStore, Protocol):
    """An article store as the web app, ``warta export`` and ``warta stats`` read it.

    Clusters and revisions are read here until the dedupe stage's own store (``ClusterStore``)
    exists for every backend. A backend without the dedupe tables (PostgreSQL today) answers as
    for a collection never deduplicated: every article is its own cluster, no copies, no revisions.
    """

    def __enter__(self) -> SearchIndex: ...

    def search(
        self,
        q: str = "",
        filters: SearchFilters | None = None,
        *,
        sort: Sort = "relevance",
        offset: int = 0,
        limit: int = 20,
        collapse: bool = False,
    ) -> SearchPage:
        """As :meth:`ArticleStore.search`; ``collapse``: one hit per duplicate cluster, with its copies."""
        ...

    def facets(self, q: str = "", filters: SearchFilters | None = None, *, limit: int = 12,
               sample: int = FACET_SAMPLE) -> Facets:
        """Most frequent site, language, section, author, access and per-day counts over the matches
        (the newest ``sample`` of them when more match)."""
        ...

    def day_counts(self, q: str = "", filters: SearchFilters | None = None) -> list[tuple[str, int]]:
        """Matching articles per publication day, oldest first."""
        ...

    def iter_matching(self, q: str = "", filters: SearchFilters | None = None, *,
                      sort: Sort = "date") -> Iterator[StoredArticle]:
        """Every matching article (no cap), newest first or best first: what an export streams."""
        ...

    def recent_articles(self, sites: Sequence[str], limit: int) -> list[StoredArticle]:
        """The ``limit`` most recently stored articles of ``sites`` (registered domains), newest first."""
        ...

    def get_article_by_url(self, url: str) -> StoredArticle | None:
        """The article whose URL (or url key) is ``url``; the first stored when several are."""
        ...

    def cluster_of(self, article_id: int) -> list[Copy]:
        """Every member of the article's duplicate cluster, the original first; empty when never deduplicated."""
        ...

    def cluster_info(self, article_ids: Sequence[int]) -> dict[int, tuple[str, bool]]:
        """``{id: (cluster id, is original)}`` for exports; an article never deduplicated is its own cluster."""
        ...

    def revisions_of(self, url_key: str) -> list[RevisionSummary]:
        """Kept versions of the article under ``url_key``, oldest first (empty when it never changed)."""
        ...

    def rebuild_index(self) -> int:
        """Bring the full-text index up to date with the articles; returns the number of articles."""
        ...

    def frontier(self) -> FrontierStore | None:
        """The crawl frontier (jobs, runs, outcomes, source health) kept beside the articles, or None
        where this store has none."""


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
