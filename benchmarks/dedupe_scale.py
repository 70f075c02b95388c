"""Scale benchmark of the near-duplicate index.

    PYTHONPATH=src python benchmarks/dedupe_scale.py --n 1000000 [--bench ../shared/bench] [--json]

Builds ``n`` synthetic articles by recombining sentences of the benchmark bodies (each article 8-16
sentences drawn at random from ~12.8k, in paragraphs of 2-4), of which ~9% are planted syndicated
copies (easy-tier edits from warta.dedupe.evalgen) of another article, so ~10% of the distinct
articles have a copy. Hashing runs in ``--workers`` processes; the main process keeps the compact
index (uint32 signatures, sorted uint64 band keys + uint32 rows). Reports wall time, peak RSS,
recall of planted copies, false pairs between distinct articles, lookup latency of new articles
(normalise + hash + LSH + verification) and MinHash speed against datasketch on the same documents.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import sys
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np
from tqdm import tqdm

from warta.dedupe.evalgen import SETS, Item, load_material, make_copy
from warta.dedupe.fingerprint import DEFAULT, compare, fingerprint, hasher, parts
from warta.dedupe.lsh import LshIndex
from warta.dedupe.normalize import normalise_text

_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")
CHUNK = 2000


def sentence_pool(bench: Path) -> list[str]:
    pool: set[str] = set()
    for name in SETS:
        for line in (bench / name / "truth.jsonl").read_text("utf-8").splitlines():
            for s in _SPLIT.split(json.loads(line).get("body") or ""):
                if len(s.split()) >= 6:
                    pool.add(s.strip())
    return sorted(pool)


class Corpus:
    """Deterministic synthetic corpus: article ``i`` is a pure function of (seed, i)."""

    def __init__(self, pool: list[str], n: int, seed: int) -> None:
        self.pool, self.n, self.seed = pool, n, seed
        self.n_base = round(n / 1.1)
        self.material = load_material()

    def base_of(self, i: int) -> int:
        """For a planted copy (i >= n_base), the article it copies."""
        return ((i - self.n_base) * 7919 + 13) % self.n_base

    def base_text(self, i: int) -> str:
        rng = random.Random(self.seed * 1_000_003 + i)
        sents = rng.sample(self.pool, rng.randint(8, 16))
        paras, k = [], 0
        while k < len(sents):
            step = rng.randint(2, 4)
            paras.append(" ".join(sents[k : k + step]))
            k += step
        return "\n\n".join(paras)

    def text(self, i: int) -> str:
        if i < self.n_base:
            return self.base_text(i)
        b = self.base_of(i)
        base = Item(str(b), self.base_text(b), str(b), "base", "", "en")
        return make_copy(base, i, "easy", random.Random(-i), self.material).text


_CORPUS: Corpus | None = None


def _init(pool: list[str], n: int, seed: int) -> None:
    global _CORPUS  # per-worker process state, set once by the pool initialiser
    _CORPUS = Corpus(pool, n, seed)


def _hash_chunk(bounds: tuple[int, int]) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, list, list]:
    assert _CORPUS is not None
    exact, shingles, sents, nums, ntok = [], [], [], [], []
    for i in range(*bounds):
        norm = normalise_text(_CORPUS.text(i))
        e, sh, se, nu = parts(norm)
        exact.append(e), shingles.append(sh), sents.append(se), nums.append(nu), ntok.append(len(norm.tokens))
    sigs = hasher().signatures(shingles)
    return bounds[0], sigs, np.array(exact, dtype=np.uint64), np.array(ntok, dtype=np.int32), sents, nums


def build(corpus: Corpus, workers: int, quiet: bool) -> LshIndex:
    index = LshIndex(max_segments=1 << 30)
    chunks = [(s, min(s + CHUNK, corpus.n)) for s in range(0, corpus.n, CHUNK)]
    with Pool(workers, initializer=_init, initargs=(corpus.pool, corpus.n, corpus.seed)) as pool:
        bar = tqdm(total=corpus.n, unit="doc", disable=quiet, file=sys.stderr, mininterval=20)
        for start, sigs, exact, ntok, sents, nums in pool.imap(_hash_chunk, chunks):
            assert start == len(index)
            index.add_arrays(sigs, exact, ntok, sents, nums)
            bar.update(len(exact))
        bar.close()
    index.compact()
    return index


def planted_recall(index: LshIndex, corpus: Corpus) -> tuple[float, int, int]:
    """(recall of planted copies, false pairs between distinct articles, candidate pairs checked)."""
    keys, rows = index._segments[0]
    bounds = np.flatnonzero(np.diff(keys)) + 1
    starts = np.concatenate(([0], bounds))
    sizes = np.diff(np.concatenate((starts, [len(keys)])))
    pairs: set[tuple[int, int]] = set()
    for s, z in zip(starts[sizes > 1], sizes[sizes > 1], strict=True):
        members = sorted(int(x) for x in rows[s : s + min(z, 200)])
        pairs.update((a, b) for k, a in enumerate(members) for b in members[k + 1 :])
    found, false = set(), 0
    for a, b in pairs:
        if compare(index.fingerprint(a), index.fingerprint(b)) is None:
            continue
        if b >= corpus.n_base and corpus.base_of(b) == a:
            found.add(b)
        elif not (a >= corpus.n_base and b >= corpus.n_base and corpus.base_of(a) == corpus.base_of(b)):
            false += 1
    return len(found) / max(1, corpus.n - corpus.n_base), false, len(pairs)


def lookups(index: LshIndex, corpus: Corpus, count: int) -> tuple[float, float]:
    """Median and p95 ms to normalise, hash and look up a new article (half are copies)."""
    material, times = corpus.material, []
    for q in range(count):
        if q % 2:
            b = (q * 104729) % corpus.n_base
            base = Item(str(b), corpus.base_text(b), str(b), "base", "", "en")
            text = make_copy(base, q, "easy", random.Random(q), material).text
        else:
            text = corpus.base_text(corpus.n + q)
        t0 = time.perf_counter()
        index.query(fingerprint(normalise_text(text)))
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), float(np.percentile(times, 95))


def versus_datasketch(corpus: Corpus, docs: int = 1000) -> dict[str, float]:
    """ms per document for MinHash of the same shingle sets: ours (batched numpy) vs datasketch."""
    from datasketch import MinHash

    norms = [normalise_text(corpus.text(i)) for i in range(docs)]
    sh = [parts(n)[1] for n in norms]
    t0 = time.perf_counter()
    hasher().signatures(sh)
    ours = (time.perf_counter() - t0) * 1000 / docs
    grams = [[" ".join(n.tokens[k : k + 3]).encode() for k in range(max(1, len(n.tokens) - 2))] for n in norms]
    t0 = time.perf_counter()
    for g in grams:
        m = MinHash(num_perm=DEFAULT.num_perm)
        m.update_batch(g)
    theirs = (time.perf_counter() - t0) * 1000 / docs
    return {"warta_minhash_ms_per_doc": round(ours, 4), "datasketch_minhash_ms_per_doc": round(theirs, 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--bench", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "bench")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--lookups", type=int, default=2000)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    corpus = Corpus(sentence_pool(args.bench), args.n, args.seed)
    versus = versus_datasketch(corpus)
    t0 = time.perf_counter()
    index = build(corpus, args.workers, args.quiet)
    build_s = time.perf_counter() - t0
    recall, false, checked = planted_recall(index, corpus)
    med, p95 = lookups(index, corpus, args.lookups)
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out = {
        "articles": args.n, "distinct": corpus.n_base, "planted_copies": args.n - corpus.n_base,
        "workers": args.workers, "index_build_s": round(build_s, 1),
        "docs_per_s": round(args.n / build_s), "index_mb": round(index.nbytes / 2**20, 1),
        "peak_rss_main_mb": round(me), "peak_rss_worker_mb": round(kids),
        "planted_recall": round(recall, 4), "false_pairs": false, "candidate_pairs": checked,
        "lookup_median_ms": round(med, 3), "lookup_p95_ms": round(p95, 3),
        "bands": DEFAULT.bands, "rows": DEFAULT.rows, **versus,
    }
    print(json.dumps(out, indent=2) if args.json else "\n".join(f"{k:28} {v}" for k, v in out.items()))


if __name__ == "__main__":
    main()
