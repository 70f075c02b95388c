"""The contract suite's stores: every test runs once per backend (SQLite file, real PostgreSQL).

PostgreSQL comes from ``WARTA_TEST_PG`` (``.ci/postgres.sh`` starts a cluster and sets it). When it
is missing or cannot be reached, the PostgreSQL tests fail under CI (``CI`` set) and are skipped,
with the reason shown, only on a developer machine.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from warta.store.protocols import ArticleStore

BACKENDS = ("sqlite", "postgresql")


def pg_url() -> str:
    """The test database URL, or fail (CI) / skip (locally) saying why there is none."""
    url = os.environ.get("WARTA_TEST_PG", "")
    reason = ""
    if not url:
        reason = "WARTA_TEST_PG is not set (run: . .ci/postgres.sh)"
    else:
        try:
            import psycopg

            with psycopg.connect(url, connect_timeout=10):
                pass
        except ImportError:
            reason = "psycopg is not installed (pip install 'warta[postgres]')"
        except Exception as exc:  # noqa: BLE001 - any failure to connect is the reason shown
            reason = f"cannot connect to WARTA_TEST_PG: {exc}"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI: {reason}")
        pytest.skip(reason)
    return url


def reset_pg(url: str) -> None:
    """Drop warta's tables, so each test starts from an empty database (the schema is re-created on open)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS articles, captures, schema_version CASCADE")


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
