"""PostgreSQL vs SQLite behind the same ArticleStore protocol, on the same machine (issue 12).

Both backends get the same generated articles (paragraphs of ``../shared/bench/*/truth.jsonl``
recombined, as in ``search_bench.py``) through :func:`warta.store.backends.open_article_store`:

1. upserts: the first ``--single`` articles one transaction each (what a crawl does per article),
   the rest in transactions of 500 (what ``warta db copy`` does); articles/s for each;
2. search: the 200 fixed queries of ``search_bench.py`` (rare, common, phrase, filtered), one page
   of 20 with the capped count and snippets, p50/p95 per class, median of ``--runs`` runs;
3. PostgreSQL's ``indonesian`` Snowball configuration against ``simple`` on the real Indonesian
   truth bodies: for a list of query words, the stem, which other words of the corpus it
   conflates, and how many documents each configuration matches.

    PYTHONPATH=src python benchmarks/store_backends.py --pg postgresql://postgres@127.0.0.1:54329/warta_bench
    PYTHONPATH=src python benchmarks/store_backends.py --pg URL --articles 20000 --runs 3 --json

The PostgreSQL database named by ``--pg`` is emptied first (warta's tables are dropped).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # contract.pg_support: reset_pg

from search_bench import DEFAULT_BENCH, generate_article, load_source, percentile, query_set  # noqa: E402

from contract.pg_support import reset_pg  # noqa: E402
from warta.store.backends import open_article_store  # noqa: E402
from warta.store.protocols import ArticleStore  # noqa: E402

INDONESIAN_WORDS = (
    "pemerintah", "perintah", "berita", "pemilu", "pemilihan", "menteri", "kementerian", "kebijakan",
    "pertanian", "petani", "ekonomi", "perekonomian", "penangkapan", "ditangkap", "pendidikan", "bandara",
    "penerbangan", "dibatalkan", "kebakaran", "pembangunan", "keuangan", "pelajar", "belajar",
)
WORD = re.compile(r"[^\W\d_]{3,}")


def load(store: ArticleStore, src: Any, count: int, single: int, seed: int) -> dict[str, float]:
    import random

    rng = random.Random(seed)
    timed = {"single": 0.0, "batched": 0.0}
    i = 0
    while i < count:
        n = 1 if i < single else min(500, count - i)
        batch = [(f"gen:{j}", generate_article(rng, src, j)) for j in range(i, i + n)]
        started = time.perf_counter()
        with store.transaction() as tx:
            for key, article in batch:
                tx.upsert_article(key, article)
        timed["single" if i < single else "batched"] += time.perf_counter() - started
        i += n
        if i % 10_000 == 0:
            print(f"\r  {store.backend}: {i}/{count}", end="", file=sys.stderr)
    print(file=sys.stderr)
    return {
        "single_per_s": single / timed["single"] if single else 0.0,
        "batched_per_s": (count - single) / timed["batched"] if count > single else 0.0,
        "load_s": timed["single"] + timed["batched"],
    }


def time_search(stores: dict[str, ArticleStore], queries: list[Any], runs: int) -> dict[str, dict[str, Any]]:
    """p50/p95 per query class, median over runs; the backends alternate within each run (same machine load)."""
    per_run: dict[str, list[dict[str, list[float]]]] = {name: [] for name in stores}
    for _ in range(runs):
        for name, store in stores.items():
            times: dict[str, list[float]] = {}
            for bq in queries:
                started = time.perf_counter()
                store.search(bq.q, bq.filters, sort="relevance", limit=20)
                ms = (time.perf_counter() - started) * 1000
                times.setdefault(bq.kind, []).append(ms)
                times.setdefault("all", []).append(ms)
            per_run[name].append(times)
    return {name: {kind: {"p50": statistics.median(percentile(r[kind], 50) for r in runs_),
                          "p95": statistics.median(percentile(r[kind], 95) for r in runs_)}
                   for kind in runs_[0]}
            for name, runs_ in per_run.items()}


def single_commits(url: str, src: Any, count: int, seed: int) -> float:
    """Upserts/s, one transaction each, with synchronous_commit=off (commits not flushed one by one,
    as SQLite's WAL with synchronous=NORMAL, the warta default)."""
    import random

    rng = random.Random(seed + 1)
    sep = "&" if "?" in url else "?"
    with open_article_store(f"{url}{sep}options=-c%20synchronous_commit%3Doff") as store:
        articles = [(f"async:{j}", generate_article(rng, src, j)) for j in range(count)]
        started = time.perf_counter()
        for key, article in articles:
            store.upsert_article(key, article)
        return count / (time.perf_counter() - started)


def compare_configs(url: str, bench: Path) -> list[dict[str, Any]]:
    """indonesian vs simple on the Indonesian truth bodies: stems, conflated words, documents matched."""
    import psycopg

    docs: dict[str, str] = {}
    for name in ("indonesian", "textmode", "fundus"):
        for line in (bench / name / "truth.jsonl").read_text("utf8").splitlines():
            truth = json.loads(line)
            if truth.get("lang") == "id" and truth.get("body"):
                docs[str(truth.get("url") or truth["id"])] = f"{truth.get('title') or ''}\n{truth['body']}"
    texts = list(docs.values())
    vocabulary = sorted({w.lower() for t in texts for w in WORD.findall(t)} | set(INDONESIAN_WORDS))
    out = []
    with psycopg.connect(url) as conn:
        stems = {w: (s[0] if s else w) for w, s in conn.execute(
            "SELECT w, ts_lexize('indonesian_stem', w) FROM unnest(%s::text[]) w", (vocabulary,))}
        for word in INDONESIAN_WORDS:
            counts = {}
            for cfg in ("simple", "indonesian"):
                row = conn.execute(
                    "SELECT count(*) FROM unnest(%s::text[]) t WHERE to_tsvector(%s::regconfig, t)"
                    " @@ plainto_tsquery(%s::regconfig, %s)", (texts, cfg, cfg, word)).fetchone()
                counts[cfg] = int(row[0]) if row else 0
            together = sorted(w for w in vocabulary if stems[w] == stems[word] and w != word)
            out.append({"word": word, "stem": stems[word], "conflated_with": together[:8],
                        "docs_simple": counts["simple"], "docs_indonesian": counts["indonesian"]})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pg", required=True, help="postgresql:// URL of a database to empty and fill")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--single", type=int, default=2000, help="articles upserted one transaction each")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    import psycopg

    reset_pg(args.pg)  # every table of the database, whichever migration made it
    with psycopg.connect(args.pg, autocommit=True) as conn:
        settings = {k: conn.execute(f"SHOW {k}").fetchone()[0]  # type: ignore[index]
                    for k in ("server_version", "fsync", "synchronous_commit", "shared_buffers")}
    src = load_source(args.bench)
    queries = query_set(src, args.seed)
    result: dict[str, Any] = {"articles": args.articles, "single": args.single, "runs": args.runs,
                              "postgres_settings": settings, "backends": {}}
    with tempfile.TemporaryDirectory() as tmp:
        dbs = {"sqlite": str(Path(tmp) / "bench.db"), "postgresql": args.pg}
        stores = {name: open_article_store(db) for name, db in dbs.items()}
        try:
            for name, store in stores.items():
                result["backends"][name] = load(store, src, args.articles, args.single, args.seed)
            with psycopg.connect(args.pg, autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE articles")
            for name, searched in time_search(stores, queries, args.runs).items():
                result["backends"][name]["search_ms"] = searched
        finally:
            for store in stores.values():
                store.close()
        result["backends"]["sqlite"]["db_bytes"] = sum(p.stat().st_size for p in Path(tmp).glob("bench.db*"))
        with psycopg.connect(args.pg) as conn:
            row = conn.execute("SELECT pg_total_relation_size('articles')").fetchone()
            result["backends"]["postgresql"]["db_bytes"] = int(row[0]) if row else 0
        if args.single:
            result["postgresql_single_async_per_s"] = single_commits(args.pg, src, args.single, args.seed)
    result["configs"] = compare_configs(args.pg, args.bench)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    print(f"{args.articles} articles; PostgreSQL {settings}")
    print("| backend | upserts/s, 1 per transaction | upserts/s, 500 per transaction | search p50 ms | search p95 ms"
          " | rare p95 | common p95 | phrase p95 | filtered p95 | size MB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, r in result["backends"].items():
        s = r["search_ms"]
        print(f"| {name} | {r['single_per_s']:.0f} | {r['batched_per_s']:.0f} | {s['all']['p50']:.1f} |"
              f" {s['all']['p95']:.1f} | {s['rare']['p95']:.1f} | {s['common']['p95']:.1f} |"
              f" {s['phrase']['p95']:.1f} | {s['filtered']['p95']:.1f} | {r['db_bytes'] / 1e6:.0f} |")
    if "postgresql_single_async_per_s" in result:
        print(f"\npostgresql, 1 per transaction with synchronous_commit=off: "
              f"{result['postgresql_single_async_per_s']:.0f} upserts/s")
    print("\n| word | indonesian stem | also matches (corpus words with that stem) | docs simple | docs indonesian |")
    print("|---|---|---|---|---|")
    for c in result["configs"]:
        print(f"| {c['word']} | {c['stem']} | {', '.join(c['conflated_with']) or '-'} | {c['docs_simple']} |"
              f" {c['docs_indonesian']} |")


if __name__ == "__main__":
    main()
