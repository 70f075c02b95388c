"""Site recipes: every bundled recipe is valid, and every "verified" one is proven here on recorded pages.

The recorded pages are MIT-licensed (anpandu/indonesian-news-scraper) and committed under
tests/fixtures/discover/. A recipe may be marked verified only when it appears in VERIFICATION.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from warta.discover.feeds import parse_feed
from warta.discover.listing import extract_links, looks_like_article_url, parse_listing
from warta.errors import ConfigError
from warta.sites import (
    Recipe,
    listing_urls_for_day,
    load_recipe_file,
    load_recipes,
    recipe_for,
    site_timezone,
)
from warta.urls import date_from_url, host_of

FIX = Path(__file__).parents[1] / "fixtures" / "discover"
RECIPES = load_recipes()
PORTALS = (
    "bisnis detik kompas cnnindonesia cnbcindonesia tempo antaranews liputan6 republika okezone viva kontan "
    "tribunnews sindonews suara kumparan tirto idntimes merdeka katadata"
).split()


def _page(name: str) -> bytes:
    return gzip.open(FIX / "listings" / f"{name}.html.gz").read()


def check_listing(recipe: Recipe, name: str, url: str) -> None:
    """The recipe finds exactly the reviewed article links of a recorded listing page."""
    expected = (FIX / "expected" / f"{name}.txt").read_text().split()
    listing = parse_listing(_page(name), url, recipe)
    assert [u for u, _ in listing.articles] == expected
    rejected = [u for u in extract_links(_page(name), url) if u not in expected]
    assert rejected, "a listing page also links tags, sections and other pages"
    assert not any(looks_like_article_url(u, recipe) for u in rejected)
    for article_url, hint in listing.articles:
        day = date_from_url(article_url)
        assert hint is None or day is None or hint.startswith(day.isoformat())


def check_feed(recipe: Recipe, name: str, url: str) -> None:
    """Every item of a recorded feed is an article of the recipe; the site's front page is not."""
    entries = parse_feed(_page(name), url)
    assert len(entries) >= 5
    for entry in entries:
        assert recipe_for(entry.url, RECIPES) is recipe
        assert looks_like_article_url(entry.url, recipe), entry.url
    assert not looks_like_article_url(f"http://www.{recipe.domains[0]}/", recipe)


def check_articles(recipe: Recipe, site: str) -> None:
    """The URLs of recorded article pages (and their own canonical links) classify as articles."""
    cases = [c for c in json.loads((FIX / "articles.json").read_text()) if c["site"] == site]
    assert cases
    for case in cases:
        assert recipe_for(case["url"], RECIPES) is recipe
        assert looks_like_article_url(case["url"], recipe), case["url"]
        html = gzip.open(FIX / case["page"]).read()
        page_links = [u for u in extract_links(html, case["url"]) if u != case["url"]]
        assert any(not looks_like_article_url(u, recipe) for u in page_links)


Check = Callable[[], None]
VERIFICATION: dict[str, list[Check]] = {
    "antaranews": [
        lambda: check_feed(RECIPES["antaranews"], "antaranews.com__anpandu_antara-mainpage", "http://www.antaranews.com/rss/news.xml"),
        lambda: check_articles(RECIPES["antaranews"], "antaranews.com"),
    ],
    "detik": [
        lambda: check_feed(RECIPES["detik"], "detik.com__anpandu_detik-mainpage", "http://rss.detik.com/index.php/detikcom"),
        lambda: check_articles(RECIPES["detik"], "detik.com"),
    ],
    "kompas": [lambda: check_listing(RECIPES["kompas"], "kompas.com__anpandu_kompas-mainpage", "http://indeks.kompas.com/")],
    "liputan6": [
        lambda: check_listing(RECIPES["liputan6"], "liputan6.com__anpandu_liputan6-mainpage", "http://www.liputan6.com/indeks"),
        lambda: check_articles(RECIPES["liputan6"], "liputan6.com"),
    ],
    "okezone": [lambda: check_listing(RECIPES["okezone"], "okezone.com__anpandu_okezone-mainpage", "http://www.okezone.com/")],
    "republika": [
        lambda: check_feed(RECIPES["republika"], "republika.co.id__anpandu_republika-mainpage", "http://www.republika.co.id/rss/")
    ],
    "tempo": [
        lambda: check_listing(RECIPES["tempo"], "tempo.co__anpandu_tempo-mainpage", "http://www.tempo.co/"),
        lambda: check_listing(RECIPES["tempo"], "en.tempo.co__anpandu_tempoen-mainpage", "http://en.tempo.co/"),
        lambda: check_articles(RECIPES["tempo"], "tempo.co"),
        lambda: check_articles(RECIPES["tempo"], "en.tempo.co"),
    ],
    "viva": [lambda: check_listing(RECIPES["viva"], "viva.co.id__anpandu_viva-mainpage", "http://www.viva.co.id/indeks")],
}
BENCH_VERIFIED = {"cnnindonesia"}  # proven in test_recipes_bench.py on pages that may not be committed


