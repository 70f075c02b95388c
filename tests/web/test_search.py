"""The FTS5 index and query translation, on a real SQLite file (no server)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warta.model import Article, Block
from warta.store import search as fts
from warta.store.fts_query import QueryError, to_fts5
from warta.store.sqlite import Store


def art(i: int, title: str, text: str, **kw: object) -> Article:
    return Article(
        url=f"https://s{i % 2}.example/{i}", domain=f"s{i % 2}.example", title=title,
        body=(Block("paragraph", text),), published=kw.pop("published", f"2024-02-{1 + i % 28:02d}T10:00:00+07:00"),
        **kw,  # type: ignore[arg-type]
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "w.db")
    for i in range(40):
        s.upsert_article(f"k{i}", art(i, f"Berita nomor {i}", f"Isi berita {'banjir' if i % 4 == 0 else 'cuaca'} hari ini"))
    return s


def ids(page: fts.SearchPage) -> list[int]:
    return [h.id for h in page.hits]


@pytest.mark.parametrize(
    "q, expected",
    [
        ("banjir jakarta", '("banjir" AND "jakarta")'),
        ('"gempa bumi"', '"gempa bumi"'),
        ("pemilu*", '"pemilu"*'),
        ("banjir OR longsor", '("banjir" OR "longsor")'),
        ("banjir NOT jakarta", '("banjir" NOT "jakarta")'),
        ("banjir AND NOT jakarta", '("banjir" NOT "jakarta")'),
        ("banjir -jakarta", '("banjir" NOT "jakarta")'),
        ("(banjir OR longsor) jakarta", '(("banjir" OR "longsor") AND "jakarta")'),
        ("title:x", '"title:x"'),
        ('NEAR(a b)', '("NEAR" AND ("a" AND "b"))'),
        ("and or not", '("and" AND "or" AND "not")'),  # lower-case words are terms
        ("   ", None),
    ],
)
def test_translation(q: str, expected: str | None) -> None:
    assert to_fts5(q) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_input_is_either_valid_fts5_or_a_query_error(tmp_path_factory: pytest.TempPathFactory, q: str) -> None:
    import sqlite3

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
    try:
        expr = to_fts5(q)
    except QueryError:
        return
    if expr is not None:
        conn.execute("SELECT * FROM t WHERE t MATCH ?", (expr,)).fetchall()  # never an fts5 syntax error


def test_triggers_follow_insert_update_delete(store: Store) -> None:
    assert fts.search(store.conn, "banjir").total == 10
    store.upsert_article("k0", art(0, "Berita nomor 0", "longsor di bukit"))
    assert fts.search(store.conn, "banjir").total == 9
    assert ids(fts.search(store.conn, "longsor")) == [1]
    with store.transaction() as conn:
        conn.execute("DELETE FROM articles WHERE id = 1")
    assert fts.search(store.conn, "longsor").total == 0
    store.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


def test_diacritics_case_and_lead_author_columns(tmp_path: Path) -> None:
    with Store(tmp_path / "d.db") as s:
        s.upsert_article("a", art(1, "Café in Bandung", "x", lead="ringkasan khusus", authors=("Dewi Lestari",)))
        assert fts.search(s.conn, "cafe").total == 1
        assert fts.search(s.conn, "CAFÉ").total == 1
        assert fts.search(s.conn, "khusus").total == 1  # lead is indexed
        assert fts.search(s.conn, "lestari").total == 1  # authors are indexed
        assert fts.search(s.conn, "Ba*").total == 1


def test_rebuild_restores_an_index_created_after_the_articles(store: Store) -> None:
    store.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('delete-all')")
    assert fts.search(store.conn, "banjir").total == 0
    assert fts.rebuild_index(store.conn) == 40
    assert fts.search(store.conn, "banjir").total == 10
    assert fts.index_size_bytes(store.conn) > 0


def test_date_plans_agree(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    for q, f in (("berita", fts.SearchFilters()), ("berita", fts.SearchFilters(site="s1.example")),
                 ("banjir", fts.SearchFilters(since="2024-02-05"))):
        small = [fts.search(store.conn, q, f, sort="date", offset=o, limit=7) for o in (0, 7, 14)]
        monkeypatch.setattr(fts, "LARGE_RESULT", 0)
        large = [fts.search(store.conn, q, f, sort="date", offset=o, limit=7) for o in (0, 7, 14)]
        monkeypatch.undo()
        assert [ids(p) for p in small] == [ids(p) for p in large]
        days = [h.published for p in small for h in p.hits]
        assert days == sorted(days, reverse=True)


def test_relevance_prefers_title_matches(tmp_path: Path) -> None:
    with Store(tmp_path / "r.db") as s:
        s.upsert_article("a", art(1, "Harga beras", "pasar ramai " * 5 + "inflasi"))
        s.upsert_article("b", art(2, "Inflasi naik", "pasar ramai " * 5))
        assert ids(fts.search(s.conn, "inflasi")) == [2, 1]


def test_cap_and_browse_without_query(store: Store) -> None:
    page = fts.search(store.conn, "berita", cap=15, limit=3)
    assert (page.total, page.total_capped, len(page.hits)) == (15, True, 3)
    browse = fts.search(store.conn, "", fts.SearchFilters(site="s0.example"), limit=100)
    assert browse.total == 20 and all(h.site == "s0.example" for h in browse.hits)
    assert browse.hits[0].snippet.startswith("Isi berita")


def test_bad_filters_and_paging(store: Store) -> None:
    with pytest.raises(QueryError, match="since"):
        fts.SearchFilters(since="yesterday")
    with pytest.raises(QueryError):
        fts.search(store.conn, "x", offset=-1)
    assert fts.search(store.conn, "berita", offset=1000).hits == ()


def test_day_and_facet_counts(store: Store) -> None:
    days = dict(fts.day_counts(store.conn, "banjir"))
    assert sum(days.values()) == 10
    assert fts.facet_counts(store.conn, "banjir", fts.SearchFilters(), "site") == [("s0.example", 10)]
    with pytest.raises(QueryError):
        fts.facet_counts(store.conn, "", fts.SearchFilters(), "url")


def test_relevance_window_for_huge_result_sets(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    exact = fts.search(store.conn, "berita", limit=40)
    assert exact.rank_window is None and len(exact.hits) == 40
    monkeypatch.setattr(fts, "RANK_WINDOW", 10)
    windowed = fts.search(store.conn, "berita", limit=5)
    assert windowed.rank_window == 10 and windowed.total == 40
    assert {h.id for h in windowed.hits} <= set(range(31, 41))  # only the 10 newest were ranked
    newest = [h.id for h in exact.hits if h.id > 30]
    assert [h.id for h in windowed.hits] == newest[:5]  # in the same BM25 order as a full ranking
    deep = fts.search(store.conn, "berita", offset=10, limit=5)  # paging past the window widens it
    assert deep.rank_window == 15 and len(deep.hits) == 5


def test_facets_one_pass_matches_exact_counts_and_samples(store: Store) -> None:
    exact_sites = fts.facet_counts(store.conn, "berita", fts.SearchFilters(), "site")
    summary = fts.facets(store.conn, "berita", fts.SearchFilters())
    assert summary.sampled is None and summary.values["site"] == exact_sites
    assert summary.days == fts.day_counts(store.conn, "berita")
    sampled = fts.facets(store.conn, "berita", fts.SearchFilters(), sample=10)
    assert sampled.sampled == 10 and sum(n for _, n in sampled.days) == 10
    assert sum(n for _, n in fts.facets(store.conn, "", fts.SearchFilters(site="s1.example")).values["site"]) == 20


def test_snippets_window_and_highlights() -> None:
    from warta.store.snippets import HIGHLIGHT_END as E
    from warta.store.snippets import HIGHLIGHT_START as S
    from warta.store.snippets import highlight_pattern, make_snippet

    pattern = highlight_pattern('"gempa bumi" pemi* -jakarta')
    text = "Jakarta tenang.\n\n" + "kata " * 60 + "Gempa  bumi terasa. Pemilu dan pemimpin. Gempa lagi. " + "akhir " * 80
    snippet = make_snippet(text, pattern)
    assert snippet.startswith("… ") and snippet.endswith(" …") and len(snippet) < 300
    assert f"{S}Gempa  bumi{E}" in snippet and f"{S}Pemilu{E}" in snippet and f"{S}pemimpin{E}" in snippet
    assert f"{S}Gempa{E} lagi" not in snippet and "Jakarta" not in snippet  # lone word of a phrase; exclusions
    assert make_snippet("pendek saja", highlight_pattern("tidak ada")) == "pendek saja"
    assert highlight_pattern("-x") is None
