"""Hostile requests against a real server over a store with more than 10,000 matches: every odd
parameter gets a 4xx with a reason in words (never a 500), every answer carries the security
headers (errors and unhandled exceptions included), the OpenAPI document lists the answers the
app really gives, and the CSV export escapes cells a spreadsheet would run as formulas."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from warta.store import search as fts
from warta.web.app import SECURITY_HEADERS

from .bigstore import FORMULAS, MATCHES, fill_big
from .conftest import LiveServer

TOKEN = "hostile-token-31"
BIG = 2**63  # one past SQLite's largest integer


@pytest.fixture(scope="module")
def live(serve: Callable[..., LiveServer], tmp_path_factory: pytest.TempPathFactory) -> LiveServer:
    db = tmp_path_factory.mktemp("hostile-api") / "warta.db"
    fill_big(db)
    return serve(db, token=TOKEN)


@pytest.fixture(scope="module")
def client(live: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=live.base, timeout=30)


def assert_security_headers(response: httpx.Response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, f"{response.status_code} {response.url}: {name} missing"
    if response.url.path.startswith("/api/"):
        assert response.headers.get("cache-control") == "no-store"


def reason(response: httpx.Response) -> str:
    """The reason the app gave, in words (JSON ``detail`` or the text of the HTML error page)."""
    if response.headers.get("content-type", "").startswith("application/json"):
        detail = response.json()["detail"]
        return detail if isinstance(detail, str) else "; ".join(str(e["msg"]) for e in detail)
    return response.text


def test_the_store_really_caps_the_count(client: httpx.Client) -> None:
    data = client.get("/api/search", params={"q": "banjir"}).json()
    assert data["total"] == 10_000 and data["total_capped"] is True and MATCHES > 10_000


BOUNDS: list[tuple[str, str, dict[str, Any], str]] = [
    # method, path, query parameters, a word of the expected reason
    ("GET", "/api/search", {"q": "banjir", "offset": BIG - 1}, "less than or equal"),
    ("GET", "/api/search", {"q": "banjir", "offset": BIG}, "less than or equal"),
    ("GET", "/api/search", {"offset": BIG - 1}, "less than or equal"),
    ("GET", "/api/search", {"q": "banjir", "offset": 10**18}, "less than or equal"),
    ("GET", "/api/search", {"q": "banjir", "page": BIG}, "less than or equal"),
    ("GET", "/api/search", {"q": "banjir", "page": 2**62, "sort": "date"}, "less than or equal"),
    ("GET", "/api/search", {"page": 2**60}, "less than or equal"),
    ("GET", "/api/search", {"offset": -1}, "greater than or equal"),
    ("GET", "/api/articles/9223372036854775808", {}, "less than or equal"),
    ("GET", "/api/articles/-9223372036854775809", {}, "greater than or equal"),
    ("DELETE", "/api/articles/9223372036854775808", {}, "less than or equal"),
    ("GET", "/articles/9223372036854775808", {}, "out of range"),
    ("GET", "/articles/-9223372036854775809", {}, "out of range"),
    ("GET", "/api/search", {"author": "x" * 60_000}, "at most 500 characters"),
    ("GET", "/api/search", {"q": "banjir", "author": "%_" * 251}, "at most 500 characters"),
    ("GET", "/api/facets", {"author": "x" * 60_000}, "at most 500 characters"),
    ("GET", "/api/stats/days", {"author": "x" * 60_000}, "at most 500 characters"),
    ("GET", "/api/export", {"author": "x" * 60_000}, "at most 500 characters"),
    ("GET", "/", {"author": "x" * 60_000}, "at most 500 characters"),
    ("GET", "/api/search", {"site": "s" * 501}, "at most 500 characters"),
    ("GET", "/api/search", {"since": "2024-13-45"}, "since must be a date"),
]


@pytest.mark.parametrize("method, path, params, why", BOUNDS, ids=[f"{m} {p} {sorted(q)}" for m, p, q, _ in BOUNDS])
def test_out_of_bounds_is_a_4xx_with_a_reason(
    client: httpx.Client, method: str, path: str, params: dict[str, Any], why: str
) -> None:
    response = client.request(method, path, params=params, headers={"Authorization": f"Bearer {TOKEN}"})
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    assert why in reason(response)
    assert_security_headers(response)


def test_deepest_allowed_pages_still_answer(client: httpx.Client) -> None:
    for params in ({"q": "banjir", "offset": fts.MAX_OFFSET}, {"offset": fts.MAX_OFFSET, "sort": "date"},
                   {"q": "banjir", "page": fts.MAX_OFFSET // 100, "per_page": 100, "sort": "date"}):
        response = client.get("/api/search", params=params)
        assert response.status_code == 200, response.text
        assert response.json()["results"] == [] and response.json()["total_capped"] is True
    assert client.get("/api/articles/9223372036854775807").status_code == 404


def test_library_rejects_what_sqlite_cannot_hold(live: LiveServer) -> None:
    conn = sqlite3.connect(live.db)
    try:
        with pytest.raises(fts.QueryError, match="offset must be at most"):
            fts.search(conn, "banjir", offset=BIG - 1)
        with pytest.raises(fts.QueryError, match="author is too long"):
            fts.SearchFilters(author="x" * 60_000)
    finally:
        conn.close()


OPERATOR_ONLY = ["(", ")", "OR", "AND", "NOT", '""', '"   "', "( OR )", "NOT NOT", "(( ))", "OR AND NOT ( )", "!!"]


@pytest.mark.parametrize("q", OPERATOR_ONLY)
def test_operator_only_queries_are_400_not_every_article(client: httpx.Client, q: str) -> None:
    for path in ("/api/search", "/api/facets", "/api/stats/days", "/api/export", "/"):
        response = client.get(path, params={"q": q})
        assert response.status_code == 400, (path, q, response.text[:200])
        assert_security_headers(response)
    assert "no word to search for" in client.get("/api/search", params={"q": q}).json()["detail"]


def test_blank_query_still_browses_everything(client: httpx.Client) -> None:
    for q in ("", "   "):
        assert client.get("/api/search", params={"q": q}).json()["total"] == 10_000


def test_unhandled_exception_is_a_500_with_security_headers(live: LiveServer, client: httpx.Client) -> None:
    # a row whose stored JSON is not an object: reading it fails inside the app (a real bug path)
    with sqlite3.connect(live.db) as conn:
        conn.execute(
            "INSERT INTO articles(url_key, url, title, text, data, first_seen, updated_at)"
            " VALUES ('broken', 'https://rusak.example/1', 'rusak', '', '[1]', '2024-01-01', '2024-01-01')"
        )
        broken = conn.execute("SELECT id FROM articles WHERE url_key='broken'").fetchone()[0]
    try:
        for path in (f"/api/articles/{broken}", f"/articles/{broken}"):
            response = client.get(path)
            assert response.status_code == 500
            assert_security_headers(response)
            assert "internal error" in response.text
        assert client.get(f"/api/articles/{broken}").json() == {"detail": "internal error"}
    finally:
        with sqlite3.connect(live.db) as conn:
            conn.execute("DELETE FROM articles WHERE url_key='broken'")


def test_ordinary_error_answers_carry_security_headers(client: httpx.Client) -> None:
    answers = [
        client.get("/api/articles/999999999"), client.get("/articles/999999999"), client.get("/no/such/page"),
        client.get("/api/search", params={"page": "abc"}), client.get("/api/search", params={"q": '"open'}),
        client.post("/api/search"), client.delete("/api/articles/1"), client.post("/api/reindex"),
        client.get("/static/none.css"), client.get("/?page=0"),
    ]
    assert sorted({r.status_code for r in answers}) == [400, 401, 404, 405, 422]
    for response in answers:
        assert_security_headers(response)


def test_openapi_lists_the_answers_the_app_gives(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert "400" in operation["responses"], (method, path)
    assert {"404", "422"} <= set(paths["/api/articles/{article_id}"]["get"]["responses"])
    assert {"401", "403", "404"} <= set(paths["/api/articles/{article_id}"]["delete"]["responses"])
    assert {"401", "403"} <= set(paths["/api/reindex"]["post"]["responses"])
    error = paths["/api/articles/{article_id}"]["get"]["responses"]["404"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/ErrorBody"}
    offset = next(p for p in paths["/api/search"]["get"]["parameters"] if p["name"] == "offset")
    assert offset["schema"]["anyOf"][0]["maximum"] == fts.MAX_OFFSET
    documented = set(paths["/api/export"]["get"]["responses"]["200"]["content"])
    assert documented == {"application/x-ndjson", "text/csv"}
    given = {
        client.get("/api/export", params={"q": "rumus", "format": fmt}).headers["content-type"].split(";")[0]
        for fmt in ("jsonl", "csv")
    }
    assert given == documented


def test_web_csv_export_escapes_formulas(client: httpx.Client) -> None:
    response = client.get("/api/export", params={"q": "rumus", "format": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text, newline="")))
    assert len(rows) == len(FORMULAS)
    assert sorted(r["title"] for r in rows) == sorted("'" + f for f in FORMULAS)
    for row in rows:
        for column in ("title", "site_name", "section", "authors", "text"):
            assert row[column].startswith("'"), (column, row[column])
        assert row["url"].startswith("https://")  # ordinary cells are untouched
    raw = client.get("/api/export", params={"q": "rumus", "format": "jsonl"}).text.splitlines()
    assert sorted(json.loads(line)["title"] for line in raw) == sorted(FORMULAS)  # JSON keeps the values
