"""Capacity inputs for a big collection, measured on real news pages: CPU, store bytes and write rates.

Usage: PYTHONPATH=src python benchmarks/batch_capacity.py --pg postgresql://... [--articles N]
       [--sets fundus,scrapinghub,indonesian,newspaper4k] [--bench ../shared/bench] [--json PATH]

The pages are the real news pages of the benchmark sets (``<bench>/<set>/truth.jsonl`` with their
URLs, ``pages/*.html.gz``). Measured, in this order:

1. **Extraction CPU per page**: ``extract`` in this process on every page, 3 times, CPU time
   (``time.process_time``, which load from other work moves little); the mean over pages of each
   page's median.
2. **Loading ``--articles`` N captures and articles** (the pages again and again under distinct
   URLs) into PostgreSQL (the database of ``--pg``: every table in it is DROPPED first) and into a
   SQLite file, the way ``warta batch`` writes: one transaction per 256 rows. Rows per second, and
   the CPU per row of this process (the driver) and, for PostgreSQL, of the server processes
   serving it (read from /proc; the server must run on this machine).
3. **Bytes per article and per capture**: PostgreSQL heap, TOAST and each index
   (``pg_relation_size``), SQLite file size.
4. **Re-extraction of those captures** (``reextract_store``, one local worker, PostgreSQL store):
   CPU per article of the driver (reading captures, writing articles) and of the worker.
5. **A WARC batch into PostgreSQL** (``run_batch`` over one gzip-per-record WARC of the first
   ``--warc`` pages, one local worker, the store emptied first): CPU per article of the driver
   (reading records, writing articles) and the worker, and WARC bytes per record.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from batch_warc import cpu_seconds, cpu_used, own_cpu  # noqa: E402

import warcfiles  # noqa: E402
from warta.batch.captures import reextract_store  # noqa: E402
from warta.batch.run import run_batch  # noqa: E402
from warta.execute.local import LocalExecutor  # noqa: E402
from warta.extract.core import extract  # noqa: E402
from warta.model import Article, Capture  # noqa: E402
from warta.store.backends import open_article_store  # noqa: E402
from warta.store.protocols import ArticleStore  # noqa: E402
from warta.urls import url_key  # noqa: E402

BATCH = 256
HEADERS = (("Content-Type", "text/html; charset=utf-8"),)


def load_pages(bench: Path, sets: list[str]) -> list[tuple[str, bytes]]:
    pages: list[tuple[str, bytes]] = []
    for name in sets:
        for line in (bench / name / "truth.jsonl").read_text("utf8").splitlines():
            row = json.loads(line)
            path = bench / name / row["page"]
            if row.get("url") and path.exists():
                pages.append((row["url"], gzip.decompress(path.read_bytes())))
    return pages


def extraction_cpu(pages: list[tuple[str, bytes]], runs: int = 3) -> tuple[float, float, int, int]:
    """(mean CPU ms per page, median, articles, pages); each page's median of ``runs``."""
    per_page: list[float] = []
    articles = 0
    for url, body in pages:
        times = []
        for _ in range(runs):
            start = time.process_time()
            result = extract(body, url, content_type=HEADERS[0][1])
            times.append(1000 * (time.process_time() - start))
        per_page.append(statistics.median(times))
        articles += isinstance(result, Article)
    return statistics.fmean(per_page), statistics.median(per_page), articles, len(pages)


