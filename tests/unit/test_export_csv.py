"""CSV export (``warta export --format csv``) escapes cells a spreadsheet would run as a formula
(OWASP CSV injection: a leading ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a ``'``);
JSON Lines and Parquet keep the values unchanged."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from warta.cli.main import cli
from warta.model import Article, Block
from warta.pipeline.export import csv_safe
from warta.store.sqlite import Store

FORMULAS = ("=HYPERLINK(\"http://127.0.0.1:9/x\",\"klik\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\tTAB", "\rCR",
            "=cmd|' /C calc'!A0")


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_cells_get_a_quote(value: str) -> None:
    assert csv_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["Banjir di Jakarta", "", "a=b", " =1", "'=1", "2024-03-01", "https://x.example/-1"])
def test_ordinary_cells_are_unchanged(value: str) -> None:
    assert csv_safe(value) == value
    assert csv_safe(42) == 42 and csv_safe(None) is None and csv_safe(True) is True


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "w.db"
    with Store(path) as store:
        for n, value in enumerate(FORMULAS):
            store.upsert_article(f"f{n}", Article(
                url=f"https://rumus.example/{n}", domain="rumus.example", site_name=value, language="id",
                title=value, lead=value, authors=(value, "Siti"), section=value, tags=(value,), dateline=value,
                published="2024-04-01T08:00:00+07:00", body=(Block("paragraph", value + " paragraf"),),
            ))
        store.upsert_article("plain", Article(url="https://biasa.example/1", domain="biasa.example",
                                              title="Berita biasa", body=(Block("paragraph", "Isi biasa."),)))
    return path


def test_cli_csv_export_escapes_every_text_column(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["export", "--format", "csv", "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert len(rows) == len(FORMULAS) + 1
    formula_rows = [r for r in rows if r["domain"] == "rumus.example"]
    assert sorted(r["title"] for r in formula_rows) == sorted("'" + v for v in FORMULAS)
    for row in formula_rows:
        for column in ("title", "lead", "site_name", "section", "authors", "tags", "dateline", "text"):
            assert row[column].startswith("'"), (column, row[column])
    plain = next(r for r in rows if r["domain"] == "biasa.example")
    assert plain["title"] == "Berita biasa" and plain["text"] == "Isi biasa."
    out = tmp_path / "out.csv"  # the same through --out
    runner.invoke(cli, ["export", "--format", "csv", "--db", str(db), "--out", str(out)], catch_exceptions=False)
    assert list(csv.DictReader(out.open(newline="", encoding="utf8"))) == rows


def test_jsonl_and_parquet_keep_the_values(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["export", "--format", "jsonl", "--db", str(db)], catch_exceptions=False)
    titles = {json.loads(line)["title"] for line in result.stdout.splitlines()}
    assert set(FORMULAS) <= titles
    pq = pytest.importorskip("pyarrow.parquet", reason="parquet export needs pyarrow (the test extra has it)")
    out = tmp_path / "out.parquet"
    runner.invoke(cli, ["export", "--format", "parquet", "--db", str(db), "--out", str(out)], catch_exceptions=False)
    assert set(FORMULAS) <= set(pq.read_table(out).column("title").to_pylist())
