"""Storage: SQLite by default (one file, WAL)."""

from warta.store.sqlite import Store, StoredArticle

__all__ = ["Store", "StoredArticle"]
