"""The JSON API against a real uvicorn server on 127.0.0.1 over a real SQLite file."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Callable

import httpx
import pytest

from warta.model import Article
from warta.web.app import CSP

from .conftest import LiveServer, extracted_fixture_articles, generated_articles

TOKEN = "test-token-5e1f"


@pytest.fixture(scope="module")
def live(serve: Callable[..., LiveServer], tmp_path_factory: pytest.TempPathFactory) -> LiveServer:
    db = tmp_path_factory.mktemp("api") / "warta.db"

    def fill(base: str) -> list[Article]:
        return extracted_fixture_articles() + generated_articles(base)

    return serve(db, fill=fill, token=TOKEN)


@pytest.fixture(scope="module")
def client(live: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=live.base, timeout=10)


def search(client: httpx.Client, **params: object) -> dict:  # type: ignore[type-arg]
    response = client.get("/api/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_search_finds_extracted_indonesian_article(client: httpx.Client) -> None:
    data = search(client, q="Turki")
    assert data["total"] >= 1
    hit = data["results"][0]
    assert set(hit) == {"id", "url", "title", "site", "published", "snippet"}
    assert "Turki" in hit["title"]
    assert hit["url"].startswith("http://www.antaranews.com/")
    full = client.get(f"/api/articles/{hit['id']}").json()
    assert full["id"] == hit["id"] and full["title"] == hit["title"]
    assert full["body"] and full["text"].startswith(full["body"][0]["text"])


def test_phrase_prefix_and_boolean(client: httpx.Client) -> None:
    assert search(client, q="banjir")["total"] == 6
    assert search(client, q='"laporan banjir"')["total"] == 6
    assert search(client, q='"banjir laporan"')["total"] == 0  # word order matters in a phrase
    assert search(client, q="sepakb*")["total"] == 6
    assert search(client, q="banjir OR gempa")["total"] == 12
    assert search(client, q="banjir AND gempa")["total"] == 0
    assert search(client, q="laporan NOT banjir")["total"] == 24
    assert search(client, q="laporan -banjir -gempa")["total"] == 18
    assert search(client, q="(banjir OR gempa) nomor")["total"] == 12
    # Indonesian text is matched without diacritics and case
    assert search(client, q="LAPORAN")["total"] == 30


@pytest.mark.parametrize(
    "q, fragment",
    [
        ('"unclosed phrase', "unclosed quote"),
        ("(banjir OR gempa", "parentheses"),
        ("banjir)", "')'"),
        ("OR banjir", "cannot start"),
        ("banjir OR", "OR must be followed"),
        ("-banjir", "only exclude"),
        ("*", "prefix"),
    ],
)
def test_malformed_query_is_400_with_message(client: httpx.Client, q: str, fragment: str) -> None:
    response = client.get("/api/search", params={"q": q})
    assert response.status_code == 400
    assert fragment in response.json()["detail"]


@pytest.mark.parametrize("q", ['title:banjir', "NEAR(banjir gempa)", "banjir^", "a'; DROP TABLE articles; --", "{col}: x"])
def test_fts_syntax_in_user_input_is_neutralised(client: httpx.Client, q: str) -> None:
    response = client.get("/api/search", params={"q": q})
    assert response.status_code == 200
    assert search(client, q="laporan")["total"] == 30  # nothing was dropped


def test_filters(client: httpx.Client) -> None:
    by_site = search(client, q="laporan", site="kabar.example", per_page=100)
    assert by_site["total"] == 10 and {r["site"] for r in by_site["results"]} == {"kabar.example"}
    ranged = search(client, since="2024-03-05", until="2024-03-07", per_page=100)
    assert ranged["total"] == 3
    assert all("2024-03-05" <= r["published"][:10] <= "2024-03-07" for r in ranged["results"])
    assert search(client, q="laporan", author="siti rahma")["total"] == 15
    assert search(client, q="laporan", author="Penulis 1")["total"] == 10
    assert search(client, q="laporan", author="Penulis")["total"] == 0  # whole names only
    assert search(client, q="laporan", language="en")["total"] == 8
    assert search(client, q="laporan", section="olahraga")["total"] == 15
    assert search(client, q="laporan", paywalled="true")["total"] == 3
    assert search(client, q="laporan", paywalled="false")["total"] == 27
    assert client.get("/api/search", params={"since": "March 5"}).status_code == 400


def test_access_filter_and_facet(client: httpx.Client) -> None:
    assert search(client, q="laporan", access="paywalled")["total"] == 3
    assert search(client, q="laporan", access="free")["total"] == 27
    assert search(client, q="laporan", access="teaser")["total"] == 0
    facets = client.get("/api/facets", params={"q": "laporan"}).json()
    assert {f["value"]: f["count"] for f in facets["access"]} == {"free": 27, "paywalled": 3}
    assert client.get("/api/search", params={"access": "locked"}).status_code == 400


def test_sort_and_pagination(client: httpx.Client) -> None:
    by_date = search(client, q="laporan", sort="date", per_page=100)["results"]
    dates = [r["published"] for r in by_date]
    assert dates == sorted(dates, reverse=True)
    page1 = search(client, q="laporan", sort="date", page=1, per_page=7)
    page2 = search(client, q="laporan", sort="date", page=2, per_page=7)
    assert [r["id"] for r in page1["results"] + page2["results"]] == [r["id"] for r in by_date[:14]]
    window = search(client, q="laporan", sort="date", offset=7, limit=7)
    assert window["results"] == page2["results"]
    relevance = search(client, q="banjir")["results"]
    assert relevance and all("banjir" in r["title"].lower() for r in relevance)
    assert client.get("/api/search", params={"per_page": 1000}).status_code in {400, 422}


def test_total_is_capped(live: LiveServer) -> None:
    from warta.store import search as fts

    conn = sqlite3.connect(live.db)
    page = fts.search(conn, "laporan", cap=10, limit=5)
    conn.close()
    assert page.total == 10 and page.total_capped and len(page.hits) == 5


def test_article_404_and_stats(client: httpx.Client) -> None:
    assert client.get("/api/articles/999999").status_code == 404
    sites = client.get("/api/stats/sites").json()["sites"]
    counts = {s["site"]: s["articles"] for s in sites}
    assert counts["kabar.example"] == 10 and counts["warta.example"] == 10
    days = client.get("/api/stats/days", params={"q": "banjir"}).json()["days"]
    assert sum(d["articles"] for d in days) == 6
    assert days == sorted(days, key=lambda d: d["day"])
    facets = client.get("/api/facets", params={"q": "laporan"}).json()
    assert {f["value"]: f["count"] for f in facets["site"]}["berita.example"] == 10
    assert {f["value"]: f["count"] for f in facets["author"]}["Siti Rahma"] == 15
    assert facets["sampled"] is None


def test_export_jsonl_and_csv(client: httpx.Client) -> None:
    jsonl = client.get("/api/export", params={"q": "gempa", "format": "jsonl"})
    assert jsonl.status_code == 200 and jsonl.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in jsonl.text.splitlines()]
    assert len(rows) == 6 and all("gempa" in r["title"] for r in rows) and all(r["body"] for r in rows)
    table = client.get("/api/export", params={"q": "gempa", "format": "csv", "site": "kabar.example"})
    records = list(csv.DictReader(io.StringIO(table.text)))
    assert len(records) == 2 and {r["site"] for r in records} == {"kabar.example"}
    assert client.get("/api/export", params={"q": '"oops'}).status_code == 400


def test_runs_empty_without_crawl_tables(client: httpx.Client) -> None:
    data = client.get("/api/runs").json()
    assert data == {"runs": [], "outcomes_by_site": [], "failing_sites": []}


def test_openapi_and_security_headers(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/search", "/api/articles/{article_id}", "/api/stats/sites", "/api/stats/days",
                 "/api/runs", "/api/export", "/api/reindex"):
        assert path in spec["paths"], path
    for url in ("/", "/api/search", "/status", "/articles/1", "/static/warta.css"):
        headers = client.get(url).headers
        assert headers["content-security-policy"] == CSP
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in CSP and "script-src 'self';" in CSP


def test_write_endpoints_need_the_token(client: httpx.Client, live: LiveServer) -> None:
    victim = search(client, q="sepakbola", sort="date")["results"][0]["id"]
    assert client.delete(f"/api/articles/{victim}").status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert client.delete(f"/api/articles/{victim}", headers=wrong).status_code == 401
    assert client.post("/api/reindex").status_code == 401
    assert client.get(f"/api/articles/{victim}").status_code == 200  # still there
    good = {"Authorization": f"Bearer {TOKEN}"}
    assert client.delete(f"/api/articles/{victim}", headers=good).json() == {"deleted": victim}
    assert client.get(f"/api/articles/{victim}").status_code == 404
    assert search(client, q="sepakbola")["total"] == 5  # the index followed the delete
    assert client.delete(f"/api/articles/{victim}", headers=good).status_code == 404
    # an index emptied behind our back comes back with a reindex
    with sqlite3.connect(live.db) as conn:
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('delete-all')")
    assert search(client, q="laporan")["total"] == 0
    reindexed = client.post("/api/reindex", headers=good).json()
    assert reindexed["indexed"] == 32
    assert search(client, q="laporan")["total"] == 29


def test_writes_disabled_without_configured_token(
    serve: Callable[..., LiveServer], tmp_path_factory: pytest.TempPathFactory
) -> None:
    db = tmp_path_factory.mktemp("notoken") / "warta.db"
    server = serve(db, fill=lambda base: generated_articles(base, 3), token=None)
    with httpx.Client(base_url=server.base) as c:
        for headers in ({}, {"Authorization": "Bearer anything"}):
            assert c.delete("/api/articles/1", headers=headers).status_code == 403
            assert c.post("/api/reindex", headers=headers).status_code == 403
        assert c.get("/api/articles/1").status_code == 200
