"""The reader-facing pieces without a browser: human dates, collapsed search on a real store, the
JSON API's collapse option, snippet paragraph breaks, the chart's axes and the revision diff lines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from warta.store import search as fts
from warta.store.sqlite import Store
from warta.web.dates import human_date
from warta.web.render import day_chart, diff_lines, snippet_html

from .conftest import LiveServer
from .reader_data import NEW_SENTENCE, fill_reader_store


@pytest.mark.parametrize(
    "value, language, expected",
    [
        ("2016-02-23T15:06:00+07:00", "id", "Selasa, 23 Februari 2016 15:06 WIB"),
        ("2016-02-20T09:15:00+08:00", "id", "Sabtu, 20 Februari 2016 09:15 WITA"),
        ("2016-02-26T21:00:00+09:00", "id", "Jumat, 26 Februari 2016 21:00 WIT"),
        ("2016-02-23T15:06:00+05:30", "id", "Selasa, 23 Februari 2016 15:06 +05:30"),
        ("2016-02-23T15:06:00+07:00", "en", "Tue 23 Feb 2016, 15:06 (+07:00)"),
        ("2016-02-23T15:06:00-05:00", None, "Tue 23 Feb 2016, 15:06 (-05:00)"),
        ("2016-02-23T23:30:00+07:00", "en", "Tue 23 Feb 2016, 23:30 (+07:00)"),  # not moved to UTC's next day
        ("2016-02-23", "id", "Selasa, 23 Februari 2016"),
        ("2016-02-23", "en", "Tue 23 Feb 2016"),
        ("2016-02-23T15:06:00", "id", "Selasa, 23 Februari 2016 15:06"),
        ("2016-02-23T08:06:00Z", "id", "Selasa, 23 Februari 2016 08:06 UTC"),
        ("kemarin sore", "id", "kemarin sore"),
        (None, "id", ""),
    ],
)
def test_human_date(value: str | None, language: str | None, expected: str) -> None:
    assert human_date(value, language) == expected


@pytest.fixture(scope="module")
def reader_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    db = tmp_path_factory.mktemp("reader-store") / "warta.db"
    return db, fill_reader_store(db)


def test_collapsed_search_is_one_hit_per_cluster(reader_db: tuple[Path, dict[str, int]]) -> None:
    db, ids = reader_db
    with Store(db) as store:
        plain = fts.search(store.conn, "banjir")
        assert plain.total == 3 and not plain.collapsed and all(not h.copies for h in plain.hits)
        for sort in ("relevance", "date"):
            page = fts.search(store.conn, "banjir", sort=sort, collapse=True)  # type: ignore[arg-type]
            assert page.total == 1 and page.collapsed
            (hit,) = page.hits
            assert [c.id for c in hit.copies] == [ids["wire0"], ids["wire1"], ids["wire2"]]
            assert [c.is_original for c in hit.copies] == [True, False, False]
            assert [c.verdict for c in hit.copies] == ["new", "exact", "exact"]
        # the story's place and its shown member are the plain search's first member of the cluster
        for sort in ("relevance", "date"):
            assert fts.search(store.conn, "banjir", sort=sort, collapse=True).hits[0].id == plain_first(store, sort)
        filtered = fts.search(store.conn, "banjir", fts.SearchFilters(site="republika.co.id"), collapse=True)
        assert [h.id for h in filtered.hits] == [ids["wire1"]] and len(filtered.hits[0].copies) == 3
        every = fts.search(store.conn, "", collapse=True, limit=100)
        assert every.total == len(ids) - 2 and len({h.id for h in every.hits}) == every.total
        # paging over stories: pages do not overlap and cover every story once
        pages = [fts.search(store.conn, "", collapse=True, offset=o, limit=3).hits for o in (0, 3, 6)]
        seen = [h.id for p in pages for h in p]
        assert sorted(seen) == sorted(h.id for h in every.hits)


def plain_first(store: Store, sort: str) -> int:
    return fts.search(store.conn, "banjir", sort=sort).hits[0].id  # type: ignore[arg-type]


def test_collapse_is_a_no_op_without_copies(tmp_path: Path) -> None:
    from warta.model import Article, Block

    with Store(tmp_path / "w.db") as store:
        for i in range(3):
            store.upsert_article(f"k{i}", Article(url=f"https://a.example/{i}", title=f"banjir {i}",
                                                  body=(Block("paragraph", "banjir"),)))
        assert fts.search(store.conn, "banjir", collapse=True).total == 3


@pytest.fixture(scope="module")
def reader_live(serve: Callable[..., LiveServer], reader_db: tuple[Path, dict[str, int]]) -> LiveServer:
    return serve(reader_db[0])


def test_api_collapse_is_opt_in(reader_live: LiveServer) -> None:
    with httpx.Client(base_url=reader_live.base) as client:
        default = client.get("/api/search", params={"q": "banjir"}).json()
        collapsed = client.get("/api/search", params={"q": "banjir", "collapse": "true"}).json()
        dated = client.get("/api/search", params={"q": "banjir", "sort": "date"}).json()
    assert default["total"] == 3 and "collapsed" not in default
    assert set(default["results"][0]) == {"id", "url", "title", "site", "published", "snippet"}  # unchanged shape
    assert dated["results"][0]["published"] == "2016-02-23T12:06:00+07:00"  # ISO in JSON, as stored
    assert collapsed["total"] == 1 and collapsed["collapsed"] is True
    copies = collapsed["results"][0]["copies"]
    assert [(c["site_name"], c["is_original"]) for c in copies] == [
        ("Antara", True), ("Republika", False), ("Okezone", False)]
    assert copies[0]["published"] == "2016-02-23T10:06:00+07:00"


def test_ui_pages_answer(reader_live: LiveServer, reader_db: tuple[Path, dict[str, int]]) -> None:
    _, ids = reader_db
    with httpx.Client(base_url=reader_live.base) as client:
        assert client.get("/", params={"per_page": 101}).status_code in (400, 422)  # bounded like the API
        html = client.get(f"/articles/{ids['revised']}").text
    assert "&lt;b&gt;di pasar induk&lt;/b&gt;" in html and "<b>di pasar induk</b>" not in html
    assert NEW_SENTENCE.split("<")[0] in html


def test_snippet_paragraph_breaks() -> None:
    assert str(snippet_html("Judul berita ¶ Isi pertama. ¶ Isi kedua")) == "Judul berita – Isi pertama. Isi kedua"
    marked = snippet_html("Harga \ue000naik\ue001 ¶ <script>x</script>")
    assert str(marked) == "Harga <mark>naik</mark> – &lt;script&gt;x&lt;/script&gt;"


def test_chart_axes() -> None:
    chart = day_chart([("2016-02-20", 1), ("2016-02-23", 4)])
    assert [t.label for t in chart.y_ticks] == ["0", "2", "4"]
    assert [t.label for t in chart.x_ticks] == ["20 Feb", "21 Feb", "22 Feb", "23 Feb"]
    assert all(chart.left <= b.x and b.x + b.width <= chart.right + 1 for b in chart.bars)
    assert max(b.height for b in chart.bars) == chart.plot_height
    assert all(abs(b.y + b.height - chart.bottom) < 0.01 for b in chart.bars)  # bars stand on the x axis
    many = day_chart([(f"2016-01-{d:02d}", d) for d in range(1, 32)])
    assert len(many.x_ticks) <= 6
    assert many.x_ticks[-1].label == "31 Jan"  # the newest day is named, whatever the step
    ten = day_chart([("2016-02-14", 1), ("2016-02-23", 4)])
    assert [t.label for t in ten.x_ticks] == ["15 Feb", "17 Feb", "19 Feb", "21 Feb", "23 Feb"]


def test_diff_lines() -> None:
    lines = diff_lines("--- v1\n+++ v2\n@@ -1 +1 @@\n same\n-old <i>\n+new")
    assert [line.kind for line in lines] == ["file", "file", "hunk", "same", "del", "add"]
    assert lines[4].text == "-old <i>"  # escaped by the template, never marked safe


def test_collapsed_pages_match_first_member_per_cluster_of_the_plain_order(tmp_path: Path) -> None:
    """900 articles, 600 of them in clusters of three (cluster rows as the dedupe stage writes them):
    every collapsed page equals the plain ranking with later cluster members dropped, across the
    batch boundaries of the walk, for both sorts and with a filter."""
    import random

    from warta.model import Article, Block

    rng = random.Random(7)
    words = ["banjir", "gempa", "pemilu", "harga", "pasar", "hujan", "jalan", "sekolah"]
    with Store(tmp_path / "w.db") as store:
        for i in range(900):
            text = " ".join(rng.choice(words) for _ in range(rng.randint(3, 30)))
            store.upsert_article(f"k{i}", Article(
                url=f"https://s{i % 3}.example/{i}", domain=f"s{i % 3}.example", title=f"berita {i}",
                published=f"2024-01-{1 + rng.randrange(28):02d}T{rng.randrange(24):02d}:00:00+07:00",
                body=(Block("paragraph", text),)))
        ids = [int(r[0]) for r in store.conn.execute("SELECT id FROM articles ORDER BY id")]
        members = rng.sample(ids, 600)
        cluster = {i: i for i in ids}
        for start in range(0, 600, 3):
            group = sorted(members[start : start + 3])
            cluster.update((m, group[0]) for m in group)
        with store.conn:
            store.conn.executemany(
                "INSERT INTO dedupe_docs(article_id, exact_hash, ntokens, sig, sents, nums, verdict, score,"
                " cluster_id, is_original) VALUES (?, 0, 1, x'', x'', x'', 'exact', 1.0, ?, ?)",
                [(i, c, int(i == c)) for i, c in cluster.items()])
        for q, filters in (("banjir", None), ("", None), ("hujan OR pasar", fts.SearchFilters(site="s1.example"))):
            for sort in ("relevance", "date"):
                plain = [h.id for h in fts.search(store.conn, q, filters, sort=sort, limit=10_000).hits]  # type: ignore[arg-type]
                expected: dict[int, int] = {}
                for i in plain:
                    expected.setdefault(cluster[i], i)
                stories = list(expected.values())
                page = fts.search(store.conn, q, filters, sort=sort, collapse=True, limit=1)  # type: ignore[arg-type]
                assert page.total == len(stories)
                for offset in (0, 40, 250, 290):
                    got = fts.search(store.conn, q, filters, sort=sort, collapse=True, offset=offset, limit=40)  # type: ignore[arg-type]
                    assert [h.id for h in got.hits] == stories[offset : offset + 40], (q, sort, offset)
                    for hit in got.hits:
                        assert len(hit.copies) == (3 if hit.id in members else 0)
