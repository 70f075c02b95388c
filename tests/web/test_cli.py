"""``warta serve`` as a user starts it (a subprocess), and ``warta search`` / ``warta reindex``."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from click.testing import CliRunner

from warta.cli.main import cli

from .conftest import fill_store, generated_articles, serve_process


def test_serve_command_reads_token_from_environment(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    fill_store(db, generated_articles("http://127.0.0.1:9", 10))
    with serve_process(db, tmp_path, WARTA_API_TOKEN="cli-token") as server:
        client = server.client
        data = client.get("/api/search", params={"q": "banjir"}).json()
        assert data["total"] == 2
        assert client.post("/api/reindex").status_code == 401
        ok = client.post("/api/reindex", headers={"Authorization": "Bearer cli-token"})
        assert ok.json() == {"indexed": 10}
    assert "writes enabled" in server.stderr


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
