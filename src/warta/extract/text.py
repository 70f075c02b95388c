"""Text normalisation shared by the extraction stages."""

from __future__ import annotations

import unicodedata
from typing import Any, cast

from lxml import etree


def text_of(el: Any) -> str:
    """All text inside an element (its descendants' text, not its own tail), as lxml.html's
    ``text_content()`` gives it, for plain ``lxml.etree`` elements."""
    return cast(str, etree.tostring(el, method="text", encoding=str, with_tail=False))


INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")


def normalize_text(text: str) -> str:
    """NFC, drop zero-width characters and soft hyphens, collapse every whitespace run to one space."""
    if not text:
        return ""
    if not text.isascii():
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        for char in INVISIBLE:
            if char in text:
                text = text.replace(char, "")
    return " ".join(text.split())
