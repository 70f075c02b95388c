"""``warta serve --db postgresql://...`` answers as ``warta serve --db file.db`` over the same articles.

Two real ``warta serve`` processes, one over a SQLite file and one over a real PostgreSQL database
(``WARTA_TEST_PG``; CI fails without it), filled with the same articles in the same order (so the
same ids): every read endpoint must give the same JSON, pages must render, and the write endpoints
must work through the store protocol.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from warta.model import Article
from warta.store.backends import open_article_store

from .conftest import ServeProcess, extracted_fixture_articles, generated_articles, serve_process

sys.path.insert(0, str(Path(__file__).parents[1] / "contract"))
from pg_support import pg_url, reset_pg  # noqa: E402

TOKEN = "pg-token-7c2a"


@dataclass
class Pair:
    sqlite: ServeProcess
    pg: ServeProcess

    def both(self, path: str, **params: object) -> tuple[httpx.Response, httpx.Response]:
        return self.sqlite.client.get(path, params=params), self.pg.client.get(path, params=params)


def articles() -> list[Article]:
    return extracted_fixture_articles() + generated_articles("http://127.0.0.1:9")


def fill(db: str | Path, items: list[Article]) -> None:
    with open_article_store(db) as store, store.transaction():
        for n, a in enumerate(items):
            store.upsert_article(f"{n}|{a.url}", a)


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    url = pg_url()
    reset_pg(url)
    work = tmp_path_factory.mktemp("pgweb")
    items = articles()
    fill(work / "w.db", items)
    fill(url, items)
    with serve_process(work / "w.db", work, WARTA_API_TOKEN=TOKEN) as lite, \
            serve_process(url, work, WARTA_API_TOKEN=TOKEN) as pg:
        yield Pair(lite, pg)


SAME_JSON = [
    ("/api/search", {"q": "banjir", "sort": "date", "per_page": 100}),
    ("/api/search", {"q": '"laporan banjir"', "sort": "date"}),
    ("/api/search", {"q": "sepakb*", "sort": "date"}),
    ("/api/search", {"q": "laporan NOT banjir", "sort": "date", "page": 2, "per_page": 7}),
    ("/api/search", {"q": "(banjir OR gempa) nomor", "sort": "date", "per_page": 100}),
    ("/api/search", {"q": "laporan", "site": "kabar.example", "sort": "date"}),
    ("/api/search", {"sort": "date", "since": "2024-03-05", "until": "2024-03-07", "per_page": 100}),
    ("/api/search", {"q": "laporan", "author": "siti rahma", "sort": "date", "per_page": 100}),
    ("/api/search", {"access": "paywalled", "sort": "date"}),
    ("/api/search", {"q": "banjir", "collapse": "true", "sort": "date"}),
    ("/api/search", {"q": "LAPORAN", "sort": "date", "offset": 25, "limit": 10}),
    ("/api/facets", {}),
    ("/api/facets", {"q": "laporan"}),
    ("/api/facets", {"q": "banjir", "language": "id"}),
    ("/api/stats/sites", {}),
    ("/api/stats/days", {}),
    ("/api/stats/days", {"q": "banjir"}),
    ("/api/articles/1", {}),
    ("/api/articles/31", {}),
]


@pytest.mark.parametrize(("path", "params"), SAME_JSON, ids=[f"{p}?{q}" for p, q in SAME_JSON])
def test_same_answers_as_sqlite(pair: Pair, path: str, params: dict[str, object]) -> None:
    lite, pg = pair.both(path, **params)
    assert lite.status_code == pg.status_code == 200, (lite.text, pg.text)
    stamps = ("first_seen", "updated_at")  # when each store was filled: a second apart at most
    assert {k: v for k, v in pg.json().items() if k not in stamps} == {
        k: v for k, v in lite.json().items() if k not in stamps}


def test_relevance_finds_the_same_articles(pair: Pair) -> None:
    for q in ("Turki", "banjir OR gempa", "jakarta"):
        lite, pg = (r.json() for r in pair.both("/api/search", q=q, per_page=100))
        assert pg["total"] == lite["total"] > 0, q
        assert {h["id"] for h in pg["results"]} == {h["id"] for h in lite["results"]}, q
    top = pair.pg.client.get("/api/search", params={"q": "Turki"}).json()["results"][0]
    assert "Turki" in top["title"]  # the title match ranks first on both


def test_errors_are_the_same(pair: Pair) -> None:
    for path, params in (("/api/search", {"q": '"unclosed'}), ("/api/articles/999999", {}),
                         ("/api/search", {"since": "2024-13-01"}), ("/api/export", {"q": "(banjir"})):
        lite, pg = pair.both(path, **params)
        assert pg.status_code == lite.status_code and pg.status_code in (400, 404)
        assert pg.json() == lite.json()


def test_export_is_the_same(pair: Pair) -> None:
    for params in ({"format": "jsonl"}, {"format": "jsonl", "q": "gempa"},
                   {"format": "csv", "q": "laporan", "site": "kabar.example"}, {"format": "csv"}):
        lite, pg = pair.both("/api/export", **params)
        assert pg.status_code == 200 and pg.headers["content-type"] == lite.headers["content-type"]
        if params["format"] == "csv":
            assert pg.text == lite.text, params
        else:  # equal as JSON: jsonb does not keep the key order inside ``provenance``
            assert [json.loads(x) for x in pg.text.splitlines()] == [json.loads(x) for x in lite.text.splitlines()]
    rows = list(csv.DictReader(io.StringIO(pair.pg.client.get("/api/export", params={"format": "csv"}).text)))
    assert len(rows) == len(articles())
    jsonl = [json.loads(line) for line in pair.pg.client.get("/api/export", params={"q": "gempa"}).text.splitlines()]
    assert len(jsonl) == 6 and all("gempa" in r["title"] and r["body"] for r in jsonl)


def test_pages_render(pair: Pair) -> None:
    page = pair.pg.client.get("/", params={"q": "banjir"})
    assert page.status_code == 200 and "Laporan banjir" in page.text
    assert pair.pg.client.get("/", params={"q": "banjir", "collapse": "false"}).status_code == 200
    title = pair.pg.client.get("/api/articles/1").json()["title"]
    article = pair.pg.client.get("/articles/1")
    assert article.status_code == 200 and title.split()[0] in article.text
    assert pair.pg.client.get("/articles/999999").status_code == 404
    status = pair.pg.client.get("/status")
    lite = pair.sqlite.client.get("/status")
    assert status.status_code == 200 and lite.status_code == 200
    assert "No crawl jobs in this store." not in status.text + lite.text  # both keep a frontier
    assert "kabar.example" in status.text  # articles per site listed


def test_runs_read_the_frontier_of_either_backend(pair: Pair) -> None:
    assert pair.pg.client.get("/api/runs").json() == {"runs": [], "outcomes_by_site": [], "failing_sites": []}
    assert pair.sqlite.client.get("/api/runs").json() == pair.pg.client.get("/api/runs").json()


def test_writes_go_through_the_store(pair: Pair) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert pair.pg.client.delete("/api/articles/2").status_code == 401
    for server in (pair.sqlite, pair.pg):
        assert server.client.delete("/api/articles/2", headers=auth).json() == {"deleted": 2}
        assert server.client.delete("/api/articles/2", headers=auth).status_code == 404
        assert server.client.get("/api/articles/2").status_code == 404
    lite, pg = (s.client.post("/api/reindex", headers=auth) for s in (pair.sqlite, pair.pg))
    assert pg.json() == lite.json() == {"indexed": len(articles()) - 1}
    lite_page, pg_page = pair.both("/api/search", q="laporan", sort="date", per_page=100)
    assert pg_page.json() == lite_page.json()
