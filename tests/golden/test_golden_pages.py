"""Golden tests over recorded MIT-licensed pages (tests/fixtures/extract/*.html.gz).

Each page has its expected output beside it (``NAME.json``): the hand-annotated body of the
benchmark truth, its first and last paragraph, title and publication date.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from warta.extract import extract
from warta.extract.eval import prf
from warta.model import Article

FIXTURES = Path(__file__).parent.parent / "fixtures" / "extract"
NAMES = sorted(p.name.removesuffix(".html.gz") for p in FIXTURES.glob("*.html.gz"))


def load(name: str) -> tuple[Article, dict[str, Any]]:
    expected = json.loads((FIXTURES / f"{name}.json").read_text("utf8"))
    result = extract(gzip.decompress((FIXTURES / f"{name}.html.gz").read_bytes()), expected["url"])
    assert isinstance(result, Article), result
    return result, expected


def test_there_are_golden_pages() -> None:
    assert len(NAMES) >= 6


@pytest.mark.parametrize("name", NAMES)
def test_body_matches_annotation(name: str) -> None:
    article, expected = load(name)
    assert article.body[0].text == expected["body_first"]
    assert article.body[-1].text == expected["body_last"]
    assert prf(expected["body"], article.text)[2] >= expected["min_body_f1"]


@pytest.mark.parametrize("name", NAMES)
def test_url_and_provenance(name: str) -> None:
    article, expected = load(name)
    assert article.url == expected["url"]
    body = article.provenance["body"]
    # a site's field rule (a bundled recipe, proven in tests/sites/test_field_rules.py) may fill the body
    assert body in ("dom", "dom-nohints", "dom+jsonld", "jsonld") or body.startswith("recipe:")


@pytest.mark.parametrize("name", NAMES)
def test_title_and_date_match_annotation(name: str) -> None:
    article, expected = load(name)
    if expected["title"]:
        assert " ".join(article.title.split()).casefold() == " ".join(expected["title"].split()).casefold()
    if expected["published"]:
        assert (article.published or "")[:10] == expected["published"][:10]
