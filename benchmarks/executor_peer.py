"""The one executor seam against a peer tree (main's three pools): the same work from both trees,
run alternately, medians of ``--runs`` each.

    git archive main | (mkdir -p /tmp/peer && tar -x -C /tmp/peer)
    PYTHONPATH=src python benchmarks/executor_peer.py --peer /tmp/peer --runs 5

Each run is a fresh process with ``PYTHONPATH=<tree>/src`` (same interpreter):

- ``clean``: ``warta clean corpus.jsonl -o out.jsonl --workers 2 --quiet`` over a generated corpus
  (the generator of ``clean_corpus.py``, ``--docs`` documents); wall seconds;
- ``extract``: ``warta extract DIR --format jsonl --workers 2 --quiet`` over ``--pages`` pages of
  the shared dragnet set; wall seconds;
- ``crawl``: the in-process crawl of ``crawl_throughput.py`` (``--articles`` pages on a loopback
  site in its own process, ``--delay 0``, extraction in 2 workers); articles per second.

Both trees' outputs are compared (clean and extract: the same JSONL; crawl: the same number stored).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
# the shared benchmark sets beside the repository (../shared/bench), or WARTA_BENCH
BENCH = Path(os.environ.get("WARTA_BENCH", Path(__file__).resolve().parents[2] / "shared" / "bench"))
PAGES = BENCH / "dragnet" / "pages"

CRAWL = """
import os, sys, threading, time
from pathlib import Path
sys.path.insert(0, {bench!r})
from crawl_throughput import RemoteSite, articles, warta_run

TICK = os.sysconf("SC_CLK_TCK")


