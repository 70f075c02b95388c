"""Listing (index, home, section, tag) pages: their article links, dates and pagination.

Pure functions over HTML bytes. Which links are articles is decided by the site recipe's patterns
when it has any, else by :func:`looks_like_article_url`'s generic heuristics: a date in the path, a
numeric id, or a long slug; never a tag, category, search, author, video/photo or asset URL.
The vocabulary these heuristics use lives in ``vocabulary.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

import lxml.html
from lxml import etree

from warta.discover.dates import iso_date
from warta.urls import date_from_url, normalize_url, registered_domain, url_key

if TYPE_CHECKING:
    from warta.sites import Recipe

__all__ = ["Listing", "parse_listing", "extract_links", "looks_like_article_url", "Vocabulary", "VOCABULARY"]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The URL and link-text words of ``vocabulary.toml``."""

    non_article_segments: frozenset[str]
    asset_extensions: tuple[str, ...]
    next_page_words: frozenset[str]
    page_params: frozenset[str]


def _load_vocabulary() -> Vocabulary:
    text = (resources.files("warta.discover") / "vocabulary.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return Vocabulary(
        non_article_segments=frozenset(data["non_article_segments"]),
        asset_extensions=tuple(data["asset_extensions"]),
        next_page_words=frozenset(data["next_page_words"]),
        page_params=frozenset(data["page_params"]),
    )


VOCABULARY: Vocabulary = _load_vocabulary()

_NUMERIC_ID = re.compile(r"(?:^|[-_])(?:[a-z]{0,3}-)?\d{5,}(?:[-_.,]|$)|^[a-z]-\d{4,}$|^\d{5,}")
_SLUG_WORD = re.compile(r"[a-z0-9]+", re.IGNORECASE)
_WS = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Listing:
    """What a listing page offers: article links with a date hint (ISO or None), and next pages."""

    articles: tuple[tuple[str, str | None], ...] = ()
    next_pages: tuple[str, ...] = ()


def looks_like_article_url(url: str, recipe: Recipe | None = None) -> bool:
    """Whether ``url`` is probably an article page (the recipe's allow/deny patterns win)."""
    if recipe is not None:
        decided = recipe.is_article(url)
        if decided is not None:
            return decided
    return _generic_article_url(url)


def _generic_article_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    segments = [s.lower() for s in parts.path.split("/") if s]
    if not segments or parts.scheme not in ("http", "https"):
        return False
    if segments[-1].endswith(VOCABULARY.asset_extensions):
        return False
    if any(s in VOCABULARY.non_article_segments for s in segments):
        return False
    if date_from_url(url) is not None and len(segments) >= 2:
        return True
    return any(_NUMERIC_ID.search(s) for s in segments) or _long_slug(segments[-1])


def _long_slug(segment: str) -> bool:
    stem = segment.rsplit(".", 1)[0] if segment.endswith((".html", ".htm", ".php")) else segment
    words = _SLUG_WORD.findall(stem)
    return len(words) >= 4 and len(stem) >= 20 and "-" in stem


def _parse_html(html: bytes) -> Any:
    if not html.strip():
        return None
    try:
        return lxml.html.fromstring(html)
    except (ValueError, etree.ParserError):
        return None


def _base_url(doc: Any, url: str) -> str:
    for base in doc.iter("base"):
        href = base.get("href")
        if href:
            return normalize_url(href, url) or url
    return url


def _anchors(doc: Any, url: str) -> list[tuple[Any, str]]:
    """(element, normalised URL) of every same-site http(s) ``<a href>`` in document order."""
    base = _base_url(doc, url)
    site = registered_domain(url)
    found: list[tuple[Any, str]] = []
    for anchor in doc.iter("a", "area"):
        link = normalize_url(anchor.get("href") or "", base)
        if link and registered_domain(link) == site:
            found.append((anchor, link))
    return found


def extract_links(html: bytes, url: str) -> list[str]:
    """Every same-site http(s) link of a page, normalised, deduplicated, in document order."""
    doc = _parse_html(html)
    if doc is None:
        return []
    return list(dict.fromkeys(link for _, link in _anchors(doc, url)))


def parse_listing(html: bytes, url: str, recipe: Recipe | None = None) -> Listing:
    """Article links (with date hints) and next-page links of a listing page."""
    doc = _parse_html(html)
    if doc is None:
        return Listing()
    anchors = _anchors(doc, url)
    own_key = url_key(url, recipe)
    articles: dict[str, tuple[str, str | None]] = {}
    for anchor, link in anchors:
        key = url_key(link, recipe)
        if key == own_key or not looks_like_article_url(link, recipe):
            continue
        hint = _date_hint(anchor, link)
        if key not in articles or (articles[key][1] is None and hint is not None):
            articles[key] = (link, hint)
    return Listing(tuple(articles.values()), _next_pages(doc, anchors, url, own_key, recipe))


def _date_hint(anchor: Any, link: str) -> str | None:
    """A ``<time datetime>`` inside the link's own card, else a date written in the URL."""
    node = anchor
    href = anchor.get("href")
    for _ in range(4):
        if any(a.get("href") not in (None, href) for a in node.iter("a")):
            break  # this element holds other links: it is a list, not the card
        for time in node.iter("time"):
            hint = iso_date(time.get("datetime"))
            if hint:
                return hint
        parent = node.getparent()
        if parent is None:
            break
        node = parent
    day = date_from_url(link)
    return day.isoformat() if day else None


def _next_pages(doc: Any, anchors: list[tuple[Any, str]], url: str, own_key: str, recipe: Recipe | None) -> tuple[str, ...]:
    found: dict[str, str] = {}
    base = _base_url(doc, url)
    for link_el in doc.iter("link"):
        if "next" in (link_el.get("rel") or "").lower().split():
            target = normalize_url(link_el.get("href") or "", base)
            if target:
                found.setdefault(url_key(target, recipe), target)
    for anchor, link in anchors:
        if _is_next_link(anchor, link, url):
            found.setdefault(url_key(link, recipe), link)
    found.pop(own_key, None)
    return tuple(found.values())


def _is_next_link(anchor: Any, link: str, current: str) -> bool:
    if "next" in (anchor.get("rel") or "").lower().split():
        return True
    text = _WS.sub(" ", anchor.text_content() or "").strip().lower()
    if not text:
        text = (anchor.get("aria-label") or anchor.get("title") or "").strip().lower()
    if text in VOCABULARY.next_page_words:
        return True
    return text.isdigit() and _is_page_number_link(link, current, text)


def _is_page_number_link(link: str, current: str, number: str) -> bool:
    """The link differs from the current page only by a page number equal to its text."""
    a, b = urlsplit(link), urlsplit(current)
    if a.netloc != b.netloc:
        return False
    link_q, cur_q = dict(parse_qsl(a.query)), dict(parse_qsl(b.query))
    if a.path == b.path:
        changed = {k for k in set(link_q) | set(cur_q) if link_q.get(k) != cur_q.get(k)}
        if len(changed) != 1 or (name := changed.pop()) not in VOCABULARY.page_params:
            return False
        return link_q.get(name) == number and not (number == "1" and name not in cur_q)
    last = a.path.rstrip("/").rsplit("/", 1)
    return len(last) == 2 and last[1] == number and link_q == cur_q and (
        b.path.rstrip("/") == last[0] or b.path.rstrip("/").rsplit("/", 1)[0] == last[0]
    )
