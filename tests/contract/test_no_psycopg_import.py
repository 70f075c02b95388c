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
with open_article_store(sys.argv[1]) as s:
    s.count_articles()
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
