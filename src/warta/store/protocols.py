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

Not behind the seam yet (the remaining debt, see ``docs/scaling.md``): the crawl frontier and job
runs (``store/frontier.py``), clusters and revisions (``store/clusters.py``, ``dedupe/``), source
health (``store/health.py``), facets and collapsed search, and the job lock. Those still take a
SQLite ``Store`` or its ``conn``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from warta.model import Article, Capture
from warta.store.search import SearchFilters, SearchPage, Sort
from warta.store.sqlite import StoredArticle

__all__ = ["ArticleFilter", "ArticleStore", "StoredArticle", "StoredCapture"]


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
