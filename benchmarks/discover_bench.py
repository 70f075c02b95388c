"""Discovery benchmark: warta's URL keys, article-URL classification and sitemap/feed parsing,
each compared in the same run with a peer (courlan 1.x and trafilatura 2.x, both well-kept
libraries used by crawlers for the same jobs).

    PYTHONPATH=src python benchmarks/discover_bench.py [--fixtures tests/fixtures/discover] [--runs 5] [--json]

Everything runs offline on the recorded pages committed under tests/fixtures/discover (MIT) and on
generated XML. Timings are medians of --runs runs; the machine is shared, so compare only within
one run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import courlan
from trafilatura import feeds as traf_feeds
from trafilatura import sitemaps as traf_sitemaps

from warta.discover.feeds import parse_feed
from warta.discover.listing import extract_links, looks_like_article_url
from warta.discover.sitemaps import parse_sitemap
from warta.errors import DiscoverError
from warta.sites import load_recipes, recipe_for
from warta.urls import registered_domain, url_key

ROOT = Path(__file__).resolve().parents[1]
LISTING_PAGES = {
    "kompas.com__anpandu_kompas-mainpage": "http://indeks.kompas.com/",
    "liputan6.com__anpandu_liputan6-mainpage": "http://www.liputan6.com/indeks",
    "okezone.com__anpandu_okezone-mainpage": "http://www.okezone.com/",
    "tempo.co__anpandu_tempo-mainpage": "http://www.tempo.co/",
    "en.tempo.co__anpandu_tempoen-mainpage": "http://en.tempo.co/",
    "viva.co.id__anpandu_viva-mainpage": "http://www.viva.co.id/indeks",
}
FEEDS = {
    "antaranews.com__anpandu_antara-mainpage": "http://www.antaranews.com/rss/news.xml",
    "detik.com__anpandu_detik-mainpage": "http://rss.detik.com/index.php/detikcom",
    "republika.co.id__anpandu_republika-mainpage": "http://www.republika.co.id/rss/",
    "kapanlagi.com__anpandu_kapanlagi-mainpage": "http://www.kapanlagi.com/feed/",
}


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def variants(url: str) -> list[str]:
    """Addresses under which news sites serve the same article."""
    p = urlsplit(url)
    host = p.netloc.removeprefix("www.")
    path = p.path.rstrip("/")
    q = ("&" + p.query) if p.query else ""
    return [
        url,
        f"https://{p.netloc}{p.path}{'?' + p.query if p.query else ''}",
        f"http://www.{host}{p.path}?utm_source=twitter&utm_medium=social{q}",
        f"http://{p.netloc.upper()}{p.path}#comments",
        f"http://m.{host}{p.path}",
        f"http://amp.{host}{p.path}",
        f"http://{p.netloc}{path}/amp",
        f"http://{p.netloc}{p.path}?page=all{q}",
        f"http://{p.netloc}{p.path}?fbclid=IwAR0abc{q}",
        f"http://{p.netloc}:80{path}/",
    ]


def keyers() -> dict[str, Callable[[str], str]]:
    return {
        "warta url_key": url_key,
        "courlan normalize_url(strict)": lambda u: courlan.normalize_url(
            u, strict=True, trailing_slash=False
        ),
        "courlan clean_url": lambda u: courlan.clean_url(u) or u,
    }


def bench_keys(articles: list[str], runs: int) -> list[dict[str, Any]]:
    rows = []
    groups = [variants(u) for u in articles]
    flat = [v for g in groups for v in g]
    for name, key in keyers().items():
        collapsed = sum(1 for g in groups if len({key(v) for v in g}) == 1)
        keys = [key(g[0]) for g in groups]
        merged = len(keys) - len(set(keys))
        seconds = median_time(lambda key=key: [key(v) for v in flat], runs)
        rows.append(
            {
                "keyer": name,
                "articles": len(groups),
                "variants": len(flat),
                "all_variants_one_key_pct": round(100 * collapsed / len(groups), 1),
                "distinct_articles_merged": merged,
                "keys_per_s": round(len(flat) / seconds),
            }
        )
    return rows


def courlan_article(url: str) -> bool:
    checked = courlan.check_url(url, strict=True)
    return checked is not None and not courlan.is_navigation_page(url) and not courlan.is_not_crawlable(url)


def bench_classify(fixtures: Path) -> list[dict[str, Any]]:
    recipes = load_recipes()
    labelled: list[tuple[str, bool]] = []
    for name, base in LISTING_PAGES.items():
        expected = set((fixtures / "expected" / f"{name}.txt").read_text().split())
        links = extract_links(gzip.open(fixtures / "listings" / f"{name}.html.gz").read(), base)
        labelled += [(u, u in expected) for u in links]
    classifiers: dict[str, Callable[[str], bool]] = {
        "warta generic heuristics": looks_like_article_url,
        "warta + site recipe": lambda u: looks_like_article_url(u, recipe_for(u, recipes)),
        "courlan check_url+not navigation": courlan_article,
    }
    rows = []
    for name, classify in classifiers.items():
        tp = sum(1 for u, y in labelled if y and classify(u))
        fp = sum(1 for u, y in labelled if not y and classify(u))
        fn = sum(1 for u, y in labelled if y and not classify(u))
        precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        rows.append(
            {
                "classifier": name,
                "links": len(labelled),
                "articles": tp + fn,
                "precision": round(precision, 3),
                "recall": round(recall, 3),
                "f1": round(2 * precision * recall / max(precision + recall, 1e-9), 3),
            }
        )
    return rows


def bench_article_recall(bench: Path) -> list[dict[str, Any]]:
    """Share of real article-page URLs (the benchmark sets' truth) each classifier accepts."""
    rows = []
    for name in ("scrapinghub", "fundus", "indonesian"):
        truth = bench / name / "truth.jsonl"
        if not truth.is_file():
            continue
        urls = [u for u in (json.loads(line).get("url") for line in truth.open()) if u]
        rows.append({"set": name, "article_urls": len(urls),
                     "warta_generic_accepts": sum(1 for u in urls if looks_like_article_url(u)),
                     "courlan_accepts": sum(1 for u in urls if courlan_article(u))})
    return rows


def news_sitemap(n: int) -> bytes:
    rows = "".join(
        f"<url><loc>https://www.example.co.id/read/2016/10/05/{i}/judul-berita-{i}</loc>"
        f"<lastmod>2016-10-05T10:{i % 60:02d}:00+07:00</lastmod><news:news><news:publication>"
        f"<news:name>Contoh</news:name><news:language>id</news:language></news:publication>"
        f"<news:publication_date>2016-10-05T10:{i % 60:02d}:00+07:00</news:publication_date>"
        f"<news:title>Judul berita {i}</news:title></news:news></url>"
        for i in range(n)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{rows}</urlset>'
    ).encode()


def trafilatura_sitemap_links(body: bytes) -> int:
    obj = traf_sitemaps.SitemapObject("https://www.example.co.id", "example.co.id", [])
    obj.content = body.decode("utf-8")
    obj.current_url = "https://www.example.co.id/sitemap.xml"
    obj.extract_sitemap_links()
    return len(obj.urls)


def bench_sitemap(n: int, runs: int) -> list[dict[str, Any]]:
    body = news_sitemap(n)
    rows = []
    for name, fn in {
        "warta parse_sitemap": lambda: len(
            parse_sitemap(body, "https://www.example.co.id/sitemap.xml").entries
        ),
        "trafilatura SitemapObject": lambda: trafilatura_sitemap_links(body),
    }.items():
        found = fn()
        seconds = median_time(fn, runs)
        rows.append(
            {
                "parser": name,
                "urls_in": n,
                "urls_out": found,
                "urls_per_s": round(n / seconds),
                "dates_kept": name.startswith("warta"),
            }
        )
    return rows


def bench_feeds(fixtures: Path) -> list[dict[str, Any]]:
    rows = []
    for name, url in FEEDS.items():
        body = gzip.open(fixtures / "listings" / f"{name}.html.gz").read()
        domain = registered_domain(url)
        ours = parse_feed(body, url)
        site_root = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
        params = traf_feeds.FeedParameters(site_root, domain, url)
        theirs = traf_feeds.extract_links(body.decode("utf-8", errors="replace"), params)
        rows.append(
            {
                "feed": name.split("__")[0],
                "warta_items": len(ours),
                "warta_on_site": sum(1 for e in ours if registered_domain(e.url) == domain),
                "warta_dated": sum(1 for e in ours if e.published),
                "trafilatura_items": len(theirs),
                "trafilatura_on_site": sum(1 for u in theirs if registered_domain(u) == domain),
            }
        )
    return rows


def bench_billion_laughs() -> dict[str, Any]:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    body = f'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY l0 "lol">{lol}]><urlset><url><loc>https://x.example/&l9;</loc></url></urlset>'.encode()
    start = time.perf_counter()
    try:
        parse_sitemap(body, "https://x.example/s.xml")
        outcome = "parsed"
    except DiscoverError:
        outcome = "refused (DiscoverError)"
    return {
        "input": "billion laughs sitemap",
        "warta": outcome,
        "seconds": round(time.perf_counter() - start, 4),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fixtures", type=Path, default=ROOT / "tests" / "fixtures" / "discover")
    ap.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench",
                    help="benchmark sets for the article-URL recall check (skipped when absent)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sitemap-size", type=int, default=50_000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    articles = sorted(
        {u for n in LISTING_PAGES for u in (args.fixtures / "expected" / f"{n}.txt").read_text().split()}
    )
    result = {
        "url_keys": bench_keys(articles, args.runs),
        "article_url_classification": bench_classify(args.fixtures),
        "article_page_url_recall": bench_article_recall(args.bench),
        "sitemap": bench_sitemap(args.sitemap_size, args.runs),
        "feeds": bench_feeds(args.fixtures),
        "billion_laughs": bench_billion_laughs(),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for section, rows in result.items():
        print(f"== {section}")
        for row in rows if isinstance(rows, list) else [rows]:
            print("  " + "  ".join(f"{k}={v}" for k, v in row.items()))


if __name__ == "__main__":
    main()
