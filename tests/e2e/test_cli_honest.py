"""The command line does not lie or crash: read commands never create a store, a read-only store
can be read, bad paths and values are one-line errors in words, empty inputs say so."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import warta_cmd, warta_env
from sitefixture import sample_articles
from warta.cli.main import cli
from warta.errors import InputError, StoreError
from warta.extract import extract
from warta.model import Article
from warta.store.sqlite import Store

ENV = {"WARTA_CONFIG": os.devnull + ".absent", "WARTA_DB": None}


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=ENV)


def _no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """A store holding one real extracted article."""
    page = next(a for a in sample_articles() if a.path.startswith("/berita/527615/"))
    article = extract(page.html, "https://www.antaranews.com" + page.path)
    assert isinstance(article, Article)
    db = tmp_path / "data" / "news.db"
    db.parent.mkdir()
    with Store(db) as store:
        store.upsert_article("k1", article)
    return db


READ_COMMANDS = [
    ["stats"], ["search", "banjir"], ["export"], ["reindex"], ["reextract"], ["clusters"],
    ["history", "https://example.com/a"], ["serve"],
]


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0])
def test_read_commands_never_create_a_store(tmp_path: Path, command: list[str]) -> None:
    typo = tmp_path / "typo.db"
    result = invoke(*command, "--db", str(typo))
    _no_traceback(result)
    assert result.exit_code == 1, result.output
    assert f"no store at {typo}" in result.output
    assert not typo.exists()
    assert list(tmp_path.iterdir()) == []


def _unprivileged() -> list[str]:
    """A prefix that runs a command without the root powers that ignore file permissions."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: file permissions cannot be enforced here")
    caps = "-dac_override,-dac_read_search,-fowner"
    return [setpriv, f"--bounding-set={caps}", f"--inh-caps={caps}"]


@pytest.fixture
def read_only(store_path: Path) -> Iterator[Path]:
    store_path.chmod(0o444)
    store_path.parent.chmod(0o555)
    yield store_path
    store_path.parent.chmod(0o755)
    store_path.chmod(0o644)


def _run_unprivileged(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*_unprivileged(), *warta_cmd(*args)], cwd=cwd, env=warta_env(), capture_output=True,
                          text=True, timeout=120, check=False)


def test_a_read_only_store_can_be_read(read_only: Path, tmp_path: Path) -> None:
    probe = _run_unprivileged("export", "--db", str(read_only), "--out", str(read_only.parent / "x.jsonl"),
                              cwd=tmp_path)
    assert probe.returncode == 1 and "cannot write" in probe.stderr, "the folder is writable: no test"

    stats = _run_unprivileged("stats", "--db", str(read_only), cwd=tmp_path)
    assert stats.returncode == 0, stats.stderr
    assert "1" in stats.stdout
    found = _run_unprivileged("search", "Lombok", "--db", str(read_only), "--json", cwd=tmp_path)
    assert found.returncode == 0, found.stderr
    assert '"total": 1' in found.stdout
    exported = _run_unprivileged("export", "--db", str(read_only), cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert "antaranews.com" in exported.stdout
    assert sorted(p.name for p in read_only.parent.iterdir()) == ["news.db"]


def test_export_to_a_read_only_folder_is_an_error(read_only: Path, tmp_path: Path) -> None:
    out = read_only.parent / "x.csv"
    proc = _run_unprivileged("export", "--format", "csv", "--out", str(out), "--db", str(read_only), cwd=tmp_path)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip() == f"Error: cannot write {out}: Permission denied"


def test_output_into_a_missing_folder_is_an_error(tmp_path: Path, store_path: Path) -> None:
    seed = tmp_path / "seed.txt"
    seed.write_text("Jakarta (ANTARA) - Pemerintah menyiapkan anggaran baru untuk jalan desa.\n", "utf8")
    for args in (["clean", str(seed), "-o", "/nonexistent_dir/out.jsonl"],
                 ["export", "--db", str(store_path), "--out", "/nonexistent_dir/out.jsonl"],
                 ["export", "--db", str(store_path), "--format", "parquet", "--out", "/nonexistent_dir/x.parquet"]):
        result = invoke(*args)
        _no_traceback(result)
        assert result.exit_code == 1
        assert "cannot write /nonexistent_dir/" in result.output and "no such directory" in result.output


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["export", "--since", "garbage"], "'garbage' is not a date"),
        (["export", "--since", "2016-03-01", "--until", "2016-02-01"], "is after --until"),
        (["search", "x", "--since", "2016-03-01", "--until", "2016-02-01"], "is after --until"),
        (["clusters", "--since", "tomorrow"], "'tomorrow' is not a date"),
        (["crawl", "https://example.com/", "--since", "2016-02-30"], "is not a date"),
        (["crawl", "https://example.com/", "--delay", "-1"], "-1.0 is not in the range x>=0"),
        (["crawl", "https://example.com/", "--concurrency", "0"], "0 is not in the range x>=1"),
        (["crawl", "https://example.com/", "--workers", "-2"], "-2 is not in the range x>=0"),
        (["watch", "https://example.com/", "--workers", "-2"], "-2 is not in the range x>=0"),
        (["clean", "x.txt", "--workers", "-2"], "-2 is not in the range x>=0"),
        (["extract", "x.html", "--workers", "-2"], "-2 is not in the range x>=0"),
        (["extract", "x.html", "--timeout", "0"], "not in the range x>0"),
        (["search", "x", "--limit", "0"], "0 is not in the range x>=1"),
        (["serve", "--port", "70000"], "70000 is not in the range"),
        (["demo", "--delay", "-1"], "-1.0 is not in the range x>=0"),
    ],
)
def test_bad_values_are_usage_errors(tmp_path: Path, store_path: Path, args: list[str], says: str) -> None:
    result = invoke(*args, "--db", str(store_path)) if args[0] not in ("clean", "extract") else invoke(*args)
    _no_traceback(result)
    assert result.exit_code == 2, result.output
    assert says in result.output


