"""Publication and modification dates: JSON-LD, then ``<meta>``, then visible text, then the URL.

The page's own UTC offset is kept (never converted); a date without a time stays a date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from warta.dates import ParsedDate, parse_date
from warta.extract.meta_dom import DomFacts, first_dated
from warta.extract.meta_jsonld import JsonLd
from warta.extract.meta_tags import HeadFacts

PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time", "article:published",
    "datepublished", "parsely-pub-date", "sailthru.date", "dc.date.issued", "dc.date", "dcterms.issued",
    "dcterms.date", "dcterms.created", "publishdate", "publish-date", "publish_date", "pubdate",
    "article.published", "original-publish-date", "date", "datecreated", "created", "article_date_original",
)
MODIFIED_META = (
    "article:modified_time", "og:updated_time", "og:article:modified_time", "datemodified",
    "dc.date.modified", "dcterms.modified", "last-modified", "lastmod", "article.updated", "revised",
)
_URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d{2})[/-]?(?P<m>0[1-9]|1[0-2])[/-]?(?P<d>0[1-9]|[12]\d|3[01])(?:/|\D|$)")


@dataclass(frozen=True, slots=True)
class Dates:
    published: str | None = None
    published_source: str | None = None
    modified: str | None = None
    modified_source: str | None = None

    def provenance_items(self) -> dict[str, tuple[object, str | None]]:
        return {
            "published": (self.published, self.published_source),
            "modified": (self.modified, self.modified_source),
        }


def _parse(value: str | None, *, fallback: bool = True) -> ParsedDate | None:
    if not value or len(value) > 200:
        return None
    return parse_date(value, fallback=fallback)


def url_date(url: str | None) -> str | None:
    """``/2016/10/05/`` or ``/20161005`` in the URL path, as a date alone."""
    if not url:
        return None
    match = _URL_DATE.search(url)
    if not match:
        return None
    parsed = parse_date(f"{match['y']}-{match['m']}-{match['d']}", fallback=False)
    return parsed.isoformat() if parsed else None


def _first(values: tuple[str | None, ...]) -> ParsedDate | None:
    for value in values:
        parsed = _parse(value)
        if parsed:
            return parsed
    return None


def _published(head: HeadFacts, ld: JsonLd, dom: DomFacts, url: str | None) -> tuple[str | None, str | None]:
    found = _parse(ld.published)
    if found:
        return found.isoformat(), "jsonld"
    found = _first(tuple(head.all(*PUBLISHED_META)))
    if found:
        return found.isoformat(), "meta"
    found = first_dated(dom.date_texts)
    if found:
        return found.isoformat(), "dom"
    from_url = url_date(url)
    return (from_url, "url") if from_url else (None, None)


def pick_dates(head: HeadFacts, ld: JsonLd, dom: DomFacts, url: str | None) -> Dates:
    published, pub_src = _published(head, ld, dom, url)
    modified: str | None = None
    mod_src: str | None = None
    found = _parse(ld.modified)
    if found:
        modified, mod_src = found.isoformat(), "jsonld"
    else:
        found = _first(tuple(head.all(*MODIFIED_META)))
        if found:
            modified, mod_src = found.isoformat(), "meta"
    return Dates(published, pub_src, modified, mod_src)
