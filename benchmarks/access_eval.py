"""Access status (issue 14): precision and recall of ``teaser`` and ``paywalled`` on a labelled set.

The labels (``benchmarks/access/labels.jsonl``) cover every page of the benchmark sets fundus,
scrapinghub, newspaper4k, readability and indonesian (read from ``../shared/bench``, never
committed: their HTML belongs to the publishers) and the invented pages in
``benchmarks/access/pages/``. Each label says how much of the story the page shows:

- ``paywalled``: a preview, and the page says the story is for subscribers;
- ``teaser``: a preview, with no subscriber statement;
- ``metered``: the page says it is for subscribers (or metered) but shows the whole story;
- ``free``: the whole story, no statement.

Labels of benchmark pages were set by reading the gold body against the page (a gold body that
stops with "..." under a paywall notice, a JSON-LD ``articleBody`` far longer than the visible text);
each line has a note saying why. Pages the bench marks as not free but shows in full are ``metered``.

    PYTHONPATH=src python benchmarks/access_eval.py                 # table
    PYTHONPATH=src python benchmarks/access_eval.py --json --errors # with the misclassified pages
    PYTHONPATH=src python benchmarks/access_eval.py --only fixture  # the invented pages only
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from warta.extract import extract
from warta.model import ACCESS_VALUES, Article

HERE = Path(__file__).resolve().parent
LABELS = HERE / "access" / "labels.jsonl"
BENCH = HERE.parent.parent / "shared" / "bench"  # /work/shared/bench beside the checkout


def load_page(item: dict[str, Any], bench: Path) -> bytes | None:
    if "fixture" in item:
        return (LABELS.parent / item["fixture"]).read_bytes()
    path = bench / item["bench"]
    if not path.exists():
        return None
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def predict(html: bytes, url: str | None) -> tuple[str, str]:
    result = extract(html, url)
    if not isinstance(result, Article):
        return "skip", str(result)
    return result.access or "none", result.provenance.get("access", "")


def scores(pairs: list[tuple[str, str]], label: str | frozenset[str]) -> dict[str, Any]:
    wanted = frozenset({label}) if isinstance(label, str) else label
    tp = sum(1 for gold, got in pairs if gold in wanted and got in wanted)
    fp = sum(1 for gold, got in pairs if gold not in wanted and got in wanted)
    fn = sum(1 for gold, got in pairs if gold in wanted and got not in wanted)
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return {"gold": tp + fn, "predicted": tp + fp, "tp": tp, "precision": precision, "recall": recall}


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=BENCH, help="the benchmark sets (default ../shared/bench)")
    ap.add_argument("--only", choices=("bench", "fixture"), help="score one part of the set")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--errors", action="store_true", help="list the misclassified pages")
    args = ap.parse_args(argv)
    items = [json.loads(line) for line in LABELS.read_text("utf8").splitlines() if line.strip()]
    if args.only:
        items = [i for i in items if (args.only in i)]
    pairs: list[tuple[str, str]] = []
    errors: list[dict[str, str]] = []
    missing = 0
    for item in items:
        html = load_page(item, args.bench)
        if html is None:
            missing += 1
            continue
        got, evidence = predict(html, item.get("url"))
        pairs.append((item["label"], got))
        if got != item["label"]:
            errors.append({"id": item["id"], "gold": item["label"], "got": got, "evidence": evidence})
    if not pairs:
        print(f"no labelled page found (benchmark sets under {args.bench}?)", file=sys.stderr)
        return 1
    rows = {name: scores(pairs, name) for name in ("teaser", "paywalled")}
    rows["cut-off (teaser or paywalled)"] = scores(pairs, frozenset({"teaser", "paywalled"}))
    report = {
        "pages": len(pairs),
        "pages_not_found": missing,
        "gold": dict(Counter(g for g, _ in pairs)),
        "predicted": dict(Counter(p for _, p in pairs)),
        "accuracy": sum(1 for g, p in pairs if g == p) / len(pairs),
        "scores": rows,
        "confusion": {g: {p: sum(1 for a, b in pairs if (a, b) == (g, p)) for p in ACCESS_VALUES}
                      for g in ACCESS_VALUES},
    }
    if args.errors:
        report["errors"] = errors
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    print(f"{len(pairs)} labelled pages ({missing} not found); accuracy over the four states "
          f"{report['accuracy']:.3f}\n")
    print("| class | gold | predicted | precision | recall |\n|---|---|---|---|---|")
    for name, row in rows.items():
        print(f"| {name} | {row['gold']} | {row['predicted']} | {fmt(row['precision'])} | {fmt(row['recall'])} |")
    print("\nconfusion (rows gold, columns predicted): " + ", ".join(ACCESS_VALUES))
    for gold, row in report["confusion"].items():
        print(f"  {gold:>9}: " + " ".join(f"{row[p]:4d}" for p in ACCESS_VALUES))
    for e in errors if args.errors else []:
        print(f"  {e['id']}: gold {e['gold']}, got {e['got']} ({e['evidence']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
