"""Metadata on every benchmark set at once, with proxies where a set has no metadata gold.

Usage: PYTHONPATH=src python benchmarks/meta_general.py [BENCH_DIR] [--dump PRED.jsonl]

Per set: title exact, date to the day, author F1 and the free-text byline match (the rules of
``warta eval``), and body F1 so a metadata change can be seen to leave the body alone. dragnet has no
date or author gold, but its gold text is the visible article with its byline and date lines; two
proxies read it:

- ``date shown``: of the pages whose gold text shows a date, the share whose predicted day is one of
  the days written there;
- ``authors shown``: of the predicted author names on dragnet, the share the gold text contains (a
  commenter, a menu link or a label such as ``Name`` is not there; a correct name may be missing too
  where the annotator left the byline out, so compare runs, not the figure alone).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from warta.dates import find_dates
from warta.extract.eval import Page, Prediction, find_sets, load_set, make_engine, predict, score

_DATE_LINE = 200  # gold lines longer than this are prose, not a date line


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _gold_days(page: Page) -> set[str]:
    days = set()
    for line in str(page.truth.get("body") or "").split("\n"):
        if len(line) <= _DATE_LINE:
            days.update(found.isoformat()[:10] for found in find_dates(line))
    return days


def proxies(pages: Sequence[Page], preds: Sequence[Prediction]) -> dict[str, float | int | None]:
    """The gold-text proxies for a set without date and author gold (see the module docstring)."""
    by_id = {p.id: p for p in preds}
    dated = shown_days = names = shown_names = 0
    for page in pages:
        pred = by_id.get(page.id)
        if pred is None:
            continue
        days = _gold_days(page)
        if days:
            dated += 1
            shown_days += bool(pred.published) and str(pred.published)[:10] in days
        gold = _fold(str(page.truth.get("body") or ""))
        for name in pred.authors or []:
            names += 1
            shown_names += _fold(name) in gold
    return {
        "dated_pages": dated,
        "date_shown": round(shown_days / dated, 4) if dated else None,
        "author_names": names,
        "authors_shown": round(shown_names / names, 4) if names else None,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", nargs="?", default="../shared/bench")
    parser.add_argument("--dump", help="write every prediction here (JSON Lines) to compare runs page by page")
    args = parser.parse_args(argv)
    engine = make_engine("warta")
    dump = Path(args.dump).open("w", encoding="utf8") if args.dump else None
    print("| set | pages | body F1 | title | date | author F1 | byline | date shown | authors shown |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    fmt = lambda x: "-" if x is None else f"{x:.3f}"  # noqa: E731
    # getattr: the same command scores a tree from before the byline column (for before/after tables)
    for set_dir in find_sets([args.bench]):
        pages = load_set(set_dir)
        preds = list(predict(engine, pages))
        s = score(set_dir.name, "warta", pages, preds)
        extra = proxies(pages, preds) if set_dir.name == "dragnet" else {}
        print(f"| {set_dir.name} | {s.pages} | {s.f1:.3f} | {fmt(s.title_exact)} | {fmt(s.date_day)} "
              f"| {fmt(s.author_f1)} | {fmt(getattr(s, 'byline', None))} | {fmt(extra.get('date_shown'))} "
              f"| {fmt(extra.get('authors_shown'))} |")
        if dump:
            for pred in preds:
                dump.write(json.dumps({"set": set_dir.name, **asdict(pred)}, ensure_ascii=False) + "\n")
    if dump:
        dump.close()


if __name__ == "__main__":
    main()
