"""Generalisation probe: the dev sets with their class/id vocabulary taken away or turned against them.

warta's container choice reads class/id words (``content``, ``related``, ``share``...). On the dev
sets those words are the ones it was tuned on; an unseen publisher names its wrappers otherwise. This
probe rewrites every page of every set into variants such a publisher could plausibly serve, keeping
tags, text, inline styles, JSON-LD and scripts as they are, and scores the engines on each with the
scorer of ``warta eval``:

- ``original``: the page as saved (the figures of ``warta eval``).
- ``scrambled``: every class and id token replaced by a random token (``c4821937``), the same token
  always by the same replacement within a page, so no vocabulary hint fires (hiding class names
  such as ``hidden`` included: their CSS is not read by any engine).
- ``roundtrip`` (on request): parsed and written back by lxml with nothing renamed, to tell what the
  rewriting alone changes.
- ``misleading``: ``scrambled``, and then the wrappers of the article text (the parents of the
  paragraphs that the gold body holds, up to their common ancestor and one level above) get a
  class that reads as furniture (``summary-c...``, ``meta-c...``, ``share-c...``, ``teaser-c...``).
- ``scripted`` (on request): ``scrambled``, and then the article's elements moved out of the DOM into
  embedded framework data (Next.js, React flight, Nuxt, initial state; ``scripted_variant.py``).

Every variant is deterministic (seeded by set and page id). Peer results are cached by page hash
(``--cache``), since only warta changes between runs.

    PYTHONPATH=src python benchmarks/scramble_eval.py ../shared/bench
    PYTHONPATH=src python benchmarks/scramble_eval.py ../shared/bench --engines warta --losses 20
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html

from warta.extract.eval import (
    Page,
    Prediction,
    Score,
    find_sets,
    load_set,
    make_engine,
    page_f1s,
    page_prf,
    predict,
    score,
)

VARIANTS = ("original", "scrambled", "misleading")
EXTRA_VARIANTS = (
    "roundtrip",  # parsed and written back by lxml, names kept: what the rewriting alone costs
    "scripted",  # scrambled, the article moved into embedded script data (scripted_variant.py)
    "teasers", "teaserpage",  # related-stories lists added (teaser_variant.py)
)
MISLEADING_WORDS = ("summary", "meta", "share", "teaser")
TOKEN = re.compile(r"\w+")
XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
GOLD_TAGS = ("p", "div", "li", "td", "span", "blockquote", "h2", "h3", "h4", "section", "article")
MIN_GOLD_CHARS = 40  # a paragraph this long whose words are mostly gold words is article text
GOLD_SHARE = 0.8


def _parse(html: str) -> Any:
    return lxml.html.document_fromstring(XML_DECL.sub("", html, count=1) or "<html></html>")


def _serialize(doc: Any) -> str:
    return str(lxml.html.tostring(doc, encoding="unicode", doctype=doc.getroottree().docinfo.doctype or None))


class _Renamer:
    """Consistent random tokens for one page: the same token always gets the same replacement."""

    def __init__(self, seed: str) -> None:
        self.rng = random.Random(hashlib.sha256(seed.encode()).hexdigest())
        self.names: dict[str, str] = {}
        self.used: set[str] = set()

    def token(self, word: str) -> str:
        if word not in self.names:
            while True:  # "c" + digits: no vocabulary word, no substring any engine looks for
                new = f"c{self.rng.randrange(10**6, 10**7)}"
                if new not in self.used:
                    break
            self.used.add(new)
            self.names[word] = new
        return self.names[word]

    def value(self, value: str) -> str:
        return " ".join(self.token(w) for w in value.split())


def roundtrip(html: str) -> str:
    """The page parsed and written back, nothing renamed."""
    try:
        return _serialize(_parse(html))
    except (lxml.etree.ParserError, ValueError):
        return html


def scramble(html: str, seed: str) -> str:
    """Every class and id token replaced by a consistent random token."""
    try:
        doc = _parse(html)
    except (lxml.etree.ParserError, ValueError):
        return html
    _scramble_tree(doc, _Renamer(seed))
    return _serialize(doc)


def _scramble_tree(doc: Any, names: _Renamer) -> None:
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("class", "id"):
            value = el.get(attr)
            if value is not None and value.strip():
                el.set(attr, names.value(value))


def _gold_paragraphs(doc: Any, gold: Counter[str]) -> list[Any]:
    """The smallest elements whose text is mostly gold words (article paragraphs)."""
    found: list[Any] = []
    for el in doc.iter(*GOLD_TAGS):
        text = el.text_content()
        if len(text) < MIN_GOLD_CHARS:
            continue
        words = Counter(TOKEN.findall(text))
        total = sum(words.values())
        if not total or sum((words & gold).values()) < GOLD_SHARE * total:
            continue
        # the smallest such element: drop an ancestor already found
        found = [f for f in found if not _contains(f, el)]
        found.append(el)
    return found


def _contains(outer: Any, inner: Any) -> bool:
    return any(a is outer for a in inner.iterancestors())


def mislead(html: str, seed: str, gold_body: str) -> str:
    """``scramble``, then the wrappers of the gold paragraphs get furniture-sounding classes."""
    try:
        doc = _parse(html)
    except (lxml.etree.ParserError, ValueError):
        return html
    names = _Renamer(seed)
    _scramble_tree(doc, names)
    paras = _gold_paragraphs(doc, Counter(TOKEN.findall(gold_body)))
    if paras:
        chains = [[a for a in p.iterancestors()] for p in paras]
        common = set(map(id, chains[0])).intersection(*(set(map(id, c)) for c in chains[1:]))
        top = next((a for a in chains[0] if id(a) in common), None)
        wrappers: dict[int, Any] = {}
        for chain in chains:
            for a in chain:
                wrappers[id(a)] = a
                if a is top:
                    break
        if top is not None and top.getparent() is not None and top.getparent().tag not in ("body", "html"):
            wrappers[id(top.getparent())] = top.getparent()
        for n, el in enumerate(wrappers.values()):
            if el.tag in ("body", "html"):
                continue
            word = names.rng.choice(MISLEADING_WORDS)
            el.set("class", f"{word}-{names.token(f'{word}:{n}')}")
    return _serialize(doc)


def variant_pages(set_name: str, pages: Sequence[Page], variant: str) -> list[Page]:
    if variant == "original":
        return list(pages)
    if variant in ("teasers", "teaserpage"):
        from teaser_variant import teaser_pages  # imports this module: loaded on use

        return teaser_pages(set_name, pages, variant)
    out = []
    if variant == "scripted":
        from scripted_variant import scripted, teaser_pool  # beside this file
        pool = teaser_pool(pages)
    for p in pages:
        seed = f"{set_name}/{p.id}"
        if variant == "roundtrip":
            html = roundtrip(p.html)
        elif variant == "scripted":
            html = scripted(scramble(p.html, seed), seed, p.truth, pool, _gold_paragraphs)
        elif variant == "scrambled":
            html = scramble(p.html, seed)
        else:
            html = mislead(p.html, seed, p.truth["body"])
        out.append(Page(p.id, p.url, html, p.truth))
    return out


def _cached_predict(engine_name: str, pages: Sequence[Page], cache: Path | None) -> list[Prediction]:
    """Peers' predictions are kept by page hash (warta is always run: it is what changes)."""
    if cache is None or engine_name == "warta":
        return list(predict(make_engine(engine_name), pages))
    file = cache / f"{engine_name}.jsonl"
    known: dict[str, dict[str, Any]] = {}
    if file.is_file():
        for line in file.read_text("utf8").splitlines():
            row = json.loads(line)
            known[row["key"]] = row
    keys = [hashlib.sha256(f"{p.url}\n{p.html}".encode()).hexdigest() for p in pages]
    todo = [p for p, k in zip(pages, keys, strict=True) if k not in known]
    if todo:
        fresh = list(predict(make_engine(engine_name), todo))
        cache.mkdir(parents=True, exist_ok=True)
        with file.open("a", encoding="utf8") as fh:
            for page, pred in zip(todo, fresh, strict=True):
                key = hashlib.sha256(f"{page.url}\n{page.html}".encode()).hexdigest()
                row = {"key": key, "body": pred.body, "title": pred.title, "authors": pred.authors,
                       "published": pred.published}
                known[key] = row
                fh.write(json.dumps(row) + "\n")
    return [
        Prediction(p.id, known[k]["title"], known[k]["authors"], known[k]["published"], known[k]["body"], 0.0)
        for p, k in zip(pages, keys, strict=True)
    ]


