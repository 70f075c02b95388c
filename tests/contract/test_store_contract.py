"""One contract for every article store backend (SQLite and PostgreSQL): same calls, same answers."""

from __future__ import annotations

import pytest

from warta.model import Article, Block, Capture, Image
from warta.store.fts_query import QueryError
from warta.store.protocols import ArticleFilter, ArticleStore
from warta.store.search import SearchFilters


def article(n: int, **over: object) -> Article:
    fields: dict[str, object] = dict(
        url=f"https://berita.example/{n}",
        canonical_url=f"https://berita.example/{n}",
        site_name="Berita Contoh",
        domain="berita.example",
        language="id",
        title=f"Judul berita {n}",
        lead=f"Ringkasan {n}",
        authors=("Siti Aminah", "Budi"),
        editors=("Redaktur",),
        source_agencies=("ANTARA",),
        dateline="JAKARTA",
        published=f"2024-03-{n % 28 + 1:02d}T10:00:00+07:00",
        modified=None,
        section="Ekonomi",
        tags=("banjir", "cuaca"),
        body=(Block("paragraph", f"Paragraf pertama {n}."), Block("heading", "Sub"), Block("quote", "Kutipan.")),
        images=(Image("https://berita.example/i.jpg", "keterangan", "foto: X"),),
        access="free",
        provenance={"title": "jsonld", "authors": "meta", "body": "dom"},
    )
    fields.update(over)
    return Article(**fields)  # type: ignore[arg-type]


def capture(n: int) -> Capture:
    return Capture(f"https://berita.example/{n}", f"https://berita.example/{n}?r=1", 200,
                   (("content-type", "text/html; charset=utf-8"), ("x-n", str(n))),
                   f"<html><body>halaman {n} \u00e9</body></html>".encode(), "2024-03-01T03:00:00+00:00")


def test_protocol_is_implemented(store: ArticleStore) -> None:
    assert isinstance(store, ArticleStore)
    assert store.backend in {"sqlite", "postgresql"}


def test_upsert_get_roundtrip_keeps_every_field(store: ArticleStore) -> None:
    a = article(1)
    cid = store.add_capture("k1", capture(1))
    aid, inserted = store.upsert_article("k1", a, cid)
    assert inserted
    got = store.get_article(aid)
    assert got is not None and got.article == a and got.url_key == "k1" and got.capture_id == cid
    assert got.article.to_dict() == a.to_dict()  # provenance, images, blocks, access included
    by_key = store.get_article_by_key("k1")
    assert by_key == got
    assert store.get_capture(cid) == capture(1)
    assert store.has_article("k1") and not store.has_article("k2")
    assert store.get_article(aid + 1000) is None and store.get_article_by_key("nope") is None


def test_upsert_same_key_updates_in_place(store: ArticleStore) -> None:
    cid = store.add_capture("k", capture(1))
    first_id, inserted = store.upsert_article("k", article(1), cid)
    changed = article(1, title="Judul baru")
    again_id, inserted_again = store.upsert_article("k", changed)  # no capture: keeps the old link
    assert inserted and not inserted_again and again_id == first_id
    got = store.get_article_by_key("k")
    assert got is not None and got.article.title == "Judul baru" and got.capture_id == cid
    assert store.count_articles() == 1


def test_iter_count_delete(store: ArticleStore) -> None:
    for n in range(1, 6):
        store.upsert_article(f"k{n}", article(n, domain="a.example" if n % 2 else "b.example"))
    assert store.count_articles() == 5
    keys = [s.url_key for s in store.iter_articles()]
    assert keys == ["k1", "k2", "k3", "k4", "k5"]  # id order
    assert [s.url_key for s in store.iter_articles(ArticleFilter(site="b.example"))] == ["k2", "k4"]
    ids = [s.id for s in store.iter_articles()]
    assert [s.url_key for s in store.iter_articles(ArticleFilter(after_id=ids[2]))] == ["k4", "k5"]
    day = article(3).published[:10]  # type: ignore[index]
    assert [s.url_key for s in store.iter_articles(ArticleFilter(since=day, until=day))] == ["k3"]
    assert store.delete_article("k2") and not store.delete_article("k2")
    assert store.count_articles() == 4 and not store.has_article("k2")
    assert store.search("Judul").total == 4  # the deleted one left the index too


