"""Search latency through the web API (``warta serve``) on SQLite and PostgreSQL, same machine, same run.

Both backends get the same generated articles (``store_backends.py``'s loader over
``search_bench.py``'s generator); one real ``warta serve`` process per backend answers
``GET /api/search`` (one page of 20, capped count, snippets) and ``GET /api/facets`` for the 200
fixed queries of ``search_bench.py`` (rare, common, phrase, filtered) over keep-alive HTTP on
127.0.0.1. The two servers alternate query by query, so both see the same machine load; p50/p95
per class, median of ``--runs`` runs (after one untimed warm-up pass).

    PYTHONPATH=src python benchmarks/web_search_backends.py --pg postgresql://postgres@127.0.0.1:54329/warta_bench
    PYTHONPATH=src python benchmarks/web_search_backends.py --pg URL --articles 10000 --runs 3 --json

The PostgreSQL database named by ``--pg`` is emptied first (warta's tables are dropped).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # contract.pg_support: reset_pg

from search_bench import DEFAULT_BENCH, BenchQuery, load_source, percentile, query_set  # noqa: E402
from store_backends import load  # noqa: E402

from contract.pg_support import reset_pg  # noqa: E402
from warta.store.backends import open_article_store  # noqa: E402

SRC = Path(__file__).resolve().parents[1] / "src"
ENDPOINTS = ("/api/search", "/api/facets")


def params_of(bq: BenchQuery) -> dict[str, str]:
    out = {"q": bq.q, "per_page": "20"}
    for name, value in dataclasses.asdict(bq.filters).items():
        if value is not None:
            out[name] = str(value).lower() if isinstance(value, bool) else str(value)
    return out


@contextmanager
def serve(db: str, cwd: Path) -> Iterator[httpx.Client]:
    """``warta serve --db DB`` on a free loopback port; yields a keep-alive client once it answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARTA_")}
    env.update(PYTHONPATH=str(SRC), WARTA_CONFIG=str(cwd / "absent.toml"))
    cmd = [sys.executable, "-c", "from warta.cli.main import main; main()", "serve", "--db", db, "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                client.get("/api/stats/sites")
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"warta serve --db {db} did not start") from None
                time.sleep(0.2)
        yield client
    finally:
        client.close()
        proc.terminate()
        proc.wait(timeout=10)


def time_api(clients: dict[str, httpx.Client], queries: list[BenchQuery], runs: int) -> dict[str, Any]:
    """{backend: {endpoint: {class: {p50, p95}}}}, medians over ``runs``; the backends alternate per query."""
    for bq in queries[:20]:  # warm-up, untimed
        for client in clients.values():
            client.get("/api/search", params=params_of(bq))
    per_run: dict[str, dict[str, list[dict[str, list[float]]]]] = {
        name: {e: [] for e in ENDPOINTS} for name in clients}
    for _ in range(runs):
        times = {name: {e: {} for e in ENDPOINTS} for name in clients}  # type: ignore[var-annotated]
        for bq in queries:
            for endpoint in ENDPOINTS:
                for name, client in clients.items():
                    started = time.perf_counter()
                    response = client.get(endpoint, params=params_of(bq))
                    ms = (time.perf_counter() - started) * 1000
                    response.raise_for_status()
                    for kind in (bq.kind, "all"):
                        times[name][endpoint].setdefault(kind, []).append(ms)
        for name in clients:
            for endpoint in ENDPOINTS:
                per_run[name][endpoint].append(times[name][endpoint])
    return {name: {e: {kind: {"p50": statistics.median(percentile(r[kind], 50) for r in rs),
                              "p95": statistics.median(percentile(r[kind], 95) for r in rs)}
                       for kind in rs[0]}
                   for e, rs in by_endpoint.items()}
            for name, by_endpoint in per_run.items()}


def different_totals(clients: dict[str, httpx.Client], queries: list[BenchQuery]) -> list[dict[str, Any]]:
    """The queries whose total (or capped flag) differs between the backends, with each backend's total."""
    out = []
    for bq in queries:
        answers = {name: c.get("/api/search", params=params_of(bq)).json() for name, c in clients.items()}
        if len({(a["total"], a["total_capped"]) for a in answers.values()}) > 1:
            out.append({"q": bq.q, "kind": bq.kind, **{name: a["total"] for name, a in answers.items()}})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pg", required=True, help="postgresql:// URL of a database to empty and fill")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    import psycopg

    reset_pg(args.pg)  # every table of the database, whichever migration made it
    src = load_source(args.bench)
    queries = query_set(src, args.seed)
    result: dict[str, Any] = {"articles": args.articles, "runs": args.runs, "queries": len(queries)}
    with tempfile.TemporaryDirectory() as tmp:
        dbs = {"sqlite": str(Path(tmp) / "bench.db"), "postgresql": args.pg}
        for db in dbs.values():
            with open_article_store(db) as store:
                load(store, src, args.articles, 0, args.seed)
        with psycopg.connect(args.pg, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE articles")
        with serve(dbs["sqlite"], Path(tmp)) as lite, serve(dbs["postgresql"], Path(tmp)) as pg:
            clients = {"sqlite": lite, "postgresql": pg}
            result["totals_differ"] = different_totals(clients, queries)
            result["api_ms"] = time_api(clients, queries, args.runs)
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(f"{args.articles} articles, {len(queries)} queries, median of {args.runs} runs;"
          f" queries whose totals differ between backends: {len(result['totals_differ'])}")
    print("| backend | endpoint | p50 ms | p95 ms | rare p95 | common p95 | phrase p95 | filtered p95 |")
    print("|---|---|---|---|---|---|---|---|")
    for name, by_endpoint in result["api_ms"].items():
        for endpoint, s in by_endpoint.items():
            print(f"| {name} | {endpoint} | {s['all']['p50']:.1f} | {s['all']['p95']:.1f} | {s['rare']['p95']:.1f} |"
                  f" {s['common']['p95']:.1f} | {s['phrase']['p95']:.1f} | {s['filtered']['p95']:.1f} |")
    for d in result["totals_differ"]:
        print(f"  totals differ: {d}")


if __name__ == "__main__":
    main()
