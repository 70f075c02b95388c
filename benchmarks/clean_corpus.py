"""Corpus mode on a generated corpus whose furniture lines are known.

Each generated site prints, around every story, the same header (menu lines), a few *prose-shaped*
furniture paragraphs (an "about us" blurb, a legal notice, a newsletter pitch written as ordinary
sentences: real sentences borrowed from other pages, so a single document cannot tell them from the
story) and a footer. Stories are the truth bodies of the text-mode set. The generator is seeded and
streams: document ``i`` depends only on ``(seed, i)``.

    python benchmarks/clean_corpus.py quality [--docs 3000] [--sites 30]
    python benchmarks/clean_corpus.py memory [--sizes 10000 50000 200000]
    python benchmarks/clean_corpus.py exact-peer --n 50000     # pass 1 with an exact dict, for contrast

``quality`` scores single-document mode against corpus mode (same bag-of-words metric as
``tools/score.py``); ``memory`` runs pass 1 over the whole corpus and pass 2 over an evenly spaced
sample of ``--clean-docs`` documents (all of them up to that size; cleaning is per document and
keeps nothing between documents), each size in a fresh process, and reports peak RSS
(``resource.getrusage``) and, with ``--tracemalloc``, the peak of Python allocations.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from warta.clean.corpus import LineStats  # noqa: E402
from warta.clean.io import Document  # noqa: E402
from warta.clean.run import clean_documents, learn  # noqa: E402
from warta.model import Article  # noqa: E402

TOKEN = re.compile(r"\w+")
MENU = ["Home", "News", "Politics", "Business", "Sport", "Tech", "Culture", "Opinion", "Video", "Nasional",
        "Ekonomi", "Olahraga", "Hiburan", "Otomotif", "Gaya Hidup", "Travel", "Kesehatan", "Pendidikan"]


def _bodies(set_dir: Path) -> list[list[str]]:
    rows = [json.loads(x) for x in (set_dir / "truth.jsonl").read_text("utf8").splitlines()]
    bodies = [[p.strip() for p in r["body"].split("\n\n") if p.strip()] for r in rows]
    return [b for b in bodies if len(b) >= 3]


class Generator:
    """Streams documents of ``sites`` sites; ``truth(i)`` is document i's story."""

    def __init__(self, bodies: list[list[str]], sites: int, seed: int = 13) -> None:
        self.bodies, self.seed = bodies, seed
        sentences = [s for b in bodies for p in b for s in re.split(r"(?<=[.!?])\s+", p) if 12 <= len(s.split()) <= 40]
        self.sentences = sentences
        rng = random.Random(seed)
        self.sites = []
        for s in range(sites):
            menu = rng.sample(MENU, 7)
            prose = [" ".join(rng.sample(sentences, 2)) for _ in range(4)]
            footer = [f"Site {s} Media Group", "Contact | Careers | Advertise", f"Redaksi site{s}"]
            self.sites.append((f"site{s}.example", menu, prose, footer))

    def document(self, i: int) -> tuple[Document, str]:
        rng = random.Random(self.seed * 1_000_003 + i)
        site, menu, prose, footer = self.sites[i % len(self.sites)]
        body = [" ".join(rng.sample(self.sentences, rng.randint(2, 4))) for _ in range(rng.randint(3, 6))]
        top, bottom = prose[:2], prose[2:]
        lines = ["* " + m for m in menu] + ["", top[rng.randrange(2)], "", f"# Story {i}", ""]
        lines += [*"\n\n".join(body).split("\n"), "", *bottom, "", *footer]
        url = f"https://www.{site}/read/{i}/story-{i}"
        return Document(f"{site}__{i}", "\n".join(lines), url), "\n\n".join(body)

    def documents(self, n: int) -> Iterator[Document]:
        for i in range(n):
            yield self.document(i)[0]


def _prf(truth: str, pred: str) -> tuple[float, float]:
    t, p = Counter(TOKEN.findall(truth)), Counter(TOKEN.findall(pred))
    tp = sum((t & p).values())
    return (tp / sum(p.values()) if p else 0.0), (tp / sum(t.values()) if t else 0.0)


