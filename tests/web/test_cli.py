"""``warta serve`` as a user starts it (a subprocess), and ``warta search`` / ``warta reindex``."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from click.testing import CliRunner

from warta.cli.main import cli

from .conftest import fill_store, generated_articles

SRC = Path(__file__).resolve().parents[2] / "src"


def test_serve_command_reads_token_from_environment(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    fill_store(db, generated_articles("http://127.0.0.1:9", 10))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARTA_")}
    env.update(PYTHONPATH=str(SRC), WARTA_API_TOKEN="cli-token", WARTA_CONFIG=str(tmp_path / "absent.toml"))
    cmd = [sys.executable, "-c", "from warta.cli.main import main; main()", "serve", "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            deadline = time.monotonic() + 30
            while True:
                try:
                    data = client.get("/api/search", params={"q": "banjir"}).json()
                    break
                except httpx.TransportError:
                    assert proc.poll() is None and time.monotonic() < deadline, "warta serve did not start"
                    time.sleep(0.2)
            assert data["total"] == 2
            assert client.post("/api/reindex").status_code == 401
            ok = client.post("/api/reindex", headers={"Authorization": "Bearer cli-token"})
            assert ok.json() == {"indexed": 10}
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "writes enabled" in err


def test_search_and_reindex_commands(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    fill_store(db, generated_articles("http://127.0.0.1:9", 10))
    runner = CliRunner()
    out = runner.invoke(cli, ["search", "gempa", "--db", str(db), "--json"], catch_exceptions=False)
    data = json.loads(out.stdout)
    assert data["total"] == 2 and all("gempa" in r["title"] for r in data["results"])
    table = runner.invoke(cli, ["search", "laporan", "--site", "kabar.example", "--db", str(db)])
    assert table.exit_code == 0 and table.stdout.startswith("4 articles")
    bad = runner.invoke(cli, ["search", '"oops', "--db", str(db)])
    assert bad.exit_code != 0 and "unclosed quote" in bad.output
    assert runner.invoke(cli, ["reindex", "--db", str(db)]).stdout.strip() == "indexed 10 articles"


def test_serve_on_a_busy_port_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    fill_store(db, generated_articles("http://127.0.0.1:9", 2))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--port", str(port)])
    assert result.exit_code == 1
    assert result.output == (f"Error: cannot listen on 127.0.0.1:{port}: address already in use; "
                             "another program is using it: choose another with --port\n")
