"""Body extraction: find the article container and turn it into blocks (baseline; to be replaced)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from warta.model import Block, Image


@dataclass(frozen=True, slots=True)
class BodyResult:
    """What body extraction found.

    ``furniture`` holds text lines removed from inside the article container (bylines such as
    ``Pewarta: X``, editor lines, credits, closing trailers, read-also lines) so that metadata
    extraction can still read authors, editors and wire sources from them.
    """

    blocks: tuple[Block, ...]
    images: tuple[Image, ...] = ()
    furniture: tuple[str, ...] = ()
    node: Any = None  # the chosen lxml container element, if any
    strategy: str = "dom"


def extract_body(tree: Any, url: str | None) -> BodyResult:
    score: Counter[Any] = Counter()
    for p in tree.iter("p"):
        parent = p.getparent()
        if parent is not None:
            score[parent] += len(p.text_content())
    if not score:
        return BodyResult(blocks=())
    best = score.most_common(1)[0][0]
    blocks = tuple(
        Block("paragraph", " ".join(p.text_content().split()))
        for p in best.findall("p")
        if p.text_content().strip()
    )
    return BodyResult(blocks=blocks, node=best)