def test_transaction_yields_store_and_rolls_back(store: ArticleStore) -> None:
    with store.transaction() as tx:
        assert tx is store
        tx.upsert_article("k1", article(1))
        with tx.transaction() as inner:  # re-entrant: joins the outer one
            inner.upsert_article("k2", article(2))
    assert store.count_articles() == 2
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.upsert_article("k3", article(3))
        tx.delete_article("k1")
        raise RuntimeError("abort")
    assert store.count_articles() == 2 and store.has_article("k1") and not store.has_article("k3")


def test_iter_captures(store: ArticleStore) -> None:
    ids = [store.add_capture(f"k{n}", capture(n)) for n in range(3)]
    got = list(store.iter_captures())
    assert [(c.id, c.url_key, c.capture) for c in got] == [(i, f"k{n}", capture(n)) for n, i in enumerate(ids)]
    assert store.count_captures() == 3


def _fill_for_search(store: ArticleStore) -> None:
    docs = [
        ("k1", article(1, title="Banjir besar melanda Jakarta", body=(Block("paragraph", "Hujan deras sejak pagi."),),
                       authors=("Siti Aminah",), section="Metro", published="2024-03-01T08:00:00+07:00")),
        ("k2", article(2, title="Longsor di Bogor", body=(Block("paragraph", "Banjir juga terjadi di Depok."),),
                       authors=("Budi Santoso",), section="Metro", published="2024-03-02T08:00:00+07:00")),
        ("k3", article(3, title="Harga beras naik", body=(Block("paragraph", "Pemerintah menyiapkan operasi pasar."),),
                       authors=("Siti Aminah", "Ali"), section="Ekonomi", published="2024-03-03T08:00:00+07:00",
                       domain="lain.example", access="paywalled")),
        ("k4", article(4, title="Café di Bandung ramai", body=(Block("paragraph", "Pemilu sudah dekat, kata warga."),),
                       authors=("Siti",), section="Gaya", published=None)),
    ]
    for key, a in docs:
        store.upsert_article(key, a)


def _keys(store: ArticleStore, q: str, **kw: object) -> list[str]:
    page = store.search(q, **kw)  # type: ignore[arg-type]
    ids = [h.id for h in page.hits]
    out = []
    for i in ids:
        got = store.get_article(i)
        assert got is not None
        out.append(got.url_key)
    return out


def test_search_syntax_same_answers(store: ArticleStore) -> None:
    _fill_for_search(store)
    assert sorted(_keys(store, "banjir")) == ["k1", "k2"]
    assert _keys(store, "banjir") == ["k1", "k2"]  # the title match (weight 8) ranks first
    assert _keys(store, '"banjir besar"') == ["k1"]
    assert _keys(store, '"besar banjir"') == []
    assert sorted(_keys(store, "banjir OR beras")) == ["k1", "k2", "k3"]
    assert _keys(store, "banjir -jakarta") == ["k2"]
    assert _keys(store, "banjir NOT jakarta") == ["k2"]
    assert _keys(store, "pemi*") == ["k4"]
    assert sorted(_keys(store, "pem*")) == ["k3", "k4"]
    assert _keys(store, "(banjir OR beras) AND pasar") == ["k3"]
    assert _keys(store, "cafe") == ["k4"]  # diacritics removed on both sides
    assert _keys(store, "CAFÉ") == ["k4"]
    assert sorted(_keys(store, "aminah")) == ["k1", "k3"]
    assert _keys(store, "tidakada") == []


