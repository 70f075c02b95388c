"""JSON-LD (schema.org) metadata: parsed once per page, the article object picked out.

Pages carry several ``<script type="application/ld+json">`` blocks (breadcrumbs, the organisation, the
article, sometimes inside ``@graph``). We parse each once, flatten them into typed objects, and pick the
object that describes the article (a ``*Article`` / ``BlogPosting`` / ``Report`` type, else a page with a
headline). Broken JSON (control characters, trailing commas, HTML comments) is repaired cheaply or skipped.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from warta.model import Image

ARTICLE_TYPES = (
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "blogposting", "liveblogposting", "report",
    "socialmediaposting", "techarticle", "scholarlyarticle", "askpublicnewsarticle",
)
PAGE_TYPES = ("webpage", "itempage", "collectionpage", "medicalwebpage")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
# an XHTML-era wrapper around the JSON: <![CDATA[ ... ]]>, often hidden in comments (//<![CDATA[, /*<![CDATA[*/)
_CDATA_OPEN = re.compile(r"^(?://|/\*)?\s*<!\[CDATA\[(?:\s*\*/)?")
_CDATA_CLOSE = re.compile(r"(?://|/\*)?\s*\]\]>(?:\s*\*/)?$")


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    kind: str  # "person" or "organization"


@dataclass(frozen=True, slots=True)
class JsonLd:
    """What the page's JSON-LD says about the article (empty when it says nothing)."""

    headline: str | None = None
    published: str | None = None
    modified: str | None = None
    authors: tuple[Person, ...] = ()
    publisher: str | None = None
    section: str | None = None
    keywords: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    free: bool | None = None
    description: str | None = None
    language: str | None = None
    url: str | None = None
    breadcrumbs: tuple[str, ...] = ()
    site_name: str | None = None


_MAX_SCRIPT = 2_000_000  # characters; larger JSON-LD is not metadata


def load_script(text: str) -> Any:
    """One JSON-LD script's JSON (``None`` when it is broken, huge or absurdly deep)."""
    text = text.strip()
    if len(text) > _MAX_SCRIPT:
        return None
    try:
        return _parse_json(text)
    except RecursionError:  # absurdly deep nesting
        return None


def _parse_json(text: str) -> Any:
    if text.startswith("<!--"):
        text = text.removeprefix("<!--").removesuffix("-->").strip()
    opening = _CDATA_OPEN.match(text)
    if opening:
        text = _CDATA_CLOSE.sub("", text[opening.end():]).strip()
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    try:
        return json.loads(_TRAILING_COMMA.sub(r"\1", _CONTROL.sub(" ", text)), strict=False)
    except ValueError:
        return None


def parse_scripts(scripts: Iterable[str]) -> tuple[Any, ...]:
    """Each JSON-LD script text parsed once (broken ones as ``None``), shared by body and metadata."""
    return tuple(load_script(text) for text in scripts)


def flatten(data: Any, descend: tuple[str, ...] = ("@graph",), depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every object of parsed JSON-LD: lists are flattened and the ``descend`` keys followed (their
    objects come before the object holding them)."""
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from flatten(item, descend, depth + 1)
    elif isinstance(data, dict):
        for key in descend:
            if key in data:
                yield from flatten(data[key], descend, depth + 1)
        yield data


def _types(obj: dict[str, Any]) -> tuple[str, ...]:
    kind = obj.get("@type")
    items = kind if isinstance(kind, list) else [kind]
    return tuple(str(k).lower().rsplit("/", 1)[-1] for k in items if isinstance(k, str))


def text_of(value: Any) -> str | None:
    """A clean string from a JSON-LD value (first of a list; ``name``/``@value`` of an object)."""
    if isinstance(value, list):
        for item in value:
            found = text_of(item)
            if found:
                return found
        return None
    if isinstance(value, dict):
        return text_of(value.get("name") or value.get("@value") or value.get("text"))
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        cleaned = " ".join(html.unescape(str(value)).split())
        return cleaned or None
    return None


def _people(value: Any) -> tuple[Person, ...]:
    items = value if isinstance(value, list) else [value]
    found: list[Person] = []
    for item in items:
        if isinstance(item, str):
            name = text_of(item)
            if name:
                found.append(Person(name, "person"))
        elif isinstance(item, dict):
            names = item.get("name")
            kind = "organization" if "organization" in " ".join(_types(item)) else "person"
            for name in names if isinstance(names, list) else [names]:
                text = text_of(name)
                if text:
                    found.append(Person(text, kind))
    return tuple(found)


def _image(value: Any) -> tuple[Image, ...]:
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str) and item.strip():
            return (Image(item.strip()),)
        if isinstance(item, dict):
            url = text_of(item.get("url") or item.get("contentUrl") or item.get("@id"))
            if url:
                caption = text_of(item.get("caption") or item.get("description"))
                credit = text_of(item.get("creditText") or item.get("copyrightHolder") or item.get("author"))
                return (Image(url, caption, credit),)
    return ()


def _keywords(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        parts = value.split(",")
    elif isinstance(value, list):
        parts = [p for p in (text_of(v) for v in value) if p]
    else:
        return ()
    return tuple(dict.fromkeys(" ".join(html.unescape(p).split()) for p in parts if p.strip()))


def _free(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _rank(obj: dict[str, Any]) -> int:
    types = _types(obj)
    if any(t in ARTICLE_TYPES or t.endswith("article") for t in types):
        return 3 if obj.get("headline") else 2
    if any(t in PAGE_TYPES for t in types) and obj.get("headline"):
        return 1
    return 0


def _breadcrumbs(objects: list[dict[str, Any]]) -> tuple[str, ...]:
    for obj in objects:
        if "breadcrumblist" in _types(obj):
            items = obj.get("itemListElement")
            items = items if isinstance(items, list) else []
            names = [text_of(i.get("name") or i.get("item")) for i in items if isinstance(i, dict)]
            return tuple(n for n in names if n)
    return ()


def _site_name(objects: list[dict[str, Any]]) -> str | None:
    for obj in objects:
        if "website" in _types(obj):
            return text_of(obj.get("name"))
    return None


def read_jsonld(documents: Iterable[Any]) -> JsonLd:
    """Describe the article object of the page's parsed JSON-LD (:func:`parse_scripts`)."""
    objects = [obj for doc in documents for obj in flatten(doc) if "@type" in obj]
    ranked = sorted((o for o in objects if _rank(o)), key=_rank, reverse=True)
    if not ranked:
        return JsonLd(breadcrumbs=_breadcrumbs(objects), site_name=_site_name(objects))
    art = ranked[0]
    publisher = art.get("publisher")
    return JsonLd(
        headline=text_of(art.get("headline")) or text_of(art.get("name")),
        published=text_of(art.get("datePublished") or art.get("dateCreated")),
        modified=text_of(art.get("dateModified")),
        authors=_people(art.get("author") or art.get("creator")),
        publisher=text_of(publisher),
        section=text_of(art.get("articleSection")),
        keywords=_keywords(art.get("keywords")),
        images=_image(art.get("image") or art.get("thumbnailUrl")),
        free=_free(art.get("isAccessibleForFree")),
        description=text_of(art.get("description")),
        language=text_of(art.get("inLanguage")),
        url=text_of(art.get("url") or art.get("mainEntityOfPage")),
        breadcrumbs=_breadcrumbs(objects),
        site_name=_site_name(objects),
    )
