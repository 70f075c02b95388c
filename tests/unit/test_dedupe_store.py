"""Verdicts, clusters and originals in a real SQLite store, across reopenings."""

from __future__ import annotations

import json
import random
from pathlib import Path

from warta.dedupe import assign, cluster_info, get_cluster, list_clusters, on_stored, verdict_of
from warta.dedupe.evalgen import Item, load_material, make_copy, make_templates
from warta.model import Article, Block, VerdictKind
from warta.store.sqlite import Store

BENCH = Path(__file__).parents[1] / "fixtures" / "dedupe" / "bench"


def story() -> dict[str, str]:
    line = (BENCH / "indonesian" / "truth.jsonl").read_text("utf-8").splitlines()[0]
    row: dict[str, str] = json.loads(line)
    return row


def article(url: str, text: str, published: str | None) -> Article:
    domain = url.split("/")[2]
    blocks = tuple(Block("paragraph", p) for p in text.split("\n\n") if p.strip())
    return Article(url=url, domain=domain, title=url, published=published, body=blocks)


def put(store: Store, art: Article) -> int:
    assert art.url
    aid, _ = store.upsert_article(art.url, art)
    on_stored(store, aid, art)
    return aid


def copy_text(row: dict[str, str], n: int, tier: str = "easy") -> str:
    base = Item(row["id"], row["body"], row["id"], "base", row["site"], row["lang"])
    return make_copy(base, n, tier, random.Random(n), load_material()).text


def test_three_urls_two_sites_one_cluster_with_the_earliest_original(tmp_path: Path) -> None:
    row = story()
    db = tmp_path / "w.db"
    with Store(db) as store:
        first = put(store, article("https://site-a.test/1", row["body"], "2024-03-01T10:00:00+07:00"))
        exact = put(store, article("https://site-a.test/amp/1", row["body"], "2024-03-01T11:00:00+07:00"))
        # stored last, but published first: 02:30 UTC is 09:30 in Jakarta, before 10:00+07:00
        near = put(store, article("https://site-b.test/x", copy_text(row, 1, "hard"), "2024-03-01T02:30:00+00:00"))
        other = put(store, article("https://site-b.test/y", copy_text(story() | {"body": _other()}, 2), None))
        assert verdict_of(store, first) is not None and verdict_of(store, first).kind is VerdictKind.NEW  # type: ignore[union-attr]
        assert verdict_of(store, exact).kind is VerdictKind.EXACT  # type: ignore[union-attr]
        v = verdict_of(store, near)
        assert v is not None and v.kind is VerdictKind.NEAR and v.of in {str(first), str(exact)} and 0.3 < v.score < 1
        info = cluster_info(store, [first, exact, near, other])
        assert info[first][0] == info[exact][0] == info[near][0] != info[other][0]
        assert [a for a, (_, orig) in info.items() if orig and a != other] == [near]
        (c,) = list_clusters(store)
        assert c.size == 3 and c.original_id == near
        assert {m.url.split("/")[2] for m in c.members if m.url} == {"site-a.test", "site-b.test"}
    with Store(db) as store:  # the index persists: a copy stored tomorrow joins the same cluster
        late = put(store, article("https://site-c.test/z", copy_text(row, 7), "2024-03-02T08:00:00+07:00"))
        assert cluster_info(store, [late])[late][0] == str(first)
        assert get_cluster(store, first).size == 4  # type: ignore[union-attr]


def _other() -> str:
    line = (BENCH / "indonesian" / "truth.jsonl").read_text("utf-8").splitlines()[1]
    body: str = json.loads(line)["body"]
    return body


def test_reassign_is_idempotent_and_edits_move_an_article(tmp_path: Path) -> None:
    row = story()
    with Store(tmp_path / "w.db") as store:
        a = put(store, article("https://a.test/1", row["body"], None))
        b = put(store, article("https://b.test/1", _other(), None))
        art_b = article("https://b.test/1", _other(), None)
        assert assign(store, b, art_b) == assign(store, b, art_b)
        moved = article("https://b.test/1", copy_text(row, 3), None)
        store.upsert_article("https://b.test/1", moved)
        assert assign(store, b, moved).cluster_id == str(a)
        assert store.conn.execute("SELECT COUNT(*) FROM dedupe_bands WHERE article_id=?", (b,)).fetchone()[0] == 32


def test_templated_reports_stay_apart_in_the_store(tmp_path: Path) -> None:
    fam = [t for t in make_templates(random.Random(5), load_material()) if t.story.startswith("template/market-id")]
    with Store(tmp_path / "w.db") as store:
        for k, t in enumerate(fam[:12]):
            put(store, article(f"https://bursa.test/{k}", t.text, f"2024-01-{k + 1:02d}"))
        assert list_clusters(store) == []


def test_clusters_since_filters_by_date(tmp_path: Path) -> None:
    row = story()
    with Store(tmp_path / "w.db") as store:
        put(store, article("https://a.test/1", row["body"], "2020-01-01"))
        put(store, article("https://b.test/1", copy_text(row, 1), "2020-01-02"))
        assert len(list_clusters(store, since="2020-01-02")) == 1
        assert list_clusters(store, since="2021-01-01") == []


def test_dedupe_command_gives_verdicts_to_articles_stored_without_one(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from warta.cli.main import cli

    row = story()
    db = tmp_path / "w.db"
    with Store(db) as store:
        a = put(store, article("https://a.test/1", row["body"], "2024-03-02"))  # with a verdict (a crawl)
        for url, text, day in (("https://b.test/1", copy_text(row, 1, "hard"), "2024-03-01"), ("https://c.test/1", _other(), None)):
            store.upsert_article(url, article(url, text, day))  # without one (a batch job, an older warta)
    out = CliRunner().invoke(cli, ["dedupe", "--db", str(db), "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output) == {"articles": 3, "assigned": {"new": 1, "exact": 0, "near": 1}, "already": 1}
    with Store(db) as store:
        (c,) = list_clusters(store)
        assert c.original_id != a and {m.url for m in c.members} == {"https://a.test/1", "https://b.test/1"}
    again = CliRunner().invoke(cli, ["dedupe", "--db", str(db)])
    assert again.exit_code == 0 and "0 new, 0 exact, 0 near; 3 already had a verdict" in again.output
    missing = CliRunner().invoke(cli, ["dedupe", "--db", str(tmp_path / "typo.db")])
    assert missing.exit_code == 1 and "no store at" in missing.output and not (tmp_path / "typo.db").exists()
