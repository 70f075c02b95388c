"""A second, independent reading of the DOM: readability-style paragraph scoring.

The main body choice (``select.py``) sums a value per block over every ancestor and keeps the element
with the most. This module scores the page the way Arc90's Readability does, with its own class/id
vocabulary, so that its mistakes are not the main choice's mistakes:

1. Walk the page, leaving out subtrees whose class/id reads as unlikely content (``comment``,
   ``sidebar``, ``footer``...) unless it also reads as a content wrapper (``article``, ``body``,
   ``content``, ``main``).
2. Every paragraph of 25 characters or more scores ``1 + commas + min(chars / 100, 3)``; its parent
   gets the whole score and its grandparent half. A candidate starts from its tag (``div`` +5, lists
   and forms -3, headings -5) and its class/id (+25 for article words, -25 for furniture words).
3. A candidate's score is multiplied by ``1 - link density``. The best one is the top candidate; its
   siblings join it when they score at least a fifth of it, or are paragraphs that read as prose.

The result is the blocks inside the chosen elements, link lists left out. ``choose.py`` compares it
with the main choice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from warta.extract.blocks import RawBlock, walk

UNLIKELY = re.compile(
    r"-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|"
    r"legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|"
    r"ad-break|agegate|pagination|pager|popup|yom-remote",
    re.IGNORECASE,
)
MAYBE = re.compile(r"and|article|body|column|content|main|shadow", re.IGNORECASE)
POSITIVE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story", re.IGNORECASE
)
NEGATIVE = re.compile(
    r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|foot|footer|footnote|gdpr|"
    r"masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|"
    r"shopping|tags|tool|widget",
    re.IGNORECASE,
)
COMMAS = re.compile(r"[,，、،]")
TAG_BASE = {
    "div": 5.0, "article": 5.0, "section": 0.0, "pre": 3.0, "td": 3.0, "blockquote": 3.0,
    "address": -3.0, "ol": -3.0, "ul": -3.0, "dl": -3.0, "dd": -3.0, "dt": -3.0, "li": -3.0, "form": -3.0,
    "h1": -5.0, "h2": -5.0, "h3": -5.0, "h4": -5.0, "h5": -5.0, "h6": -5.0, "th": -5.0,
}
KEEP_TAGS = frozenset(("html", "body", "article", "main", "a"))
MIN_PARAGRAPH = 25  # characters a paragraph needs to score
CLASS_WEIGHT = 25.0
SIBLING_SHARE = 0.2  # a sibling scoring this share of the top candidate joins it
SIBLING_MIN = 10.0
LINKY = 0.5  # blocks above this link density are left out of the result


@dataclass(frozen=True, slots=True)
class Scored:
    """The independent reading: the chosen elements (top candidate first) and their blocks in order."""

    nodes: tuple[Any, ...]
    blocks: tuple[RawBlock, ...]
    score: float

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)

    @property
    def chars(self) -> int:
        return sum(len(b.text) for b in self.blocks)


def _attr(el: Any) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".strip()


def _unlikely_test(memo: dict[str, bool]) -> Callable[[Any], bool]:
    """The walk's skip test; ``memo``: pages repeat a few class/id values."""

    def unlikely(el: Any) -> bool:
        if el.tag in KEEP_TAGS:
            return False
        attr = _attr(el)
        if not attr:
            return False
        if attr not in memo:
            memo[attr] = bool(UNLIKELY.search(attr)) and not MAYBE.search(attr)
        return memo[attr]

    return unlikely


def _class_weight(el: Any, memo: dict[str, float]) -> float:
    weight = 0.0
    for value in (el.get("class"), el.get("id")):
        if not value:
            continue
        if value not in memo:
            memo[value] = (-CLASS_WEIGHT if NEGATIVE.search(value) else 0.0) + (
                CLASS_WEIGHT if POSITIVE.search(value) else 0.0
            )
        weight += memo[value]
    return weight


@dataclass(slots=True)
class _Tally:
    score: float = 0.0
    chars: int = 0
    links: int = 0


def _tally(blocks: Sequence[RawBlock], root: Any) -> tuple[dict[int, _Tally], dict[int, Any]]:
    """Readability's scores, plus text and link characters, per element."""
    tally: dict[int, _Tally] = {}
    elements: dict[int, Any] = {}
    weights: dict[str, float] = {}

    def entry(el: Any) -> _Tally:
        key = id(el)
        if key not in tally:
            tally[key] = _Tally(TAG_BASE.get(el.tag, 0.0) + _class_weight(el, weights))
            elements[key] = el
        return tally[key]

    for block in blocks:
        n = len(block.text)
        el = block.element
        while el is not None:  # every ancestor: text and links for the link density
            item = entry(el)
            item.chars += n
            item.links += block.link_chars
            if el is root:
                break
            el = el.getparent()
        if n < MIN_PARAGRAPH or block.kind in ("title", "heading"):
            continue
        value = 1.0 + len(COMMAS.findall(block.text)) + min(n / 100.0, 3.0)
        parent = block.element.getparent() if block.element is not root else None
        if parent is not None:
            entry(parent).score += value
            grand = parent.getparent() if parent is not root else None
            if grand is not None:
                entry(grand).score += value / 2.0
    return tally, elements


def _final(item: _Tally) -> float:
    density = item.links / item.chars if item.chars else 0.0
    return item.score * (1.0 - density)


def score_body(root: Any) -> Scored | None:
    """The readability-style reading of the page below ``root`` (its ``<body>``), or None."""
    found = walk(root, _unlikely_test({}))
    if not found.blocks:
        return None
    tally, elements = _tally(found.blocks, root)
    scores = {key: _final(item) for key, item in tally.items()}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] <= 0:
        return None
    top = elements[best]
    nodes = [top, *_siblings(top, scores, tally)]
    inside = {id(n) for n in nodes}
    kept = tuple(
        b for b in found.blocks
        if b.kind != "title" and b.link_density <= LINKY and _under(b.element, inside)
    )
    return Scored(tuple(nodes), kept, scores[best]) if kept else None


def _siblings(top: Any, scores: dict[int, float], tally: dict[int, _Tally]) -> list[Any]:
    parent = top.getparent()
    if parent is None:
        return []
    limit = max(SIBLING_MIN, SIBLING_SHARE * scores[id(top)])
    cls = top.get("class")
    out: list[Any] = []
    for sib in parent:
        if sib is top or not isinstance(sib.tag, str):
            continue
        bonus = SIBLING_SHARE * scores[id(top)] if cls and sib.get("class") == cls else 0.0
        if id(sib) in scores and scores[id(sib)] + bonus >= limit:
            out.append(sib)
        elif sib.tag == "p" and id(sib) in tally and _prose(tally[id(sib)], sib):
            out.append(sib)
    return out


def _prose(item: _Tally, el: Any) -> bool:
    density = item.links / item.chars if item.chars else 1.0
    if item.chars > 80:
        return density < 0.25
    text = (el.text or "").strip()
    return item.chars > 0 and density == 0 and text.endswith(".")


def _under(el: Any, inside: set[int]) -> bool:
    while el is not None:
        if id(el) in inside:
            return True
        el = el.getparent()
    return False


__all__ = ["Scored", "score_body"]
