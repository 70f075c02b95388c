"""WARC batch throughput: warta batch on the local and Ray executors vs one plain extract process.

Usage: python benchmarks/batch_warc.py [--records N] [--shards S] [--runs R] [--no-ray] [--engines ray1,ray2]
Writes S gzip-per-record WARC files of N responses in all (real news pages from
tests/fixtures/extract under distinct URLs). The peer, in the same run, is one process doing what
``warta extract`` does per page: read the records, ``extract`` each page, upsert into a store.
Then ``run_batch`` with the local executor (1 and 2 workers) and Ray (1 and 2 CPUs), each
into a fresh store; every run times all engines in turn. Executors are started and warmed up (one shard, untimed) before the clock starts. Prints the
median articles/s of R runs, the ratio to the peer and per worker, the CPU time per article of
all processes (this one and its descendants: workers, Ray's raylet and GCS; a figure that load
from other work on the machine does not change much, unlike the rates), the CPU time per article
of the driver alone (this process: reading the WARC records, sending pages, receiving articles,
writing the store: the serial share), and checks that every engine stored exactly the peer's
articles. From those CPU figures it computes, per engine, the number of worker cores K up to which
the rate stays at 0.8 of linear (K times the plain process), under two models: the driver's work
overlapping the workers' (a pipeline: the driver saturates at 1/d articles/s) and not overlapping
at all (Amdahl: d + w/K per article).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

import warcfiles  # noqa: E402
from warta.batch.run import run_batch  # noqa: E402
from warta.batch.warc import WarcPage, read_warc  # noqa: E402
from warta.execute import make_executor  # noqa: E402
from warta.extract.core import extract  # noqa: E402
from warta.model import Article  # noqa: E402
from warta.store.sqlite import Store  # noqa: E402
from warta.urls import url_key  # noqa: E402

PEER = "plain extract, 1 process"


def plain(paths: list[Path], db: Path) -> int:
    n = 0
    with Store(db) as store, store.transaction():
        for path in paths:
            for _, page in read_warc(path):
                if isinstance(page, WarcPage):
                    result = extract(page.body, page.url, content_type=page.content_type)
                    if isinstance(result, Article):
                        store.upsert_article(url_key(result.url or page.url), result)
                        n += 1
    return n


def cpu_seconds() -> dict[int, float]:
    """CPU seconds (user + system) so far of this process and all its descendants (workers, Ray's
    raylet and GCS), from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}  # pid -> (parent, cpu seconds)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    mine = {os.getpid()}
    grew = True
    while grew:
        grew = False
        for pid, (parent, _) in stats.items():
            if parent in mine and pid not in mine:
                mine.add(pid)
                grew = True
    return {pid: stats[pid][1] for pid in mine if pid in stats}


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(max(0.0, v - before.get(pid, 0.0)) for pid, v in after.items())


def articles(db: Path) -> dict[str, Any]:
    with Store(db) as store:
        return {s.url_key: s.article for s in store.iter_articles()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=300)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-ray", action="store_true")
    parser.add_argument("--engines", default="local1,local2,ray1,ray2",
                        help="comma-separated engine+workers to time against the plain process")
    args = parser.parse_args()
    engines = [(e.rstrip("0123456789"), int(e[len(e.rstrip("0123456789")):]))
               for e in args.engines.split(",") if e and not (args.no_ray and e.startswith("ray"))]
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        pages = list(warcfiles.many_pages(args.records))
        paths = [warcfiles.write_warc(base / f"s{i}.warc.gz", pages[i :: args.shards]) for i in range(args.shards)]
        inputs = [str(p) for p in paths]
        rates: dict[str, list[float]] = {PEER: []}
        cpu: dict[str, list[float]] = {PEER: []}  # CPU milliseconds per article, all processes
        driver: dict[str, list[float]] = {}  # CPU milliseconds per article, the driver alone
        reference: dict[str, Any] = {}
        local = {n: make_executor("local", n) for engine, n in engines if engine == "local"}
        for n, ex in local.items():
            run_batch(inputs[:1], ex, out=base / f"warm-local{n}", timeout=60)  # start and import, untimed
        try:
            for run in range(args.runs):  # engines in turn within each run: load changes hit all alike
                db = base / f"plain{run}.db"
                used, start = cpu_seconds(), time.perf_counter()
                n = plain(paths, db)
                rates[PEER].append(n / (time.perf_counter() - start))
                cpu[PEER].append(1000 * cpu_used(used, cpu_seconds()) / n)
                reference = articles(db)
                for engine, workers in engines:
                    label = f"{engine}, {workers} {'worker' if engine == 'local' else 'CPU'}{'s' if workers > 1 else ''}"
                    executor = local[workers] if engine == "local" else make_executor(engine, workers)
                    try:
                        if engine != "local":
                            run_batch(inputs[:1], executor, out=base / f"warm-{engine}{workers}-{run}", timeout=60)
                        db = base / f"{engine}{workers}-{run}.db"
                        used, own, start = cpu_seconds(), own_cpu(), time.perf_counter()
                        report = run_batch(inputs, executor, db=db, timeout=60)
                        rates.setdefault(label, []).append(report.articles / (time.perf_counter() - start))
                        cpu.setdefault(label, []).append(1000 * cpu_used(used, cpu_seconds()) / report.articles)
                        driver.setdefault(label, []).append(1000 * (own_cpu() - own) / report.articles)
                    finally:
                        if engine != "local":
                            executor.close()
                    assert articles(db) == reference, f"{label}: articles differ from the plain run"
        finally:
            for ex in local.values():
                ex.close()
    peer = statistics.median(rates[PEER])
    print(f"{args.records} pages in {args.shards} WARC shards, median of {args.runs} runs; identical articles: yes")
    print("| engine | articles/s | vs plain | per worker vs plain (1.0 = linear) | CPU ms per article (all processes) | of which the driver |")
    print("|---|---|---|---|---|---|")
    for label, values in rates.items():
        rate = statistics.median(values)
        workers = int(label.split(", ")[1].split()[0]) if "," in label else 1
        ms = statistics.median(cpu[label])
        own = f"{statistics.median(driver[label]):.2f}" if label in driver else "(all)"
        print(f"| {label} | {rate:.1f} | {rate / peer:.2f} | {rate / peer / workers:.2f} | {ms:.1f} | {own} |")
    p = statistics.median(cpu[PEER])
    print(f"\nWorker cores K with at least 0.8 of linear (K x plain, p = {p:.2f} CPU ms per article in the plain process;"
          " w = all - d: the workers' share):")
    print("| engine | d, driver ms | w, workers ms | efficiency at large K if the driver keeps up (p / w) |"
          " K, pipeline (p / (0.8 d)) | K, Amdahl ((1.25 p - w) / d) |")
    print("|---|---|---|---|---|---|")
    for label in driver:
        d = statistics.median(driver[label])
        w = statistics.median(cpu[label]) - d
        pipeline = p / (0.8 * d) if p / w >= 0.8 else 0.0
        amdahl = max(0.0, (1.25 * p - w) / d)
        print(f"| {label} | {d:.2f} | {w:.2f} | {p / w:.2f} | {pipeline:.1f} | {amdahl:.1f} |")


def own_cpu() -> float:
    """CPU seconds (user + system) of this process alone (the driver)."""
    t = os.times()
    return t.user + t.system


if __name__ == "__main__":
    main()