@pytest.mark.parametrize("site_id", sorted(VERIFICATION))
def test_verified_recipe_on_recorded_pages(site_id: str) -> None:
    for check in VERIFICATION[site_id]:
        check()


def test_status_verified_only_with_evidence() -> None:
    verified = {r.id for r in RECIPES.values() if r.status == "verified"}
    assert verified == set(VERIFICATION) | BENCH_VERIFIED
    assert all(RECIPES[i].verified_by for i in verified)


def test_every_portal_has_a_recipe_with_sources() -> None:
    assert set(PORTALS) <= set(RECIPES)
    for recipe in RECIPES.values():
        assert recipe.sources and recipe.timezone == "Asia/Jakarta" and recipe.language == "id"
        assert recipe.feeds or recipe.sitemaps or recipe.listing_templates or recipe.index_pages


@pytest.mark.parametrize("site_id", PORTALS)
def test_recipe_urls_belong_to_the_recipe(site_id: str) -> None:
    recipe = RECIPES[site_id]
    day = dt.date(2016, 10, 5)
    urls = [*recipe.feeds, *recipe.sitemaps, *recipe.index_pages, *listing_urls_for_day(recipe, day)]
    for url in urls:
        assert recipe_for(url, RECIPES) is recipe, url
        assert not looks_like_article_url(url, recipe), url
    for url in listing_urls_for_day(recipe, day):
        assert "2016" in url and "{" not in url
    assert site_timezone(f"https://{recipe.domains[0]}/", RECIPES).key == "Asia/Jakarta"


def test_listing_urls_for_day_pages() -> None:
    detik = RECIPES["detik"]
    assert listing_urls_for_day(detik, dt.date(2016, 10, 5), page=3)[0] == "https://news.detik.com/indeks?page=3&date=10/05/2016"
    liputan6 = RECIPES["liputan6"]
    assert listing_urls_for_day(liputan6, dt.date(2016, 2, 15)) == ["https://www.liputan6.com/indeks/2016/02/15"]
    assert listing_urls_for_day(liputan6, dt.date(2016, 2, 15), page=2) == []


def test_recipe_for_picks_most_specific_domain(tmp_path: Path) -> None:
    (tmp_path / "detik-finance.toml").write_text('id = "detik-finance"\nname = "x"\ndomains = ["finance.detik.com"]\n')
    recipes = load_recipes([tmp_path])
    assert recipe_for("https://finance.detik.com/a", recipes) is recipes["detik-finance"]
    assert recipe_for("https://news.detik.com/a", recipes) is recipes["detik"]
    assert recipe_for("https://example.org/", recipes) is None
    assert recipe_for("not a url", recipes) is None


def test_user_recipe_overrides_bundled(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text('id = "kompas"\nname = "Mine"\ndomains = ["kompas.com"]\n')
    assert load_recipes([tmp_path])["kompas"].name == "Mine"


def test_site_timezone_defaults() -> None:
    assert site_timezone("https://portal.example.id/a", {}).key == "Asia/Jakarta"
    assert site_timezone("https://example.com/a", {}).key == "UTC"
    assert host_of("https://WWW.Example.com:8080/x") == "www.example.com"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id = [", "cannot read"),
        ('id = "x"\nname = "x"\n', "at least one domain"),
        ('id = "x"\nname = "x"\ndomains = ["x.com"]\nstatus = "maybe"\n', "status"),
        ('id = "x"\nname = "x"\ndomains = ["x.com"]\nstatus = "verified"\n', "what verified it"),
        ('id = "x"\nname = "x"\ndomains = ["x.com"]\ntimezone = "Mars/Base"\n', "time zone"),
        ('id = "x"\nname = "x"\ndomains = ["x.com"]\narticle_patterns = ["(unclosed"]\n', "bad URL pattern"),
        ('id = "x"\nname = "x"\ndomains = ["x.com"]\nlisting_templates = ["https://x.com/{day}"]\n', "listing template"),
        ('id = "x"\nname = "x"\ndomains = ["x.com"]\nlisting_templates = ["https://x.com/indeks"]\n', "without a {date}"),
        ('id = "x"\nname = "x"\ndomains = ["x.com"]\nfeeds = "https://x.com/rss"\n', "list of strings"),
        ('id = "x"\nname = "x"\ndomains = ["x.com"]\ncolour = "red"\n', "unknown recipe keys"),
        ('id = "Bad Id"\nname = "x"\ndomains = ["x.com"]\n', "bad recipe id"),
    ],
)
def test_bad_recipes_raise_config_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "x.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message) as info:
        load_recipe_file(path)
    assert info.value.path == str(path)  # type: ignore[attr-defined]


def test_missing_recipe_dir_is_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_recipes([tmp_path / "nope"])


def test_recipe_hosts_are_covered() -> None:
    for recipe in RECIPES.values():
        for domain in recipe.domains:
            assert host_of(domain) == domain
