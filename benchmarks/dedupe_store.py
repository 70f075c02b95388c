"""Per-article cost of the store-backed dedupe (what a crawl pays in ``on_stored``).

    PYTHONPATH=src python benchmarks/dedupe_store.py --n 5000 [--bench ../shared/bench]

Stores ``n`` synthetic articles (same corpus as dedupe_scale.py, ~9% planted copies) in a fresh
SQLite store, calling ``assign`` after each upsert, and reports ms per article (median, p95),
planted-copy recall and the store's size per article.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from dedupe_scale import Corpus, sentence_pool

from warta.dedupe import assign, cluster_info
from warta.model import Article, Block
from warta.store.sqlite import Store


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--bench", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "bench")
    args = ap.parse_args()
    corpus = Corpus(sentence_pool(args.bench), args.n, 6)
    times, ids = [], []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "w.db"
        with Store(db) as store:
            for i in range(args.n):
                blocks = tuple(Block("paragraph", p) for p in corpus.text(i).split("\n\n"))
                art = Article(url=f"https://s{i % 7}.test/{i}", body=blocks)
                aid, _ = store.upsert_article(art.url or "", art)
                t0 = time.perf_counter()
                assign(store, aid, art)
                times.append((time.perf_counter() - t0) * 1000)
                ids.append(aid)
            info = cluster_info(store, ids)
            copies = range(corpus.n_base, args.n)
            found = sum(info[ids[i]][0] == info[ids[corpus.base_of(i)]][0] for i in copies)
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = db.stat().st_size
    print(json.dumps({
        "articles": args.n, "assign_median_ms": round(statistics.median(times), 3),
        "assign_p95_ms": round(sorted(times)[int(0.95 * len(times))], 3),
        "planted_recall": round(found / max(1, len(copies)), 4),
        "db_bytes_per_article": round(size / args.n),
    }, indent=2))


if __name__ == "__main__":
    main()
