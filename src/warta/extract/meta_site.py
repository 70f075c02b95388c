"""Site facts (name, registered domain, language) and the descriptive fields (section, tags, lead)."""

from __future__ import annotations

import functools
import re

from warta import lang, urls
from warta.extract.body import BodyResult
from warta.extract.meta_jsonld import JsonLd
from warta.extract.meta_tags import HeadFacts

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def registered_domain(url: str | None) -> str | None:
    """``https://news.detik.com/x`` -> ``detik.com``; ``www.bbc.co.uk`` -> ``bbc.co.uk`` (public-suffix aware)."""
    if not url:
        return None
    try:
        return urls.registered_domain(url) or None
    except ValueError:
        return None


def site_names(head: HeadFacts, ld: JsonLd, domain: str | None) -> tuple[str | None, str | None]:
    for value, source in (
        (head.first("og:site_name"), "meta"),
        (ld.publisher, "jsonld"),
        (ld.site_name, "jsonld"),
        (head.first("application-name", "apple-mobile-web-app-title"), "meta"),
    ):
        if value and len(value) <= 80:
            return value, source
    return None, None


def normalise_language(value: str | None) -> str | None:
    """``id-ID`` / ``en_US`` / ``de`` -> ISO 639-1; None for anything else."""
    if not value:
        return None
    code = re.split(r"[-_\s,;]", value.strip().lower(), maxsplit=1)[0]
    if code == "in":  # the old code for Indonesian
        return "id"
    return code if len(code) == 2 and code.isalpha() else None


@functools.cache
def _stopwords() -> dict[str, frozenset[str]]:
    found: dict[str, frozenset[str]] = {}
    for code in lang.available():
        words = lang.load(code).get("stopwords", {}).get("words", [])
        if words:
            found[code] = frozenset(words)
    return found


def has_stopwords(code: str) -> bool:
    """Whether the language files carry stop words for ``code`` (so a guess can contradict it)."""
    return code in _stopwords()


def guess_language(text: str) -> str | None:
    """The language whose stop words cover the most of ``text`` (at least 15 % of its words)."""
    words = [w.lower() for w in _WORD.findall(text[:5000])]
    if len(words) < 20:
        return None
    best, best_share = None, 0.15
    for code, stop in _stopwords().items():
        share = sum(1 for w in words if w in stop) / len(words)
        if share > best_share:
            best, best_share = code, share
    return best


def pick_section(head: HeadFacts, ld: JsonLd) -> tuple[str | None, str | None]:
    value = head.first("article:section", "og:article:section", "section", "parsely-section")
    if value:
        return value, "meta"
    if ld.section:
        return ld.section, "jsonld"
    crumbs = [c for c in ld.breadcrumbs if c.casefold() not in ("home", "beranda", "index")]
    if len(crumbs) >= 2:
        return crumbs[-2], "jsonld"
    return None, None


def pick_tags(head: HeadFacts, ld: JsonLd) -> tuple[tuple[str, ...], str | None]:
    tags = list(head.all("article:tag", "og:article:tag"))
    for value in head.all("news_keywords", "keywords", "parsely-tags"):
        tags += value.split(",")
    source = "meta" if tags else None
    if not tags and ld.keywords:
        tags, source = list(ld.keywords), "jsonld"
    cleaned = [" ".join(t.split()) for t in tags if t.strip() and len(t) <= 80]
    unique: dict[str, str] = {}
    for tag in cleaned:
        unique.setdefault(tag.casefold(), tag)
    return tuple(unique.values())[:50], source


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def pick_lead(head: HeadFacts, ld: JsonLd, body: BodyResult) -> tuple[str | None, str | None]:
    """The standfirst/description, unless it merely repeats (or truncates) the opening of the body."""
    value, source = head.first("og:description", "description", "twitter:description"), "meta"
    if not value and ld.description:
        value, source = ld.description, "jsonld"
    if not value or len(value) < 20:
        return None, None
    lead = _norm(value.rstrip(".… "))[:120]
    opening = _norm(" ".join(b.text for b in body.blocks[:3]))
    if lead and lead in opening:
        return None, None
    return value, source
