"""Recipe checks on recorded pages that may not be committed (no or unclear licence).

They run only where the benchmark data sits beside the repository (../shared/bench) and are
skipped elsewhere; the recipes they prove say so in their ``verified_by``.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from warta.discover.listing import extract_links, looks_like_article_url, parse_listing
from warta.sites import load_recipes, recipe_for

BENCH = Path(os.environ.get("WARTA_BENCH", Path(__file__).parents[2] / ".." / "shared" / "bench"))
LISTINGS = BENCH / "indonesian-listings"
pytestmark = pytest.mark.skipif(not LISTINGS.is_dir(), reason="benchmark data (../shared/bench) not present")
RECIPES = load_recipes()


def _page(name: str) -> bytes:
    return gzip.open(LISTINGS / f"{name}.html.gz").read()


def test_detik_2024_index_page() -> None:
    recipe = RECIPES["detik"]
    url = "https://news.detik.com/indeks"
    listing = parse_listing(_page("detik.com__nathanaelfd10_news-detik-indeks_2024-10-04"), url, recipe)
    assert len(listing.articles) >= 15
    assert all("/d-" in u for u, _ in listing.articles)
    assert "https://news.detik.com/indeks/2" in listing.next_pages
    others = [u for u in extract_links(_page("detik.com__nathanaelfd10_news-detik-indeks_2024-10-04"), url)]
    assert not any(looks_like_article_url(u, recipe) for u in others if "20.detik.com" in u or "/indeks" in u)


def test_detik_article_pages_2021_2022() -> None:
    recipe = RECIPES["detik"]
    truth = [json.loads(line) for line in (BENCH / "indonesian" / "truth.jsonl").open()]
    cases = [t for t in truth if t["site"] == "detik.com"]
    assert len(cases) >= 5
    for case in cases:
        assert recipe_for(case["url"], RECIPES) is recipe
        assert looks_like_article_url(case["url"], recipe), case["url"]


def test_cnnindonesia_2020_home_page() -> None:
    recipe = RECIPES["cnnindonesia"]
    url = "https://www.cnnindonesia.com/"
    page = _page("cnnindonesia.com__gotrending80_homepage_2020-06-24_unescaped")
    listing = parse_listing(page, url, recipe)
    assert len(listing.articles) >= 40
    assert all(recipe_for(u, RECIPES) is recipe for u, _ in listing.articles)
    dated = [hint for u, hint in listing.articles if "/longform/" not in u]
    assert all(hint and hint[:4] in ("2019", "2020") for hint in dated)  # date read from the URL
    assert sum(1 for hint in dated if hint and hint.startswith("2020-06-24")) >= 30
    rejected = [u for u in extract_links(page, url) if u not in dict(listing.articles)]
    assert any("/fokus/" in u for u in rejected) and rejected
