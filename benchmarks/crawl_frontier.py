"""RAM and disk for a frontier of N discovered URLs, and SQLite upsert rates.

    PYTHONPATH=src python benchmarks/crawl_frontier.py [--urls 1000000] [--articles 5000]

Adds N article URLs to a job's frontier through ``Frontier.add`` (batches of 10,000, as sitemap
parsing does), then claims and finishes a sample, and reports the process's peak RSS (which is
what a crawl holding that frontier needs: the frontier lives in SQLite, not in Python memory), the
database size, and rows/s. Then times ``Store.upsert_article`` (insert and update) with a real
extracted article. The peer in the same run is a plain Python set of the same URL keys.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from warta.demo.newssite import sample_articles
from warta.extract import extract
from warta.model import Article, Candidate
from warta.store.frontier import Frontier, Pending
from warta.store.sqlite import Store


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def url(i: int) -> str:
    return f"https://www.example{i % 20}.co.id/read/2016/10/{i % 28 + 1:02d}/{i}/judul-berita-nomor-{i}-tentang-sesuatu"


def frontier_bench(path: Path, n: int) -> None:
    base_rss = rss_mb()
    with Store(path) as store:
        f = Frontier(store)
        job, _ = f.job("backfill", ["https://www.example0.co.id/"], "2016-10-01", "2016-10-31")
        started = time.perf_counter()
        for lo in range(0, n, 10_000):
            batch = [
                Pending(
                    Candidate(url(i), url(i).replace("www.", ""), "example.co.id", "sitemap", "2016-10-01"),
                    "article",
                )
                for i in range(lo, min(n, lo + 10_000))
            ]
            f.add(job.id, batch)
        add_s = time.perf_counter() - started
        run = f.start_run(job.id, "bench")
        started = time.perf_counter()
        claimed = 0
        while claimed < 20_000:
            entries = f.claim(job.id, run, 100)
            for e in entries:
                f.finish(e.id, "stored", job_id=job.id, run_id=run)
            claimed += len(entries)
        claim_s = time.perf_counter() - started
        pending = f.pending(job.id)
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    print(
        f"frontier: {n:,} URLs added in {add_s:.1f}s ({n / add_s:,.0f} URLs/s); "
        f"claim+finish {claimed / claim_s:,.0f} URLs/s; pending {pending:,}"
    )
    print(
        f"frontier: RSS {rss_mb():.0f} MB now, peak {peak_mb():.0f} MB (interpreter+imports before: "
        f"{base_rss:.0f} MB); database {size / 1e6:.0f} MB on disk ({size / n:.0f} B/URL)"
    )
    keys = {url(i).replace("www.", "") for i in range(n)}
    print(f"peer: a Python set of the same {len(keys):,} keys: RSS {rss_mb():.0f} MB")


def upsert_bench(path: Path, n: int) -> None:
    page = sample_articles()[0]
    article = extract(page.html, "https://example.co.id" + page.path)
    assert isinstance(article, Article)
    with Store(path) as store:
        started = time.perf_counter()
        for i in range(n):
            store.upsert_article(
                f"https://example.co.id/a/{i}", article.replace(url=f"https://example.co.id/a/{i}")
            )
        insert = n / (time.perf_counter() - started)
        started = time.perf_counter()
        for i in range(n):
            store.upsert_article(f"https://example.co.id/a/{i}", article)
        update = n / (time.perf_counter() - started)
    print(
        f"store: upsert_article {insert:,.0f} inserts/s, {update:,.0f} updates/s "
        f"(one transaction each, WAL, synchronous=NORMAL; {len(article.text):,} chars of text)"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--urls", type=int, default=1_000_000)
    ap.add_argument("--articles", type=int, default=5_000)
    ap.add_argument("--dir", default=None, help="where to put the databases (default: a temp dir)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        upsert_bench(Path(tmp) / "u.db", args.articles)
        frontier_bench(Path(tmp) / "f.db", args.urls)
    print(f"pid {os.getpid()} done")


if __name__ == "__main__":
    main()
