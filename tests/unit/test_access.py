"""Access status (free / metered / teaser / paywalled) on invented pages, the old ``paywalled``
boolean read back, and a store made before ``access`` existed migrated."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from warta.extract import extract
from warta.model import Article, Block
from warta.store import search as fts
from warta.store.sqlite import Store

PARAGRAPH = (
    "Pemerintah daerah mengumumkan rencana pembangunan jalan baru yang menghubungkan dua kecamatan "
    "di wilayah selatan, dan warga menyambut rencana itu dengan harapan perjalanan menjadi lebih cepat. "
)


def page(paragraphs: int, *, ld: dict[str, object] | None = None, after: str = "", head: str = "") -> str:
    ld_obj = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Jalan Baru Dibangun",
              "datePublished": "2024-05-01T10:00:00+07:00", **(ld or {})}
    body = "".join(f"<p>{PARAGRAPH} Bagian {i}.</p>" for i in range(paragraphs))
    return f"""<html lang="id"><head><title>Jalan Baru Dibangun</title>{head}
<script type="application/ld+json">{json.dumps(ld_obj)}</script></head>
<body><nav><a href="/">Beranda</a> <a href="/premium">Premium</a></nav>
<article><h1>Jalan Baru Dibangun</h1><div class="article-content">{body}</div>{after}</article>
<footer>Hak cipta</footer></body></html>"""


def access_of(html: str) -> tuple[str | None, str | None]:
    article = extract(html, "https://www.example.co.id/read/2024/05/01/jalan-baru")
    assert isinstance(article, Article)
    return article.access, article.provenance.get("access")


def test_a_plain_readable_page_is_free() -> None:
    assert access_of(page(8)) == ("free", "no-wall-signals")
    assert access_of(page(8, ld={"isAccessibleForFree": True})) == ("free", "jsonld:isAccessibleForFree")


def test_a_metered_flag_on_a_fully_readable_page_is_metered_not_paywalled() -> None:
    access, evidence = access_of(page(8, ld={"isAccessibleForFree": False}))
    assert access == "metered" and evidence == "jsonld:isAccessibleForFree+full-body"
    tier = '<meta property="article:content_tier" content="metered">'
    assert access_of(page(8, head=tier)) == ("metered", "meta:content_tier+full-body")


def test_not_free_and_short_body_is_paywalled() -> None:
    access, evidence = access_of(page(2, ld={"isAccessibleForFree": "False"}))
    assert access == "paywalled" and evidence == "jsonld:isAccessibleForFree+short-body"


def test_a_jsonld_article_body_much_longer_than_the_visible_text_is_a_teaser() -> None:
    full = " ".join(f"{PARAGRAPH} Bagian {i}." for i in range(8))
    access, evidence = access_of(page(4, ld={"articleBody": full}))
    assert access == "teaser" and evidence == "jsonld:articleBody-longer-than-visible"
    # the same articleBody on a page showing all of it is free
    assert access_of(page(8, ld={"articleBody": full}))[0] == "free"


def test_a_body_taken_from_jsonld_is_compared_with_all_the_page_shows() -> None:
    # the visible text is a tenth of the JSON-LD text: the body stage takes the JSON-LD text
    full = " ".join(f"{PARAGRAPH} Bagian {i}." for i in range(20))
    assert access_of(page(2, ld={"articleBody": full})) == ("teaser", "jsonld:articleBody-longer-than-visible")
    access, evidence = access_of(page(2, ld={"articleBody": full, "isAccessibleForFree": False}))
    assert access == "paywalled"
    assert evidence == "jsonld:isAccessibleForFree+jsonld:articleBody-longer-than-visible"
    # the whole story is on the page, in markup the body finder does not take for an article body
    odd = "".join(f"<span>{PARAGRAPH} Bagian {i}.</span><br>" for i in range(20))
    assert access_of(page(0, ld={"articleBody": full}, after=f"<div>{odd}</div>"))[0] != "teaser"


def test_a_continue_reading_call_where_the_text_stops_is_a_teaser() -> None:
    more = '<p class="more"><a href="/full">Baca selengkapnya</a></p>'
    assert access_of(page(2, after=more)) == ("teaser", "cut:baca selengkapnya")


def test_a_continue_reading_button_unfolds_text_the_page_holds() -> None:
    button = '<div class="more"><button>Continue reading</button></div>'
    assert access_of(page(8, after=button))[0] == "free"
    story = '<p><a href="/full">Continue reading the main story</a></p>'  # a longer line is no cut call
    assert access_of(page(8, after=story))[0] == "free"


def test_a_sentence_saying_the_rest_is_missing_is_a_cut() -> None:
    rest = '<p class="note">Il vous reste 70 % de cet article à lire.</p>'
    assert access_of(page(4, after=rest)) == ("teaser", "cut:il vous reste")


def test_a_premium_wall_with_a_short_body_is_paywalled() -> None:
    wall = ('<div class="paywall-box"><h3>Konten Premium</h3><p>Nikmati akses tanpa batas. '
            '<a href="/langganan">Berlangganan</a></p></div>')
    access, evidence = access_of(page(2, after=wall))
    assert access == "paywalled" and evidence == "marker:konten premium+short-body"


def test_a_premium_navigation_link_alone_is_not_a_wall() -> None:
    # the nav of every page above links to "Premium": that says nothing about this story
    assert access_of(page(2))[0] == "free"


def test_old_records_keep_their_meaning_and_paywalled_is_derived() -> None:
    old = Article.from_dict({"title": "x", "paywalled": True})
    assert old.access == "paywalled" and old.paywalled is True
    assert Article.from_dict({"title": "x", "paywalled": False}).access == "free"
    assert Article.from_dict({"title": "x"}).access is None
    teaser = Article(title="x", access="teaser")
    data = teaser.to_dict()
    assert data["access"] == "teaser" and data["paywalled"] is True and data["pages"] == []
    assert Article.from_dict(data) == teaser
    assert Article(access="metered").paywalled is False


OLD_SCHEMA = """
CREATE TABLE articles (
    id INTEGER PRIMARY KEY, url_key TEXT NOT NULL UNIQUE, url TEXT, site TEXT, site_name TEXT,
    language TEXT, title TEXT, published TEXT, published_day TEXT, section TEXT, authors TEXT,
    paywalled INTEGER, text TEXT NOT NULL DEFAULT '', data TEXT NOT NULL,
    capture_id INTEGER, first_seen TEXT NOT NULL, updated_at TEXT NOT NULL
);
"""


def test_a_store_made_before_access_is_migrated(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.executescript(OLD_SCHEMA)
    for i, flag in enumerate((1, 0, None)):
        data = json.dumps({"title": f"t{i}", "paywalled": None if flag is None else bool(flag)})
        conn.execute(
            "INSERT INTO articles(url_key, site, title, paywalled, text, data, first_seen, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?)", (f"k{i}", "a.id", f"t{i}", flag, "isi", data, "now", "now"))
    conn.commit()
    conn.close()
    with Store(db) as store:
        rows = store.conn.execute("SELECT url_key, access FROM articles ORDER BY url_key").fetchall()
        assert [tuple(r) for r in rows] == [("k0", "paywalled"), ("k1", "free"), ("k2", None)]
        assert store.get_article_by_key("k0").article.access == "paywalled"  # type: ignore[union-attr]
        store.upsert_article("k3", Article(title="t3", access="teaser", body=(Block("paragraph", "isi"),)))
        row = store.conn.execute("SELECT access, paywalled FROM articles WHERE url_key='k3'").fetchone()
        assert tuple(row) == ("teaser", 1)
        hits = fts.search(store.conn, "", fts.SearchFilters(access="teaser"))
        assert hits.total == 1
        counts = dict(fts.facet_counts(store.conn, "", fts.SearchFilters(), "access"))
        assert counts == {"paywalled": 1, "free": 1, "teaser": 1}
        assert dict(fts.facets(store.conn, "", fts.SearchFilters()).values["access"]) == counts
    with Store(db) as store:  # opening again changes nothing
        assert store.conn.execute("SELECT count(*) FROM articles WHERE access IS NOT NULL").fetchone()[0] == 3


def test_an_unknown_access_filter_is_a_clear_error() -> None:
    import pytest

    with pytest.raises(fts.QueryError, match="access must be one of"):
        fts.SearchFilters(access="locked")