def failure_class(page: Page, pred: Prediction) -> str:
    """Why a page scores under 0.5: nothing, too little (a part or another short region), too much
    (the whole page or a list around it), or a different region."""
    p, r, _ = page_prf(page.truth, pred.body)
    if not pred.body.strip():
        return "empty"
    if p >= 0.5 > r:
        return "short"
    if r >= 0.5 > p:
        return "too-much"
    return "wrong-region"


def run(
    set_dirs: Sequence[str], engines: Sequence[str], variants: Sequence[str], cache: Path | None, losses: int
) -> dict[str, dict[str, dict[str, Score]]]:
    table: dict[str, dict[str, dict[str, Score]]] = {}
    drops: list[tuple[float, str, str, str, str, float, float]] = []
    classes: dict[str, Counter[str]] = {}
    for set_dir in find_sets(set_dirs):
        name = set_dir.name
        pages = load_set(set_dir)
        table[name] = {}
        base: dict[str, float] = {}
        for variant in variants:
            vpages = variant_pages(name, pages, variant)
            table[name][variant] = {}
            for engine in engines:
                preds = _cached_predict(engine, vpages, cache)
                table[name][variant][engine] = score(name, engine, vpages, preds)
                if engine != "warta":
                    continue
                f1s = page_f1s(vpages, preds)
                if variant == "original":
                    base = f1s
                    continue
                by_id = {p.id: p for p in preds}
                for page in vpages:
                    if page.id not in f1s or f1s[page.id] >= 0.5:
                        continue
                    cls = failure_class(page, by_id[page.id])
                    classes.setdefault(variant, Counter())[cls] += 1
                    if base.get(page.id, 0.0) >= 0.5:
                        drops.append((base[page.id] - f1s[page.id], variant, name, page.id, cls,
                                      base[page.id], f1s[page.id]))
        print(_table(name, table[name], engines, variants), flush=True)
        meta = _meta_table(table[name], engines, variants)
        if meta:
            print(meta, flush=True)
    print(_overall(table, engines, variants))
    for variant, counter in classes.items():
        print(f"warta failures on {variant}: " + ", ".join(f"{k} {v}" for k, v in counter.most_common()))
    if losses:
        print(f"\nwarta pages that fail only when rewritten (top {losses} by F1 lost):")
        for lost, variant, name, pid, cls, before, after in sorted(drops, reverse=True)[:losses]:
            print(f"  {variant:10s} {name}/{pid}: {before:.3f} -> {after:.3f} ({cls}, -{lost:.3f})")
    return table


