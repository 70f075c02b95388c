"""Cost of collapsing copies in search (one hit per duplicate cluster) on a generated store.

Builds (or reuses) the store of ``search_bench.py``, then gives a share of its articles duplicate
clusters of a fixed size in ``dedupe_docs`` (as the dedupe stage would for wire copies), and times
the same 200 queries through ``warta.store.search.search`` with ``collapse=False`` (the peer: the
plain search, in the same run) and ``collapse=True`` (what the web UI does by default), for both
sorts. Reports p50/p95/max per mode, medians over ``--runs`` runs.

    PYTHONPATH=src python benchmarks/search_collapse_bench.py --articles 20000 --runs 3
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_bench import DEFAULT_BENCH, DEFAULT_DB, build_db, load_source, percentile, query_set  # noqa: E402

from warta.store import search as fts  # noqa: E402
from warta.store.sqlite import Store  # noqa: E402
from warta.web.app import open_readonly  # noqa: E402


def add_clusters(db: Path, share: float, size: int, seed: int) -> int:
    """Put ``share`` of the articles into clusters of ``size`` (random members); returns the cluster count."""
    rng = random.Random(seed)
    with Store(db) as store:
        conn = store.conn
        ids = [int(r[0]) for r in conn.execute("SELECT id FROM articles ORDER BY id")]
        chosen = rng.sample(ids, int(len(ids) * share) // size * size)
        cluster_of = {i: i for i in ids}
        for start in range(0, len(chosen), size):
            members = sorted(chosen[start : start + size])
            for m in members:
                cluster_of[m] = members[0]
        with conn:
            conn.execute("DELETE FROM dedupe_docs")
            conn.executemany(
                "INSERT INTO dedupe_docs(article_id, exact_hash, ntokens, sig, sents, nums, verdict, of_id, score,"
                " cluster_id, is_original) VALUES (?, 0, 0, zeroblob(512), x'', x'', ?, ?, 1.0, ?, ?)",
                [(i, "new" if c == i else "exact", None if c == i else c, c, int(c == i)) for i, c in cluster_of.items()],
            )
    return len(chosen) // size


def time_mode(conn: Any, queries: list[Any], sort: fts.Sort, collapse: bool) -> list[float]:
    out = []
    for bq in queries:
        started = time.perf_counter()
        fts.search(conn, bq.q, bq.filters, sort=sort, limit=20, collapse=collapse)
        out.append((time.perf_counter() - started) * 1000)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--share", type=float, default=0.3, help="share of articles that are in a cluster")
    parser.add_argument("--size", type=int, default=3, help="articles per cluster")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    src = load_source(args.bench)
    db = args.db or Path(str(DEFAULT_DB).format(n=args.articles))
    if not db.exists():
        build_db(db, src, args.articles, args.seed)
    clusters = add_clusters(db, args.share, args.size, args.seed)
    queries = query_set(src, args.seed)
    conn = open_readonly(db)
    report: dict[str, Any] = {"articles": int(conn.execute("SELECT count(*) FROM articles").fetchone()[0]),
                              "clusters": clusters, "cluster_size": args.size, "queries": len(queries),
                              "runs": args.runs, "modes": {}}
    for sort in ("relevance", "date"):
        for collapse in (False, True):
            time_mode(conn, queries, sort, collapse)  # warm
            runs = [time_mode(conn, queries, sort, collapse) for _ in range(args.runs)]
            report["modes"][f"{sort} {'collapsed' if collapse else 'plain'}"] = {
                "p50_ms": statistics.median(percentile(r, 50) for r in runs),
                "p95_ms": statistics.median(percentile(r, 95) for r in runs),
                "max_ms": statistics.median(max(r) for r in runs),
            }
    conn.close()
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"articles {report['articles']}, {clusters} clusters of {args.size}, {len(queries)} queries,"
              f" median of {args.runs} runs")
        print(f"{'mode':<22} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for mode, t in report["modes"].items():
            print(f"{mode:<22} {t['p50_ms']:>8.2f} {t['p95_ms']:>8.2f} {t['max_ms']:>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
