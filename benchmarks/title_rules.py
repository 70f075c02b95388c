"""Score alternative headline rules against the current one on benchmark sets (the title study).

    PYTHONPATH=src python benchmarks/title_rules.py [SET_DIR ...]   (default: ../shared/bench/fundus and indonesian)

Runs the extractor once per page, records the candidates ``choose_title`` saw (JSON-LD headline,
og:title, twitter:title, ``<title>``, ``<h1>`` texts, site names), then scores each generic rule
below on those candidates: title exact after whitespace and case folding, as ``tools/score.py``.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from warta.extract.core import extract
from warta.extract.eval import load_set
from warta.extract.meta_title import (
    TitleChoice,
    _norm,
    _unkicked,
    _with_punctuation,
    choose_title,
    strip_site,
)

Args = tuple[str | None, str | None, str | None, str | None, Sequence[str], Sequence[str]]
Rule = Callable[..., TitleChoice]
ROOT = Path(__file__).resolve().parent.parent
# the module, not the function that `warta.extract` names: importlib resolves the dotted path
metadata = importlib.import_module("warta.extract.metadata")
meta_title = importlib.import_module("warta.extract.meta_title")


def _fold(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def candidates(set_dir: str) -> list[tuple[str, str, Args]]:
    """(page id, true title, choose_title's arguments) of every page with a title."""
    seen: list[Args] = []
    original = metadata.choose_title

    def record(*args: object) -> TitleChoice:
        seen.append(args)  # type: ignore[arg-type]
        return original(*args)  # type: ignore[arg-type]

    metadata.choose_title = record  # type: ignore[assignment]
    out = []
    try:
        for page in load_set(set_dir):
            seen.clear()
            extract(page.html, url=page.url)
            if page.truth.get("title") and seen:
                out.append((page.id, str(page.truth["title"]), seen[0]))
    finally:
        metadata.choose_title = original
    return out


def _stripped(ld: str | None, og: str | None, ti: str | None, sites: Sequence[str]) -> tuple[str, str, str]:
    return (strip_site(ld or "", sites), strip_site(og or "", sites), strip_site(ti or "", sites))


def _vote(ld, og, tw, ti, h1s, sites, use_tw=True, use_ti=True):  # type: ignore[no-untyped-def]
    cur = choose_title(ld, og, tw, ti, h1s, sites)
    named = [("ld", ld if ld and _norm(ld) not in {_norm(s) for s in sites} else None), ("og", og),
             ("tw", tw if use_tw else None), ("ti", ti if use_ti else None)]
    cands = [(k, strip_site(v, sites)) for k, v in named if v] + [("h1", h) for h in h1s[:1] if 0 < len(h) <= 400]
    groups: dict[str, list[tuple[str, str]]] = {}
    for src, text in cands:
        if _norm(text):
            groups.setdefault(_norm(text), []).append((src, text))
    if not groups or not cur.title:
        return cur
    def key(n: str) -> tuple[int, bool]:
        return len(groups[n]), any(s == "h1" for s, _ in groups[n])
    best, now = max(groups, key=key), _norm(cur.title)
    if best == now or now in groups and key(now) >= key(best):
        return cur
    return TitleChoice(groups[best][0][1], "vote")


def _og_is_h1(ld, og, tw, ti, h1s, sites, need_ld_title=False):  # type: ignore[no-untyped-def]
    cur = choose_title(ld, og, tw, ti, h1s, sites)
    heads = [h for h in h1s if 0 < len(h) <= 400]
    if ld and og and heads and (ti or not need_ld_title):
        head, o, t = _stripped(ld, og, ti, sites)
        if _norm(o) == _norm(heads[0]) != _norm(head) and _norm(cur.title or "") != _norm(o):
            if not need_ld_title or _norm(t) == _norm(head):
                return TitleChoice(_with_punctuation(heads[0], [(og, "meta")], sites).title, "x")
    return cur


def _og_punctuation(ld, og, tw, ti, h1s, sites):  # type: ignore[no-untyped-def]
    cur = choose_title(ld, og, tw, ti, h1s, sites)
    if cur.title and og:
        o = strip_site(og, sites)
        if _norm(o) == _norm(cur.title) and _fold(o) != _fold(cur.title):
            return TitleChoice(o, "x")
    return cur


def _kicker_shown(ld, og, tw, ti, h1s, sites):  # type: ignore[no-untyped-def]
    mt = meta_title
    heads = [h for h in h1s if 0 < len(h) <= 400]

    def unkicked(headline: str, social: Sequence[str]) -> str | None:
        return None if any(_norm(h) == _norm(headline) for h in heads) else _unkicked(headline, social)

    mt._unkicked = unkicked  # type: ignore[assignment]
    try:
        return choose_title(ld, og, tw, ti, h1s, sites)
    finally:
        mt._unkicked = _unkicked  # type: ignore[assignment]


RULES: dict[str, Rule] = {
    "current (JSON-LD headline first, kicker and label rules)": choose_title,
    "majority vote, tie to <h1>": _vote,
    "majority vote without twitter": lambda *a: _vote(*a, use_tw=False),
    "majority vote without <title>": lambda *a: _vote(*a, use_ti=False),
    "og:title when it equals the <h1> and JSON-LD differs": _og_is_h1,
    "  ... only when JSON-LD equals the <title>": lambda *a: _og_is_h1(*a, need_ld_title=True),
    "og:title's form when it differs only in punctuation": _og_punctuation,
    "keep a kicker the <h1> shows": _kicker_shown,
}


def main(sets: list[str]) -> None:
    for set_dir in sets:
        pages = candidates(set_dir)
        base = {pid for pid, truth, args in pages if _fold(choose_title(*args).title) == _fold(truth)}
        print(f"## {Path(set_dir).name} ({len(pages)} pages with a title)")
        for name, rule in RULES.items():
            ok = {pid for pid, truth, args in pages if _fold(rule(*args).title) == _fold(truth)}
            print(f"{len(ok):4d}/{len(pages)}  +{len(ok - base):<2d} -{len(base - ok):<2d}  {name}")


if __name__ == "__main__":
    main(sys.argv[1:] or [str(ROOT.parent / "shared/bench/fundus"), str(ROOT.parent / "shared/bench/indonesian")])
