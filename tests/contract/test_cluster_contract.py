"""The dedupe stage on both backends: the same articles give the same clusters, originals,
verdicts and revisions on SQLite and PostgreSQL (the labelled dedupe fixtures, fed through the
crawl's ``on_stored``)."""

from __future__ import annotations

import json
import random
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pg_support import pg_url, reset_pg

from warta.dedupe import cluster_info, get_cluster, history, list_clusters, on_stored, verdict_of
from warta.dedupe.evalgen import Item, generate
from warta.dedupe.fingerprint import band_keys, fingerprint
from warta.dedupe.normalize import normalise_article
from warta.model import Article, Block, VerdictKind
from warta.store.backends import open_article_store, open_cluster_store
from warta.store.protocols import ArticleStore, ClusterStore

BENCH = Path(__file__).parents[1] / "fixtures" / "dedupe" / "bench"


def to_article(item: Item, n: int) -> Article:
    rng = random.Random(n)
    published = rng.choice([None, f"2024-03-{n % 27 + 1:02d}T{n % 24:02d}:00:00+07:00",
                            f"2024-03-{n % 27 + 1:02d}T{n % 24:02d}:30:00+00:00"])
    return Article(url=f"https://{item.site.replace(' ', '-').lower() or 'x'}.test/{n}", domain=f"s{n % 5}.test",
                   title=item.id, published=published,
                   body=tuple(Block("paragraph", p) for p in item.text.split("\n\n") if p.strip()))


def feed() -> list[tuple[str, Article]]:
    """The hard tier (bases, rewritten copies, templated negatives) in a shuffled order, plus exact
    copies, and two articles whose content changes after they were stored (revisions)."""
    items = generate(BENCH, "hard")
    arts = [(f"k{n}", to_article(item, n)) for n, item in enumerate(items)]
    random.Random(12).shuffle(arts)
    exact = [(f"{key}-amp", art) for key, art in arts[:6]]
    first, second = arts[0], arts[7]
    changed = [(first[0], Article(url=first[1].url, title="Judul diperbarui", published=first[1].published,
                                  body=(*first[1].body[:-1], Block("paragraph", "Paragraf tambahan.")))),
               (second[0], Article(url=second[1].url, title=second[1].title,
                                   body=(Block("paragraph", "Seluruhnya diganti."),)))]
    return arts + exact + changed


def put(store: ArticleStore, key: str, art: Article) -> int:
    with store.transaction():  # as the crawl does: the article and its verdict in one commit
        aid, _ = store.upsert_article(key, art)
        on_stored(store, aid, art)
    return aid


def snapshot(store: ArticleStore, revised: list[str]) -> dict[str, Any]:
    """Everything the dedupe stage decided, named by url keys (independent of the ids a backend
    assigns); a cluster is named by its members' keys, a copy of a deleted article by None."""
    key_of = {s.id: s.url_key for s in store.iter_articles()}
    ids = sorted(key_of)
    cs = open_cluster_store(store)
    members: dict[int, list[str]] = {}
    for aid, cid in cs.cluster_ids(ids).items():
        members.setdefault(cid, []).append(key_of[aid])
    members = {cid: sorted(keys) for cid, keys in members.items()}
    verdicts = {}
    for aid in ids:
        v = verdict_of(store, aid)
        assert v is not None
        verdicts[key_of[aid]] = (v.kind.value, v.of and key_of.get(int(v.of)), round(v.score, 9),
                                 members[int(v.cluster_id)])
    info = {key_of[a]: (members[int(c)], orig) for a, (c, orig) in cluster_info(store, ids).items()}
    clusters = [(key_of[c.original_id], [key_of[m.article_id] for m in c.members]) for c in list_clusters(store)]
    of = {key_of[a]: [(key_of[m.article_id], m.is_original, m.verdict) for m in cs.cluster_of(a)] for a in ids}
    copies = {key_of[a]: [key_of[m.article_id] for m in ms] for a, ms in cs.copies_of(ids).items()}
    versions = {k: [(v.version, v.title, v.text, v.diff.splitlines()[2:]) for v in history(store, k)] for k in revised}
    return {"verdicts": verdicts, "info": info, "clusters": clusters, "cluster_of": of, "copies": copies,
            "versions": versions, "has_copies": cs.has_copies(),
            "since": sorted(members[c] for c in cs.clusters_with(2, "2024-03-20"))}


def test_same_articles_give_the_same_clusters_on_sqlite_and_postgresql(tmp_path: Path) -> None:
    url = pg_url()
    reset_pg(url)
    arts = feed()
    revised = [arts[-2][0], arts[-1][0]]
    snaps = []
    for backend in ("sqlite", "postgresql"):
        with open_article_store(tmp_path / "a.db" if backend == "sqlite" else url) as store:
            for key, art in arts:
                put(store, key, art)
            snaps.append(snapshot(store, revised))
    lite, pg = snaps
    assert lite == pg
    kinds = [v[0] for v in lite["verdicts"].values()]  # the fixtures exercise every verdict
    assert kinds.count("exact") >= 6 and kinds.count("near") >= 20 and kinds.count("new") >= 50
    assert len(lite["clusters"]) >= 12 and lite["has_copies"] and lite["since"]
    assert any(orig != keys[0] for orig, keys in lite["clusters"])  # an original that is not the first stored
    assert [len(v) for v in lite["versions"].values()] == [2, 2]
    assert lite["versions"][revised[0]][1][1] == "Judul diperbarui"