def server_cpu(url: str) -> dict[int, float]:
    """CPU seconds so far of every PostgreSQL server process (/proc; the server runs here)."""
    import psycopg

    with psycopg.connect(url) as conn:
        pids = [int(r[0]) for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")]
        me = int(conn.execute("SELECT pg_backend_pid()").fetchone()[0])  # type: ignore[index]
    tick = os.sysconf("SC_CLK_TCK")
    out: dict[int, float] = {}
    for pid in pids:
        if pid == me:
            continue
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / tick
    return out


def load(store: ArticleStore, items: list[tuple[str, Capture, Article]], pg: str | None) -> dict[str, float]:
    """Captures, then articles, one transaction per BATCH rows; rates and CPU ms per row."""
    figures: dict[str, float] = {}
    ids: list[int] = []
    for phase in ("captures", "articles"):
        server = server_cpu(pg) if pg else {}
        cpu, start = own_cpu(), time.perf_counter()
        for first in range(0, len(items), BATCH):
            with store.transaction() as tx:
                for n, (key, capture, article) in enumerate(items[first:first + BATCH], start=first):
                    if phase == "captures":
                        ids.append(tx.add_capture(key, capture))
                    else:
                        tx.upsert_article(key, article, ids[n])
        wall = time.perf_counter() - start
        figures[f"{phase}_per_s"] = len(items) / wall
        figures[f"{phase}_driver_cpu_ms"] = 1000 * (own_cpu() - cpu) / len(items)
        if pg:
            figures[f"{phase}_server_cpu_ms"] = 1000 * cpu_used(server, server_cpu(pg)) / len(items)
    return figures


PG_SIZES = """
SELECT c.relname, pg_relation_size(c.oid), COALESCE(pg_total_relation_size(c.reltoastrelid), 0)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i') AND (c.relname LIKE 'articles%' OR c.relname LIKE 'captures%')
ORDER BY c.relname
"""


def pg_sizes(url: str) -> dict[str, dict[str, int]]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE articles")
        conn.execute("VACUUM ANALYZE captures")
        return {str(r[0]): {"main": int(r[1]), "toast": int(r[2])} for r in conn.execute(PG_SIZES)}


def drop_pg(url: str) -> None:
    """Drop every table (and the view ``outcomes``) of the database's public schema."""
    from contract.pg_support import reset_pg

    reset_pg(url)


def reextract_cpu(store: ArticleStore) -> dict[str, float]:
    with LocalExecutor(1) as executor:
        list(executor.map(abs, [(0, 0)]))  # start the worker untimed
        before, driver, start = cpu_seconds(), own_cpu(), time.perf_counter()
        report = reextract_store(store, executor, timeout=60)
        wall = time.perf_counter() - start
        driver_ms = 1000 * (own_cpu() - driver) / report.updated
        all_ms = 1000 * cpu_used(before, cpu_seconds()) / report.updated
    return {"articles": report.updated, "per_s": report.updated / wall, "driver_cpu_ms": driver_ms,
            "worker_cpu_ms": all_ms - driver_ms}


def warc_batch_cpu(url: str, pages: list[tuple[str, bytes]], tmp: Path) -> dict[str, float]:
    """``warta batch`` of a gzip-per-record WARC of ``pages`` into the PostgreSQL store at ``url``
    (emptied first), one local worker: CPU per article of the driver and the worker (the server's
    share is the article upserts' of :func:`load`: the same calls, 256 per transaction; its backends
    exit with the run, out of /proc's reach)."""
    path = warcfiles.write_warc(tmp / "pages.warc.gz", pages)
    drop_pg(url)
    with open_article_store(url):
        pass  # the schema, created untimed
    with LocalExecutor(1) as executor:
        list(executor.map(abs, [(0, 0)]))  # start the worker untimed
        before, driver, start = cpu_seconds(), own_cpu(), time.perf_counter()
        report = run_batch([str(path)], executor, db=url, timeout=60)
        wall = time.perf_counter() - start
        n = report.articles
        driver_ms = 1000 * (own_cpu() - driver) / n
        all_ms = 1000 * cpu_used(before, cpu_seconds()) / n
    return {"articles": n, "per_s": n / wall, "driver_cpu_ms": driver_ms, "worker_cpu_ms": all_ms - driver_ms,
            "warc_bytes_per_record": path.stat().st_size / len(pages)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", required=True, help="a PostgreSQL database whose tables may all be dropped")
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--warc", type=int, default=2000, help="pages in the WARC batch run")
    parser.add_argument("--sets", default="fundus,scrapinghub,indonesian,newspaper4k")
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    pages = load_pages(args.bench, args.sets.split(","))
    mean_ms, median_ms, n_articles, n_pages = extraction_cpu(pages)
    out: dict[str, Any] = {"pages": n_pages, "articles_among_pages": n_articles,
                           "extract_cpu_ms": {"mean": mean_ms, "median": median_ms},
                           "raw_page_bytes_mean": statistics.fmean(len(b) for _, b in pages)}
    extracted = [(u, b, extract(b, u, content_type=HEADERS[0][1])) for u, b in pages]
    good = [(u, b, a) for u, b, a in extracted if isinstance(a, Article)]
    items = []
    for i in range(args.articles):
        url, body, article = good[i % len(good)]
        parts = urlsplit(url)
        copy = urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}/copy-{i}"))
        items.append((url_key(copy), Capture(copy, copy, 200, HEADERS, body, "2026-01-01T00:00:00+00:00"),
                      Article.from_dict({**article.to_dict(), "url": copy})))
    assert len({key for key, _, _ in items}) == len(items), "copies must have distinct url keys"
    drop_pg(args.pg)
    with open_article_store(args.pg) as store:
        out["postgresql"] = load(store, items, args.pg)
        out["postgresql_sizes"] = pg_sizes(args.pg)
        out["reextract_postgresql"] = reextract_cpu(store)
    with tempfile.TemporaryDirectory() as tmp:
        warc_pages = [(item[1].url, item[1].body) for item in items[: args.warc]]
        out["warc_batch_postgresql"] = warc_batch_cpu(args.pg, warc_pages, Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "cap.db"
        with open_article_store(db) as store:
            out["sqlite"] = load(store, items, None)
        out["sqlite_bytes"] = db.stat().st_size + sum(p.stat().st_size for p in Path(tmp).glob("cap.db-*"))
    out["n"] = args.articles
    report(out)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))


