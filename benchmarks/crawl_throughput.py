"""End-to-end crawl throughput (fetch + extract + store) against the loopback fixture site.

    PYTHONPATH=src python benchmarks/crawl_throughput.py [--articles 400] [--runs 3]

Serves N article pages (copies of the bundled recorded pages) with sitemaps and RSS on 127.0.0.1,
crawls them with --delay 0 into a fresh SQLite file, and reports articles/s. The peer in the same
run is a naive sequential loop (httpx GET -> extract -> upsert, no robots, no frontier), the
simplest thing that stores the same captures and articles.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

import httpx

from warta.config import Settings
from warta.demo.newssite import SiteArticle, news_site_pages, sample_articles
from warta.demo.server import FixtureSite
from warta.extract import extract
from warta.model import Article, Capture
from warta.pipeline.runner import Crawler, CrawlSpec
from warta.store.sqlite import Store
from warta.urls import url_key


def articles(n: int) -> list[SiteArticle]:
    base = sample_articles()
    return [
        SiteArticle(f"{a.path}-b{i}", a.html, a.published, a.title)
        for i in range(n // len(base) + 1)
        for a in base
    ][:n]


def warta_run(site: RemoteSite, n: int, workers: int) -> tuple[float, float]:
    """Articles/s, and CPU seconds per article spent in the crawler's own process."""
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "b.db") as store:
        settings = Settings(db=str(Path(tmp) / "b.db"), delay=0.0, workers=workers, allow_private=True)
        started, cpu = time.perf_counter(), time.process_time()
        report = Crawler(store, settings).run(CrawlSpec((site.url + "/",)))
        elapsed = time.perf_counter() - started
        assert report.stored == n, (report.stored, n)
        return n / elapsed, (time.process_time() - cpu) / n


def extract_cpu(arts: list[SiteArticle]) -> float:
    """CPU seconds per article for extraction alone (what the worker processes spend)."""
    cpu = time.process_time()
    for a in arts:
        extract(a.html, "http://127.0.0.1" + a.path)
    return (time.process_time() - cpu) / len(arts)


def naive_run(site: RemoteSite, arts: list[SiteArticle]) -> float:
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "n.db") as store, httpx.Client() as client:
        started = time.perf_counter()
        for a in arts:
            url = site.url + a.path
            resp = client.get(url)
            key = url_key(url)
            capture = Capture(url, url, resp.status_code, tuple(resp.headers.multi_items()), resp.content, "")
            capture_id = store.add_capture(key, capture)  # like the crawler, keep the raw capture
            result = extract(resp.content, url)
            if isinstance(result, Article):
                store.upsert_article(key, result, capture_id)
        return len(arts) / (time.perf_counter() - started)


def serve(n: int, conn: Connection) -> None:
    """Run the fixture site in its own process, so the crawler does not share a GIL with it."""
    with FixtureSite() as site:
        site.mount(news_site_pages(site.url, articles(n), news_latest=n))
        conn.send(site.url)
        conn.recv()  # until told to stop


class RemoteSite:
    def __init__(self, n: int) -> None:
        self.parent, child = multiprocessing.Pipe()
        self.proc = multiprocessing.get_context("spawn").Process(target=serve, args=(n, child), daemon=True)

    def __enter__(self) -> RemoteSite:
        self.proc.start()
        self.url = str(self.parent.recv())
        return self

    def __exit__(self, *exc: object) -> None:
        self.parent.send("stop")
        self.proc.join(5)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=0)
    args = ap.parse_args()
    arts = articles(args.articles)
    ours, peer, main_cpu = [], [], []
    with RemoteSite(len(arts)) as site:
        for _ in range(args.runs):
            rate, cpu = warta_run(site, len(arts), args.workers)
            ours.append(rate)
            main_cpu.append(cpu)
            peer.append(naive_run(site, arts))
    ext = extract_cpu(arts[:100])
    main = statistics.median(main_cpu)
    print(f"articles: {len(arts)}  runs: {args.runs}")
    print(
        f"warta crawl (delay 0, robots, frontier, captures, worker extraction): median {statistics.median(ours):.1f} "
        f"articles/s  runs {[round(x, 1) for x in ours]}"
    )
    print(
        f"naive sequential GET+capture+extract+upsert:                   median {statistics.median(peer):.1f} "
        f"articles/s  runs {[round(x, 1) for x in peer]}"
    )
    print(
        f"CPU per article: crawler process {main * 1000:.1f} ms (fetch, robots, frontier, capture, store), "
        f"extraction {ext * 1000:.1f} ms (in workers); 2 dedicated cores bound: "
        f"{min(1 / main, 2 / (main + ext)):.0f} articles/s; load average now {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
