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
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from warta.discover.dates import iso_date
from warta.extract.html import parse_html
from warta.extract.text import text_of
from warta.model import Skip
from warta.sites import Recipe, next_listing_page
from warta.urls import date_from_url, normalize_url, registered_domain, url_key

__all__ = ["Listing", "parse_listing", "listing_in", "extract_links", "links_in", "looks_like_article_url", "Vocabulary", "VOCABULARY"]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The URL and link-text words of ``vocabulary.toml``."""

    non_article_segments: frozenset[str]
    asset_extensions: tuple[str, ...]
    next_page_words: frozenset[str]
    page_params: frozenset[str]
    article_segments: frozenset[str]


def _load_vocabulary() -> Vocabulary:
    text = (resources.files("warta.discover") / "vocabulary.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return Vocabulary(
        non_article_segments=frozenset(data["non_article_segments"]),
        asset_extensions=tuple(data["asset_extensions"]),
        next_page_words=frozenset(data["next_page_words"]),
        page_params=frozenset(data["page_params"]),
        article_segments=frozenset(data["article_segments"]),
    )


VOCABULARY: Vocabulary = _load_vocabulary()

_NUMERIC_ID = re.compile(r"(?:^|[-_,])(?:[a-z]{0,3}-)?\d{5,}(?:[-_.,]|$)|^[a-z]-\d{4,}$|^\d{5,}")
_ALNUM_ID = re.compile(r"^[a-z0-9]{10,}$")
_LETTER_DIGIT_SWITCH = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")
_SHORT_ID = re.compile(r"^\d{3,}$")
_HEX_ID = re.compile(r"(?=[0-9a-f-]*\d)(?=[0-9a-f-]*[a-f])[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$|(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])^[0-9a-f]{16,}$")
_PAGE_EXTENSIONS: tuple[str, ...] = (".html", ".htm", ".shtml", ".php", ".asp", ".aspx")
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
    last = _stem(segments[-1])
    if any(s in VOCABULARY.non_article_segments for s in (*segments, last)) or last in ("index", "default"):
        return False
    if date_from_url(url) is not None and len(segments) >= 2:
        return True
    if any(_NUMERIC_ID.search(s) or _HEX_ID.search(s) or _alnum_id(_stem(s)) for s in segments):
        return True
    if any(a in VOCABULARY.article_segments and _SHORT_ID.match(b) for a, b in zip(segments, segments[1:], strict=False)):
        return True
    return _long_slug(last) or (last != segments[-1] and len(segments) >= 2 and _slug_words(last) >= 2)


def _alnum_id(segment: str) -> bool:
    """A generated id such as ``clymn8zyrp9o``: letters and digits alternating at least 3 times."""
    return bool(_ALNUM_ID.match(segment)) and len(_LETTER_DIGIT_SWITCH.findall(segment)) >= 3


def _stem(segment: str) -> str:
    """A path segment without a web-page extension (``berita-banjir.html`` -> ``berita-banjir``)."""
    for extension in _PAGE_EXTENSIONS:
        if segment.endswith(extension) and len(segment) > len(extension):
            return segment[: -len(extension)]
    return segment


def _slug_words(stem: str) -> int:
    return len(_SLUG_WORD.findall(stem)) if "-" in stem or "_" in stem else 1


def _long_slug(stem: str) -> bool:
    return _slug_words(stem) >= 4 and len(stem) >= 20


def parse_page(html: bytes) -> Any:
    """A page's lxml tree for reading its links, or None when it is empty or unreadable. Decoded as
    the extractor decodes (BOM, declared charset checked against the bytes, UTF-8, detection): libxml2
    alone reads undeclared UTF-8 as Latin-1 and would turn ``/café`` into a mojibake URL."""
    tree = parse_html(html)
    return None if isinstance(tree, Skip) else tree


def base_url(doc: Any, url: str) -> str:
    """The URL relative links of ``doc`` resolve against: its ``<base href>``, else ``url``."""
    for base in doc.iter("base"):
        href = base.get("href")
        if href:
            return normalize_url(href, url) or url
    return url


def _anchors(doc: Any, url: str) -> list[tuple[Any, str]]:
    """(element, normalised URL) of every same-site http(s) ``<a href>`` in document order."""
    base = base_url(doc, url)
    site = registered_domain(url)
    found: list[tuple[Any, str]] = []
    for anchor in doc.iter("a", "area"):
        link = normalize_url(anchor.get("href") or "", base)
        if link and registered_domain(link) == site:
            found.append((anchor, link))
    return found


def extract_links(html: bytes, url: str) -> list[str]:
    """Every same-site http(s) link of a page, normalised, deduplicated, in document order."""
    doc = parse_page(html)
    return [] if doc is None else links_in(doc, url)


def links_in(doc: Any, url: str) -> list[str]:
    """:func:`extract_links` of an already parsed page (the extractor's tree, say)."""
    return list(dict.fromkeys(link for _, link in _anchors(doc, url)))


def parse_listing(html: bytes, url: str, recipe: Recipe | None = None) -> Listing:
    """Article links (with date hints) and next-page links of a listing page.

    Next pages come from ``rel=next``, "next"/"berikutnya" links and page-number links; on a
    recipe's dated listing page that has articles, the recipe's template gives page N+1 too.
    """
    doc = parse_page(html)
    return Listing() if doc is None else listing_in(doc, url, recipe)


def listing_in(doc: Any, url: str, recipe: Recipe | None = None) -> Listing:
    """:func:`parse_listing` of an already parsed page (a seed page read for its feeds too, say)."""
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
    next_pages = _next_pages(doc, anchors, url, own_key, recipe)
    templated = next_listing_page(recipe, url) if recipe is not None and articles else None
    if templated is not None and url_key(templated, recipe) not in {url_key(u, recipe) for u in next_pages}:
        next_pages += (templated,)
    return Listing(tuple(articles.values()), next_pages)


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
    base = base_url(doc, url)
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
    text = _WS.sub(" ", text_of(anchor)).strip().lower()
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
