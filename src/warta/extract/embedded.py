"""Article text carried in a page's embedded script data (script-rendered sites).

Pages built with Next.js (``__NEXT_DATA__``, React flight chunks ``self.__next_f.push(...)``), Nuxt
(``__NUXT__``) or a Redux-style ``window.__INITIAL_STATE__`` often ship the article only as data for
the browser to render. This module finds the candidate article texts of such scripts, the largest
first. Data that parses as JSON (``__NEXT_DATA__``, ``window.__X__ = {...}`` or ``JSON.parse("...")``,
Nuxt 3's devalue array with its index references resolved) gives groups of prose strings by place
(the path to them, the nearest list index taken as any): an article's paragraphs are the items of
one list or one HTML string, whatever image or embed records sit between them; a teaser list is
another group, whose items carry their own links, and counts for half. React flight chunks are
joined into one stream and read row by row (``T`` text rows as HTML, element rows as trees whose
paragraph elements are the text of all their children). Other scripts (a JS literal, as Nuxt 2
writes) are read for their string literals: prose strings next to each other form a run.
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
LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')  # every literal, short ones too: quotes stay paired
MIN_LITERAL = 40
TAG_BREAK = re.compile(r"</?(?:p|div|h[1-6]|li|ul|ol|blockquote|br|section|figure)\b[^>]*>", re.I)
FIGURE = re.compile(r"<(figure|figcaption|script|style)\b.*?</\1>", re.I | re.S)
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"\w+")
SENTENCE_END = re.compile(r"[.!?。！？।॥။።؟۔]")
NOT_LETTER = re.compile(r"[^\w\s\u0300-\u036f\u0900-\u0dff\u1000-\u109f\u1780-\u17ff]|[\d_]")  # marks of Indic, Burmese, Khmer scripts are letters
NESTED_JSON = re.compile(r'"\s*:\s*["\[{]')
MIN_PROSE_WORDS = 8
LONG_UNSPACED = 120  # a string this long with a sentence end is prose even with few spaces (Thai, Burmese)
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


MAX_CANDIDATES = 5


def embedded_texts(tree: Any) -> list[str]:
    """The candidate article texts of the page's embedded script data, the largest first: runs of prose
    strings next to each other in the data, groups of strings at one place of parsed data (teaser
    lists count for half), the flight stream's pieces."""
    pieces: list[_Piece] = []
    runs: list[tuple[float, list[str]]] = []  # (size, prose strings) of each candidate
    flight: list[str] = []  # the payloads of React flight chunks: one stream, cut anywhere
    for n, script in enumerate(tree.iter("script")):
        kind = (script.get("type") or "").lower()
        if "ld+json" in kind:
            continue
        text = script.text or ""
        if len(text) > MAX_SCRIPT_CHARS:
            continue
        if script.get("id") not in ("__NEXT_DATA__", "__NUXT_DATA__") and not any(m in text for m in MARKERS):
            continue
        if FLIGHT_MARK in text:
            chunks = _flight_chunks(text)
            if chunks is not None:
                flight.extend(chunks)
                continue
        data = _json_data(script, text)
        if data is not None:
            runs.extend(_structured_runs(data))
            continue
        pieces.extend(_Piece(n, s, e, t) for s, e, t in _prose_literals(text, nested=True))
    if flight and sum(map(len, flight)) <= MAX_SCRIPT_CHARS:
        runs.extend(_flight_runs("".join(flight)))
    runs.extend((float(sum(len(p.text) for p in run)), [p.text for p in run]) for run in _runs(pieces))
    runs.sort(key=lambda run: -run[0])
    texts = [_joined(texts) for _, texts in runs[:MAX_CANDIDATES]]
    return [t for t in texts if t]


def embedded_article(tree: Any) -> str | None:
    """The article text found in the page's embedded script data (the largest candidate), or None."""
    found = embedded_texts(tree)
    return found[0] if found else None


def _joined(pieces: list[str]) -> str:
    paragraphs: list[str] = []
    for piece in pieces:
        for para in piece.split("\n\n"):
            if para and para not in paragraphs:
                paragraphs.append(para)
    return "\n\n".join(paragraphs)


ASSIGNED = re.compile(r"__[A-Z_]+__\s*=\s*")
DEVALUE_WRAPPERS = frozenset(("Reactive", "ShallowReactive", "Ref", "ShallowRef", "EmptyRef", "EmptyShallowRef"))
ID_LIKE = re.compile(r"\d")
TEASER_WEIGHT = 0.5  # a group of strings whose items each carry their own link reads as a teaser list