def test_a_future_since_says_nothing_can_match(store_path: Path) -> None:
    result = invoke("clusters", "--since", "2999-01-01", "--db", str(store_path))
    assert result.exit_code == 0
    assert "in the future" in result.output


def test_empty_inputs_say_so(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    result = CliRunner().invoke(cli, ["extract", str(tmp_path / "pages")], env=ENV)
    assert result.exit_code == 0
    assert result.stdout.strip() == "[]"
    assert "no pages found" in result.stderr
    (tmp_path / "empty.jsonl").write_text("", "utf8")
    cleaned = CliRunner().invoke(cli, ["clean", str(tmp_path / "empty.jsonl")], env=ENV)
    assert cleaned.exit_code == 0
    assert cleaned.stdout == ""
    assert cleaned.stderr.strip() == f"no documents in {tmp_path / 'empty.jsonl'}"


@pytest.mark.parametrize(
    ("toml", "says"),
    [
        ('[wartaa]\ndb = "x.db"\n', "unknown tables in {path}: 'wartaa' (did you mean 'warta'?)"),
        ("[warta]\ndely = 2\n", "unknown settings in {path}: 'dely' (did you mean 'delay'?)"),
    ],
)
def test_a_misspelt_config_is_an_error_naming_it(tmp_path: Path, toml: str, says: str) -> None:
    cfg = tmp_path / "warta.toml"
    cfg.write_text(toml, "utf8")
    result = CliRunner().invoke(cli, ["stats", "--db", str(tmp_path / "x.db")], env={**ENV, "WARTA_CONFIG": str(cfg)})
    _no_traceback(result)
    assert result.exit_code == 1
    assert says.format(path=cfg) in result.output


def test_error_lines_are_words_not_internals(tmp_path: Path) -> None:
    assert str(StoreError("cannot open store: locked", path="/x/y.db")) == "cannot open store: locked (file: /x/y.db)"
    assert str(InputError("cannot read /x/y: no such file", path="/x/y")) == "cannot read /x/y: no such file"
    outputs = [
        invoke("extract", str(tmp_path / "missing.html")).output,
        invoke("clean", str(tmp_path / "missing.txt")).output,
        invoke("stats", "--db", str(tmp_path / "missing.db")).output,
    ]
    for out in outputs:
        assert out.startswith("Error: ") and len(out.strip().splitlines()) == 1, out
        assert "path=" not in out and "field=" not in out and "Errno" not in out, out
    assert outputs[0].strip() == f"Error: cannot read {tmp_path / 'missing.html'}: no such file or directory"


SERVE_PROBE = """
import json, sys
from fastapi.testclient import TestClient
from warta.config import Settings
from warta.store.backends import open_article_store
from warta.web.app import create_app
open_article_store(sys.argv[1], create=False).close()  # what `warta serve` checks first
with TestClient(create_app(Settings(db=sys.argv[1])), base_url="http://127.0.0.1") as client:  # an allowed Host
    print(json.dumps(client.get("/api/search", params={"q": "Lombok"}).json()))
"""


def test_a_read_only_store_can_be_served(read_only: Path, tmp_path: Path) -> None:
    env = warta_env()
    proc = subprocess.run([*_unprivileged(), warta_cmd()[0], "-c", SERVE_PROBE, str(read_only)], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1])["total"] == 1
    assert sorted(p.name for p in read_only.parent.iterdir()) == ["news.db"]