def _table(name: str, rows: dict[str, dict[str, Score]], engines: Sequence[str], variants: Sequence[str]) -> str:
    head = f"\n{name} ({next(iter(rows.values()))[engines[0]].pages} pages)\n| variant | " + " | ".join(
        f"{e} F1 / fail" for e in engines) + " |\n|---|" + "---|" * len(engines)
    lines = [head]
    for v in variants:
        cells = [f"{rows[v][e].f1:.3f} / {100 * (rows[v][e].fail_rate or 0):.1f} %" for e in engines]
        lines.append(f"| {v} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _meta_table(rows: dict[str, dict[str, Score]], engines: Sequence[str], variants: Sequence[str]) -> str | None:
    """Title exact / date to the day / author F1 (or byline match) per variant, where the set has that gold:
    the visible metadata must not lean on class words either."""
    def cell(sc: Score) -> str:
        author = sc.author_f1 if sc.author_f1 is not None else sc.byline
        return " / ".join("-" if x is None else f"{x:.2f}" for x in (sc.title_exact, sc.date_day, author))
    first = rows[variants[0]][engines[0]]
    if first.title_exact is None and first.date_day is None and first.author_f1 is None and first.byline is None:
        return None
    lines = ["| variant | " + " | ".join(f"{e} title / date / author" for e in engines) + " |",
             "|---|" + "---|" * len(engines)]
    lines += [f"| {v} | " + " | ".join(cell(rows[v][e]) for e in engines) + " |" for v in variants]
    return "\n".join(lines)


def _overall(table: dict[str, dict[str, dict[str, Score]]], engines: Sequence[str], variants: Sequence[str]) -> str:
    """Mean over sets of the set F1, and the failed pages of all sets."""
    lines = ["\nall sets (mean of set F1 / pages failed)", "| variant | " + " | ".join(engines) + " |",
             "|---|" + "---|" * len(engines)]
    for v in variants:
        cells = []
        for e in engines:
            scores = [table[s][v][e] for s in table]
            cells.append(f"{sum(s.f1 for s in scores) / len(scores):.3f} / {sum(s.failed for s in scores)}")
        lines.append(f"| {v} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Iterable[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("bench", nargs="+", help="benchmark set directories, or a directory of sets")
    ap.add_argument("--engines", default="warta,trafilatura,readability")
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--cache", default=str(Path.home() / ".cache" / "warta-scramble"),
                    help="peer predictions kept here by page hash ('' for none)")
    ap.add_argument("--losses", type=int, default=0, help="list this many pages warta loses when rewritten")
    ap.add_argument("--json", help="write the figures here")
    args = ap.parse_args(list(argv) if argv is not None else None)
    engines = [e for e in args.engines.split(",") if e]
    variants = [v for v in args.variants.split(",") if v]
    for v in variants:
        if v not in VARIANTS + EXTRA_VARIANTS:
            ap.error(f"unknown variant {v!r}; known: {', '.join(VARIANTS + EXTRA_VARIANTS)}")
    table = run(args.bench, engines, variants, Path(args.cache) if args.cache else None, args.losses)
    if args.json:
        out = {s: {v: {e: sc.to_dict() for e, sc in row.items()} for v, row in rows.items()} for s, rows in table.items()}
        Path(args.json).write_text(json.dumps(out, indent=1), "utf8")


if __name__ == "__main__":
    main()