def report(out: dict[str, Any]) -> None:
    n = out["n"]
    print(f"{out['pages']} real pages ({out['articles_among_pages']} articles), mean {out['raw_page_bytes_mean'] / 1024:.0f} KiB;"
          f" extract CPU ms per page: mean {out['extract_cpu_ms']['mean']:.1f}, median {out['extract_cpu_ms']['median']:.1f}")
    print(f"\n{n} captures and articles, {BATCH} per transaction")
    print("| store | captures/s | articles/s | driver CPU ms per capture / article | server CPU ms per capture / article |")
    print("|---|---|---|---|---|")
    for name in ("postgresql", "sqlite"):
        f = out[name]
        server = f"{f['captures_server_cpu_ms']:.2f} / {f['articles_server_cpu_ms']:.2f}" if "captures_server_cpu_ms" in f else "(in process)"
        print(f"| {name} | {f['captures_per_s']:.0f} | {f['articles_per_s']:.0f} | {f['captures_driver_cpu_ms']:.2f} / {f['articles_driver_cpu_ms']:.2f} | {server} |")
    print("\n| PostgreSQL relation | bytes per row (main) | bytes per row (TOAST) |")
    print("|---|---|---|")
    for rel, size in out["postgresql_sizes"].items():
        print(f"| {rel} | {size['main'] / n:.0f} | {size['toast'] / n:.0f} |")
    print(f"| SQLite file (articles + captures + FTS) | {out['sqlite_bytes'] / n:.0f} | |")
    r = out["reextract_postgresql"]
    w = out["warc_batch_postgresql"]
    print(f"\nWARC batch into PostgreSQL, 1 local worker: {w['articles']} articles, {w['per_s']:.1f}/s,"
          f" driver CPU {w['driver_cpu_ms']:.2f} ms/article, worker CPU {w['worker_cpu_ms']:.2f};"
          f" {w['warc_bytes_per_record'] / 1024:.0f} KiB of gzip WARC per record")
    print(f"\nre-extraction of the PostgreSQL captures, 1 local worker: {r['articles']} articles, {r['per_s']:.1f}/s,"
          f" driver CPU {r['driver_cpu_ms']:.2f} ms/article, worker CPU {r['worker_cpu_ms']:.2f} ms/article")


if __name__ == "__main__":
    main()
