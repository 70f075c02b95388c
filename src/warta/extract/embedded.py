"""Article text carried in a page's embedded script data (script-rendered sites).

Pages built with Next.js (``__NEXT_DATA__``, React flight chunks ``self.__next_f.push(...)``), Nuxt
(``__NUXT__``) or a Redux-style ``window.__INITIAL_STATE__`` often ship the article only as data for
the browser to render. This module reads the JSON string literals of such scripts (one nesting level
deeper where a payload is itself a JSON string, as flight chunks are), keeps the prose-like ones, and
returns the longest run of prose strings that sit next to each other in the data: an article's
paragraphs are stored together, while teaser summaries of other stories are scattered between
URLs, ids and image records.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

MARKERS = (
    "__NEXT_DATA__", "self.__next_f.push", "__NUXT__", "__NUXT_DATA__", "__INITIAL_STATE__",
    "__PRELOADED_STATE__", "__APOLLO_STATE__",
)
LITERAL = re.compile(r'"((?:[^"\\\n]|\\.){40,})"')
TAG_BREAK = re.compile(r"</?(?:p|div|h[1-6]|li|ul|ol|blockquote|br|section|figure)\b[^>]*>", re.I)
FIGURE = re.compile(r"<(figure|figcaption|script|style)\b.*?</\1>", re.I | re.S)
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"\w+")
SENTENCE_END = re.compile(r"[.!?。！？]")
NOT_LETTER = re.compile(r"[^\w\s]|[\d_]")
NESTED_JSON = re.compile(r'"\s*:\s*["\[{]')
MIN_PROSE_WORDS = 8
MAX_GAP = 400  # characters of data between two prose strings of one run
MAX_SCRIPT_CHARS = 5_000_000


@dataclass(frozen=True, slots=True)
class _Piece:
    script: int
    start: int
    end: int
    text: str


def has_embedded_data(tree: Any) -> bool:
    """True if the page has a script of one of the known client-side frameworks' data kinds."""
    for script in tree.iter("script"):
        if script.get("id") in ("__NEXT_DATA__", "__NUXT_DATA__"):
            return True
        text = script.text or ""
        if "__" in text and any(m in text for m in MARKERS):
            return True
    return False


def embedded_article(tree: Any) -> str | None:
    """The article text found in the page's embedded script data, or None."""
    pieces: list[_Piece] = []
    for n, script in enumerate(tree.iter("script")):
        kind = (script.get("type") or "").lower()
        if "ld+json" in kind:
            continue
        text = script.text or ""
        if len(text) > MAX_SCRIPT_CHARS:
            continue
        if script.get("id") not in ("__NEXT_DATA__", "__NUXT_DATA__") and not any(m in text for m in MARKERS):
            continue
        pieces.extend(_Piece(n, s, e, t) for s, e, t in _prose_literals(text, nested=True))
    runs = _runs(pieces)
    if not runs:
        return None
    best = max(runs, key=lambda run: sum(len(p.text) for p in run))
    paragraphs: list[str] = []
    for piece in best:
        for para in piece.text.split("\n\n"):
            if para and para not in paragraphs:
                paragraphs.append(para)
    return "\n\n".join(paragraphs) or None


def _prose_literals(text: str, nested: bool) -> Iterator[tuple[int, int, str]]:
    for m in LITERAL.finditer(text):
        try:
            value = json.loads(f'"{m.group(1)}"')
        except ValueError:
            continue
        if not isinstance(value, str):
            continue
        if nested and NESTED_JSON.search(value):  # a JSON payload inside a string (flight chunks)
            for s, e, inner in _prose_literals(value, nested=False):
                yield m.start() + s, m.start() + e, inner  # positions only order and group pieces
            continue
        prose = _as_prose(value)
        if prose:
            yield m.start(), m.end(), prose


def _as_prose(value: str) -> str | None:
    """Plain paragraphs from a string that reads as prose (HTML allowed), else None."""
    if value.startswith(("http://", "https://", "/", "data:", "{", "[")):
        return None
    text = value
    if "<" in text and ">" in text:
        text = TAG.sub("", TAG_BREAK.sub("\n\n", FIGURE.sub("\n\n", text)))
    text = html.unescape(text)
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", text)]
    text = "\n\n".join(p for p in paragraphs if p)
    if not SENTENCE_END.search(text) or any(sign in text for sign in ("function(", "=>", "{\"", "};")):
        return None
    words = WORD.findall(text)
    if len(words) < MIN_PROSE_WORDS and not (len(text) >= 40 and _cjk(text)):
        return None
    if len(NOT_LETTER.findall(text)) > 0.25 * len(text):  # code, ids, URLs: mostly signs and digits
        return None
    return text


def _cjk(text: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text)


def _runs(pieces: list[_Piece]) -> list[list[_Piece]]:
    runs: list[list[_Piece]] = []
    for piece in pieces:
        last = runs[-1][-1] if runs else None
        if last is not None and last.script == piece.script and piece.start - last.end <= MAX_GAP:
            runs[-1].append(piece)
        else:
            runs.append([piece])
    return runs


__all__ = ["embedded_article", "has_embedded_data"]
