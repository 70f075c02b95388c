"""Metadata extraction: title, dates, people, site facts, tags, ... each with its provenance.

Sources are read once per page (``<meta>`` tags, JSON-LD, one walk over the body) and combined by a
fixed cascade per field: JSON-LD, then ``<meta>``, then the visible page (``dom``), then the article text
(``text``: dateline, credit lines, signatures) and the URL. Nothing here is keyed to a site.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from warta.extract.body import BodyResult
from warta.extract.meta_dates import pick_dates
from warta.extract.meta_dom import DomFacts, read_dom
from warta.extract.meta_jsonld import JsonLd, parse_scripts, read_jsonld
from warta.extract.meta_people import People, pick_people
from warta.extract.meta_refine import clean_body
from warta.extract.meta_site import (
    guess_language,
    has_stopwords,
    normalise_language,
    pick_lead,
    pick_section,
    pick_tags,
    registered_domain,
    site_names,
)
from warta.extract.meta_tags import HeadFacts, read_head
from warta.extract.meta_title import choose_title
from warta.model import Article, Image


@dataclass(frozen=True, slots=True)
class Metadata:
    """What the metadata stage found: every Article field but the URL and the body (``fields``, whose
    ``provenance`` names the strategy behind each), and the closing signature found at the end of the
    story, which :func:`refine` strips from the body."""

    fields: Article = field(default_factory=Article)
    signature: str | None = None


@dataclass(frozen=True, slots=True)
class _Sources:
    head: HeadFacts
    ld: JsonLd
    dom: DomFacts
    body: BodyResult
    url: str | None


def _images(src: _Sources) -> tuple[tuple[Image, ...], str | None]:
    og = src.head.first("og:image", "og:image:url", "og:image:secure_url", "twitter:image")
    caption = src.head.first("og:image:alt", "twitter:image:alt")
    if src.ld.images and (src.ld.images[0].caption or not og):
        return src.ld.images[:1], "jsonld"
    if og:
        return (Image(urljoin(src.url or "", og), caption),), "meta"
    return (), None


def _canonical(src: _Sources) -> tuple[str | None, str | None]:
    found = src.head.canonical or src.head.first("og:url")
    if not found:
        return None, None
    return urljoin(src.url or "", found), "meta"


def _language(src: _Sources) -> tuple[str | None, str | None]:
    declared = (
        src.head.html_lang
        or src.head.first("og:locale", "content-language", "language", "dc.language")
        or src.ld.language
    )
    code = normalise_language(declared)
    guessed = guess_language(" ".join(b.text for b in src.body.blocks[:20]))
    if code and not (guessed and guessed != code and has_stopwords(code)):
        return code, "meta"  # a declaration the text does not contradict (templates often say "en")
    return guessed, ("text" if guessed else None)


_GENERIC_HOSTS = frozenset(("www", "www2", "www3", "m", "mobile", "amp", "en", "news", "blog", "blogs", "edition"))


def _host_label(url: str | None, domain: str | None) -> list[str]:
    """The subdomain that names a blog on a shared host (``angrybychoice`` of
    ``angrybychoice.fieldofscience.com``): site evidence for titles (``Angry by Choice: A Curious Night``)."""
    host = (urlsplit(url or "").hostname or "").lower()
    if not domain or not host.endswith("." + domain):
        return []
    label = host[: -len(domain) - 1].split(".")[-1]
    return [label] if len(label) >= 4 and label not in _GENERIC_HOSTS else []


def _site_list(src: _Sources, site: str | None, domain: str | None) -> list[str]:
    """Every way the page names its publisher, for stripping it from titles and bylines."""
    names = (site, src.ld.publisher, src.ld.site_name, src.head.first("application-name"), domain)
    sites = [s for s in names if s]
    return sites + ([domain.split(".")[0]] if domain else [])


_PATH_SECTIONS = 3  # URL path segments before the article's own that may name its section


def _section_names(src: _Sources) -> list[str]:
    """Every way the page names its section: article:section and kin, JSON-LD articleSection and
    breadcrumbs, and the words of the URL's first path segments (``/us-news/`` -> ``us news``)."""
    names = [*src.head.all("article:section", "og:article:section", "section", "parsely-section")]
    names += [n for n in (src.ld.section, *src.ld.breadcrumbs[:-1]) if n]  # the last crumb is the page itself
    path = [seg for seg in urlsplit(src.url or "").path.split("/") if seg]
    names += [seg.replace("-", " ").replace("_", " ") for seg in path[:-1][:_PATH_SECTIONS] if not seg.isdigit()]
    return names


def _fields(src: _Sources) -> tuple[dict[str, tuple[Any, str | None]], People]:
    """Each Article field the metadata stage fills, as ``(value, strategy)``."""
    head = src.head
    domain = registered_domain(src.url)
    site, site_source = site_names(head, src.ld, domain)
    sites = _site_list(src, site, domain)
    title = choose_title(
        src.ld.headline, head.first("og:title"), head.first("twitter:title"), head.title, src.dom.h1s,
        [*sites, *_host_label(src.url, domain)],
        all_headings=lambda: src.dom.headings, sections=_section_names(src), article_h1s=src.dom.article_h1s,
    )
    people = pick_people(head, src.ld, src.dom, src.body, sites)
    values: dict[str, tuple[Any, str | None]] = {
        "title": (title.title, title.source),
        "site_name": (site, site_source),
        "domain": (domain, "url"),
        "canonical_url": _canonical(src),
        "language": _language(src),
        "images": _images(src),
        "section": pick_section(head, src.ld),
        "tags": pick_tags(head, src.ld),
        "lead": pick_lead(head, src.ld, src.body),
        **people.provenance_items(),
        **pick_dates(head, src.ld, src.dom, src.url, src.body.furniture).provenance_items(),
    }
    return values, people


def extract_metadata(
    tree: Any, url: str | None, body: BodyResult, *, head: HeadFacts | None = None, jsonld: Sequence[Any] | None = None
) -> Metadata:
    """Every metadata field of one parsed page, with ``provenance`` naming the strategy behind each.
    ``head`` and ``jsonld`` (the parsed JSON-LD scripts) are read from ``tree`` unless given."""
    head = head or read_head(tree)
    documents = parse_scripts(head.jsonld) if jsonld is None else jsonld
    src = _Sources(head, read_jsonld(documents), read_dom(tree, body.node), body, url)
    values, people = _fields(src)
    provenance = {
        name: source for name, (value, source) in values.items() if value not in (None, (), "") and source
    }
    return Metadata(Article(**{name: value for name, (value, _) in values.items()}, provenance=provenance),
                    people.signature)


def refine(meta: Metadata, body: BodyResult) -> tuple[Metadata, BodyResult]:
    """Move credit lines, closing initials and signatures out of the body (into ``furniture``) and drop a
    lead that repeats the first paragraph. Call after :func:`extract_metadata`; idempotent."""
    found = meta.fields
    cleaned, lead = clean_body(body, signature=meta.signature, lead=found.lead)
    if lead != found.lead:
        provenance = {k: v for k, v in found.provenance.items() if k != "lead"}
        meta = dataclasses.replace(meta, fields=dataclasses.replace(found, lead=lead, provenance=provenance))
    return meta, cleaned
