"""Multi-page articles (issue 14): crawl the loopback multi-page site and measure the merge.

Serves ``tests/multipage_site.py`` (articles of 1, 2, 3 and 5 pages; ``?page=N`` and ``/N`` forms; a
loop from the last page back to page 1; a page answering 404; a "Tampilkan semua" single-page view)
on 127.0.0.1, crawls it with ``warta.pipeline.runner.Crawler`` and reports per article: body F1
against the concatenated true paragraphs (the bench scorer's ``\\w+`` bag of words), exact block
equality, pages merged, requests per URL, and the smallest gap between two requests to the host.

    PYTHONPATH=src python benchmarks/multipage_check.py [--delay 0.25] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from multipage_site import render, site_pages, stories  # noqa: E402
from warta.config import Settings  # noqa: E402
from warta.demo.server import FixtureSite  # noqa: E402
from warta.extract import extract  # noqa: E402
from warta.extract.eval import prf  # noqa: E402
from warta.model import Article  # noqa: E402
from warta.pipeline.runner import Crawler, CrawlSpec  # noqa: E402
from warta.store.sqlite import Store  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--delay", type=float, default=0.25, help="per-host delay in seconds")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    items = stories()
    with tempfile.TemporaryDirectory() as tmp, FixtureSite(site_pages(items)) as site:
        with Store(Path(tmp) / "m.db") as store:
            Crawler(store, Settings(delay=args.delay, workers=1, allow_private=True)).run(CrawlSpec((site.url + "/",)))
            stored = {sa.article.url: sa.article for sa in store.iter_articles()}
        log = list(site.log)
    rows = []
    for story in items:
        article = stored.get(site.url + story.path)
        present = tuple(n for n in range(1, story.pages + 1) if n not in story.missing)
        truth = story.truth(fetched=present)
        body = [b.text for b in article.body] if article else []
        first = extract(render(story, 1), site.url + story.path)  # the peer: page 1 alone, as before
        first_text = first.text if isinstance(first, Article) else ""
        rows.append({
            "article": story.slug, "pages": story.pages, "merged_pages": len(article.pages) if article else 0,
            "f1": round(prf("\n\n".join(truth), "\n\n".join(body))[2], 4), "exact": body == truth,
            "page1_only_f1": round(prf("\n\n".join(truth), first_text)[2], 4),
            "missing": article.provenance.get("pages_missing", "") if article else "not stored",
        })
    times = sorted(h.t for h in log)
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    counts = Counter(h.path for h in log)
    summary = {
        "articles_stored": len(stored), "articles": len(items), "requests": len(log),
        "urls_requested_more_than_once": sorted(p for p, n in counts.items() if n > 1),
        "min_gap_s": round(min(gaps), 3) if gaps else None, "delay_s": args.delay,
    }
    if args.json:
        print(json.dumps({"articles": rows, **summary}, indent=2))
        return 0
    print("| article | pages | merged | body F1 | exact blocks | page 1 alone F1 | missing page |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['article']} | {r['pages']} | {r['merged_pages']} | {r['f1']:.3f} | {r['exact']} | "
              f"{r['page1_only_f1']:.3f} | {r['missing'] or '-'} |")
    print(f"\n{summary['articles_stored']}/{summary['articles']} articles stored, {summary['requests']} requests, "
          f"URLs requested twice: {summary['urls_requested_more_than_once'] or 'none'}, "
          f"smallest gap between requests {summary['min_gap_s']} s (delay {args.delay} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
