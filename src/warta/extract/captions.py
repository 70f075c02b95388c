"""Photo captions that the page marks as such by its structure, with no class words.

Captions in ``<figure>``/``<figcaption>`` or in subtrees named as captions leave the body during the
walk (``blocks.py``). Many pages wrap a photo and its caption in plain ``<div>``s instead; when the class
names say nothing (or nothing the hints know), the caption stays in the body as a short paragraph.
``split_captions`` finds those blocks by what the page itself shows:

1. the block is the only text in a small wrapper whose other content is images: walking up from
   the block, every ancestor holds no text but the block's, until one holds a real image (an
   ``<img>`` with a source that is not an icon or emoji: none under ``ICON_PX`` wide or high by its
   attributes, no SVG drawing); or
2. the image lies inside the block's own element (``<div><img alt="X">X</div>``) and the block's
   text is its ``alt`` or ``title`` (case and spaces aside, a short credit may follow). Without that
   match, an image inside the paragraph (``<p><img>Text</p>``) makes an illustrated paragraph.

A paragraph that merely repeats an image's alt text elsewhere in the article (some publishers copy
paragraphs into the alt of the next photo) stays: the wrapper test fails on the article's other text.

Guards keep article text in the body: only paragraphs of at most ``CAPTION_CHARS`` characters, and
nothing at all when the captions found would make up ``MAX_SHARE`` of the body or more (a
one-paragraph story under its lead photo keeps its paragraph). A caption found moves to its image's
``caption`` (or to the body's furniture when that image already has one, or when the block is
mostly link text: a teaser card's headline beside its picture), so nothing is lost.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any, cast

from warta.extract.blocks import RawBlock
from warta.extract.text import text_of
from warta.model import Image

CAPTION_CHARS = 450  # a caption is a line or two
MAX_SHARE = 0.4  # captions never make up this share of the body
WRAPPER_DEPTH = 4  # ancestors looked at above the block for the image wrapper
ICON_PX = 48  # an image this small (width or height attribute) is an icon or emoji, not a photo
ALT_MIN_WORDS = 3  # an alt/title this short says too little to match a caption on
CREDIT_WORDS = 8  # words a caption may add after its image's alt text (a photo credit)
LINKED = 0.5  # a block with more link text than this beside an image is a teaser card: furniture

_WORDS = re.compile(r"\w+")
_PX = re.compile(r"\s*(\d+)")


def _words(text: str) -> list[str]:
    return _WORDS.findall(text.casefold())


def _source(img: Any) -> str | None:
    """The image's address, read as ``blocks.figure_image`` reads it (lazy-loading attributes first)."""
    return cast("str | None", img.get("data-src") or img.get("data-original") or img.get("src"))


def _tiny(img: Any) -> bool:
    if (_source(img) or "").split("?")[0].lower().endswith(".svg"):  # drawn icons, not photos
        return True
    for attr in ("width", "height"):
        match = _PX.match(img.get(attr) or "")
        if match and int(match.group(1)) <= ICON_PX:
            return True
    return False


def _photos(el: Any) -> list[Any]:
    """The real images inside ``el`` (itself included): a source and not icon-sized."""
    return [img for img in el.iter("img") if _source(img) and not _tiny(img)]


def _alt_match(text: str, img: Any) -> bool:
    """True if ``text`` is the image's alt or title, perhaps followed by a short credit."""
    said = _words(text)
    for attr in ("alt", "title"):
        alt = _words(img.get(attr) or "")
        if len(alt) >= ALT_MIN_WORDS and said[: len(alt)] == alt and len(said) - len(alt) <= CREDIT_WORDS:
            return True
    return False


def _inside(el: Any, wrapper: Any) -> bool:
    return any(up is wrapper for up in el.iterancestors()) or el is wrapper


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _caption_at(blocks: Sequence[RawBlock], i: int) -> tuple[Any, range] | None:
    """``(image, blocks that are its caption)`` for the caption holding ``blocks[i]``, or None."""
    block = blocks[i]
    if block.kind != "paragraph" or len(block.text) > CAPTION_CHARS:
        return None
    el = block.element
    start, end = i, i + 1  # the blocks of the same element (a caption may hold a <br>)
    while start > 0 and blocks[start - 1].element is el:
        start -= 1
    while end < len(blocks) and blocks[end].element is el:
        end += 1
    run = blocks[start:end]
    if any(b.kind != "paragraph" for b in run) or sum(len(b.text) for b in run) > CAPTION_CHARS:
        return None
    said = _squeezed("".join(b.text for b in run))
    near = [blocks[k].element for k in (start - 1, end) if 0 <= k < len(blocks)]
    wrapper = el
    for _ in range(WRAPPER_DEPTH + 1):
        if wrapper is None or any(_inside(other, wrapper) for other in near):  # (cheap test first)
            return None
        if _squeezed(text_of(wrapper)) != said:
            return None  # the wrapper holds other text: article text, not a caption
        photos = _photos(wrapper)
        if photos and wrapper is el:  # an image inside the paragraph: a caption if it says so (its alt)
            text = " ".join(b.text for b in run)
            return next(((img, range(start, end)) for img in photos if _alt_match(text, img)), None)
        if photos:
            return photos[0], range(start, end)
        wrapper = wrapper.getparent()
    return None


def split_captions(
    blocks: Sequence[RawBlock], images: Sequence[Image] = ()
) -> tuple[list[RawBlock], list[Image], list[str]]:
    """``(blocks without captions, images with the captions set, caption lines for furniture)``.

    The blocks come back unchanged when no caption is found or when the captions would make up
    ``MAX_SHARE`` of the body's text or more."""
    found: list[tuple[Any, range]] = []
    i = 0
    while i < len(blocks):
        caption = _caption_at(blocks, i)
        if caption is None:
            i += 1
        else:
            found.append(caption)
            i = caption[1].stop
    if not found:
        return list(blocks), list(images), []
    dropped = {i for _, run in found for i in run}
    if sum(len(blocks[i].text) for i in dropped) >= MAX_SHARE * sum(len(b.text) for b in blocks):
        return list(blocks), list(images), []
    pictures = list(images)
    lines: list[str] = []
    for img, run in found:
        text = " ".join(blocks[k].text for k in run)
        src = _source(img)
        at = next((k for k, p in enumerate(pictures) if p.url == src), None)
        if sum(blocks[k].link_chars for k in run) > LINKED * len(text):
            lines.append(text)  # a linked headline beside its picture: a teaser card, not a caption
        elif at is None:
            pictures.append(Image(src, text))
        elif pictures[at].caption is None:
            pictures[at] = dataclasses.replace(pictures[at], caption=text)
        else:
            lines.append(text)
    return [b for i, b in enumerate(blocks) if i not in dropped], pictures, lines
