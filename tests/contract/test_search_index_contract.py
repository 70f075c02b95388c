"""The :class:`SearchIndex` contract (facets, per-day counts, collapsed search, export walks, the
reading view's cluster and revisions) on every backend: same calls, same answers."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from test_store_contract import article

from warta.errors import StoreError
from warta.store.protocols import SearchIndex
from warta.store.search import SearchFilters

SITES = ("a.example", "b.example", "c.example")


def fill(store: SearchIndex, n: int = 24) -> list[int]:
    """``n`` articles spread over sites, languages, sections, authors, access and days; ids in order."""
    ids = []
    for i in range(n):
        a = article(
            i,
            domain=SITES[i % 3],
            language="id" if i % 4 else "en",
            section="Ekonomi" if i % 2 else "Olahraga",
            authors=(f"Penulis {i % 5}",) + (("Siti Aminah",) if i % 3 == 0 else ()),
            access="paywalled" if i % 6 == 0 else "free",
            published=None if i == 5 else f"2024-03-{1 + i % 9:02d}T10:{i:02d}:00+07:00",
            title=f"Judul {'banjir' if i % 2 else 'gempa'} {i}",
        )
        ids.append(store.upsert_article(f"k{i}", a)[0])
    return ids


def expected_counts(store: SearchIndex, keep: object = None) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {k: Counter() for k in ("site", "language", "section", "author", "access", "day")}
    for sa in store.iter_articles():
        a = sa.article
        if keep is not None and not keep(a):  # type: ignore[operator]
            continue
        counts["site"][a.domain or ""] += 1
        counts["language"][a.language or ""] += 1
        counts["section"][a.section or ""] += 1
        counts["access"][a.access or ""] += 1
        counts["author"].update(a.authors)
        if a.published:
            counts["day"][a.published[:10]] += 1
    return counts


def test_protocol_is_implemented(store: SearchIndex) -> None:
    assert isinstance(store, SearchIndex)


def test_facets_count_every_match(store: SearchIndex) -> None:
    fill(store)
    want = expected_counts(store)
    got = store.facets()
    assert got.sampled is None
    for name in ("site", "language", "section", "author", "access"):
        ranked = sorted(want[name].items(), key=lambda kv: (-kv[1], kv[0]))[:12]
        assert got.values[name] == ranked, name
    assert got.days == sorted(want["day"].items())
    banjir = store.facets("banjir", SearchFilters(language="id"))
    want_b = expected_counts(store, lambda a: "banjir" in (a.title or "") and a.language == "id")
    assert dict(banjir.values["site"]) == dict(want_b["site"])
    assert dict(banjir.values["author"]) == dict(want_b["author"])


def test_facets_sample_counts_the_newest(store: SearchIndex) -> None:
    ids = fill(store)
    got = store.facets(sample=4, limit=50)
    assert got.sampled == 4
    newest = {store.get_article(i).article.domain for i in ids[-4:]}  # type: ignore[union-attr]
    assert sum(n for _, n in got.values["site"]) == 4 and {s for s, _ in got.values["site"]} == newest


def test_day_counts(store: SearchIndex) -> None:
    fill(store)
    assert store.day_counts() == sorted(expected_counts(store)["day"].items())
    want = expected_counts(store, lambda a: "gempa" in (a.title or "") and a.domain == "b.example")["day"]
    assert store.day_counts("gempa", SearchFilters(site="b.example")) == sorted(want.items())
    assert store.day_counts("tidakada") == []


def test_iter_matching_orders_and_filters(store: SearchIndex) -> None:
    fill(store)
    everything = list(store.iter_matching())
    assert len(everything) == store.count_articles()
    # newest publication first, the undated one last
    dates = [sa.article.published for sa in everything]
    assert dates[-1] is None and dates[:-1] == sorted(dates[:-1], reverse=True)  # type: ignore[type-var]
    banjir = list(store.iter_matching("banjir", SearchFilters(site="a.example")))
    assert banjir and all("banjir" in (s.article.title or "") and s.article.domain == "a.example" for s in banjir)
    page = store.search("banjir", SearchFilters(site="a.example"), sort="date", limit=100)
    assert [s.id for s in banjir] == [h.id for h in page.hits]
    best = list(store.iter_matching("banjir", sort="relevance"))
    assert {s.id for s in best} == {h.id for h in store.search("banjir", limit=100).hits}
    assert list(store.iter_matching("tidakada")) == []


def test_collapsed_search_without_dedupe_is_plain(store: SearchIndex) -> None:
    fill(store)
    plain = store.search("banjir", limit=5)
    collapsed = store.search("banjir", limit=5, collapse=True)
    assert [h.id for h in collapsed.hits] == [h.id for h in plain.hits] and collapsed.total == plain.total
    assert all(h.copies == () for h in collapsed.hits)


def test_recent_articles_and_by_url(store: SearchIndex) -> None:
    ids = fill(store, 12)
    recent = store.recent_articles(["a.example", "c.example"], 3)
    want = [i for i in reversed(ids) if store.get_article(i).article.domain in {"a.example", "c.example"}][:3]  # type: ignore[union-attr]
    assert [s.id for s in recent] == want
    assert store.recent_articles([], 3) == [] and store.recent_articles(["x.example"], 3) == []
    by_url = store.get_article_by_url("https://berita.example/4")
    assert by_url is not None and by_url.url_key == "k4"
    by_key = store.get_article_by_url("k7")
    assert by_key is not None and by_key.article.url == "https://berita.example/7"
    assert store.get_article_by_url("https://berita.example/404") is None


def test_never_deduplicated_clusters_and_revisions(store: SearchIndex) -> None:
    ids = fill(store, 3)
    assert store.cluster_of(ids[0]) == []
    assert store.cluster_info(ids) == {i: (str(i), True) for i in ids}
    assert store.revisions_of("k0") == []


def test_rebuild_index_keeps_search_working(store: SearchIndex) -> None:
    fill(store, 10)
    before = store.search("banjir").total
    assert store.rebuild_index() == 10
    assert store.search("banjir").total == before == 5


def test_frontier_beside_the_articles(store: SearchIndex, backend: str) -> None:
    frontier = store.frontier()
    assert frontier is not None and frontier.backend == backend
    assert frontier.jobs() == [] and frontier.runs() == []


def test_sqlite_query_only_store_refuses_writes(tmp_path: Path) -> None:
    from warta.store.sqlite_backend import SqliteArticleStore

    db = tmp_path / "q.db"
    with SqliteArticleStore(db) as writer:
        writer.upsert_article("k", article(1))
    with SqliteArticleStore.query_only(db) as reader:
        assert reader.search("Judul").total == 1 and reader.facets().values["site"] == [("berita.example", 1)]
        with pytest.raises(StoreError):
            reader.upsert_article("k2", article(2))


def test_postgres_readonly_store_refuses_writes() -> None:
    from pg_support import pg_url, reset_pg

    from warta.store.postgres import PostgresArticleStore

    url = pg_url()
    reset_pg(url)
    with PostgresArticleStore(url) as writer:
        writer.upsert_article("k", article(1))
    with PostgresArticleStore(url, readonly=True) as reader:
        assert reader.search("Judul").total == 1 and reader.facets().values["site"] == [("berita.example", 1)]
        with pytest.raises(StoreError, match="read-only"):
            reader.upsert_article("k2", article(2))
        assert reader.count_articles() == 1


def test_check_rules_reads_stored_pages_on_every_backend(store: SearchIndex) -> None:
    """``warta sites check --db``: a field rule that stopped matching is found through the protocol."""
    import gzip

    from warta.extract import extract
    from warta.health.recipes import check_rules
    from warta.model import Article, Capture
    from warta.sites import load_recipes

    url = ("http://www.antaranews.com/berita/546640/"
           "bantu-pulihkan-perdamaian-dunia-turki-selenggarakan-kontes-film-pendek-internasional")
    fixture = Path(__file__).resolve().parents[1] / "fixtures/web/antaranews.com__anpandu_antara-singlepage3.html.gz"
    html = gzip.decompress(fixture.read_bytes())

    def keep(page: bytes, page_url: str) -> None:
        extracted = extract(page, page_url)
        assert isinstance(extracted, Article)
        capture_id = store.add_capture(page_url, Capture(page_url, page_url, 200, (), page, "2026-01-01T00:00:00+00:00"))
        store.upsert_article(page_url, extracted, capture_id)

    recipe = load_recipes()["antaranews"]
    store.upsert_article("text-only", article(1, domain="antaranews.com"))  # no capture: not a page to check
    keep(html, url)
    assert [c.problem() for c in check_rules(recipe, store) if c.problem()] == []
    keep(html.replace(b'id="content_news"', b'id="isi_berita"'), url.replace("546640", "546641"))
    assert [c.problem() for c in check_rules(recipe, store) if c.problem()] == [
        "body rule @2015 matched nothing on the newest 1 of 2 page(s) of its validity window (since 2016-02-23)"]


def test_deduplicated_clusters_and_revisions_read_alike(store: SearchIndex) -> None:
    """After the dedupe stage ran, the reading view's cluster and history come from its tables on
    both backends (a PostgreSQL store once answered 'no copies' whatever the dedupe stage decided)."""
    from warta.model import Block
    from warta.pipeline.hooks import on_stored

    words = " ".join(f"kata{i} banjir melanda kota" for i in range(60))
    body = (Block("paragraph", words),)
    first = article(1, body=body, url="https://a.example/1", domain="a.example")
    copy = article(2, body=body, url="https://b.example/2", domain="b.example", published=first.published)
    ids = []
    for key, a in (("ka", first), ("kb", copy)):
        with store.transaction():
            article_id = store.upsert_article(key, a)[0]
            on_stored(store, article_id, a)
        ids.append(article_id)
    members = store.cluster_of(ids[1])
    assert sorted(m.id for m in members) == sorted(ids)
    assert [m.is_original for m in members].count(True) == 1
    info = store.cluster_info(ids)
    assert info[ids[0]][0] == info[ids[1]][0] and {info[i][1] for i in ids} == {True, False}
    changed = article(1, body=(Block("paragraph", "Isi yang lain sama sekali, ralat redaksi. " * 20),),
                      url="https://a.example/1", domain="a.example")
    with store.transaction():
        article_id = store.upsert_article("ka", changed)[0]
        on_stored(store, article_id, changed)
    versions = store.revisions_of("ka")
    assert [v.version for v in versions] == [1, 2] and versions[1].diff


def test_collapsed_search_gives_one_hit_per_story_on_both_backends(store: SearchIndex) -> None:
    """Three copies of one story and two other articles: collapsed, the story is one hit carrying
    its three members, and ``total`` counts stories (the same on SQLite and PostgreSQL)."""
    from warta.model import Block
    from warta.pipeline.hooks import on_stored

    story = " ".join(f"kata{i} banjir melanda kota" for i in range(60))
    other = [" ".join(f"lain{j}x{i} banjir di desa" for i in range(60)) for j in range(2)]
    items = [(f"s{n}", article(n, body=(Block("paragraph", story),), url=f"https://s{n}.example/a",
                                domain=f"s{n}.example", published=f"2024-03-0{n + 1}T10:00:00+07:00"))
             for n in range(3)]
    items += [(f"o{j}", article(10 + j, body=(Block("paragraph", other[j]),), url=f"https://o{j}.example/a",
                                 domain=f"o{j}.example", published=f"2024-03-1{j}T10:00:00+07:00"))
              for j in range(2)]
    ids = {}
    for key, a in items:
        with store.transaction():
            ids[key] = store.upsert_article(key, a)[0]
            on_stored(store, ids[key], a)
    plain = store.search("banjir", sort="date")
    page = store.search("banjir", sort="date", collapse=True)
    assert plain.total == 5 and page.collapsed and page.total == 3
    story_hits = [h for h in page.hits if h.copies]
    assert len(page.hits) == 3 and len(story_hits) == 1
    assert story_hits[0].id == ids["s2"]  # the newest member stands for the story when sorted by date
    assert sorted(c.id for c in story_hits[0].copies) == sorted(ids[f"s{n}"] for n in range(3))
    assert [c.is_original for c in story_hits[0].copies].count(True) == 1
    assert store.search("banjir", sort="date", collapse=True, offset=2, limit=5).hits[0].id == page.hits[2].id
    ranked = store.search("banjir", collapse=True)
    assert ranked.total == 3 and sorted(len(h.copies) for h in ranked.hits) == [0, 0, 3]