def test_delete_removes_the_fingerprint(store: ArticleStore) -> None:
    body = (Block("paragraph", "Banjir besar melanda Jakarta sejak pagi hari. Ribuan warga mengungsi ke"
                               " tempat yang lebih tinggi dan aman, kata petugas di lapangan."),)
    a = put(store, "a", Article(url="https://a.test/1", body=body))
    b = put(store, "b", Article(url="https://b.test/1", body=body))
    cs = open_cluster_store(store)
    assert verdict_of(store, b).of == str(a)  # type: ignore[union-attr]
    keys = band_keys(fingerprint(normalise_article(Article(body=body))).sig).ravel()
    assert a in cs.band_matches(keys, exclude=-1)
    assert store.delete_article("a")
    assert cs.get_doc(a) is None and a not in cs.band_matches(keys, exclude=-1)
    assert cs.cluster_flags([a]) == {}
    c = put(store, "c", Article(url="https://c.test/1", body=body))
    v = verdict_of(store, c)
    assert v is not None and v.kind is VerdictKind.EXACT and v.of == str(b)  # a copy of what is still stored


def test_an_upsert_that_changes_content_keeps_the_old_version(store: ArticleStore) -> None:
    first = Article(url="https://a.test/emas", title="Harga emas", body=(Block("paragraph", "Harga emas naik."),))
    put(store, "k", first)
    assert [v.version for v in history(store, "https://a.test/emas")] == [1]
    assert not open_cluster_store(store).has_revisions("k")  # version 1 is the article row itself
    put(store, "k", Article(url=first.url, title="Harga emas", body=(Block("paragraph", "Harga emas turun."),)))
    versions = history(store, "k")
    assert [(v.version, v.text) for v in versions] == [(1, "Harga emas naik."), (2, "Harga emas turun.")]
    assert "-Harga emas naik." in versions[1].diff and "+Harga emas turun." in versions[1].diff


def test_revisit_schedule(store: ArticleStore) -> None:
    from warta.dedupe import due_for_revisit, mark_revisited

    store.upsert_article("k1", Article(url="https://a.test/1", title="Satu"))
    stored = store.get_article_by_key("k1")
    assert stored is not None
    seen = datetime.fromisoformat(stored.first_seen)
    sched = [timedelta(hours=1), timedelta(days=1)]
    assert due_for_revisit(store, sched, seen + timedelta(minutes=30)) == []
    assert due_for_revisit(store, sched, seen + timedelta(hours=2)) == ["https://a.test/1"]
    mark_revisited(store, "k1", (seen + timedelta(hours=2)).isoformat())
    mark_revisited(store, "k1", (seen + timedelta(minutes=1)).isoformat())  # an older visit changes nothing
    assert due_for_revisit(store, sched, seen + timedelta(hours=3)) == []
    assert due_for_revisit(store, sched, seen + timedelta(days=2)) == ["https://a.test/1"]
    assert list(open_cluster_store(store).iter_revisits()) == [("k1", (seen + timedelta(hours=2)).isoformat())]


def test_a_rolled_back_store_leaves_no_verdict(store: ArticleStore) -> None:
    art = Article(url="https://a.test/1", body=(Block("paragraph", "Satu dua tiga empat lima enam tujuh delapan."),))
    with pytest.raises(RuntimeError), store.transaction():
        aid, _ = store.upsert_article("k", art)
        on_stored(store, aid, art)
        raise RuntimeError("abort")
    cs: ClusterStore = open_cluster_store(store)
    assert store.count_articles() == 0 and cs.get_docs([aid]) == [] and not cs.has_copies()
    assert get_cluster(store, aid) is None


def test_concurrent_writers_see_each_other(tmp_path: Path) -> None:
    """PostgreSQL: four workers store the same story at once, each in its own transaction; the
    cluster lock makes each see the fingerprints committed before it (one cluster, one original)."""
    from warta.store.postgres import PostgresArticleStore

    url = pg_url()
    reset_pg(url)
    body = (Block("paragraph", "Gempa bumi berkekuatan besar mengguncang wilayah selatan pada dini hari tadi,"
                               " warga berlarian keluar rumah."),)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []
    with PostgresArticleStore(url, max_connections=6) as store:

        def worker(n: int) -> None:
            try:
                art = Article(url=f"https://s{n}.test/1", body=body)
                with store.transaction():
                    aid, _ = store.upsert_article(f"k{n}", art)
                    barrier.wait(10)
                    on_stored(store, aid, art)
                    threading.Event().wait(0.3)  # hold the transaction open: others must wait, not miss it
            except BaseException as exc:  # noqa: BLE001 - asserted below
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert errors == []
        (cluster,) = list_clusters(store)
        assert cluster.size == 4 and sum(m.is_original for m in cluster.members) == 1
        assert sorted(m.verdict for m in cluster.members) == ["exact", "exact", "exact", "new"]