def descendants(pid, skip):
    out, todo = set(), [pid]
    while todo:
        p = todo.pop()
        try:
            tasks = list(Path(f"/proc/{{p}}/task").iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                kids = [int(k) for k in (task / "children").read_text().split()]
            except OSError:
                continue
            for k in kids:
                if k != skip and k not in out:
                    out.add(k)
                    todo.append(k)
    return out


def cpu(pid):
    try:
        fields = Path(f"/proc/{{pid}}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK


arts = articles({n})
with RemoteSite(len(arts)) as site:
    seen, done = {{}}, threading.Event()

    def sample():  # CPU seconds of every process below this one but the site server (workers, fork server)
        while not done.is_set():
            for p in descendants(os.getpid(), site.proc.pid):
                used = cpu(p)
                if used is not None:
                    seen[p] = max(seen.get(p, 0.0), used)
            time.sleep(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    before = time.process_time()
    rate, _ = warta_run(site, len(arts), {workers})
    own = time.process_time() - before
    done.set()
    thread.join()
print(rate, (own + sum(seen.values())) / len(arts) * 1000)
"""


def env_for(tree: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARTA_")}
    env["PYTHONPATH"] = str(tree / "src")
    env["WARTA_CONFIG"] = "/nonexistent/warta.toml"
    return env


def warta(tree: Path, *args: str, stdout: int | None = None) -> float:
    cmd = [sys.executable, "-c", "from warta.cli.main import main; main()", *args]
    start = time.perf_counter()
    subprocess.run(cmd, env=env_for(tree), check=True, stdout=stdout, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def make_corpus(path: Path, n: int) -> None:
    sys.path.insert(0, str(BENCH))
    from clean_corpus import Generator, _bodies

    gen = Generator(_bodies(BENCH / "textmode"), sites=30)
    with path.open("w", encoding="utf8") as fh:
        for doc in gen.documents(n):
            fh.write(json.dumps({"id": doc.id, "text": doc.text, "url": doc.url}) + "\n")


def clean_once(tree: Path, corpus: Path, out: Path, workers: int) -> float:
    return warta(tree, "clean", str(corpus), "-o", str(out), "--workers", str(workers), "--quiet")


def extract_once(tree: Path, pages: Path, out: Path, workers: int) -> float:
    with out.open("wb") as fh:
        return warta(tree, "extract", str(pages), "--format", "jsonl", "--workers", str(workers), "--quiet",
                     stdout=fh.fileno())


def crawl_once(tree: Path, n: int, workers: int) -> tuple[float, float]:
    """Articles/s, and CPU ms per article of the crawl's process tree (crawler, fork server, workers;
    sampled from /proc, so the last 50 ms of a worker may be missed)."""
    code = CRAWL.format(bench=str(BENCH), n=n, workers=workers)
    out = subprocess.run([sys.executable, "-c", code], env=env_for(tree), check=True, capture_output=True, text=True)
    rate, cpu_ms = out.stdout.strip().splitlines()[-1].split()
    return float(rate), float(cpu_ms)


def _fmt(values: list[float]) -> str:
    return " ".join(f"{x:.2f}" for x in values)


def _lines(path: Path) -> list[str]:
    return sorted(path.read_text("utf8").splitlines())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--peer", type=Path, required=True, help="root of the peer tree (e.g. main, unpacked)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--docs", type=int, default=6000, help="clean: documents in the corpus")
    ap.add_argument("--pages", type=int, default=300, help="extract: pages of the dragnet set")
    ap.add_argument("--articles", type=int, default=300, help="crawl: articles on the loopback site")
    ap.add_argument("--only", nargs="*", default=["clean", "extract", "crawl"])
    args = ap.parse_args()
    trees = {"ours": ROOT, "peer": args.peer.resolve()}
    benches = [*args.only, *(["crawl-cpu"] if "crawl" in args.only else [])]
    results: dict[str, dict[str, list[float]]] = {b: {t: [] for t in trees} for b in benches}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        corpus, pages = tmp / "corpus.jsonl", tmp / "pages"
        if "clean" in args.only:
            make_corpus(corpus, args.docs)
        if "extract" in args.only:
            pages.mkdir()
            for page in sorted(PAGES.iterdir())[: args.pages]:
                shutil.copy(page, pages / page.name)
        for run in range(args.runs):
            order = list(trees) if run % 2 == 0 else list(reversed(trees))  # alternate who goes first
            for bench in args.only:
                for name in order:
                    tree = trees[name]
                    if bench == "clean":
                        value = clean_once(tree, corpus, tmp / f"clean-{name}.jsonl", args.workers)
                    elif bench == "extract":
                        value = extract_once(tree, pages, tmp / f"extract-{name}.jsonl", args.workers)
                    else:
                        value, cpu_ms = crawl_once(tree, args.articles, args.workers)
                        results["crawl-cpu"][name].append(cpu_ms)
                    results[bench][name].append(value)
            print(f"run {run + 1}/{args.runs} done; load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
        same = {
            bench: _lines(tmp / f"{bench}-ours.jsonl") == _lines(tmp / f"{bench}-peer.jsonl")
            for bench in ("clean", "extract")
            if bench in args.only
        }
    print(f"workers {args.workers}, runs {args.runs} each, alternating; ours = {ROOT}, peer = {trees['peer']}")
    print("ours/peer: ratio of the medians; paired: median of each run's ratio (the two trees ran back to back)")
    print("| benchmark | unit | ours (median) | peer (median) | ours/peer | paired | ours runs | peer runs |")
    print("|---|---|---|---|---|---|---|---|")
    units = {"clean": f"s for {args.docs} docs", "extract": f"s for {args.pages} pages", "crawl": "articles/s",
             "crawl-cpu": "CPU ms/article"}
    for bench, by_tree in results.items():
        ours, peer = statistics.median(by_tree["ours"]), statistics.median(by_tree["peer"])
        paired = statistics.median(a / b for a, b in zip(by_tree["ours"], by_tree["peer"], strict=True))
        print(f"| {bench} | {units[bench]} | {ours:.2f} | {peer:.2f} | {ours / peer:.3f} | {paired:.3f} | "
              f"{_fmt(by_tree['ours'])} | {_fmt(by_tree['peer'])} |")
    for bench, ok in same.items():
        print(f"{bench}: outputs of both trees {'identical' if ok else 'DIFFER'}")


if __name__ == "__main__":
    main()
