"""Walk a DOM subtree into raw text blocks in reading order.

The walk is iterative (``lxml.etree.iterwalk``), so deeply nested documents cannot exhaust Python's
recursion limit. Block-level elements and ``<br>`` end a block; inline elements flow into the
current one. Subtrees that are furniture (by tag or class/id hint) are skipped but their short text
is kept as furniture, and figures are turned into images with their caption.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from warta.extract.text import normalize_text, text_of
from warta.model import Image

BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre section summary "
    "table tbody thead tfoot tr ul caption legend html".split()
)
SKIP_TAGS = frozenset(
    "script style noscript template svg math iframe object embed canvas button select input textarea "
    "option label nav aside footer figure figcaption picture video audio map head title link meta "
    "dialog".split()
)
CELLS = frozenset(("td", "th"))
HEADINGS = frozenset("h2 h3 h4 h5 h6".split())
LIST_ITEMS = frozenset("li dd dt".split())


@dataclass(slots=True)
class RawBlock:
    """One block of text found by the walk (mutable while the walk builds it)."""

    element: Any  # the innermost block-level element holding the text
    kind: str  # paragraph | heading | list_item | quote | title
    text: str
    link_chars: int
    bold: bool = False  # the whole block is bold/strong text
    in_table: bool = False  # a table row (cells joined by spaces)
    lead_link: int = 0  # characters of link text the block starts with (teasers start with a headline link)
    weight: float = 1.0  # < 1 inside subtrees whose class/id hints furniture (the soft-hint walk)

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


@dataclass(slots=True)
class Walk:
    """Everything one walk found."""

    blocks: list[RawBlock] = field(default_factory=list)
    images: list[tuple[Any, Image]] = field(default_factory=list)
    furniture: list[tuple[Any, str]] = field(default_factory=list)


@dataclass(slots=True)
class _State:
    walk: Walk
    stack: list[Any]
    parts: list[str] = field(default_factory=list)
    link_chars: int = 0
    bold_chars: int = 0
    lead_link: int = 0
    lead_open: bool = True
    in_link: int = 0
    in_bold: int = 0
    in_quote: int = 0
    in_table: int = 0
    skipping: Any = None

    def add(self, text: str | None) -> None:
        if not text:
            return
        self.parts.append(text)
        n = len(text.strip())
        if self.in_link:
            self.link_chars += n
            if self.lead_open:
                self.lead_link += n
        elif n:
            self.lead_open = False
        if self.in_bold:
            self.bold_chars += n

    def flush(self) -> None:
        if not self.parts:  # the counters are only ever set together with parts
            return
        text = normalize_text("".join(self.parts))
        if text:
            el = self.stack[-1]
            kind = _kind(el, self.in_quote)
            bold = self.bold_chars >= 0.9 * len(text)
            links = min(self.link_chars, len(text))
            block = RawBlock(el, kind, text, links, bold, self.in_table > 0, min(self.lead_link, links))
            self.walk.blocks.append(block)
        self.parts.clear()
        self.link_chars = self.bold_chars = self.lead_link = 0
        self.lead_open = True


def _has_block_child(el: Any) -> bool:
    return any(isinstance(child.tag, str) and child.tag in BLOCK_TAGS for child in el)


def _kind(el: Any, in_quote: int) -> str:
    tag = el.tag
    if tag == "h1":
        return "title"
    if tag in HEADINGS:
        return "heading"
    if in_quote:
        return "quote"
    if tag in LIST_ITEMS:
        return "list_item"
    return "paragraph"


def _hidden(el: Any) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def figure_image(el: Any) -> Image | None:
    """An Image from a ``<figure>`` (or bare ``<img>``): source, caption and a trailing credit."""
    imgs = [el] if el.tag == "img" else list(el.iter("img"))
    src = None
    if imgs:
        img = imgs[0]
        src = img.get("data-src") or img.get("data-original") or img.get("src")
    caps = list(el.iter("figcaption")) if el.tag == "figure" else []
    caption = normalize_text(text_of(caps[0])) if caps else ""
    if not src and not caption:
        return None
    credit = None
    if caption.endswith(")") and "(" in caption:
        head, _, tail = caption.rpartition("(")
        if len(tail) < 80:
            caption, credit = head.strip(), tail[:-1].strip() or None
    return Image(src, caption or None, credit)


def walk(root: Any, skip: Callable[[Any], bool]) -> Walk:
    """Walk ``root`` into blocks; ``skip(el)`` marks extra subtrees (e.g. by class/id hint) to leave out."""
    state = _State(Walk(), [root])
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if not isinstance(tag, str):  # comment or processing instruction
            if event == "end" and el is not root:
                state.add(el.tail)
            continue
        if event == "start":
            _start(state, walker, el, tag, root, skip)
        else:
            _end(state, el, tag, root)
    state.flush()
    return state.walk


def _start(state: _State, walker: Any, el: Any, tag: str, root: Any, skip: Callable[[Any], bool]) -> None:
    if el is not root and (tag in SKIP_TAGS or _hidden(el) or skip(el)):
        _skipped(state, el, tag)
        walker.skip_subtree()
        state.skipping = el  # iterwalk still reports its end event
        return
    if tag == "br" or tag == "hr":
        state.flush()
        return
    if tag in BLOCK_TAGS or (tag in CELLS and _has_block_child(el)):  # layout cells are blocks
        state.flush()
        state.stack.append(el)
        if tag == "blockquote":
            state.in_quote += 1
        elif tag == "table":
            state.in_table += 1
    elif tag in CELLS:  # data cells: one row is one block
        state.add(" ")
    elif tag == "a":
        state.in_link += 1
    elif tag in ("b", "strong"):
        state.in_bold += 1
    elif tag == "img":
        image = figure_image(el)
        if image is not None:
            state.walk.images.append((state.stack[-1], image))
    state.add(el.text)


def _end(state: _State, el: Any, tag: str, root: Any) -> None:
    if el is state.skipping:
        state.skipping = None
    elif tag in ("br", "hr"):
        pass
    elif tag in BLOCK_TAGS or (tag in CELLS and state.stack[-1] is el):
        state.flush()
        if tag == "blockquote":
            state.in_quote -= 1
        elif tag == "table":
            state.in_table -= 1
        if len(state.stack) > 1:
            state.stack.pop()
    elif tag == "a":
        state.in_link -= 1
    elif tag in ("b", "strong"):
        state.in_bold -= 1
    if el is not root:
        state.add(el.tail)


def _skipped(state: _State, el: Any, tag: str) -> None:
    """Record what a skipped subtree held: a figure's image, or short furniture text."""
    anchor = state.stack[-1]
    if tag in ("figure", "picture"):
        image = figure_image(el)
        if image is not None:
            state.walk.images.append((anchor, image))
        return
    if tag in ("script", "style", "noscript", "template", "svg", "head", "title", "meta", "link"):
        return
    text = normalize_text(text_of(el))
    if text and len(text) <= 300:
        state.walk.furniture.append((anchor, text))
