#!/usr/bin/env python3
"""Per-site field accuracy with and without the recipes' field rules, on a benchmark set.

Usage: PYTHONPATH=src python benchmarks/field_rules.py [SET_DIR] [--json]
SET_DIR defaults to ../shared/bench/indonesian relative to the repository root.

Only sites whose bundled recipe carries field rules are listed. Per site and field, over the
set's pages of that site: body F1 (bag of \\w+ tokens, mean over pages), authors set F1
(case-folded; empty truth and empty prediction score 1), published exact to the minute (the ISO
text up to the minute, page's own offset) and right to the day. "generic" is the extractor with
its site step switched off, "rules" the extractor as shipped.
"""

from __future__ import annotations

import gzip
import importlib
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from warta.extract import extract
from warta.model import Article
from warta.sites import load_recipes, recipe_for

TOKEN = re.compile(r"\w+")


def body_f1(truth: str, pred: str) -> float:
    t, p = Counter(TOKEN.findall(truth)), Counter(TOKEN.findall(pred))
    tp = sum((t & p).values())
    if not tp:
        return 1.0 if not t and not p else 0.0
    precision, recall = tp / sum(p.values()), tp / sum(t.values())
    return 2 * precision * recall / (precision + recall)


def authors_f1(truth: list[str], pred: tuple[str, ...]) -> float:
    t, p = {" ".join(a.split()).casefold() for a in truth}, {" ".join(a.split()).casefold() for a in pred}
    if not t and not p:
        return 1.0
    tp = len(t & p)
    return 2 * tp / (len(t) + len(p)) if tp else 0.0


def _minute(value: str | None) -> str:
    m = re.match(r"(\d{4}-\d\d-\d\d)(?:T(\d\d:\d\d))?", value or "")
    return f"{m.group(1)}T{m.group(2) or ''}" if m else ""


def scores(truth: dict[str, Any], article: Article | None) -> dict[str, float]:
    a = article or Article()
    out = {"body": body_f1(truth["body"] or "", a.text)}
    if truth.get("authors") is not None:
        out["authors"] = authors_f1(truth["authors"], a.authors)
    if truth.get("published"):
        out["published_minute"] = float(_minute(truth["published"]) == _minute(a.published))
        out["published_day"] = float(_minute(truth["published"])[:10] == _minute(a.published)[:10])
    return out


def run(set_dir: Path) -> dict[str, dict[str, dict[str, float]]]:
    core = importlib.import_module("warta.extract.core")
    shipped = core.site_rules
    recipes = {r.id: r for r in load_recipes().values() if r.rules}
    sums: dict[str, dict[str, dict[str, list[float]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for line in (set_dir / "truth.jsonl").read_text("utf8").split("\n"):
        if not line.strip():
            continue
        truth = json.loads(line)
        recipe = recipe_for(truth["url"], recipes)
        if recipe is None:
            continue
        html = gzip.decompress((set_dir / truth["page"]).read_bytes())
        for mode, step in (("generic", lambda tree, article, url: article), ("rules", shipped)):
            core.site_rules = step
            try:
                result = extract(html, truth["url"])
            finally:
                core.site_rules = shipped
            for field, value in scores(truth, result if isinstance(result, Article) else None).items():
                sums[recipe.id][field][mode].append(value)
        sums[recipe.id]["pages"]["n"].append(1.0)
    return {
        site: {field: {mode: round(sum(v) / len(v), 4) if field != "pages" else len(v) for mode, v in modes.items()}
               for field, modes in fields.items()}
        for site, fields in sorted(sums.items())
    }


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    root = Path(__file__).resolve().parents[1]
    set_dir = Path(args[0]) if args else root.parent / "shared" / "bench" / "indonesian"
    result = run(set_dir)
    if "--json" in sys.argv:
        print(json.dumps(result, indent=1))
        return
    print("| site | pages | field | generic | with rules |")
    print("|---|---:|---|---:|---:|")
    for site, fields in result.items():
        n = int(fields["pages"]["n"])
        for field, modes in fields.items():
            if field != "pages":
                print(f"| {site} | {n} | {field} | {modes['generic']:.3f} | {modes['rules']:.3f} |")


if __name__ == "__main__":
    main()
