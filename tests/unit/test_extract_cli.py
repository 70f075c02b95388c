"""`warta extract` over files, directories, stdin and a URL served on 127.0.0.1."""

from __future__ import annotations

import gzip
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from warta.cli.main import cli

PARA = "Pemerintah kota meresmikan taman baru yang luas di tengah kota untuk warga. " * 4
PAGE = f"<html><head><title>Taman baru</title></head><body><article><h1>Taman baru</h1><p>{PARA}</p><p>{PARA}</p></article></body></html>"


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    (tmp_path / "a.html").write_text(PAGE, "utf8")
    (tmp_path / "b.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    (tmp_path / "c.html").write_bytes(bytes(range(256)) * 50)
    (tmp_path / "notes.txt").write_text("ignored", "utf8")
    return tmp_path


hits: list[str] = []


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("WARTA_ALLOW_PRIVATE", "1")  # the test server is on 127.0.0.1: allowed explicitly
    hits.clear()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            hits.append(self.path)
            body = PAGE.encode()
            self.send_response(200 if self.path == "/ok" else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_single_file_json_is_article_to_dict(pages: Path) -> None:
    out = CliRunner().invoke(cli, ["extract", str(pages / "a.html")])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["text"] == f"{PARA.strip()}\n\n{PARA.strip()}" and data["provenance"]["body"] == "dom"


def test_directory_in_batch_mode_with_jsonl(pages: Path) -> None:
    out = CliRunner().invoke(cli, ["extract", str(pages), "--format", "jsonl", "--workers", "2", "--quiet"])
    assert out.exit_code == 0, out.output
    lines = [json.loads(line) for line in out.output.splitlines()]
    assert len(lines) == 3  # a.html, b.html.gz, c.html; notes.txt is not a page
    assert lines[0]["body"][0]["text"] == PARA.strip() and lines[1]["text"] == lines[0]["text"]
    assert lines[2]["skip"] == "unreadable" and lines[2]["source"].endswith("c.html")


def test_stdin_markdown_and_explain(pages: Path) -> None:
    out = CliRunner().invoke(cli, ["extract", "-", "--format", "markdown", "--explain"], input=PAGE)
    assert out.exit_code == 0, out.output
    assert out.output.startswith("# Taman baru") and "provenance: access=no-wall-signals, body=dom" in out.output


def test_text_format_reports_skips_on_stderr(pages: Path) -> None:
    out = CliRunner().invoke(cli, ["extract", str(pages / "c.html"), "--format", "text"])
    assert out.exit_code == 0 and "skip: unreadable" in out.output


def test_url_is_fetched(server: str) -> None:
    out = CliRunner().invoke(cli, ["extract", f"{server}/ok", "--format", "text"])
    assert out.exit_code == 0, out.output
    assert out.output.startswith("Taman baru") and PARA.strip() in out.output


def test_url_fetch_is_guarded_polite_and_capped(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``warta extract URL`` fetches as the crawler does: robots.txt first, and no private address
    unless allowed (the fixture allows it; without that the server sees no request at all)."""
    out = CliRunner().invoke(cli, ["extract", f"{server}/ok", "--format", "text"])
    assert out.exit_code == 0 and hits == ["/robots.txt", "/ok"]
    hits.clear()
    monkeypatch.delenv("WARTA_ALLOW_PRIVATE")
    out = CliRunner().invoke(cli, ["extract", f"{server}/ok"])
    assert out.exit_code != 0 and "non-public address 127.0.0.1" in out.output
    assert hits == []
    monkeypatch.setenv("WARTA_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("WARTA_MAX_BYTES", "100")
    out = CliRunner().invoke(cli, ["extract", f"{server}/ok"])
    assert out.exit_code != 0 and "too large" in out.output


def test_fetch_error_and_missing_file_are_clear(server: str, tmp_path: Path) -> None:
    out = CliRunner().invoke(cli, ["extract", f"{server}/missing"])
    assert out.exit_code != 0 and "cannot fetch" in out.output
    out = CliRunner().invoke(cli, ["extract", str(tmp_path / "nope.html")])
    assert out.exit_code != 0 and "cannot read" in out.output


def test_allow_private_flag_lets_one_command_fetch_loopback(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WARTA_ALLOW_PRIVATE")  # neither the environment nor warta.toml allows it
    out = CliRunner().invoke(cli, ["extract", f"{server}/ok", "--format", "text"])
    assert out.exit_code != 0 and "non-public address 127.0.0.1" in out.output and hits == []
    out = CliRunner().invoke(cli, ["extract", f"{server}/ok", "--format", "text", "--allow-private"])
    assert out.exit_code == 0, out.output
    assert out.output.startswith("Taman baru") and hits == ["/robots.txt", "/ok"]
