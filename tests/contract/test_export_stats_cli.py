"""``warta export`` and ``warta stats`` on ``--db postgresql://...`` answer as on a SQLite file
holding the same articles (same ids, same timestamps)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pg_support import pg_url, reset_pg
from test_store_contract import article

from warta.cli.main import cli
from warta.store.backends import open_article_store
from warta.store.sqlite import StoredArticle

SITES = ("a.example", "b.example")


def records() -> list[StoredArticle]:
    out = []
    for n in range(1, 13):
        a = article(n, domain=SITES[n % 2], title=f"=Judul {n}" if n == 3 else f"Judul {n}",
                    published=None if n == 7 else f"2024-03-{n:02d}T10:00:00+07:00")
        out.append(StoredArticle(n, f"k{n}", a, f"2024-03-{n:02d}T04:00:00+00:00", f"2024-03-{n:02d}T05:00:00+00:00",
                                 None))
    return out


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    url = pg_url()
    reset_pg(url)
    lite = str(tmp_path_factory.mktemp("export") / "w.db")
    for db in (lite, url):
        with open_article_store(db) as store:
            for record in records():
                store.import_article(record, None)
    return lite, url


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("args", [(), ("--since", "2024-03-04", "--until", "2024-03-09"), ("--site", "b.example")])
def test_export_jsonl_and_csv_are_the_same(dbs: tuple[str, str], args: tuple[str, ...]) -> None:
    lite, pg = dbs
    lite_jsonl = [json.loads(x) for x in run("export", "--db", lite, *args).splitlines()]
    pg_jsonl = [json.loads(x) for x in run("export", "--db", pg, *args).splitlines()]
    assert pg_jsonl == lite_jsonl and pg_jsonl  # equal as JSON (jsonb reorders keys inside provenance)
    assert all(r["cluster_id"] == str(r["id"]) and r["is_original"] for r in pg_jsonl)  # never deduplicated
    lite_csv = run("export", "--db", lite, "--format", "csv", *args)
    assert run("export", "--db", pg, "--format", "csv", *args) == lite_csv
    rows = list(csv.DictReader(io.StringIO(lite_csv)))
    assert [r["url_key"] for r in rows] == [r["url_key"] for r in pg_jsonl]
    if not args:
        assert len(rows) == 12 and rows[2]["title"] == "'=Judul 3"  # formula guard on both


def test_export_parquet_is_the_same(dbs: tuple[str, str], tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    tables = []
    for n, db in enumerate(dbs):
        out = tmp_path / f"{n}.parquet"
        CliRunner().invoke(cli, ["export", "--db", db, "--format", "parquet", "--out", str(out)], catch_exceptions=False)
        tables.append(pq.read_table(out).to_pylist())
    assert tables[0] == tables[1] and len(tables[0]) == 12


def test_stats_are_the_same_on_both_backends(dbs: tuple[str, str]) -> None:
    lite, pg = dbs
    a, b = (json.loads(run("stats", "--db", db, "--json")) for db in (lite, pg))
    assert (a["backend"], b["backend"]) == ("sqlite", "postgresql")
    for key in ("articles", "captures", "sites", "jobs", "runs", "sources"):
        assert a[key] == b[key], key
    assert a["articles"] == 12 and sorted(s["site"] for s in a["sites"]) == list(SITES)
    assert "note" not in a and "note" not in b  # both keep a crawl frontier (empty here)
    text = run("stats", "--db", pg)
    assert text.startswith("articles: 12   captures: 0") and "no crawl jobs" not in text
