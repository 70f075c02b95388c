"""Property tests of the web app against a real server (127.0.0.1) over a store holding more than
10,000 matching articles: whatever the parameters, no answer is a 5xx, every answer carries the
security headers, and (for the API) the answer is one that ``/openapi.json`` documents: its status
code, content type and body schema. The API cases come from schemathesis reading the app's own
OpenAPI document; the HTML pages (not in the document) get Hypothesis-generated parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from warta.web.app import SECURITY_HEADERS

from .bigstore import fill_big
from .conftest import LiveServer

TOKEN = "property-token-77"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# A valid-looking search may still be a 400 (an unclosed quote is a string like any other), so
# schemathesis' "valid data must be accepted" check does not apply; every other check does.


@pytest.fixture(scope="module")
def live(serve: Callable[..., LiveServer], tmp_path_factory: pytest.TempPathFactory) -> LiveServer:
    db = tmp_path_factory.mktemp("property") / "warta.db"
    fill_big(db)
    return serve(db, token=TOKEN)


def assert_headers(status: int, headers: Any, path: str) -> None:
    for name, value in SECURITY_HEADERS.items():
        got = headers.get(name.lower())
        got = got[0] if isinstance(got, list) else got
        assert got == value, f"{status} {path}: {name} is {got!r}"


def run_operation(operation: Any, mode: GenerationMode, examples: int, headers: dict[str, str]) -> int:
    """Send ``examples`` generated requests for one operation; returns how many were sent."""
    sent = 0

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
              database=None)
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case: Any) -> None:
        nonlocal sent
        response = case.call(timeout=60, headers=headers)
        sent += 1
        where = f"{case.method} {case.formatted_path} {case.query}"
        assert response.status_code < 500, f"{response.status_code} for {where}"
        assert_headers(response.status_code, response.headers, where)
        case.validate_response(response, checks=CHECKS)

    check()
    return sent


# (mode, examples per operation, with the write token): the token run skips POST /api/reindex,
# which would rebuild the index of 10,500 articles for every example
RUNS = [(GenerationMode.POSITIVE, 25, False), (GenerationMode.NEGATIVE, 25, False), (GenerationMode.POSITIVE, 8, True)]


@pytest.mark.parametrize("mode, examples, token", RUNS, ids=["valid", "invalid", "valid-with-token"])
def test_api_answers_only_what_it_documents(live: LiveServer, mode: GenerationMode, examples: int,
                                            token: bool) -> None:
    schema = schemathesis.openapi.from_url(f"{live.base}/openapi.json")
    headers = {"Authorization": f"Bearer {TOKEN}"} if token else {}
    sent: dict[str, int] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        if token and operation.method.upper() == "POST":
            continue
        if mode is GenerationMode.NEGATIVE and not list(operation.iter_parameters()):
            continue  # nothing to make invalid
        sent[operation.label] = run_operation(operation, mode, examples, headers)
    assert len(sent) >= (5 if mode is GenerationMode.NEGATIVE else 8) and all(sent.values()), sent


texts = st.one_of(st.none(), st.text(max_size=40),
                  st.sampled_from(["(", "OR", '""', "banjir", "x" * 600, "%_\\"]))
authors = st.one_of(texts, st.just("y" * 50_001))  # past SQLite's LIKE pattern limit
EDGES = [2**31, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 10**30]
integers = st.one_of(st.integers(min_value=-5, max_value=600), st.sampled_from(EDGES),
                     st.integers(min_value=-(2**70), max_value=2**70))


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(q=texts, page=st.one_of(st.none(), integers, st.text(max_size=5)), author=authors, site=texts,
       since=st.one_of(st.none(), st.sampled_from(["2024-03-01", "2024-02-30", "kemarin", ""])),
       sort=st.sampled_from([None, "date", "relevance", "oops"]), article=integers)
def test_html_pages_never_fail(live: LiveServer, q: str | None, page: object, author: str | None,
                               site: str | None, since: str | None, sort: str | None, article: int) -> None:
    params = {k: v for k, v in {"q": q, "page": page, "author": author, "site": site, "since": since,
                                "sort": sort}.items() if v is not None}
    with httpx.Client(base_url=live.base, timeout=60) as client:
        for response in (client.get("/", params=params), client.get(f"/articles/{article}")):
            assert response.status_code < 500, (response.status_code, response.url, response.text[:300])
            assert_headers(response.status_code, response.headers, str(response.url))
