"""Safe XML for sitemaps and feeds: no DTD, no entity expansion, no network, size-capped gzip.

Every sitemap and feed warta reads passes through :func:`parse_xml`. A document that declares
entities (the "billion laughs" family) is refused with :class:`DiscoverError` before any expansion;
gzip bodies are inflated with a hard cap, so a gzip bomb fails fast instead of filling memory.
"""

from __future__ import annotations

import re
import zlib
from typing import Any, cast

from lxml import etree

from warta.errors import DiscoverError

__all__ = ["MAX_XML_BYTES", "gunzip_capped", "maybe_gunzip", "parse_xml", "local_name", "child_text"]

MAX_XML_BYTES = 50 * 1024 * 1024
"""Largest document accepted after decompression (the sitemap protocol's own limit is 50 MB)."""

_GZIP_MAGIC = b"\x1f\x8b"
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_ROOT_START = re.compile(rb"<[A-Za-z_]")


def gunzip_capped(body: bytes, url: str, limit: int = MAX_XML_BYTES) -> bytes:
    """Inflate a gzip body, refusing to produce more than ``limit`` bytes."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        raise DiscoverError(f"bad gzip data: {exc}", url=url) from exc
    if len(out) > limit or inflater.unconsumed_tail:
        raise DiscoverError(f"document larger than {limit} bytes after decompression", url=url)
    return out


def maybe_gunzip(body: bytes, url: str, limit: int = MAX_XML_BYTES) -> bytes:
    """Inflate ``body`` when it starts with the gzip magic bytes, else return it (capped)."""
    if body[:2] == _GZIP_MAGIC:
        return gunzip_capped(body, url, limit)
    if len(body) > limit:
        raise DiscoverError(f"document larger than {limit} bytes", url=url)
    return body


def _parser(recover: bool) -> Any:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=recover,
    )


def parse_xml(body: bytes, url: str) -> Any:
    """Parse ``body`` (plain or gzip) into an lxml root element, safely.

    Raises :class:`DiscoverError` for entity declarations, empty or unparseable documents.
    A document that is well-formed up to a truncation is recovered as far as it goes.
    """
    data = maybe_gunzip(body, url).lstrip(b"\xef\xbb\xbf \t\r\n")
    root_at = _ROOT_START.search(data)
    prologue = data[: root_at.start()] if root_at else data
    if _ENTITY_DECL.search(prologue):
        raise DiscoverError("XML with entity declarations refused", url=url)
    if not data.strip():
        raise DiscoverError("empty XML document", url=url)
    try:
        return etree.fromstring(data, _parser(recover=False))
    except etree.XMLSyntaxError as strict_error:
        try:
            root = etree.fromstring(data, _parser(recover=True))
        except etree.XMLSyntaxError:
            root = None
        if root is None:
            raise DiscoverError(f"unparseable XML: {strict_error}", url=url) from strict_error
        return root


def local_name(element: Any) -> str:
    """The tag of ``element`` without its namespace, lower-cased ('' for comments and PIs)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return cast(str, etree.QName(tag).localname).lower()


def child_text(element: Any, *names: str) -> str | None:
    """Stripped text of the first child whose local name is one of ``names`` (in that order)."""
    for name in names:
        for child in element:
            if local_name(child) == name:
                text = "".join(child.itertext()).strip()
                if text:
                    return text
    return None
