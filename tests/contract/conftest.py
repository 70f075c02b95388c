"""The contract suite's stores: every test runs once per backend (SQLite file, real PostgreSQL).

PostgreSQL comes from ``WARTA_TEST_PG`` (``.ci/postgres.sh`` starts a cluster and sets it). When it
is missing or cannot be reached, the PostgreSQL tests fail under CI (``CI`` set) and are skipped,
with the reason shown, only on a developer machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_support import pg_url, reset_pg

from warta.store.protocols import ArticleStore

BACKENDS = ("sqlite", "postgresql")


def open_backend(backend: str, tmp_path: Path, name: str = "a") -> ArticleStore:
    from warta.store.backends import open_article_store

    if backend == "sqlite":
        return open_article_store(tmp_path / f"{name}.db")
    return open_article_store(pg_url())


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(backend: str, tmp_path: Path) -> Iterator[ArticleStore]:
    if backend == "postgresql":
        reset_pg(pg_url())
    s = open_backend(backend, tmp_path)
    try:
        yield s
    finally:
        s.close()