def _score(gen: Generator, n: int, stats: LineStats | None) -> dict[str, float]:
    ps, rs = [], []
    start = time.perf_counter()
    for doc, result in clean_documents(gen.documents(n), stats):
        pred = result.text if isinstance(result, Article) else ""
        p, r = _prf(gen.document(int(doc.id.rsplit("__", 1)[1]))[1], pred)
        if pred:
            ps.append(p)
        rs.append(r)
    mp, mr = sum(ps) / max(len(ps), 1), sum(rs) / len(rs)
    return {"precision": round(mp, 4), "recall": round(mr, 4), "f1": round(2 * mp * mr / (mp + mr), 4),
            "seconds": round(time.perf_counter() - start, 1)}


def quality(args: argparse.Namespace) -> None:
    gen = Generator(_bodies(Path(args.set_dir)), args.sites)
    single = _score(gen, args.docs, None)
    start = time.perf_counter()
    stats = learn(gen.documents(args.docs))
    learn_s = round(time.perf_counter() - start, 1)
    corpus = _score(gen, args.docs, stats)
    print(json.dumps({"docs": args.docs, "sites": args.sites, "single": single, "corpus": corpus,
                      "learn_seconds": learn_s, "sketch_bytes": stats.nbytes}))


def one_size(args: argparse.Namespace) -> None:
    gen = Generator(_bodies(Path(args.set_dir)), args.sites)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start() if args.tracemalloc else None
    start = time.perf_counter()
    stats = learn(gen.documents(args.n))
    mid = time.perf_counter()
    sample = (gen.document(i)[0] for i in range(0, args.n, args.clean_every))
    articles = sum(isinstance(r, Article) for _, r in clean_documents(sample, stats))
    end = time.perf_counter()
    peak_py = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
    print(json.dumps({"docs": args.n, "cleaned": len(range(0, args.n, args.clean_every)), "articles": articles, "rss_before_mib": round(base / 1024, 1),
                      "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                      "tracemalloc_peak_mib": round(peak_py / 2**20, 1) if peak_py else None,
                      "learn_docs_per_s": round(args.n / (mid - start)), "clean_docs_per_s": round(len(range(0, args.n, args.clean_every)) / (end - mid))}))


def exact_peer(args: argparse.Namespace) -> None:
    """Peer for the memory table: pass 1 with an exact dict of (site, line) counts."""
    from warta.clean.corpus import line_key, site_key
    from warta.clean.lines import markdown_text

    gen = Generator(_bodies(Path(args.set_dir)), args.sites)
    counts: Counter[tuple[str, str]] = Counter()
    start = time.perf_counter()
    for doc in gen.documents(args.n):
        site = site_key(doc.url, doc.id)
        counts.update({(site, line_key(t)) for t in map(markdown_text, doc.text.splitlines()) if t})
    print(json.dumps({"docs": args.n, "peer": "exact dict", "keys": len(counts),
                      "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                      "learn_docs_per_s": round(args.n / (time.perf_counter() - start))}))


def memory(args: argparse.Namespace) -> None:
    for n in args.sizes:
        every = max(1, n // args.clean_docs)
        cmd = [sys.executable, __file__, "one-size", "--n", str(n), "--set-dir", args.set_dir, "--sites", str(args.sites),
               "--clean-every", str(every)]
        out = subprocess.run(cmd + (["--tracemalloc"] if args.tracemalloc else []), check=True,
                             capture_output=True, text=True)
        print(out.stdout.strip(), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["quality", "memory", "one-size", "exact-peer"])
    ap.add_argument("--set-dir", default=str(ROOT.parent / "shared" / "bench" / "textmode"))
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--sites", type=int, default=30)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 200_000])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--tracemalloc", action="store_true")
    ap.add_argument("--clean-every", type=int, default=1, help="one-size: clean every k-th document in pass 2")
    ap.add_argument("--clean-docs", type=int, default=10_000, help="memory: documents cleaned in pass 2 per size")
    args = ap.parse_args()
    {"quality": quality, "memory": memory, "one-size": one_size, "exact-peer": exact_peer}[args.mode](args)


if __name__ == "__main__":
    main()
