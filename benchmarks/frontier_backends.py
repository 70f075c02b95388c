"""Frontier claims per second, SQLite vs PostgreSQL, with 1 and 4 worker processes (issue 12).

Each trial starts from an empty frontier (a new SQLite file; PostgreSQL's warta tables dropped and
re-created) holding one job of ``--entries`` article URLs. ``W`` worker processes, each with its
own store and :class:`~warta.store.protocols.FrontierStore` from
:func:`warta.store.backends.open_frontier`, claim batches of 32 and finish each URL as ``stored``
(one transaction per finish, with its source-health counts, as the crawler does) until the job is
empty. Workers open their store first and start together on a barrier; the time is from the first
start to the last finish. Every trial checks that each URL was finished exactly once.

The backends alternate within each run (same machine load); the table shows the median of
``--runs`` runs.

    PYTHONPATH=src python benchmarks/frontier_backends.py --pg postgresql://postgres@127.0.0.1:54329/warta_bench
    PYTHONPATH=src python benchmarks/frontier_backends.py --pg URL --entries 5000 --runs 3 --json

The PostgreSQL database named by ``--pg`` is emptied (warta's tables are dropped).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # contract.pg_support: reset_pg

from contract.pg_support import reset_pg  # noqa: E402
from warta.model import Candidate  # noqa: E402
from warta.store.backends import open_article_store, open_frontier  # noqa: E402
from warta.store.frontier import Pending  # noqa: E402

BATCH = 32


def worker(db: str, job_id: int, barrier: Barrier, results: Any) -> None:
    with open_article_store(db) as store:
        frontier = open_frontier(store)
        run_id = frontier.start_run(job_id, "bench")
        barrier.wait()
        started, done = time.time(), 0
        while batch := frontier.claim(job_id, run_id, BATCH):
            for entry in batch:
                frontier.finish(entry.id, "stored", job_id=job_id, run_id=run_id)
                done += 1
        results.put((started, time.time(), done))


def trial(db: str, entries: int, workers: int) -> float:
    """Claims (and finishes) per second for one fresh job of ``entries`` URLs and ``workers`` processes."""
    with open_article_store(db) as store:
        frontier = open_frontier(store)
        job, _ = frontier.job("backfill", ["https://bench.example/"], None, None)
        items = [Pending(Candidate(url=f"https://bench.example/{i}", key=f"https://bench.example/{i}",
                                   site="bench.example", found_by="sitemap", hint_published=None), "article")
                 for i in range(entries)]
        for i in range(0, entries, 1000):
            frontier.add(job.id, items[i:i + 1000])
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(workers), ctx.Queue()
    procs = [ctx.Process(target=worker, args=(db, job.id, barrier, results)) for _ in range(workers)]
    for p in procs:
        p.start()
    got = [results.get(timeout=1800) for _ in procs]
    for p in procs:
        p.join(60)
        if p.exitcode != 0:
            raise SystemExit(f"a worker failed (exit {p.exitcode})")
    done = sum(n for _, _, n in got)
    with open_article_store(db) as store:
        frontier = open_frontier(store)
        stored = sum(o.n for o in frontier.outcome_counts(job_id=job.id) if o.outcome == "stored")
        if done != entries or stored != entries or frontier.pending(job.id):
            raise SystemExit(f"lost or doubled work: {done} finished by workers, {stored} stored, of {entries}")
    return entries / (max(end for _, end, _ in got) - min(start for start, _, _ in got))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pg", required=True, help="postgresql:// URL of a database to empty and use")
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", default="1,4", help="worker counts, comma-separated")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",")]

    import psycopg

    with psycopg.connect(args.pg, autocommit=True) as conn:
        settings = {k: conn.execute(f"SHOW {k}").fetchone()[0]  # type: ignore[index]
                    for k in ("server_version", "fsync", "synchronous_commit", "max_connections")}
    rates: dict[str, dict[int, list[float]]] = {b: {w: [] for w in counts} for b in ("sqlite", "postgresql")}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            for w in counts:
                for backend in rates:
                    if backend == "sqlite":
                        db = str(Path(tmp) / f"run{run}-w{w}.db")
                    else:
                        reset_pg(args.pg)
                        db = args.pg
                    rate = trial(db, args.entries, w)
                    rates[backend][w].append(rate)
                    print(f"  run {run + 1}: {backend}, {w} worker(s): {rate:.0f} claims/s", file=sys.stderr)
    result = {"entries": args.entries, "runs": args.runs, "batch": BATCH, "cpus": os.cpu_count(),
              "postgres_settings": settings,
              "claims_per_s": {b: {str(w): statistics.median(r) for w, r in by.items()} for b, by in rates.items()},
              "all_runs": {b: {str(w): r for w, r in by.items()} for b, by in rates.items()}}
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(f"{args.entries} URLs per trial, claim batch {BATCH}, finish each as stored; median of {args.runs} runs;"
          f" {os.cpu_count()} CPUs; PostgreSQL {settings}")
    print("| backend | " + " | ".join(f"claims/s, {w} worker{'s' if w > 1 else ''}" for w in counts) + " |")
    print("|---|" + "---|" * len(counts))
    for backend, by in result["claims_per_s"].items():  # type: ignore[attr-defined]
        print(f"| {backend} | " + " | ".join(f"{by[str(w)]:.0f}" for w in counts) + " |")


if __name__ == "__main__":
    main()
