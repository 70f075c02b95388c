"""SQLite stays the default: importing warta, running the CLI and opening a SQLite store never import psycopg."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHECK = """
import sys
import warta, warta.cli.main, warta.store, warta.store.backends, warta.store.protocols
from warta.store.backends import open_article_store
from warta.dedupe import list_clusters, on_stored
from warta.model import Article, Block
with open_article_store(sys.argv[1]) as s:
    s.count_articles()
    a = Article(body=(Block('paragraph', 'satu dua tiga empat lima enam tujuh delapan sembilan'),))
    on_stored(s, s.upsert_article('k', a)[0], a)  # the dedupe stage on SQLite too
    list_clusters(s)
bad = sorted(m for m in sys.modules if m.split('.')[0] in {'psycopg', 'psycopg_pool', 'psycopg_binary'}
             or m == 'warta.store.postgres')
print(bad)
"""


def test_sqlite_path_never_imports_psycopg(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-c", CHECK, str(tmp_path / "a.db")], capture_output=True, text=True,
                         env=os.environ.copy(), timeout=120, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


BLOCKED = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {'psycopg', 'psycopg_pool'}:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Block())
from warta.errors import ConfigError
from warta.store.backends import open_article_store
try:
    open_article_store('postgresql://u@127.0.0.1:1/x')
except ConfigError as exc:
    print('ConfigError:', exc)
"""


def test_postgres_url_without_extra_says_what_to_install() -> None:
    out = subprocess.run([sys.executable, "-c", BLOCKED], capture_output=True, text=True, env=os.environ.copy(),
                         timeout=120, check=True)
    assert "ConfigError:" in out.stdout and "warta[postgres]" in out.stdout, out.stdout + out.stderr


def test_postgres_tests_fail_in_ci_when_postgres_is_unreachable(tmp_path: Path) -> None:
    """Under CI a PostgreSQL contract test must fail, not skip, when the server is not there."""
    here = Path(__file__).parent
    env = {**os.environ, "CI": "1", "WARTA_TEST_PG": "postgresql://nobody@127.0.0.1:9/none"}
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(here),
                          str(here / "test_store_contract.py"), "-k", "roundtrip_keeps_every_field"],
                         capture_output=True, text=True, env=env, timeout=240, cwd=tmp_path)
    assert out.returncode != 0 and "1 passed" in out.stdout and "1 error" in out.stdout, out.stdout[-2000:]
    assert "PostgreSQL is required in CI" in out.stdout
    env.pop("CI")
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(here),
                          str(here / "test_store_contract.py"), "-k", "roundtrip_keeps_every_field", "-rs"],
                         capture_output=True, text=True, env=env, timeout=240, cwd=tmp_path)
    assert out.returncode == 0 and "1 skipped" in out.stdout and "cannot connect" in out.stdout, out.stdout[-2000:]
