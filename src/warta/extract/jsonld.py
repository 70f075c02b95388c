"""The JSON-LD ``articleBody`` of a page, used to check and repair the DOM body."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import lxml.html
from lxml import etree

from warta.extract.meta_jsonld import flatten

MIN_WORDS = 40


_BODY_PATHS = ("@graph", "mainEntity", "mainEntityOfPage")  # where an articleBody may nest


def article_body(documents: Iterable[Any]) -> str | None:
    """The longest ``articleBody`` string in the page's parsed JSON-LD, if it is long enough to trust."""
    best = ""
    for doc in documents:
        for obj in flatten(doc, _BODY_PATHS):
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