def _json_data(script: Any, text: str) -> Any:
    """The script's data as JSON when it is JSON: a JSON script (``__NEXT_DATA__``; ``__NUXT_DATA__``,
    devalue's flat array, resolved), or ``window.__X__ = {...}`` / ``= JSON.parse("...")``. None when it
    is not (a JS literal, as Nuxt 2 writes, is read for its string literals instead)."""
    decoder = json.JSONDecoder()
    try:
        if (script.get("type") or "").lower() == "application/json" or script.get("id") == "__NEXT_DATA__":
            data = json.loads(text)
            return _devalue(data) if script.get("id") == "__NUXT_DATA__" and isinstance(data, list) else data
        m = ASSIGNED.search(text)
        if m is None:
            return None
        at = m.end()
        if text.startswith("JSON.parse(", at):
            inner, _ = decoder.raw_decode(text, at + len("JSON.parse("))
            return json.loads(inner) if isinstance(inner, str) else None
        if text[at : at + 1] not in ("{", "["):
            return None
        data, _ = decoder.raw_decode(text, at)
        return data
    except (ValueError, RecursionError):
        return None


def _devalue(table: list[Any]) -> Any:
    """Nuxt 3's payload (devalue): a flat array whose objects and arrays give their values as indexes
    into it; wrappers such as ``["ShallowReactive", 1]`` stand for their value."""
    memo: dict[int, Any] = {}

    def value(ref: Any, depth: int) -> Any:
        if not isinstance(ref, int) or isinstance(ref, bool) or not 0 <= ref < len(table) or depth > 100:
            return None
        if ref in memo:
            return memo[ref]
        raw = table[ref]
        out: Any
        if isinstance(raw, dict):
            out = memo[ref] = {}
            for key, sub in raw.items():
                out[key] = value(sub, depth + 1)
        elif isinstance(raw, list) and raw and isinstance(raw[0], str):  # a typed value
            if raw[0] in DEVALUE_WRAPPERS and len(raw) > 1:
                out = value(raw[1], depth + 1)
            elif raw[0] in ("Set", "Map"):
                out = [value(sub, depth + 1) for sub in raw[1:]]
            else:
                out = None
        elif isinstance(raw, list):
            out = memo[ref] = []
            out.extend(value(sub, depth + 1) for sub in raw)
        else:
            out = raw
        memo[ref] = out
        return out

    return value(0, 0)


