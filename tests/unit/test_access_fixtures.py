"""The invented pages of the access benchmark (benchmarks/access) get their labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from warta.extract import extract
from warta.model import Article

ACCESS = Path(__file__).resolve().parents[2] / "benchmarks" / "access"
FIXTURES = [
    json.loads(line) for line in (ACCESS / "labels.jsonl").read_text("utf8").splitlines() if '"fixture"' in line
]


def test_there_are_fixtures_of_every_state() -> None:
    assert {f["label"] for f in FIXTURES} == {"free", "metered", "teaser", "paywalled"}


@pytest.mark.parametrize("item", FIXTURES, ids=[f["id"] for f in FIXTURES])
def test_fixture_label(item: dict[str, str]) -> None:
    article = extract((ACCESS / item["fixture"]).read_bytes(), item["url"])
    assert isinstance(article, Article)
    assert article.access == item["label"], article.provenance.get("access")
