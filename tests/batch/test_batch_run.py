"""warta batch over generated WARC files and a text dump: store, Parquet shards, the shard table,
odd records, and near-duplicate clusters across shards."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import warcfiles
from cleantexts import HEADLINE, PROSE
from warta.batch.clusters import cluster_shards
from warta.batch.run import run_batch
from warta.batch.shards import Part, expand
from warta.batch.warc import WarcPage, read_warc
from warta.cli.main import cli
from warta.dedupe.batch import cluster
from warta.errors import InputError, StoreError
from warta.execute.local import LocalExecutor
from warta.extract.core import extract
from warta.model import Article, Skip, SkipReason
from warta.store.backends import open_article_store
from warta.store.sqlite import Store


@pytest.fixture(scope="module")
def executor() -> LocalExecutor:
    with LocalExecutor(2) as ex:
        yield ex  # type: ignore[misc]


def test_warc_reader_passes_odd_records_as_skips(tmp_path: Path) -> None:
    path = warcfiles.write_warc(tmp_path / "odd.warc.gz", list(warcfiles.many_pages(3)), odd=True, truncate=True)
    records = list(read_warc(path))
    pages = [r for _, r in records if isinstance(r, WarcPage)]
    skips = {r.url: r for _, r in records if isinstance(r, Skip)}
    # request and warcinfo records are not responses; the 3 pages and the lying-charset page are
    assert [p.url for p in pages] == [f"https://news.example.id/berita/{i}" for i in range(3)] + ["https://example.id/kopi"]
    assert skips["https://example.id/logo.png"].reason is SkipReason.NOT_AN_ARTICLE
    assert "image/png" in skips["https://example.id/logo.png"].detail
    assert skips["https://example.id/truncated"].reason is SkipReason.UNREADABLE
    assert "truncated" in skips["https://example.id/truncated"].detail
    lying = extract(pages[-1].body, pages[-1].url, content_type=pages[-1].content_type)
    assert isinstance(lying, Article)
    assert "“langkah penting”" in lying.text and "Ã" not in lying.text  # decoded as UTF-8 despite the header


def test_unreadable_tail_is_recorded_not_raised(tmp_path: Path) -> None:
    path = warcfiles.write_warc(tmp_path / "x.warc.gz", list(warcfiles.many_pages(2)))
    path.write_bytes(path.read_bytes() + b"\x1f\x8b\x08\x00garbage that is not gzip")
    records = list(read_warc(path))
    assert sum(isinstance(r, WarcPage) for _, r in records) == 2
    assert all(r.reason is SkipReason.UNREADABLE for _, r in records if isinstance(r, Skip))


def _warcs(tmp_path: Path) -> Path:
    warcfiles.write_warc(tmp_path / "a.warc.gz", list(warcfiles.many_pages(5)), odd=True, truncate=True)
    warcfiles.write_warc(tmp_path / "b.warc.gz", list(warcfiles.many_pages(4, "other.example.id")))
    (tmp_path / "warc.paths").write_text("a.warc.gz\nb.warc.gz\n")
    return tmp_path / "warc.paths"


def test_batch_writes_store_and_parquet_and_a_rerun_skips_finished_shards(tmp_path: Path, executor: LocalExecutor) -> None:
    paths = _warcs(tmp_path)
    db, out = tmp_path / "w.db", tmp_path / "out"
    report = run_batch([str(paths)], executor, db=db, out=out, timeout=30)
    assert report.articles == 5 + 1 + 4  # the lying-charset page is an article too
    assert report.skips == {"not an article": 1, "unreadable": 1}
    with Store(db) as store:
        assert store.count_articles() == 10
        stored = {s.article.url: s.article for s in store.iter_articles()}
    expected = dict(warcfiles.many_pages(5))
    for url, html in expected.items():
        single = extract(html, url, content_type="text/html; charset=utf-8")
        assert isinstance(single, Article) and stored[url] == single  # the same article as one extract call
    files = sorted(out.glob("*.parquet"))
    assert len(files) == 2
    rows = [r for f in files for r in pq.read_table(f).to_pylist()]
    assert len(rows) == 12 and sum(r["skip"] is not None for r in rows) == 2
    again = run_batch([str(paths)], executor, db=db, out=out, timeout=30)
    assert again.shards == [] and again.skipped_shards == ["a.warc.gz", "b.warc.gz"]


def test_batch_cleans_a_jsonl_text_dump(tmp_path: Path, executor: LocalExecutor) -> None:
    text = HEADLINE + "\n\n" + "\n\n".join(PROSE)
    docs = [{"id": f"d{i}", "url": f"https://kabar.example.id/berita/{i}", "text": text} for i in range(4)]
    docs.append({"id": "empty", "text": "   "})
    corpus = tmp_path / "dump.jsonl"
    corpus.write_text("\n".join(json.dumps(d) for d in docs) + "\n")
    report = run_batch([str(corpus)], executor, out=tmp_path / "out", timeout=30)
    assert report.articles == 4 and report.skips == {"empty": 1}
    rows = {r["id"]: r for r in pq.read_table(next((tmp_path / "out").glob("*.parquet"))).to_pylist()}
    assert rows["d2"]["url"] == "https://kabar.example.id/berita/2" and PROSE[1] in rows["d2"]["text"]


def test_bad_inputs_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        expand([str(tmp_path / "notes.docx")])
    (tmp_path / "x.paths").write_text("a.warc.gz\na.warc.gz\n")
    with pytest.raises(InputError):
        expand([str(tmp_path / "x.paths")])


WORDS = ("harga beras naik pasar pedagang pemerintah menteri kebijakan petani kopi ekonomi daerah banjir jalan "
         "kota warga sekolah guru murid rumah sakit dokter pasien listrik air bersih desa kabupaten provinsi").split()


def _corpus(seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    items: list[tuple[str, str]] = []
    for story in range(12):
        sentences = [" ".join(rng.choice(WORDS) for _ in range(14)) + f" {story * 100 + s}." for s in range(8)]
        for copy in range(1 + story % 3):
            edited = list(sentences)
            if copy:
                edited[rng.randrange(8)] = " ".join(rng.choice(WORDS) for _ in range(14)) + "."
            items.append((f"s{story:02d}-c{copy}", "\n\n".join(edited)))
    rng.shuffle(items)
    return items


def test_clusters_across_shards_equal_single_process_clusters(executor: LocalExecutor) -> None:
    items = _corpus()
    shards = [items[i::3] for i in range(3)]
    distributed = cluster_shards(executor, shards)
    assert distributed == cluster(items)
    groups: dict[str, set[str]] = {}
    for ident, name in distributed.items():
        groups.setdefault(name, set()).add(ident)
    multi = [g for g in groups.values() if len(g) > 1]
    assert multi, "the corpus must have near-duplicate clusters"
    shard_of = {ident: n for n, shard in enumerate(shards) for ident, _ in shard}
    assert any(len({shard_of[i] for i in g}) > 1 for g in multi), "some cluster must span shards"


def test_cli_batch_with_prefix_and_clusters(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    _warcs(data)
    listing = tmp_path / "warc.paths.gz"
    import gzip

    listing.write_bytes(gzip.compress(b"a.warc.gz\nb.warc.gz\n"))
    out = tmp_path / "out"
    args = ["batch", str(listing), "--prefix", str(data), "--workers", "2", "--out", str(out), "--clusters",
            "--db", str(tmp_path / "c.db")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["articles"] == 10 and summary["shards_run"] == 2
    clusters = [json.loads(line) for line in (out / "clusters.jsonl").read_text().splitlines()]
    assert len(clusters) == 10 and summary["clusters"] == len({c["cluster"] for c in clusters}) < 10
    result = CliRunner().invoke(cli, ["batch", str(listing), "--prefix", str(data), "--out", str(out)])
    assert json.loads(result.output)["shards_already_done"] == 2
    bad = CliRunner().invoke(cli, ["batch", str(listing), "--prefix", str(data)])
    assert bad.exit_code != 0 and "--db" in bad.output


def test_two_drivers_with_a_part_each_run_every_warc_shard_once(tmp_path: Path, executor: LocalExecutor) -> None:
    paths = _warcs(tmp_path)
    db = tmp_path / "p.db"
    one = run_batch([str(paths)], executor, db=db, timeout=30, part=Part(1, 2))
    two = run_batch([str(paths)], executor, db=db, timeout=30, part=Part(2, 2))
    assert [s.shard for s in one.shards] == ["a.warc.gz"] and [s.shard for s in two.shards] == ["b.warc.gz"]
    assert run_batch([str(paths)], executor, db=db, timeout=30).skipped_shards == ["a.warc.gz", "b.warc.gz"]
    with Store(db) as store:
        assert store.count_articles() == 10


def test_warc_batch_into_a_postgresql_store_keeps_its_shard_table_inside(tmp_path: Path, executor: LocalExecutor) -> None:
    from test_batch_captures import empty_pg

    url = empty_pg()
    paths = _warcs(tmp_path)
    report = run_batch([str(paths)], executor, db=url, timeout=30)
    assert report.articles == 10 and not list(tmp_path.glob("*.sqlite"))
    with open_article_store(url) as store:
        assert store.count_articles() == 10
    assert run_batch([str(paths)], executor, db=url, timeout=30).skipped_shards == ["a.warc.gz", "b.warc.gz"]


def test_warc_and_text_dump_shards_share_one_stream_and_a_shard_of_skips_finishes(
    tmp_path: Path, executor: LocalExecutor
) -> None:
    warcfiles.write_warc(tmp_path / "a.warc.gz", list(warcfiles.many_pages(3)))
    warcfiles.write_warc(tmp_path / "none.warc.gz", [], odd=True)  # no page: skips only
    text = HEADLINE + "\n\n" + "\n\n".join(PROSE)
    docs = [{"id": "same", "url": f"https://kabar.example.id/berita/{i}", "text": text} for i in range(3)]
    (tmp_path / "dump.jsonl").write_text("\n".join(json.dumps(d) for d in docs) + "\n")  # one id thrice
    inputs = [str(tmp_path / n) for n in ("a.warc.gz", "none.warc.gz", "dump.jsonl")]
    report = run_batch(inputs, executor, db=tmp_path / "m.db", out=tmp_path / "out", timeout=30)
    counts = {s.shard: s.counts() for s in report.shards}
    assert counts[inputs[0]]["articles"] == 3
    assert counts[inputs[1]]["articles"] == 1 and counts[inputs[1]]["skips"] == {"not an article": 1}  # lying charset
    assert counts[inputs[2]]["articles"] == 3  # repeated ids are three documents, cleaned, not extracted
    with Store(tmp_path / "m.db") as store:
        urls = {s.article.url for s in store.iter_articles()}
    assert {f"https://kabar.example.id/berita/{i}" for i in range(3)} <= urls and len(urls) == 7
    assert len(list((tmp_path / "out").glob("*.parquet"))) == 3


def test_a_store_that_fails_mid_batch_leaves_its_shard_unfinished_and_a_rerun_loses_nothing(
    tmp_path: Path, executor: LocalExecutor
) -> None:
    paths = _warcs(tmp_path)
    db = tmp_path / "w.db"
    Store(db).close()
    with sqlite3.connect(db) as conn:  # a real SQLite failure on one article's insert
        conn.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON articles WHEN NEW.url = 'https://other.example.id/berita/2' "
            "BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END"
        )
    with pytest.raises(StoreError, match="refused by the test trigger"):
        run_batch([str(paths)], executor, db=db, timeout=30)
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER refuse")
    again = run_batch([str(paths)], executor, db=db, timeout=30)
    assert "b.warc.gz" in {s.shard for s in again.shards}  # the failed shard was not marked finished
    with Store(db) as store:
        assert store.count_articles() == 10
