"""Extraction speed in CPU time: warta against trafilatura over every page of the bench sets.

Wall-clock pages/s on a shared machine swing with other work; CPU time (``time.process_time``) per
call is far steadier. Engines alternate pass by pass; the figures are medians over the passes.
Also prints how often the second, readability-style reading of the body ran and won.

    PYTHONPATH=src python benchmarks/extract_cpu.py ../shared/bench --passes 2
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import warta.extract.body as body_module
from warta.extract.eval import Page, find_sets, load_set, make_engine


def cpu_pass(engine: Callable[[str, str | None], Any], pages: Sequence[Page]) -> list[float]:
    """CPU seconds of each call, sorted."""
    seconds = []
    for page in pages:
        start = time.process_time()
        try:
            engine(page.html, page.url)
        except Exception:  # noqa: BLE001 - a peer's crash costs what it cost
            pass
        seconds.append(time.process_time() - start)
    return sorted(seconds)


def second_reading_use(pages: Sequence[Page]) -> tuple[int, Counter[str]]:
    """How many pages ran the scored reading, and the body strategies chosen."""
    from warta.extract.core import extract

    calls = [0]
    original = body_module.score_body

    def counted(root: Any) -> Any:
        calls[0] += 1
        return original(root)

    body_module.score_body = counted
    try:
        chosen = Counter(getattr(extract(p.html, url=p.url), "provenance", {}).get("body", "skip") for p in pages)
    finally:
        body_module.score_body = original
    return calls[0], chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", nargs="+", help="bench set directories or a directory of sets")
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--engines", default="warta,trafilatura")
    args = parser.parse_args()
    pages = [p for d in find_sets(args.bench) for p in load_set(d)]
    engines = {name: make_engine(name) for name in args.engines.split(",")}
    runs: dict[str, list[list[float]]] = {name: [] for name in engines}
    for _ in range(args.passes):
        for name, engine in engines.items():
            engine(pages[0].html, pages[0].url)  # warm-up
            runs[name].append(cpu_pass(engine, pages))
    rates = {}
    for name, passes in runs.items():
        rates[name] = statistics.median(len(s) / sum(s) for s in passes)
        p99 = statistics.median(s[int(0.99 * (len(s) - 1))] for s in passes)
        print(f"{name}: {rates[name]:.1f} pages/s CPU, p99 {p99:.3f} s ({len(pages)} pages, {args.passes} passes)")
    if "warta" in rates and "trafilatura" in rates:
        print(f"warta / trafilatura: {rates['warta'] / rates['trafilatura']:.2f}x")
    calls, chosen = second_reading_use(pages)
    print(f"second (scored) reading run on {calls} pages; body strategies: {dict(chosen.most_common())}")


if __name__ == "__main__":
    main()
