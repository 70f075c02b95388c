"""Body extraction: find the article container and turn it into blocks.

1. Walk the document into raw blocks (``blocks.walk``), skipping furniture subtrees (tags such as
   nav/aside/figure, hidden elements, class/id hints from ``lang/furniture.toml``).
2. Give every block a value: positive for prose (long, few links), negative for link lists and
   short fragments. The container is the element whose descendant blocks sum to the most value.
3. Keep the container's blocks in reading order, moving furniture lines (bylines, read-also,
   promo lines, trailers) into ``furniture`` for metadata extraction.
4. Compare with the JSON-LD ``articleBody`` when the page has one: it filters blocks the publisher
   does not count as body, and replaces a DOM result that clearly missed the article.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from warta.extract.blocks import RawBlock, Walk, walk
from warta.extract.boilerplate import Furniture, load_furniture
from warta.extract.jsonld import article_body
from warta.extract.meta_jsonld import parse_scripts
from warta.extract.meta_tags import jsonld_scripts
from warta.extract.select import choose_container, keep_blocks
from warta.extract.text import normalize_text, text_of
from warta.model import Block, Image

TOKEN = re.compile(r"\w+")

MIN_GOOD_CHARS = 250
WRAPPER_SHARE = 0.5  # a hinted element holding this share of the page's text is a layout wrapper
WRAPPER_MIN_CHARS = 1500  # ... if it holds at least this much text
MIXED_MAX_CHARS = 500  # a class naming both furniture and content is furniture below this size  # below this the hint-free walk gets a second chance


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


def _root(tree: Any) -> Any:
    body = tree.find("body") if tree.tag == "html" else None
    return body if body is not None else tree


def _dom_body(tree: Any, furniture: Furniture, use_hints: bool) -> BodyResult:
    root = _root(tree)

    total = len(text_of(root)) if use_hints else 0

    hints: dict[tuple[str, str], str | None] = {}  # (class, id) -> hint: pages repeat a few values

    def skip(el: Any) -> bool:
        """Skip a hinted subtree, unless it holds most of the page's text (a layout wrapper)."""
        if not use_hints or el.tag in ("article", "main"):
            return False
        key = (el.get("class") or "", el.get("id") or "")
        if key not in hints:
            hints[key] = _hint(furniture, *key)
        hint = hints[key]
        if hint is None:
            return False
        if hint == "hidden":
            return True
        size = len(text_of(el))
        if hint == "mixed":  # e.g. "newsletter-content": furniture when small
            return size < MIXED_MAX_CHARS
        return size < WRAPPER_MIN_CHARS or size < WRAPPER_SHARE * total

    found: Walk = walk(root, skip)
    box = choose_container(found.blocks, root)
    if box is None:
        return BodyResult(blocks=())
    container = box.element
    kept, lines = keep_blocks(found.blocks, box, furniture)
    inside = {id(b.element) for b in kept} | {id(container)}
    images = tuple(img for anchor, img in found.images if _within(anchor, container))
    extra = tuple(text for anchor, text in found.furniture if id(anchor) in inside or _within(anchor, container))
    return BodyResult(
        blocks=tuple(Block(b.kind, b.text) for b in kept),  # type: ignore[arg-type]
        images=images,
        furniture=tuple(lines) + extra,
        node=container,
        strategy="dom" if use_hints else "dom-nohints",
    )


def _hint(furniture: Furniture, cls: str, ident: str) -> str | None:
    """``hidden`` for a hiding class name, else the class/id hint (``negative``, ``mixed`` or None)."""
    if furniture.is_hidden_class(cls):
        return "hidden"
    return furniture.hint(f"{cls} {ident}".strip())


def _within(el: Any, container: Any) -> bool:
    while el is not None:
        if el is container:
            return True
        el = el.getparent()
    return False


def _chars(result: BodyResult) -> int:
    return sum(len(b.text) for b in result.blocks)


def extract_body(tree: Any, url: str | None, jsonld: Sequence[Any] | None = None) -> BodyResult:
    """Find the article body of a parsed page (pure; never raises on odd markup). ``jsonld``: the page's
    parsed JSON-LD when the caller has it (:func:`~warta.extract.meta_jsonld.parse_scripts`)."""
    furniture = load_furniture()
    if jsonld is None:
        jsonld = parse_scripts(jsonld_scripts(tree))
    reference = article_body(jsonld)
    result = _dom_body(tree, furniture, use_hints=True)
    if _chars(result) < MIN_GOOD_CHARS:
        retry = _dom_body(tree, furniture, use_hints=False)
        if _chars(retry) >= MIN_GOOD_CHARS and _chars(retry) > 2 * _chars(result):
            result = retry
    if reference:
        result = reconcile(result, reference)
    return result


def _tokens(text: str) -> Counter[str]:
    return Counter(TOKEN.findall(text))


def reconcile(result: BodyResult, reference: str) -> BodyResult:
    """Check the DOM body against the JSON-LD ``articleBody``.

    If the DOM body misses most of the reference, the reference paragraphs become the body. If the
    reference covers the DOM body well, DOM blocks that share little with it are dropped.
    """
    ref = _tokens(reference)
    dom = _tokens("\n".join(b.text for b in result.blocks))
    ref_total, dom_total = sum(ref.values()), sum(dom.values())
    common = sum((ref & dom).values())
    recall = common / ref_total if ref_total else 0.0
    precision = common / dom_total if dom_total else 0.0
    if recall < 0.5 and ref_total > 1.3 * dom_total:
        blocks = tuple(Block("paragraph", t) for t in map(normalize_text, reference.splitlines()) if t)
        return replace(result, blocks=blocks, strategy="jsonld")
    if recall < 0.85 or precision < 0.6:
        return result
    vocab = set(ref)
    kept: list[Block] = []
    dropped: list[str] = []
    for block in result.blocks:
        words = TOKEN.findall(block.text)
        share = sum(1 for w in words if w in vocab) / len(words) if words else 0.0
        if share >= 0.5:
            kept.append(block)
        else:
            dropped.append(block.text)
    if len(kept) == len(result.blocks):
        return result
    return replace(result, blocks=tuple(kept), furniture=result.furniture + tuple(dropped), strategy="dom+jsonld")


__all__ = ["BodyResult", "RawBlock", "extract_body"]