def test_a_version_1_database_is_migrated_with_its_articles(tmp_path: Path) -> None:
    """PostgreSQL: a database made before the dedupe tables gets them on open, articles kept."""
    import psycopg

    from warta.store.postgres import SCHEMA_VERSION, PostgresArticleStore

    url = pg_url()
    reset_pg(url)
    PostgresArticleStore(url).close()
    from warta.store.pg_frontier_schema import FRONTIER_TABLES

    with psycopg.connect(url, autocommit=True) as conn:  # back to the layout of schema version 1
        conn.execute("DROP VIEW outcomes")
        conn.execute(f"DROP TABLE dedupe_docs, dedupe_bands, revisions, revisits, {', '.join(FRONTIER_TABLES)}")
        conn.execute("DELETE FROM schema_version WHERE version > 1")
        conn.execute("INSERT INTO articles(url_key, data, first_seen, updated_at) VALUES ('old', '{}', 'x', 'x')")
    with PostgresArticleStore(url) as store:
        assert store.schema_version() == SCHEMA_VERSION and store.has_article("old")
        aid = put(store, "new", Article(url="https://a.test/n", body=(Block("paragraph", "Kata kata kata."),)))
        assert verdict_of(store, aid) is not None


def _decisions(db: str) -> dict[str, Any]:
    with open_article_store(db, create=False) as store:
        revised = [s.url_key for s in store.iter_articles()
                   if open_cluster_store(store).has_revisions(s.url_key)]
        snap = snapshot(store, revised)
        snap["bands"] = sorted((store.get_article(a).url_key, k)  # type: ignore[union-attr]
                               for a, k in open_cluster_store(store).iter_band_keys())
        snap["revisits"] = list(open_cluster_store(store).iter_revisits())
        return snap


def test_db_copy_keeps_clusters_and_revisions_both_ways(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from warta.cli.main import cli

    url = pg_url()
    reset_pg(url)
    src, back = tmp_path / "src.db", tmp_path / "back.db"
    arts = feed()
    with open_article_store(src) as store:
        for key, art in arts[:60] + arts[-8:]:
            put(store, key, art)
        store.delete_article(arts[1][0])  # a cluster may lose the article it was named after
    runner = CliRunner()
    there = runner.invoke(cli, ["db", "copy", str(src), url, "--json"])
    assert there.exit_code == 0, there.output
    report = json.loads(there.output.splitlines()[0])
    assert report["fingerprints"] == report["articles"] == 65 and report["revisions"] == 4  # 66 stored, 1 deleted
    assert not {"dedupe_docs", "dedupe_bands", "revisions", "revisits"} & set(report["not_copied"])
    assert runner.invoke(cli, ["db", "copy", url, str(back)]).exit_code == 0
    want = _decisions(str(src))
    assert len(want["bands"]) == 65 * 32 and want["revisits"] and want["clusters"]
    assert _decisions(url) == want
    assert _decisions(str(back)) == want


def test_dedupe_clusters_and_history_commands_take_a_postgres_url(tmp_path: Path) -> None:
    """``warta dedupe`` gives verdicts to articles stored without them; ``warta clusters`` and
    ``warta history`` answer the same from a SQLite file and from PostgreSQL."""
    from click.testing import CliRunner

    from warta.cli.main import cli

    url = pg_url()
    reset_pg(url)
    arts = feed()[:40]
    db = tmp_path / "w.db"
    runner = CliRunner()
    out: dict[str, list[str]] = {}
    for target in (str(db), url):
        with open_article_store(target) as store:
            for key, art in arts[:30]:
                store.upsert_article(key, art)  # stored without a verdict (as a batch job might)
            for key, art in arts[30:]:
                put(store, key, art)
        first = runner.invoke(cli, ["dedupe", "--db", target, "--json"])
        assert first.exit_code == 0, first.output
        assert json.loads(first.output)["already"] == 10 and sum(json.loads(first.output)["assigned"].values()) == 30
        again = runner.invoke(cli, ["dedupe", "--json"], env={"WARTA_DB": target})
        assert json.loads(again.output) == {"articles": 40, "assigned": {"new": 0, "exact": 0, "near": 0},
                                            "already": 40}
        listed = runner.invoke(cli, ["clusters", "--db", target, "--json"])
        hist = runner.invoke(cli, ["history", arts[0][1].url or "", "--db", target, "--json"])
        assert listed.exit_code == 0 and hist.exit_code == 0, listed.output + hist.output
        out[target] = [listed.output, hist.output.split('"fetched_at"')[0]]
    assert out[str(db)] == out[url] and out[url][0].count("cluster_id") >= 1
