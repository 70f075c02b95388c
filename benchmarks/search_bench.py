"""Search latency on a generated 100,000-article store (issue 5 benchmark).

Builds (once, cached) a warta store whose articles recombine paragraphs of the benchmark truth
bodies (``../shared/bench/*/truth.jsonl``), then times a fixed set of 200 queries through
``warta.store.search.search`` (the function behind ``GET /api/search``: capped count + one page of
20 results with snippets):

- 100 rare terms, 50 common terms, 30 two-word phrases, 20 terms with a site and a date filter.

Peer in the same run: a plain ``LIKE '%term%'`` scan over the same articles (what a store without a
full-text index does), on a sample of the queries. Reports p50/p95 per class and overall, the
median over ``--runs`` runs, and the size of the FTS index on disk.

    PYTHONPATH=src python benchmarks/search_bench.py            # defaults: 100000 articles, 3 runs
    PYTHONPATH=src python benchmarks/search_bench.py --articles 20000 --runs 5 --json
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sqlite3
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from warta.model import Article, Block
from warta.store import search as fts
from warta.store.sqlite import Store, utcnow
from warta.web.app import open_readonly

REPO = Path(__file__).resolve().parents[1]
DEFAULT_BENCH = REPO.parent / "shared" / "bench"
DEFAULT_DB = REPO / ".bench" / "search-{n}.db"
SETS = ("scrapinghub", "fundus", "indonesian")
WORD = re.compile(r"[^\W\d_]{3,}")
FIRST_DAY = date(2023, 1, 1)
DAYS = 730


@dataclass(frozen=True)
class Source:
    paragraphs: list[tuple[str, str]]  # (language, paragraph)
    sites: list[str]
    authors: list[str]


def load_source(bench: Path) -> Source:
    paragraphs: list[tuple[str, str]] = []
    sites: set[str] = set()
    authors: set[str] = set()
    for name in SETS:
        for line in (bench / name / "truth.jsonl").read_text("utf8").splitlines():
            truth = json.loads(line)
            lang = truth.get("lang") or "en"
            paragraphs += [(lang, p.strip()) for p in (truth.get("body") or "").split("\n\n") if len(p.strip()) > 40]
            if truth.get("site"):
                sites.add(str(truth["site"]))
            authors.update(a for a in truth.get("authors") or [] if a)
    if not paragraphs:
        raise SystemExit(f"no benchmark bodies under {bench}")
    return Source(paragraphs, sorted(sites), sorted(authors) or ["Redaksi"])


def generate_article(rng: random.Random, src: Source, i: int) -> Article:
    picks = [src.paragraphs[rng.randrange(len(src.paragraphs))] for _ in range(rng.randint(2, 6))]
    lang = picks[0][0]
    words = picks[0][1].split()
    title = " ".join(words[: rng.randint(6, 12)]).rstrip(".,;:")
    site = src.sites[i % len(src.sites)]
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    return Article(
        url=f"https://{site}/generated/{i}",
        site_name=site,
        domain=site,
        language=lang,
        title=title,
        authors=tuple(rng.sample(src.authors, k=min(len(src.authors), rng.randint(1, 2)))),
        published=f"{day.isoformat()}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00+07:00",
        section=rng.choice(("nasional", "ekonomi", "dunia", "olahraga", "tekno", "politics", "business")),
        body=tuple(Block("paragraph", p) for _, p in picks),
        access="paywalled" if rng.random() < 0.05 else "free",
    )


def build_db(path: Path, src: Source, count: int, seed: int) -> float:
    """Create the store (schema + triggers as in production) and bulk-insert articles."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    rng = random.Random(seed)
    started = time.perf_counter()
    with Store(path) as store:
        now = utcnow()
        conn = store.conn
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("DROP TRIGGER articles_fts_ai")  # bulk load: one index rebuild at the end is faster
        batch: list[tuple[Any, ...]] = []
        for i in range(count):
            a = generate_article(rng, src, i)
            batch.append((f"gen:{i}", a.url, a.domain, a.site_name, a.language, a.title, a.published,
                          a.published[:10] if a.published else None, a.section, "; ".join(a.authors),
                          int(bool(a.paywalled)), a.access, a.text, json.dumps(a.to_dict(), ensure_ascii=False), now, now))
            if len(batch) == 5000 or i == count - 1:
                with conn:
                    conn.executemany(
                        "INSERT INTO articles(url_key, url, site, site_name, language, title, published,"
                        " published_day, section, authors, paywalled, access, text, data, first_seen, updated_at)"
                        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", batch)
                batch = []
                print(f"\r  generated {i + 1}/{count}", end="", file=sys.stderr)
        print(file=sys.stderr)
        fts.rebuild_index(conn)
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with Store(path):  # reopening restores the trigger (the schema is idempotent)
        pass
    return time.perf_counter() - started


@dataclass(frozen=True)
class BenchQuery:
    kind: str
    q: str
    filters: fts.SearchFilters


def query_set(src: Source, seed: int) -> list[BenchQuery]:
    """200 fixed queries derived from the source texts (deterministic for a seed)."""
    rng = random.Random(seed)
    df: Counter[str] = Counter()
    bigrams: Counter[str] = Counter()
    for _, para in src.paragraphs:
        words = [w.lower() for w in WORD.findall(para)]
        df.update(set(words))
        bigrams.update({f"{a} {b}" for a, b in zip(words, words[1:], strict=False)})
    ranked = [w for w, _ in df.most_common()]
    rare = sorted(w for w, n in df.items() if n == 2 and len(w) >= 5)
    common = ranked[:50]
    phrases = [b for b, _ in bigrams.most_common(400)[20:]]
    filtered_terms = ranked[50:400]
    out = [BenchQuery("rare", w, fts.SearchFilters()) for w in rng.sample(rare, 100)]
    out += [BenchQuery("common", w, fts.SearchFilters()) for w in common]
    out += [BenchQuery("phrase", f'"{p}"', fts.SearchFilters()) for p in rng.sample(phrases, 30)]
    for _ in range(20):
        start = FIRST_DAY + timedelta(days=rng.randrange(DAYS - 90))
        out.append(BenchQuery("filtered", rng.choice(filtered_terms), fts.SearchFilters(
            site=rng.choice(src.sites), since=start.isoformat(), until=(start + timedelta(days=90)).isoformat())))
    return out


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def time_queries(conn: sqlite3.Connection, queries: list[BenchQuery], sort: fts.Sort) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    for bq in queries:
        started = time.perf_counter()
        fts.search(conn, bq.q, bq.filters, sort=sort, limit=20)
        elapsed = (time.perf_counter() - started) * 1000
        times.setdefault(bq.kind, []).append(elapsed)
        times.setdefault("all", []).append(elapsed)
    return times


def time_like_peer(conn: sqlite3.Connection, queries: list[BenchQuery], sample: int) -> list[float]:
    times = []
    for bq in queries[:: max(1, len(queries) // sample)][:sample]:
        term = bq.q.strip('"')
        started = time.perf_counter()
        conn.execute("SELECT count(*) FROM (SELECT 1 FROM articles WHERE title LIKE ?1 OR text LIKE ?1 LIMIT 10001)",
                     (f"%{term}%",)).fetchone()
        conn.execute("SELECT id, title FROM articles WHERE title LIKE ?1 OR text LIKE ?1 ORDER BY published DESC"
                     " LIMIT 20", (f"%{term}%",)).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return times


def time_http(db: Path, queries: list[BenchQuery], runs: int) -> dict[str, Any]:
    """The same queries through ``warta serve`` (a separate process) on 127.0.0.1."""
    import os
    import socket
    import subprocess

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    cmd = [sys.executable, "-c", "from warta.cli.main import main; main()", "serve", "--db", str(db), "--port", str(port)]
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results: dict[str, Any] = {}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            _wait_ready(client)
            for page, path in (("api", "/api/search"), ("html", "/")):
                per_run = [_time_path(client, path, queries) for _ in range(runs)]
                results[page] = {"p50_ms": statistics.median(percentile(t, 50) for t in per_run),
                                 "p95_ms": statistics.median(percentile(t, 95) for t in per_run)}
    finally:
        server.terminate()
        server.wait(timeout=10)
    return results


def _wait_ready(client: Any) -> None:
    import httpx

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            client.get("/api/stats/sites")
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("warta serve did not start")


def _time_path(client: Any, path: str, queries: list[BenchQuery]) -> list[float]:
    times = []
    for bq in queries:
        params = {k: getattr(bq.filters, k) for k in ("site", "since", "until") if getattr(bq.filters, k) is not None}
        started = time.perf_counter()
        client.get(path, params={"q": bq.q, **params}).raise_for_status()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH, help="benchmark sets (../shared/bench)")
    parser.add_argument("--db", type=Path, default=None, help="store to build/reuse (.bench/search-N.db)")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="regenerate the store even if cached")
    parser.add_argument("--peer-sample", type=int, default=10, help="queries timed with the LIKE-scan peer")
    parser.add_argument("--http", action="store_true", help="also time GET /api/search and the HTML page over HTTP")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    src = load_source(args.bench)
    db = args.db or Path(str(DEFAULT_DB).format(n=args.articles))
    build_seconds = None
    if args.rebuild or not db.exists():
        build_seconds = build_db(db, src, args.articles, args.seed)
    queries = query_set(src, args.seed)
    with Store(db):  # brings an older cached store up to the current schema
        pass
    conn = open_readonly(db)  # the same connection settings as the web app
    n_articles = int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    time_queries(conn, queries, "relevance")  # warm the page cache once
    report: dict[str, Any] = {"articles": n_articles, "queries": len(queries), "runs": args.runs,
                              "build_seconds": build_seconds, "db_bytes": db.stat().st_size,
                              "fts_index_bytes": fts.index_size_bytes(conn), "sort": {}}
    for sort in ("relevance", "date"):
        runs = [time_queries(conn, queries, sort) for _ in range(args.runs)]
        report["sort"][sort] = {
            kind: {"p50_ms": statistics.median(percentile(r[kind], 50) for r in runs),
                   "p95_ms": statistics.median(percentile(r[kind], 95) for r in runs),
                   "max_ms": statistics.median(max(r[kind]) for r in runs)}
            for kind in ("rare", "common", "phrase", "filtered", "all")
        }
    peer = time_like_peer(conn, queries, args.peer_sample)
    report["peer_like_scan"] = {"queries": len(peer), "p50_ms": percentile(peer, 50), "p95_ms": percentile(peer, 95)}
    capped = sum(fts.search(conn, q.q, q.filters, limit=0).total_capped for q in queries)
    report["capped_totals"] = capped
    conn.close()
    if args.http:
        report["http"] = time_http(db, queries, args.runs)
    print(json.dumps(report, indent=2) if args.json else render(report))
    return 0


def render(report: dict[str, Any]) -> str:
    lines = [f"articles {report['articles']}, {report['queries']} queries, median of {report['runs']} runs",
             f"db {report['db_bytes'] / 1e6:.1f} MB, FTS index {report['fts_index_bytes'] / 1e6:.1f} MB"
             + (f", built in {report['build_seconds']:.0f} s" if report["build_seconds"] else ""),
             f"{'sort':<10} {'class':<9} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"]
    for sort, classes in report["sort"].items():
        for kind, t in classes.items():
            lines.append(f"{sort:<10} {kind:<9} {t['p50_ms']:>8.2f} {t['p95_ms']:>8.2f} {t['max_ms']:>8.2f}")
    peer = report["peer_like_scan"]
    lines.append(f"peer LIKE scan ({peer['queries']} queries): p50 {peer['p50_ms']:.1f} ms, p95 {peer['p95_ms']:.1f} ms")
    lines.append(f"queries with a capped total (10000+): {report['capped_totals']}")
    for page, t in report.get("http", {}).items():
        lines.append(f"over HTTP, {page:<4} (all 200 queries): p50 {t['p50_ms']:.1f} ms, p95 {t['p95_ms']:.1f} ms")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
