"""Move metadata lines out of the body once metadata has read them.

Body extraction keeps what looks like prose; some of it is really metadata: a credit line (``Pewarta: X``,
``Editor: Y``), a photo caption closed by its credit (``... (Foto: Getty Images)``), a byline block
(``Oleh X``), editor initials closing the story (``(aff/yna)``) or a closing signature
(``... bisa dilakukan. DINI TEJA``). ``clean_body`` moves those into ``BodyResult.furniture`` (so
nothing is lost) and drops a lead that merely repeats the first paragraph. It is idempotent.
"""

from __future__ import annotations

import dataclasses
import re

from warta.extract.body import BodyResult
from warta.extract.meta_authors import read_credit
from warta.model import Block

_TRAILER = re.compile(r"\s*\(\s*[A-Za-z0-9]{2,6}(?:\s*/\s*[A-Za-z0-9]{2,6})+\s*\)\s*$")
_WORDS = re.compile(r"\w+")


_CAPTION_CHARS = 300  # a caption is a line or two
_TAIL_PARENS = re.compile(r"\(([^()]{2,120})\)\s*$")


def _is_credit(block: Block) -> bool:
    if block.type not in ("paragraph", "list_item") or len(block.text) > 160:
        return False
    credit = read_credit(block.text)
    return credit is not None and credit.role in ("author", "editor", "photo")


def _is_caption(block: Block) -> bool:
    """A short paragraph closed by a labelled photo credit (``Banjir di Kemang. (Foto: Getty Images)``,
    the label words of ``[bylines] photo``): a picture's caption, not article text."""
    if block.type != "paragraph" or len(block.text) > _CAPTION_CHARS:
        return False
    tail = _TAIL_PARENS.search(block.text)
    if tail is None:
        return False
    credit = read_credit(tail.group(1), labelled_only=True)
    return credit is not None and credit.role == "photo"


def _split_tail(text: str, signature: str | None) -> tuple[str, list[str]]:
    """The block text without closing initials or signature, and what was removed."""
    removed: list[str] = []
    trailer = _TRAILER.search(text)
    if trailer:
        removed.append(trailer.group(0).strip())
        text = text[: trailer.start()].rstrip()
    if signature and text.endswith(signature) and len(text) > len(signature):
        before = text[: -len(signature)].rstrip()
        if before[-1:] in ".!?\"”’)":
            removed.append(signature)
            text = before
    return text, removed


def _same_words(a: str, b: str) -> bool:
    return _WORDS.findall(a.casefold()) == _WORDS.findall(b.casefold())


def clean_body(
    body: BodyResult, *, signature: str | None = None, lead: str | None = None
) -> tuple[BodyResult, str | None]:
    """``(body without metadata lines, lead or None when it repeats the first paragraph)``."""
    kept: list[Block] = []
    furniture = list(body.furniture)
    for block in body.blocks:
        if _is_credit(block) or _is_caption(block) or (signature and block.text.strip() == signature):
            furniture.append(block.text)
        else:
            kept.append(block)
    if kept:
        text, removed = _split_tail(kept[-1].text, signature)
        if removed:
            furniture.extend(removed)
            kept[-1:] = [Block(kept[-1].type, text)] if text else []
    if lead and kept and _same_words(lead, kept[0].text):
        lead = None
    if len(kept) == len(body.blocks) and len(furniture) == len(body.furniture):
        return body, lead
    return dataclasses.replace(body, blocks=tuple(kept), furniture=tuple(furniture)), lead
