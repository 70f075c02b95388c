#!/usr/bin/env python3
"""Score warta's extra Indonesian metadata (editors, dateline, source agency) against a bench truth file.

Usage: PYTHONPATH=src python benchmarks/meta_eval.py [SET_DIR] [--json]
SET_DIR defaults to ../shared/bench/indonesian relative to the repository root.

Per field, over pages whose truth has the field (null = not annotated):
- editors: set F1 over case-folded names (empty truth and empty prediction score 1);
- dateline: exact match after case folding (a null truth expects no dateline);
- source_agency: the truth agency is the first predicted agency (case folded; null truth expects none).
``dateline_given_body`` runs the dateline reader on the true body's first paragraph, which separates
dateline reading from body extraction.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import warta
from warta.extract.meta_text import find_dateline


def _fold(value: str | None) -> str:
    return " ".join((value or "").split()).casefold()


def _f1(truth: list[str], pred: list[str]) -> float:
    t, p = {_fold(x) for x in truth}, {_fold(x) for x in pred}
    if not t and not p:
        return 1.0
    hit = len(t & p)
    return 2 * hit / (len(t) + len(p)) if hit else 0.0


def score(set_dir: Path) -> dict[str, float | int]:
    rows = [json.loads(line) for line in (set_dir / "truth.jsonl").read_text("utf8").splitlines()]
    editors, datelines, given, agencies = [], [], [], []
    for row in rows:
        html = gzip.decompress((set_dir / row["page"]).read_bytes()).decode("utf8", "replace")
        art = warta.extract(html, url=row["url"])
        d = art.to_dict() if hasattr(art, "to_dict") and hasattr(art, "title") else {}
        if "editors" in row:
            editors.append(_f1(row["editors"] or [], d.get("editors") or []))
        if "dateline" in row:
            datelines.append(_fold(row["dateline"]) == _fold(d.get("dateline")))
            first = (row.get("body") or "").split("\n\n")[0]
            found = find_dateline(first, [row.get("site") or ""]) if first else None
            given.append(_fold(row["dateline"]) == _fold(found.city if found else None))
        if "source_agency" in row:
            pred = d.get("source_agencies") or []
            agencies.append(_fold(row["source_agency"]) == _fold(pred[0] if pred else None))
    mean = lambda xs: round(sum(xs) / len(xs), 4) if xs else 0.0  # noqa: E731
    return {"pages": len(rows), "editors_f1": mean(editors), "dateline_exact": mean(datelines),
            "dateline_given_body": mean(given), "source_agency_exact": mean(agencies)}


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "indonesian"
    result = score(Path(args[0]) if args else default)
    print(json.dumps(result) if "--json" in sys.argv else " ".join(f"{k}={v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
