"""Metadata extraction: title, authors, dates, site, tags, ... (baseline; to be replaced)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from warta.extract.body import BodyResult
from warta.model import Image


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str | None = None
    lead: str | None = None
    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    source_agencies: tuple[str, ...] = ()
    dateline: str | None = None
    published: str | None = None
    modified: str | None = None
    site_name: str | None = None
    domain: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()  # lead/hero images from metadata (og:image, JSON-LD)
    paywalled: bool | None = None
    provenance: dict[str, str] = field(default_factory=dict)


def extract_metadata(tree: Any, url: str | None, body: BodyResult) -> Metadata:
    def meta(prop: str) -> str | None:
        found = tree.xpath("//meta[@property=$p or @name=$p]/@content", p=prop)
        return str(found[0]).strip() if found else None

    title = meta("og:title") or (tree.findtext(".//title") or "").strip() or None
    published = meta("article:published_time")
    prov = {k: "meta" for k, v in (("title", title), ("published", published)) if v}
    return Metadata(
        title=title,
        published=published,
        domain=urlsplit(url).hostname if url else None,
        provenance=prov,
    )
