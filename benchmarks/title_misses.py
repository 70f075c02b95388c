"""Print title misses of warta on benchmark sets: truth vs ours vs h1s vs og:title vs JSON-LD headline.

Usage: PYTHONPATH=src python benchmarks/title_misses.py ../shared/bench/fundus [more sets...]
"""

from __future__ import annotations

import sys

import lxml.html

from warta.extract.core import extract
from warta.extract.eval import load_set
from warta.extract.meta_jsonld import parse_scripts, read_jsonld
from warta.extract.meta_tags import read_head


def _fold(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def main(sets: list[str]) -> None:
    total = misses = 0
    for set_dir in sets:
        for page in load_set(set_dir):
            want = page.truth.get("title")
            if not want:
                continue
            total += 1
            art = extract(page.html, url=page.url)
            got = getattr(art, "title", None)
            if _fold(got) == _fold(want):
                continue
            misses += 1
            tree = lxml.html.fromstring(page.html)
            head = read_head(tree)
            ld = read_jsonld(parse_scripts(head.jsonld))
            h1s = [" ".join(h.text_content().split()) for h in tree.iter("h1")]
            prov = getattr(art, "provenance", {}).get("title") if hasattr(art, "provenance") else None
            print(f"== {page.id} [{prov}]")
            print(f"  truth : {want!r}")
            print(f"  ours  : {got!r}")
            print(f"  h1s   : {h1s[:3]!r}")
            print(f"  og    : {head.first('og:title')!r}")
            print(f"  ld    : {ld.headline!r}")
            print(f"  <title>: {head.title!r}")
    print(f"{misses} misses of {total}")


if __name__ == "__main__":
    main(sys.argv[1:])
