"""``warta db copy``: a crawled SQLite collection -> PostgreSQL -> SQLite comes back equal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pg_support import pg_url, reset_pg

from warta.cli.main import cli
from warta.model import Article, Block, Capture
from warta.store.backends import open_article_store
from warta.store.protocols import ArticleStore


def snapshot(store: ArticleStore) -> list[tuple[object, ...]]:
    """Everything a copy must keep, independent of the ids the destination assigns."""
    out: list[tuple[object, ...]] = []
    for record in store.iter_articles():
        cap = store.get_capture(record.capture_id) if record.capture_id is not None else None
        out.append((record.url_key, record.article.to_dict(), record.first_seen, record.updated_at, cap))
    return out


def captures(store: ArticleStore) -> list[tuple[str, Capture]]:
    return [(c.url_key, c.capture) for c in store.iter_captures()]


def crawled_store(tmp_path: Path) -> Path:
    """A real collection: the bundled demo site crawled, plus edge cases a crawl does not produce."""
    db = tmp_path / "src.db"
    result = CliRunner().invoke(cli, ["demo", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    with open_article_store(db) as store:
        assert store.count_articles() >= 5
        odd = Article(url=None, title="Kutipan \u201cpenting\u201d \U0001F600 \u00e9\u00e8", language=None,
                      body=(Block("paragraph", "baris\tsatu\n\ndua \\ ' \" %s"),), provenance={"title": "text"})
        store.upsert_article("text:odd", odd)  # no capture, no url, no date
        extra = Capture("https://x.example/a", "https://x.example/a", 404, (), b"\x00\xff binary", "2024-01-01T00:00:00Z")
        store.add_capture("https://x.example/a", extra)  # a capture with no article, non-UTF-8 body
        store.add_capture("https://x.example/a", extra)  # two captures under one key: both kept
    return db


def test_sqlite_postgres_sqlite_roundtrip_is_lossless(tmp_path: Path) -> None:
    url = pg_url()
    reset_pg(url)
    src = crawled_store(tmp_path)
    back = tmp_path / "back.db"
    runner = CliRunner()
    there = runner.invoke(cli, ["db", "copy", str(src), url, "--json"])
    assert there.exit_code == 0, there.output
    report = json.loads(there.output.splitlines()[0])
    assert report["not_copied"]["frontier"] > 0  # named, not silently dropped
    again = runner.invoke(cli, ["db", "copy", url, str(back)])
    assert again.exit_code == 0, again.output
    with open_article_store(src) as a, open_article_store(url) as pg, open_article_store(back) as b:
        assert report["articles"] == a.count_articles() and report["captures"] == a.count_captures()
        assert snapshot(a) == snapshot(pg) == snapshot(b)
        assert captures(a) == captures(pg) == captures(b)
        for q in ("polisi", "film", "penting"):  # the copies are searchable, with the same hits
            want = sorted(h.url for h in a.search(q).hits)
            assert want and sorted(h.url for h in pg.search(q).hits) == want
            assert sorted(h.url for h in b.search(q).hits) == want


def test_copy_refuses_a_non_empty_destination(tmp_path: Path) -> None:
    url = pg_url()
    reset_pg(url)
    src = crawled_store(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "copy", str(src), url]).exit_code == 0
    again = runner.invoke(cli, ["db", "copy", str(src), url])
    assert again.exit_code != 0 and "empty store" in again.output
    with open_article_store(url) as pg, open_article_store(src) as a:
        assert pg.count_articles() == a.count_articles()  # nothing doubled


def test_db_info_and_same_store(tmp_path: Path) -> None:
    url = pg_url()
    reset_pg(url)
    out = CliRunner().invoke(cli, ["db", "info", url, "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output) == {"backend": "postgresql", "location": url, "articles": 0, "captures": 0,
                                      "schema_version": 2}
    same = CliRunner().invoke(cli, ["db", "copy", "x.db", "x.db"])
    assert same.exit_code != 0 and "same store" in same.output


def test_search_and_stats_take_a_postgres_url(tmp_path: Path) -> None:
    url = pg_url()
    reset_pg(url)
    src = crawled_store(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "copy", str(src), url]).exit_code == 0
    for db_args, env in ((["--db", str(src)], {}), (["--db", url], {}), ([], {"WARTA_DB": url})):
        out = runner.invoke(cli, ["search", *db_args, "polisi", "--json"], env=env)
        assert out.exit_code == 0, out.output
        hits = json.loads(out.output)
        assert hits["total"] >= 1 and all("polisi" in (h["snippet"] + (h["title"] or "")).lower()
                                          for h in hits["results"])
        # what the user sees, whatever ids the store assigned and however it ranks ties
        seen = sorted((h["url"], h["title"], h["published"], h["snippet"]) for h in hits["results"])
        if db_args == ["--db", str(src)]:
            want = (hits["total"], seen)
        else:
            assert (hits["total"], seen) == want
    stats = runner.invoke(cli, ["stats", "--json"], env={"WARTA_DB": url})
    assert stats.exit_code == 0, stats.output
    data = json.loads(stats.output)
    with open_article_store(src) as a:
        assert data["backend"] == "postgresql" and data["articles"] == a.count_articles()
        # the same counts; sites with equal counts may come in either order
        assert sorted(data["sites"]) == sorted([s["site"] or "", s["articles"]] for s in a.site_counts())


def test_commands_without_postgres_support_refuse_the_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A SQLite-only command given a postgresql:// URL says so instead of creating a file named "postgresql:"."""
    monkeypatch.chdir(tmp_path)  # the file would appear in the working directory
    runner = CliRunner()
    for args in (["export", "--db", "postgresql://u:pw@127.0.0.1:9/x"], ["reindex", "--db", "postgres://h/x"]):
        out = runner.invoke(cli, args)
        assert out.exit_code != 0 and "needs a SQLite file" in out.output and "pw" not in out.output, out.output
    assert list(tmp_path.iterdir()) == []
