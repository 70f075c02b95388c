"""Decode and parse one HTML document, defensively.

Decoding: a byte-order mark wins; otherwise the declared charset (HTTP header or ``<meta>``) is
tried strictly, and a declaration that does not fit the bytes (a lying ``<meta charset>``) loses to
strict UTF-8 and then to charset-normalizer's guess. Bytes that look like binary data give
``Skip(UNREADABLE)``; documents above the size cap give ``Skip(TOO_LARGE)`` before any parsing.
Parsing uses lxml's HTML parser without comments or processing instructions. libxml2 stops at
nesting depth 256 and drops everything after that point, even paragraphs back at shallow depth; a
document that hits the limit is parsed again with the tags nested deeper than ``FLAT_DEPTH``
removed (their text stays, in order), in one linear scan with a bounded stack.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

import charset_normalizer
from lxml import etree

from warta.model import Skip, SkipReason

DEFAULT_MAX_BYTES = 10_000_000
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_\-:.]+)", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
LONG_TAG_CHARS = 20000
_LONG_TAG = re.compile(rf"(<[A-Za-z][\w:-]*)[^<>]{{{LONG_TAG_CHARS},}}>")
MAX_ATTRIBUTES = 1000  # libxml2 checks duplicate attributes in quadratic time
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")
FLAT_DEPTH = 200  # tags nested deeper than this are dropped when libxml2's depth limit was hit
_TOKEN = re.compile(
    r"<(script|style|textarea|title)\b[^>]*>.*?</\1\s*>|<!--.*?-->|<(/?)([A-Za-z][\w:-]*)[^>]*>",
    re.IGNORECASE | re.DOTALL,
)
_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr basefont bgsound frame keygen".split()
)


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset named by the HTTP ``Content-Type`` header, else by a ``<meta>`` near the top."""
    found = _HEADER_CHARSET.search(content_type or "")
    if found:
        return _codec(found.group(1))
    meta = _META_CHARSET.search(data[:4096])
    return _codec(meta.group(1).decode("ascii", "ignore")) if meta else None


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        return None


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """Decode page bytes to text, never trusting a declaration the bytes contradict."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, "replace")
    declared = declared_charset(data, content_type)
    if declared in ("utf-8", None) or not data.isascii():  # non-ASCII bytes that are valid UTF-8 win
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if declared and declared != "utf-8":
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    codec = best.encoding if best is not None else (declared or "cp1252")
    return data.decode(codec, "replace")


def looks_binary(text: str) -> bool:
    """Control characters or replacement marks in more than 2% of the first 8 KiB: not HTML."""
    sample = text[:8192]
    if not sample:
        return False
    return len(_CONTROL.findall(sample)) > 0.02 * len(sample)


def _has_long_tag(text: str) -> bool:
    """True if some ``<tag ...>`` spans LONG_TAG_CHARS or more with over MAX_ATTRIBUTES attributes: the
    text after the last ``<`` of a ``>``-separated segment is what a tag would hold. Long SVG paths and
    JSON data attributes are long but have few attributes: they are left to the parser."""
    for seg in text.split(">"):
        if len(seg) >= LONG_TAG_CHARS:
            tag = seg[seg.rfind("<") + 1 :]
            if len(tag) >= LONG_TAG_CHARS and tag.count("=") > MAX_ATTRIBUTES:
                return True
    return False


def _without_surrogates(text: str) -> str:
    """``text`` with lone surrogates replaced (libxml2 would drop the whole text); decoded bytes have none."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def _shorten_tag(match: re.Match[str]) -> str:
    """Keep a tag but drop its attributes when it has more than MAX_ATTRIBUTES of them."""
    if match.group(0).count("=") > MAX_ATTRIBUTES:
        return match.group(1) + ">"
    return match.group(0)


def flatten_deep(text: str, limit: int = FLAT_DEPTH) -> str:
    """``text`` without the start and end tags nested deeper than ``limit`` (text kept in order).

    Linear: one regex scan; the open-element stack never exceeds ``limit`` and the dropped tags
    are counted per name (an end tag whose start was dropped is dropped too)."""
    out: list[str] = []
    stack: list[str] = []
    dropped: dict[str, int] = {}
    last = 0
    for m in _TOKEN.finditer(text):
        name = (m.group(3) or "").lower()
        if not name or name in _VOID or m.group(0).endswith("/>"):
            continue  # raw text blocks, comments and void elements do not nest
        keep = True
        if not m.group(2):  # start tag
            if len(stack) >= limit:
                dropped[name] = dropped.get(name, 0) + 1
                keep = False
            else:
                stack.append(name)
        elif dropped.get(name):
            dropped[name] -= 1
            keep = False
        elif name in stack:  # close it and whatever it implicitly closes
            del stack[len(stack) - 1 - stack[::-1].index(name) :]
        if not keep:
            out.append(text[last : m.start()])
            out.append(" ")
            last = m.end()
    out.append(text[last:])
    return "".join(out)


def _parser() -> Any:
    return etree.HTMLParser(remove_comments=True, remove_pis=True, default_doctype=False)


def _too_deep(parser: Any) -> bool:
    return any(e.type_name == "ERR_RESOURCE_LIMIT" and "depth" in e.message for e in parser.error_log)


def parse_html(
    html: str | bytes,
    url: str | None = None,
    *,
    content_type: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Any:
    """Return an lxml document tree, or a Skip (EMPTY, TOO_LARGE, UNREADABLE)."""
    if len(html) > max_bytes:
        return Skip(SkipReason.TOO_LARGE, f"{len(html)} bytes > {max_bytes}", url=url)
    text = decode_html(html, content_type) if isinstance(html, bytes) else _without_surrogates(html)
    if not text.strip():
        return Skip(SkipReason.EMPTY, url=url)
    if looks_binary(text):
        return Skip(SkipReason.UNREADABLE, "binary data, not HTML", url=url)
    declaration = _XML_DECL.match(text)  # match, not sub: re tries a '^' pattern at every position
    if declaration:
        text = text[declaration.end() :]
    if _has_long_tag(text):  # cheap test before the regex
        text = _LONG_TAG.sub(_shorten_tag, text)
    # lxml.etree's parser, not lxml.html's: its elements are plain C proxies, where lxml.html looks up a
    # Python element class for every element touched (about 5% of extraction time).
    try:
        parser = _parser()
        root = etree.fromstring(text, parser)
        if _too_deep(parser):  # libxml2 dropped the rest of the document: parse it flattened
            root = etree.fromstring(flatten_deep(text), _parser())
    except (etree.ParserError, ValueError) as exc:
        return Skip(SkipReason.UNREADABLE, str(exc)[:200], url=url)
    if root is None:
        return Skip(SkipReason.UNREADABLE, "Document is empty", url=url)
    return root
