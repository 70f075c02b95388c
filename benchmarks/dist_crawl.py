"""Distributed crawl throughput and politeness on the many-host loopback site.

    PYTHONPATH=src python benchmarks/dist_crawl.py [--hosts 8] [--copies 4] [--delay 0.05] [--runs 3] [--pg URL]

Serves ``--hosts`` news sites, each on its own loopback address (127.0.0.2, ...; every other host
with a Crawl-delay of twice ``--delay`` in its robots.txt), and crawls their date window into a
fresh SQLite file (or, with ``--pg URL``, an emptied PostgreSQL database: every table of its
public schema is dropped before each crawl) with ``--engine ray`` and 1, 2 and 4 workers; the peer in the same run is the
local engine (``Crawler``, its extraction pool with 2 processes, in a process of its own as each Ray
worker is: the servers stamp requests in this process, and a crawler sharing their interpreter
would delay the stamps). Ray is started once (4 CPUs,
127.0.0.1) before the timed runs, as a cluster would already be running; each timed run still
includes starting its workers. Reports articles/s (median of ``--runs``), and from the servers'
record of every request: the most requests in flight at once to one host and the smallest rest
between two requests to a host divided by the rest it asked for (>= 1.0: polite).
Results go to benchmarks/results/dist_crawl.txt (dist_crawl_pg.txt with ``--pg``).
"""

from __future__ import annotations

import argparse
import multiprocessing
import platform
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from contract.pg_support import reset_pg  # noqa: E402
from manyhosts import SINCE, UNTIL, ManyHostSite, politeness  # noqa: E402
from warta.config import Settings  # noqa: E402
from warta.pipeline.distributed import crawl_distributed  # noqa: E402
from warta.pipeline.runner import Crawler, CrawlSpec  # noqa: E402
from warta.store.backends import open_article_store  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "dist_crawl.txt"


def local_crawl(settings: Settings, spec: CrawlSpec) -> int:
    """The local engine's crawl (run in a child process); returns the articles stored."""
    with open_article_store(settings.db) as store:
        return Crawler(store, settings).run(spec).stored


def one_run(engine: str, workers: int, args: argparse.Namespace) -> tuple[float, int, float, int]:
    """(articles/s, max in flight per host, min rest / asked rest, articles stored) of one crawl."""
    delays = (None, 2 * args.delay)
    with tempfile.TemporaryDirectory() as tmp, ManyHostSite(args.hosts, args.copies, delays) as site:
        db: str | Path = Path(tmp) / "d.db"
        if args.pg:
            reset_pg(args.pg)
            db = args.pg
        settings = Settings(db=str(db), delay=args.delay, workers=2, allow_private=True)
        spec = CrawlSpec(tuple(site.urls), SINCE, UNTIL)
        started = time.perf_counter()
        if engine == "local":  # in a process of its own, as the Ray workers are (not sharing the servers' GIL)
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as one:
                stored = one.submit(local_crawl, settings, spec).result()
        else:
            stored = crawl_distributed(db, settings, spec, workers=workers).stored
        elapsed = time.perf_counter() - started
        assert stored == len(site.in_window), (engine, workers, stored, len(site.in_window))
        spans = site.snapshot()
        ratio = min(
            politeness([s for s in spans if s.host + "/" == url]).min_gap / (site.crawl_delay(url) or args.delay)
            for url in site.urls
        )
        return stored / elapsed, politeness(spans).max_in_flight, ratio, stored


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hosts", type=int, default=8)
    ap.add_argument("--copies", type=int, default=4, help="copies of the sample articles per host")
    ap.add_argument("--delay", type=float, default=0.05)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pg", default="", help="crawl into this PostgreSQL database (emptied first) instead of SQLite")
    args = ap.parse_args()
    import ray

    configs = [("local", 0), ("ray", 1), ("ray", 2), ("ray", 4)]
    rates: dict[tuple[str, int], list[float]] = {c: [] for c in configs}
    worst: dict[tuple[str, int], tuple[int, float]] = {c: (0, float("inf")) for c in configs}
    stored = 0
    ray.init(num_cpus=4, include_dashboard=False, log_to_driver=False, configure_logging=False,
             _node_ip_address="127.0.0.1")
    try:
        for run in range(args.runs):
            for engine, workers in configs:  # the peers interleaved, run by run
                rate, in_flight, ratio, stored = one_run(engine, workers, args)
                rates[(engine, workers)].append(rate)
                worst[(engine, workers)] = (max(worst[(engine, workers)][0], in_flight),
                                            min(worst[(engine, workers)][1], ratio))
                print(f"run {run + 1} {engine} {workers or ''}: {rate:.1f} articles/s, max in flight {in_flight},"
                      f" min rest/asked {ratio:.2f}", file=sys.stderr)
    finally:
        ray.shutdown()
    lines = [
        f"# benchmarks/dist_crawl.py --hosts {args.hosts} --copies {args.copies} --delay {args.delay}"
        f" --runs {args.runs}" + (" --pg URL" if args.pg else ""),
        f"# {platform.platform()}, Python {platform.python_version()}, Ray {ray.__version__};"
        f" {stored} in-window articles on {args.hosts} hosts (every other one with Crawl-delay {2 * args.delay:g});"
        f" store: {'PostgreSQL' if args.pg else 'SQLite'}",
        "",
        "| engine | workers | articles/s (median) | runs | max in flight per host | min rest / asked rest |",
        "|---|---|---|---|---|---|",
    ]
    for engine, workers in configs:
        r = rates[(engine, workers)]
        n, ratio = worst[(engine, workers)]
        label = "1 process + 2 extraction processes" if engine == "local" else str(workers)
        lines.append(f"| {engine} | {label} | {statistics.median(r):.1f} | {', '.join(f'{x:.1f}' for x in r)}"
                     f" | {n} | {ratio:.2f} |")
    text = "\n".join(lines) + "\n"
    out = RESULTS.with_name("dist_crawl_pg.txt") if args.pg else RESULTS
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
