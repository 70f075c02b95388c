"""Open an article store from ``--db`` / ``WARTA_DB``: a file path (SQLite) or a ``postgresql://`` URL.

The PostgreSQL backend is imported only here, and only for such a URL, so a user who never
installs ``warta[postgres]`` never imports psycopg.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from warta.errors import ConfigError
from warta.store.protocols import ArticleStore, ClusterStore, FrontierStore, SearchIndex

if TYPE_CHECKING:
    from warta.store.sqlite import Store

# What the dedupe stage's functions take: an article store of either backend, the SQLite ``Store``
# the crawl runner still holds, or a cluster store already opened.
StoreLike: TypeAlias = "ArticleStore | Store | ClusterStore"

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def as_article_store(store: ArticleStore | Store) -> ArticleStore:
    """An article store; a bare SQLite ``Store`` (older callers) is wrapped, not reopened."""
    from warta.store.sqlite import Store
    from warta.store.sqlite_backend import SqliteArticleStore

    return SqliteArticleStore(store.path, store=store) if isinstance(store, Store) else store


def is_postgres_url(db: str | Path) -> bool:
    return str(db).startswith(POSTGRES_SCHEMES)


def redact(db: str | Path) -> str:
    """``db`` for messages: a URL's password replaced by ``***`` (a path as it is)."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", str(db))


def open_article_store(db: str | Path, *, create: bool = True) -> SearchIndex:
    """The store at ``db``: SQLite for a path (created when missing, unless ``create`` is false:
    a command that only reads never creates a database), PostgreSQL for a URL (schema created or
    migrated on open)."""
    if is_postgres_url(db):
        try:
            from warta.store.postgres import PostgresArticleStore
        except ImportError as exc:
            raise ConfigError(
                "a postgresql:// database needs the PostgreSQL extra: pip install 'warta[postgres]'",
                missing=exc.name,
            ) from exc
        return PostgresArticleStore(str(db))
    from warta.store.sqlite import Store
    from warta.store.sqlite_backend import SqliteArticleStore

    return SqliteArticleStore(db) if create else SqliteArticleStore(db, store=Store.open_existing(db))


def open_frontier(store: ArticleStore) -> FrontierStore:
    """The crawl frontier in the same database as ``store`` (same file, or same PostgreSQL pool)."""
    if store.backend == "postgresql":
        from warta.store.pg_frontier import PostgresFrontier
        from warta.store.postgres import PostgresArticleStore

        if not isinstance(store, PostgresArticleStore):
            raise ConfigError(f"no frontier backend for {type(store).__name__}")
        return PostgresFrontier(store)
    from warta.store.frontier import Frontier
    from warta.store.sqlite_backend import SqliteArticleStore

    if not isinstance(store, SqliteArticleStore):
        raise ConfigError(f"no frontier backend for {type(store).__name__}")
    return Frontier(store.store)


def open_reader(db: str | Path, *, connections: int = 4) -> SearchIndex:
    """A store at ``db`` that cannot write, for serving reads (the web app): a query-only SQLite
    connection, or a PostgreSQL pool of ``connections`` read-only connections. Creates and migrates
    nothing: open the store once with :func:`open_article_store` first."""
    if is_postgres_url(db):
        from warta.store.postgres import PostgresArticleStore  # the extra is there: checked on first open

        return PostgresArticleStore(str(db), readonly=True, max_connections=connections)
    from warta.store.sqlite_backend import SqliteArticleStore

    return SqliteArticleStore.query_only(db)


def open_cluster_store(store: StoreLike) -> ClusterStore:
    """The cluster store in the same database as ``store``, sharing its connection and transactions
    (a ClusterStore is returned as it is)."""
    from warta.store.sqlite import Store
    from warta.store.sqlite_backend import SqliteArticleStore
    from warta.store.sqlite_clusters import SqliteClusterStore

    if isinstance(store, SqliteClusterStore):
        return store
    if isinstance(store, Store):
        return SqliteClusterStore(store)
    if isinstance(store, SqliteArticleStore):
        return SqliteClusterStore(store.store)
    if store.backend == "postgresql":  # imported only for such a store: no psycopg otherwise
        from warta.store.pg_clusters import PostgresClusterStore
        from warta.store.postgres import PostgresArticleStore

        if isinstance(store, PostgresClusterStore):
            return store
        if isinstance(store, PostgresArticleStore):
            return PostgresClusterStore(store)
    raise TypeError(f"no cluster store for {type(store).__name__}")
