"""The page's ``<meta>`` tags and other head facts, read in one pass."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from warta.extract.text import text_of


@dataclass(frozen=True, slots=True)
class HeadFacts:
    """``meta`` maps a lower-cased ``name``/``property``/``itemprop``/``http-equiv`` to its contents."""

    meta: dict[str, tuple[str, ...]] = field(default_factory=dict)
    title: str | None = None
    canonical: str | None = None
    html_lang: str | None = None
    jsonld: tuple[str, ...] = ()

    def first(self, *keys: str) -> str | None:
        for key in keys:
            for value in self.meta.get(key, ()):
                if value:
                    return value
        return None

    def all(self, *keys: str) -> tuple[str, ...]:
        return tuple(v for key in keys for v in self.meta.get(key, ()) if v)


def _clean(value: Any) -> str:
    return " ".join(html.unescape(str(value)).split())


def jsonld_scripts(tree: Any) -> tuple[str, ...]:
    """The texts of the page's ``<script type="application/ld+json">`` elements."""
    return tuple(
        str(s.text or "")
        for s in tree.iter("script")
        if "ld+json" in (s.get("type") or "").lower() and s.text
    )


def read_head(tree: Any) -> HeadFacts:
    """Collect meta tags, ``<title>``, the canonical link, ``<html lang>`` and JSON-LD script texts."""
    meta: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        content = el.get("content")
        if content is None:
            continue
        value = _clean(content)
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = el.get(attr)
            if key:
                meta.setdefault(key.strip().lower(), []).append(value)
    title_el = tree.find(".//title")
    title = _clean(text_of(title_el)) if title_el is not None else None
    canonical = None
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            canonical = str(link.get("href")).strip()
            break
    scripts = jsonld_scripts(tree)
    root_lang = tree.get("lang") or tree.get("xml:lang")
    return HeadFacts(
        meta={k: tuple(v) for k, v in meta.items()},
        title=title or None,
        canonical=canonical,
        html_lang=str(root_lang).strip() if root_lang else None,
        jsonld=scripts,
    )
