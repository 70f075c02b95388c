"""Helpers for driving the ``warta`` CLI in a subprocess against the fixture site."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"


def warta_cmd(*args: str) -> list[str]:
    return [sys.executable, "-c", "from warta.cli.main import main; main()", *args]


def warta_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARTA_")}
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    env["WARTA_CONFIG"] = os.devnull + ".absent"  # no warta.toml from the developer's cwd
    env["WARTA_ALLOW_PRIVATE"] = "1"  # the fixture sites are on 127.0.0.1: allowed explicitly
    env.update(extra)
    return env


def run_warta(*args: str, cwd: Path, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        warta_cmd(*args),
        cwd=cwd,
        env=warta_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def export_jsonl(db: Path, cwd: Path) -> list[dict[str, object]]:
    proc = run_warta("export", "--format", "jsonl", "--db", str(db), cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture(params=["sqlite", "postgresql"])
def store_db(request: pytest.FixtureRequest, workdir: Path) -> Path | str:
    """Where a test's crawl keeps its store: a SQLite file, or one real PostgreSQL database
    (``WARTA_TEST_PG``, emptied first; under CI a missing server fails the test)."""
    if request.param == "sqlite":
        return workdir / "store.db"
    from contract.pg_support import pg_url, reset_pg

    url = pg_url()
    reset_pg(url)
    return url