def _structured_runs(data: Any) -> list[tuple[float, list[str]]]:
    """Prose strings of parsed data grouped by where they sit: the path to them, with the index of the
    nearest array and keys that are ids (``Paragraph:123``) taken as any. An article's paragraphs are
    the items of one list (``content[*].text``) or one HTML string, whatever lies between them (image
    blocks, embeds); teaser summaries are items of another list, each item with its own link, and count
    for half."""
    groups: dict[tuple[str, ...], list[str]] = {}
    linked: dict[tuple[str, ...], list[bool]] = {}
    stack: list[tuple[Any, tuple[str, ...], Any]] = [(data, (), None)]
    while stack:
        node, path, item = stack.pop()
        if isinstance(node, str):
            prose = _as_prose(node) if len(node) >= 40 else None
            if prose:
                last = max((i for i, p in enumerate(path) if p.endswith("#")), default=-1)
                key = path if last < 0 else (*path[:last], "*", *path[last + 1 :])
                groups.setdefault(key, []).append(prose)
                linked.setdefault(key, []).append(isinstance(item, dict) and _has_link(item))
        elif isinstance(node, dict):
            stack.extend((v, (*path, "*" if ID_LIKE.search(k) else k), item) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend(
                (v, (*path, f"{i}#"), v if isinstance(v, dict) else item) for i, v in reversed(list(enumerate(node)))
            )
    runs: list[tuple[float, list[str]]] = []
    for key, texts in groups.items():
        size = float(sum(map(len, texts)))
        flags = linked[key]
        if len(flags) > 1 and sum(flags) * 2 > len(flags):
            size *= TEASER_WEIGHT
        runs.append((size, texts))
    return runs


def _has_link(item: dict[str, Any]) -> bool:
    return any(
        isinstance(v, str) and v.startswith(("http://", "https://", "/")) and " " not in v for v in item.values()
    )


FLIGHT_MARK = "self.__next_f.push("
FLIGHT_PUSH = re.compile(r'self\.__next_f\.push\(\[\s*1\s*,\s*("(?:[^"\\]|\\.)*")\s*\]\)')
FLIGHT_ROW = re.compile(r"(?:^|\n)[0-9a-f]+:(?:T([0-9a-f]+),)?", re.I)
BLOCK_TAGS = frozenset(("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "pre", "td"))


def _flight_chunks(text: str) -> list[str] | None:
    """The string payloads of the ``self.__next_f.push([1, "..."])`` calls of a script, or None when the
    script holds none (it is then read as any other)."""
    chunks: list[str] = []
    for m in FLIGHT_PUSH.finditer(text):
        try:
            value = json.loads(m.group(1))
        except ValueError:
            continue
        if isinstance(value, str):
            chunks.append(value)
    return chunks or None


def _flight_runs(stream: str) -> list[tuple[float, list[str]]]:
    """Candidate texts of a React flight stream (the pushes joined: a chunk may end inside a row or a
    string). Rows are ``id:json`` or ``id:T<hex length>,<text>`` (a long string, often the CMS HTML of
    the article). A JSON row is read as a tree: an element ``["$", tag, key, props]`` of a block tag
    (``p``, ``h2``, ``li``...) stands for the text of all its children (links and emphasis split a
    paragraph into several strings), and the texts are grouped by place as in other parsed data (the
    paragraphs of one article element together, each teaser of a list apart); a row that does not parse
    is read for its string literals."""
    runs: list[tuple[float, list[str]]] = []
    at = 0
    rows = list(FLIGHT_ROW.finditer(stream))
    for i, m in enumerate(rows):
        if m.start() < at:
            continue  # inside the text of a T row
        start = m.end()
        if m.group(1) is not None:  # T row: the length counts UTF-8 bytes
            size = int(m.group(1), 16)
            raw = stream[start:].encode("utf8")[:size].decode("utf8", "ignore")
            at = start + len(raw)
            prose = _as_prose(raw)
            if prose:
                runs.append((float(len(prose)), [prose]))
            continue
        end = rows[i + 1].start() if i + 1 < len(rows) else len(stream)
        body = stream[start:end]
        try:
            value = json.loads(body)
        except (ValueError, RecursionError):
            pieces = [_Piece(0, s, e, t) for s, e, t in _prose_literals(body, nested=False)]
            runs.extend((float(sum(len(p.text) for p in run)), [p.text for p in run]) for run in _runs(pieces))
            continue
        try:
            runs.extend(_structured_runs(_as_data(value, 0)))
        except RecursionError:
            continue
    return runs


def _as_data(node: Any, depth: int) -> Any:
    """A flight tree as plain data: an element is its props, a block element the text of its children."""
    if depth > 200:
        return None
    if isinstance(node, list):
        if len(node) == 4 and node[0] == "$" and isinstance(node[1], str) and isinstance(node[3], dict):
            if node[1] in BLOCK_TAGS and "children" in node[3]:
                return " ".join("".join(_strings(node[3]["children"])).split())
            return {k: _as_data(v, depth + 1) for k, v in node[3].items()}
        return [_as_data(v, depth + 1) for v in node]
    if isinstance(node, dict):
        return {k: _as_data(v, depth + 1) for k, v in node.items()}
    return node


def _strings(node: Any) -> Iterator[str]:
    """The text of an element's children, in order (strings, and the children of nested elements)."""
    if isinstance(node, str):
        if not node.startswith("$"):  # "$L5", "$6": references, not text
            yield node
    elif isinstance(node, list):
        if len(node) == 4 and node[0] == "$" and isinstance(node[3], dict):
            yield from _strings(node[3].get("children"))
        else:
            for item in node:
                yield from _strings(item)


def _prose_literals(text: str, nested: bool) -> Iterator[tuple[int, int, str]]:
    for m in LITERAL.finditer(text):
        if len(m.group(1)) < MIN_LITERAL:
            continue
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
    marked = "<" in text and ">" in text and TAG_BREAK.search(text) is not None
    if "<" in text and ">" in text:
        text = TAG.sub("", TAG_BREAK.sub("\n\n", FIGURE.sub("\n\n", text)))
    text = html.unescape(text)
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", text)]
    if marked:  # an HTML article may show code in some paragraphs: those are left out, not the article
        paragraphs = [p for p in paragraphs if not _code(p)]
    text = "\n\n".join(p for p in paragraphs if p)
    if not SENTENCE_END.search(text) or _code(text):
        return None
    words = WORD.findall(text)
    if len(words) < MIN_PROSE_WORDS and not (len(text) >= 40 and _cjk(text)) and len(text) < LONG_UNSPACED:
        return None
    if len(NOT_LETTER.findall(text)) > 0.25 * len(text):  # code, ids, URLs: mostly signs and digits
        return None
    return text


def _code(text: str) -> bool:
    return any(sign in text for sign in ("function(", "=>", "{\"", "};"))


def _cjk(text: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text)


def _runs(pieces: list[_Piece]) -> list[list[_Piece]]:
    """Pieces next to each other in one script. A string of several paragraphs (an article body as one
    HTML string) joins only others of several paragraphs: the single strings beside it are other
    fields (a teaser list after the body)."""
    runs: list[list[_Piece]] = []
    for piece in pieces:
        last = runs[-1][-1] if runs else None
        if (last is not None and last.script == piece.script and piece.start - last.end <= MAX_GAP
                and ("\n\n" in last.text) == ("\n\n" in piece.text)):
            runs[-1].append(piece)
        else:
            runs.append([piece])
    return runs


__all__ = ["embedded_article", "embedded_texts", "has_embedded_data"]