def test_search_filters_and_sort(store: ArticleStore) -> None:
    _fill_for_search(store)
    assert _keys(store, "", sort="date") == ["k3", "k2", "k1", "k4"]  # undated last
    assert _keys(store, "", filters=SearchFilters(section="Metro"), sort="date") == ["k2", "k1"]
    assert _keys(store, "", filters=SearchFilters(site="lain.example")) == ["k3"]
    assert _keys(store, "", filters=SearchFilters(since="2024-03-02", until="2024-03-02")) == ["k2"]
    assert _keys(store, "", filters=SearchFilters(author="siti aminah"), sort="date") == ["k3", "k1"]
    assert _keys(store, "", filters=SearchFilters(author="Siti")) == ["k4"]  # a whole name, not a part
    assert _keys(store, "", filters=SearchFilters(author="50%_")) == []
    assert _keys(store, "", filters=SearchFilters(access="paywalled")) == ["k3"]
    assert _keys(store, "", filters=SearchFilters(paywalled=True)) == ["k3"]
    assert sorted(_keys(store, "", filters=SearchFilters(paywalled=False))) == ["k1", "k2", "k4"]
    assert _keys(store, "banjir", filters=SearchFilters(section="Metro"), sort="date") == ["k2", "k1"]


def test_search_page_total_snippet_and_paging(store: ArticleStore) -> None:
    for n in range(1, 26):
        store.upsert_article(f"k{n}", article(n, body=(Block("paragraph", f"Kabar harian nomor {n} tentang banjir."),)))
    page = store.search("banjir", limit=10, offset=20, sort="date")
    assert page.total == 25 and not page.total_capped and len(page.hits) == 5
    first = store.search("banjir", limit=1)
    assert "banjir" in first.hits[0].plain_snippet.lower()
    assert first.hits[0].authors == ("Siti Aminah", "Budi") and first.hits[0].language == "id"
    assert store.search("banjir", limit=0).hits == ()
    with pytest.raises(QueryError):
        store.search('"unclosed')
    with pytest.raises(QueryError):
        store.search("-onlyexclude")
    with pytest.raises(QueryError):
        store.search("banjir", limit=-1)


def test_hostile_query_text_is_data(store: ArticleStore) -> None:
    _fill_for_search(store)
    for q in ["'; DROP TABLE articles; --", "a & b | !c", "x:* <-> y", "banjir'", "%s %(x)s", "((banjir))"]:
        store.search(q)  # no error, no injection
    with pytest.raises(QueryError):  # no word at all: a clean error (a 400 in the API), not every article
        store.search("\\")
    assert store.count_articles() == 4
    assert _keys(store, "banjir'") == _keys(store, "banjir")


def test_site_counts(store: ArticleStore) -> None:
    _fill_for_search(store)
    counts = store.site_counts()
    assert counts[0] == {"site": "berita.example", "site_name": "Berita Contoh", "articles": 3,
                         "first_day": "2024-03-01", "last_day": "2024-03-02"}
    assert counts[1]["site"] == "lain.example" and counts[1]["articles"] == 1


def test_import_article_keeps_timestamps(store: ArticleStore) -> None:
    from warta.store.sqlite import StoredArticle

    cid = store.add_capture("k", capture(1))
    record = StoredArticle(0, "k", article(7), "2020-01-01T00:00:00+00:00", "2021-02-02T00:00:00+00:00", None)
    aid = store.import_article(record, cid)
    got = store.get_article(aid)
    assert got is not None
    assert (got.first_seen, got.updated_at, got.capture_id, got.article) == (
        record.first_seen, record.updated_at, cid, record.article)


def test_postgres_writers_that_deadlock_get_a_retryable_store_conflict() -> None:
    """Two transactions that lock two articles in opposite orders: PostgreSQL rolls one back, and
    warta says so with StoreConflict (what the crawl retries), not a plain StoreError."""
    import threading

    from pg_support import pg_url, reset_pg

    from warta.errors import StoreConflict
    from warta.store.backends import open_article_store

    url = pg_url()
    reset_pg(url)
    store = open_article_store(url)
    try:
        for key in ("k1", "k2"):
            store.upsert_article(key, article(1))
        both = threading.Barrier(2, timeout=30)
        errors: list[BaseException] = []

        def writer(first: str, second: str) -> None:
            try:
                with store.transaction():
                    store.upsert_article(first, article(2))
                    both.wait()
                    store.upsert_article(second, article(3))
            except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)

        threads = [threading.Thread(target=writer, args=pair) for pair in (("k1", "k2"), ("k2", "k1"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert len(errors) == 1 and isinstance(errors[0], StoreConflict), errors
    finally:
        store.close()
