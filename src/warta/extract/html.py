"""Decode and parse one HTML document (baseline; to be hardened)."""

from __future__ import annotations

from typing import Any

import lxml.html
from lxml import etree

from warta.model import Skip, SkipReason


def parse_html(html: str | bytes, url: str | None) -> Any:
    """Return an lxml document tree, or a Skip."""
    if not html or not html.strip():
        return Skip(SkipReason.EMPTY, url=url)
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        return Skip(SkipReason.UNREADABLE, str(exc), url=url)
