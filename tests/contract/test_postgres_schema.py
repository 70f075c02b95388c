"""PostgreSQL only: schema migrations applied on open, once, under a lock; a newer schema is refused."""

from __future__ import annotations

import threading

import pytest
from pg_support import pg_url, reset_pg

from warta.errors import StoreError
from warta.model import Article


def test_migrations_apply_once_and_reopen_keeps_data() -> None:
    from warta.store.postgres import SCHEMA_VERSION, PostgresArticleStore

    url = pg_url()
    reset_pg(url)
    with PostgresArticleStore(url) as store:
        assert store.schema_version() == SCHEMA_VERSION
        store.upsert_article("k", Article(title="Tetap ada"))
    with PostgresArticleStore(url) as again:  # re-opening migrates nothing and loses nothing
        assert again.schema_version() == SCHEMA_VERSION and again.count_articles() == 1
        rows = again._rows("SELECT count(*) FROM schema_version")
        assert rows[0][0] == SCHEMA_VERSION


def test_concurrent_first_opens_do_not_race() -> None:
    from warta.store.postgres import SCHEMA_VERSION, PostgresArticleStore

    url = pg_url()
    reset_pg(url)
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            with PostgresArticleStore(url) as s:
                assert s.schema_version() == SCHEMA_VERSION
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []


def test_a_newer_schema_is_refused() -> None:
    import psycopg

    from warta.store.postgres import SCHEMA_VERSION, PostgresArticleStore

    url = pg_url()
    reset_pg(url)
    PostgresArticleStore(url).close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO schema_version(version) VALUES (%s)", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreError, match="newer than this warta knows"):
        PostgresArticleStore(url)


def test_unreachable_server_is_a_store_error_without_password() -> None:
    from warta.store.postgres import PostgresArticleStore

    pg_url()  # psycopg is there (CI: fail, else skip)
    with pytest.raises(StoreError) as info:
        PostgresArticleStore("postgresql://u:hunter2@127.0.0.1:9/x?connect_timeout=2", max_connections=1)
    assert "hunter2" not in str(info.value) and "cannot open store" in str(info.value)


def test_text_with_nul_is_refused_clearly() -> None:
    from warta.model import Block
    from warta.store.postgres import PostgresArticleStore

    url = pg_url()
    reset_pg(url)
    with PostgresArticleStore(url) as store, pytest.raises(StoreError, match="NUL"):
        store.upsert_article("k", Article(title="a", body=(Block("paragraph", "x\x00y"),)))
