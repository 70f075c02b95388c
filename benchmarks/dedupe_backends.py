"""The dedupe stage's per-article cost on SQLite vs PostgreSQL, on the same generated articles (issue 12).

    PYTHONPATH=src python benchmarks/dedupe_backends.py --pg postgresql://postgres@127.0.0.1:54329/warta_bench
    PYTHONPATH=src python benchmarks/dedupe_backends.py --pg URL --articles 5000 --runs 3 --json

Each run stores ``--articles`` synthetic articles (the corpus of ``dedupe_scale.py``: sentences
of ``../shared/bench`` recombined, ~9% planted near copies) in a fresh store of each backend, one
transaction per article as a crawl does: ``upsert_article`` then the crawl's ``on_stored`` hook
(verdict, cluster, original, revision check). Reported per backend: the median and p95 of
``on_stored`` and of the upsert alone (ms per article), planted-copy recall (the same on both:
the decisions do not depend on the backend), and the medians over ``--runs`` runs.

The PostgreSQL database named by ``--pg`` is emptied first (every table of its public schema is
dropped).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # contract.pg_support: reset_pg

from dedupe_scale import Corpus, sentence_pool  # noqa: E402

from contract.pg_support import reset_pg  # noqa: E402
from warta.dedupe import cluster_info  # noqa: E402
from warta.model import Article, Block  # noqa: E402
from warta.pipeline.hooks import on_stored  # noqa: E402
from warta.store.backends import open_article_store  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_BENCH = next((p for p in (REPO / "shared" / "bench", REPO.parent / "shared" / "bench") if p.is_dir()),
                     REPO.parent / "shared" / "bench")


def pg_settings(url: str) -> dict[str, str]:
    import psycopg

    with psycopg.connect(url) as conn:
        return {k: str(conn.execute(f"SHOW {k}").fetchone()[0])  # type: ignore[index]
                for k in ("server_version", "fsync", "synchronous_commit", "shared_buffers")}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def one_run(db: str, corpus: Corpus) -> dict[str, float]:
    upsert_ms: list[float] = []
    dedupe_ms: list[float] = []
    ids: list[int] = []
    with open_article_store(db) as store:
        for i in range(corpus.n):
            blocks = tuple(Block("paragraph", p) for p in corpus.text(i).split("\n\n"))
            art = Article(url=f"https://s{i % 7}.test/{i}", title=f"Artikel {i}", body=blocks,
                          published=f"2024-03-{i % 28 + 1:02d}T08:00:00+07:00")
            t0 = time.perf_counter()
            with store.transaction():
                aid, _ = store.upsert_article(art.url or "", art)
                t1 = time.perf_counter()
                on_stored(store, aid, art)
            t2 = time.perf_counter()
            upsert_ms.append((t1 - t0) * 1000)
            dedupe_ms.append((t2 - t1) * 1000)  # includes the commit of both writes
            ids.append(aid)
        info = cluster_info(store, ids)
    copies = range(corpus.n_base, corpus.n)
    found = sum(info[ids[i]][0] == info[ids[corpus.base_of(i)]][0] for i in copies)
    return {
        "on_stored_median_ms": statistics.median(dedupe_ms), "on_stored_p95_ms": percentile(dedupe_ms, 0.95),
        "upsert_median_ms": statistics.median(upsert_ms), "upsert_p95_ms": percentile(upsert_ms, 0.95),
        "articles_per_s": corpus.n / ((sum(upsert_ms) + sum(dedupe_ms)) / 1000),
        "planted_recall": found / max(1, len(copies)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", required=True, help="postgresql:// URL of a database to empty and fill")
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    corpus = Corpus(sentence_pool(args.bench), args.articles, args.seed)
    runs: dict[str, list[dict[str, float]]] = {"sqlite": [], "postgresql": []}
    for _ in range(args.runs):  # the backends alternate, so a busy machine hurts both alike
        with tempfile.TemporaryDirectory() as tmp:
            runs["sqlite"].append(one_run(str(Path(tmp) / "w.db"), corpus))
        reset_pg(args.pg)
        runs["postgresql"].append(one_run(args.pg, corpus))
    result: dict[str, Any] = {"articles": args.articles, "runs": args.runs, "pg_settings": pg_settings(args.pg)}
    for backend, found in runs.items():
        result[backend] = {}
        for key in found[0]:
            result[backend][key] = round(statistics.median(r[key] for r in found), 3)
            result[backend][f"{key}_runs"] = [round(r[key], 3) for r in found]
    if args.json:
        print(json.dumps(result, indent=1))
        return
    pg = result["pg_settings"]
    print(f"{args.articles} articles, median of {args.runs} runs; PostgreSQL {pg['server_version']}"
          f" (fsync {pg['fsync']}, synchronous_commit {pg['synchronous_commit']})")
    print("| backend | on_stored median ms | on_stored p95 ms | upsert median ms | articles/s (upsert + on_stored)"
          " | planted-copy recall |")
    print("|---|---|---|---|---|---|")
    for backend in ("sqlite", "postgresql"):
        r = result[backend]
        print(f"| {backend} | {r['on_stored_median_ms']:.2f} | {r['on_stored_p95_ms']:.2f} | {r['upsert_median_ms']:.2f}"
              f" | {r['articles_per_s']:.0f} | {r['planted_recall']:.3f} |")


if __name__ == "__main__":
    main()
