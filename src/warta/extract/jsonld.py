"""The JSON-LD ``articleBody`` of a page, used to check and repair the DOM body."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

import lxml.html
from lxml import etree

from warta.extract.meta_jsonld import load_script

MIN_WORDS = 40


def _objects(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if key in data:
                yield from _objects(data[key], depth + 1)


def jsonld_objects(tree: Any) -> list[dict[str, Any]]:
    """Every JSON object in the page's ``application/ld+json`` scripts (bad JSON is ignored)."""
    found: list[dict[str, Any]] = []
    for script in tree.getroottree().iter("script"):
        raw = script.text or ""
        if script.get("type") == "application/ld+json" and raw.strip():
            found.extend(_objects(load_script(raw)))
    return found


def article_body(tree: Any) -> str | None:
    """The longest ``articleBody`` string in the page's JSON-LD, if it is long enough to trust."""
    best = ""
    for obj in jsonld_objects(tree):
        value = obj.get("articleBody")
        if isinstance(value, str) and len(value) > len(best):
            best = value
    if len(best.split()) < MIN_WORDS:
        return None
    return clean_body_text(best)


def clean_body_text(text: str) -> str:
    """Undo HTML escaping (sometimes applied twice) and markup inside a JSON-LD ``articleBody``."""
    for _ in range(3):
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    if "<" in text and ">" in text:
        try:
            fragment = lxml.html.fragment_fromstring(text, create_parent="div")
        except (etree.ParserError, ValueError):
            return text
        for br in fragment.iter("br", "p", "div", "h2", "h3", "li"):
            br.tail = "\n" + (br.tail or "")
        text = str(fragment.text_content())
    return text
