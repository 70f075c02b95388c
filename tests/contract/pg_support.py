"""Where the contract suite finds PostgreSQL (``WARTA_TEST_PG``), and how it empties it between tests."""

from __future__ import annotations

import os

import pytest


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
    """Drop every table of the test database's public schema (warta's, whichever migration made
    them), so each test starts from an empty database (the schema is re-created on open)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP VIEW IF EXISTS outcomes")
        conn.execute("""DO $$ DECLARE t text; BEGIN
            FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
                EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', t);
            END LOOP; END $$""")
