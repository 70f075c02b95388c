"""Articles split over several pages: find the other pages (pure), and merge them (pure).

:func:`find_pagination` reads one parsed page for

- a single-page view of the article: a link whose URL only adds a full-page switch
  (``?page=all``, ``?single=1``, ``?showpage=all``), or a link labelled "Tampilkan semua" /
  "Show all" (labels: ``[pagination] all`` in ``warta/lang/<code>.toml``) to the same article;
- the following pages: ``rel=next`` (``<link>`` or ``<a>``), numbered page links ("2", "3"),
  labelled links ("Selanjutnya", "Next page", "Halaman 2", "Page 2 of 3"; ``[pagination]`` labels)
  whose URL is a page of the same article: ``?page=N`` (or ``p``, ``hal``, ``halaman``, ``pg``,
  ``page_num``, ``paged``, ``part``), a ``/N``, ``/page/N`` or ``-partN`` path suffix.

A link counts only when its URL is a page of *this* article (same URL once the page marker is
removed), so listing pagination, related stories and site navigation never count. Walking the
pages is :func:`warta.extract.whole.whole_article`'s job, through a fetch its caller gives;
:func:`merge_pages` combines what it fetched into one Article: metadata from page 1, bodies in
order, furniture repeated on every page dropped, ``pages`` listing the page URLs, a missing page
recorded in provenance.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from warta import lang
from warta.extract.core import extract_tree
from warta.extract.html import parse_html
from warta.extract.text import normalize_text, text_of
from warta.model import Article, Block, Image, Skip
from warta.urls import url_key

MAX_PAGES = 50  # a page number above this is an id, not a page
PAGE_PARAMS = frozenset({"page", "p", "pg", "hal", "halaman", "page_num", "pagenum", "paged", "part"})
SINGLE_PAGE_SWITCHES: tuple[tuple[str, str], ...] = (("page", "all"), ("single", "1"), ("showpage", "all"))
_PATH_ALL = re.compile(r"/all/?$", re.IGNORECASE)  # inews-style single-page view: .../slug/all
_PATH_PAGE = re.compile(r"(?:/(?:page|halaman|hal)[/-]?|/|-part)([1-9]\d?)/?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PageLink:
    url: str
    number: int | None  # the page number, when the URL or the link text gives it
    how: str  # rel-next | numbered | label


@dataclass(frozen=True, slots=True)
class Pagination:
    """The other pages of an article, as one page links to them."""

    next: tuple[PageLink, ...] = ()  # pages of this article other than this one, by page number
    single_page: str | None = None  # the whole article on one page, when the site offers it
    how: str = ""  # how the single page view was found: switch | label

    def __bool__(self) -> bool:
        return bool(self.next or self.single_page)


@dataclass(frozen=True, slots=True)
class Labels:
    next: re.Pattern[str]
    page: re.Pattern[str]  # "Halaman 2", "Page 2 of 3": group 1 is the number
    all: re.Pattern[str]
    pager: re.Pattern[str]  # a line that is only page navigation ("1 2 3 Selanjutnya")


def _words(phrases: Iterable[str]) -> str:
    unique = sorted({p.strip().lower() for p in phrases if p.strip()}, key=len, reverse=True)
    return "|".join(re.escape(p) for p in unique) or r"(?!x)x"


@functools.cache
def load_labels() -> Labels:
    """Every language's ``[pagination]`` labels (a page's own language is not known yet here)."""
    tables = [lang.load(code).get("pagination", {}) for code in lang.available()]
    nxt = _words(p for t in tables for p in t.get("next", []))
    page = _words(p for t in tables for p in t.get("page", []))
    of = _words(p for t in tables for p in t.get("of", []))
    every = _words(p for t in tables for p in t.get("all", []))
    arrows = r"[\s»›>→.:]*"
    page_re = rf"(?:{page})\.?\s*([1-9]\d?)(?:\s*(?:{of}|/)\s*\d{{1,2}})?"
    return Labels(
        next=re.compile(rf"^{arrows}(?:{nxt}){arrows}$", re.IGNORECASE),
        page=re.compile(rf"^{page_re}{arrows}$", re.IGNORECASE),
        all=re.compile(rf"^(?:{every}){arrows}$", re.IGNORECASE),
        pager=re.compile(rf"^(?:(?:\d{{1,2}}|{nxt}|{page_re}|[«‹<»›>|…]|\.\.\.)[\s,]*)+$", re.IGNORECASE),
    )


# -- URLs ------------------------------------------------------------------------------------------
def split_page(url: str) -> tuple[str, int | None]:
    """(the article's key without its page marker, the page number or None).

    ``https://x.id/a/slug?page=3`` and ``https://x.id/a/slug/3`` give ``("https://x.id/a/slug", 3)``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url, None
    number: int | None = None
    kept: list[tuple[str, str]] = []
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if number is None and name.lower() in PAGE_PARAMS and value.isdigit() and 0 < int(value) <= MAX_PAGES:
            number = int(value)
        else:
            kept.append((name, value))
    path = _PATH_ALL.sub("", parts.path) or "/"
    if number is None:
        found = _PATH_PAGE.search(path)
        if found and found.start() > 0:
            number, path = int(found.group(1)), path[: found.start()] or "/"
    stem = urlunsplit((parts.scheme, parts.netloc, path, urlencode(kept), ""))
    return url_key(stem), number


def first_page(pagination: Pagination, url: str) -> str | None:
    """Page 1's URL when ``url`` is a later page of a multi-page article that links to page 1."""
    if (split_page(url)[1] or 1) == 1:
        return None
    return next((p.url for p in pagination.next if p.number == 1 or split_page(p.url)[1] is None), None)


def _path_stem(url: str) -> str:
    """The URL's path without a page marker or trailing slash, lower-cased (a cheap pre-test)."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    path = path.split("://", 1)[-1].partition("/")[2]
    path = _PATH_PAGE.sub("", _PATH_ALL.sub("", "/" + path))
    return path.rstrip("/").lower()


def same_article(url: str, other: str) -> bool:
    """True when ``url`` is a page (or the single-page view) of the article at ``other``."""
    return split_page(url)[0] == split_page(other)[0]


def _single_page_switch(link: str) -> bool:
    query = {(k.lower(), v.lower()) for k, v in parse_qsl(urlsplit(link).query, keep_blank_values=True)}
    return any(pair in query for pair in SINGLE_PAGE_SWITCHES)


# -- finding the pages -----------------------------------------------------------------------------
def _anchor_text(el: Any) -> str:
    text = normalize_text(text_of(el)) if el.tag == "a" else ""
    return text or normalize_text(el.get("title") or el.get("aria-label") or "")


def _in_comments(el: Any) -> bool:
    """True for a link inside a comment thread (its pager pages the comments, not the article)."""
    for depth, parent in enumerate(el.iterancestors()):
        if depth > 12:
            return False
        marks = f"{parent.get('class') or ''} {parent.get('id') or ''}".lower()
        if "comment" in marks or "disqus" in marks:
            return True
    return False


def _classify(el: Any, text: str, labels: Labels) -> tuple[str, int | None] | None:
    """(how, number from the text) when the link looks like a page link, else None."""
    rel = (el.get("rel") or "").lower().split()
    if "next" in rel:
        return "rel-next", None
    if text.isdigit() and 1 <= int(text) <= MAX_PAGES:
        return "numbered", int(text)
    page = labels.page.match(text)
    if page:
        return "label", int(page.group(1))
    if labels.next.match(text):
        return "label", None
    return None


def find_pagination(tree: Any, url: str | None) -> Pagination:
    """The other pages of the article at ``url`` that this parsed page links to (pure)."""
    if not url:
        return Pagination()
    labels = load_labels()
    own_stem, own_number = split_page(url)
    own_key = url_key(url)
    found: dict[str, PageLink] = {}
    single: tuple[str, str] | None = None
    prefix = _path_stem(url)
    slug = prefix.rsplit("/", 1)[-1]
    for el in tree.iter("a", "link"):
        href = (el.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        if not href.startswith("?") and slug not in href.lower():
            continue  # cheapest test: a page of this article is "?page=N" or names the article's slug
        link = urljoin(url, href)
        if not link.startswith(("http://", "https://")) or not _path_stem(link).startswith(prefix):
            continue  # cheap test first: a page of this article shares its path
        stem, number = split_page(link)
        if stem != own_stem:
            continue
        text = _anchor_text(el)
        if url_key(link) == own_key:  # full-page switches are dropped from a URL key
            if link != url and (_single_page_switch(link) or labels.all.match(text)) and single is None:
                single = (link, "switch" if _single_page_switch(link) else "label")
            continue
        if labels.all.match(text) and single is None:
            single = (link, "label")
            continue
        kind = _classify(el, text, labels)
        if kind is None or _in_comments(el):
            continue
        how, text_number = kind
        number = number or text_number
        if number == (own_number or 1):
            continue
        key = url_key(link)
        if key not in found:
            found[key] = PageLink(link, number, how)
    ordered = sorted(found.values(), key=lambda p: (p.number is None, p.number or 0))
    return Pagination(tuple(ordered), single[0] if single else None, single[1] if single else "")


# -- merging ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Missing:
    """A page that could not be added, and why (HTTP 404, not an article, ...)."""

    url: str
    reason: str


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str
    article: Article


@dataclass(frozen=True, slots=True)
class Merge:
    """The pages of one article as the pipeline fetched them, in reading order."""

    pages: tuple[Fetched, ...]
    missing: tuple[Missing, ...] = ()
    how: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def merge_pages(merge: Merge) -> Article:
    """One Article from its pages (pure): page 1's metadata, the bodies in page order without
    furniture (blocks ending every page alike, a block found on every page of three or more, a block
    already seen on an earlier page, a line that is only page navigation), the images of every page
    once each, ``pages``."""
    if not merge.pages:
        raise ValueError("merge_pages needs at least the first page")
    first = merge.pages[0].article
    pager = load_labels().pager
    bodies = [p.article.body for p in merge.pages]
    everywhere: set[str] = set()
    if len(bodies) >= 3:
        everywhere = set.intersection(*({_key(b.text) for b in body} for body in bodies))
    everywhere |= _common_tail(bodies)
    seen: set[str] = set()
    blocks: list[Block] = []
    for number, body in enumerate(bodies):
        for block in body:
            key = _key(block.text)
            if key in everywhere or pager.match(block.text.strip()) or (number and key in seen):
                continue
            blocks.append(block)
        seen.update(_key(b.text) for b in body)
    images = _images(p.article.images for p in merge.pages)
    provenance = {**first.provenance, "pages": f"{merge.how}:{len(merge.pages)}", **merge.extra}
    if merge.missing:
        provenance["pages_missing"] = "; ".join(f"{m.url} ({m.reason})" for m in merge.missing)
    return first.replace(
        body=tuple(blocks), images=images, pages=tuple(p.url for p in merge.pages), provenance=provenance
    )


def _common_tail(bodies: Sequence[Sequence[Block]]) -> set[str]:
    """The blocks that end every page alike (a sign-off or promo line the template repeats); two
    pages that merely repeat their standfirst share a head, not a tail."""
    if len(bodies) < 2 or not all(bodies):
        return set()
    tail: set[str] = set()
    for depth in range(1, min(len(b) for b in bodies)):  # never a page's whole body
        keys = {_key(body[-depth].text) for body in bodies}
        if len(keys) != 1:
            break
        tail |= keys
    return tail


def _images(groups: Iterable[Sequence[Image]]) -> tuple[Image, ...]:
    out: dict[str | None, Image] = {}
    for group in groups:
        for image in group:
            if image.url is None or image.url not in out:
                out[image.url if image.url is not None else f"#{len(out)}"] = image
    return tuple(out.values())


def single_page_article(first: Article, whole: Article, url: str, how: str) -> Article:
    """Page 1's metadata with the single-page view's body (and its images too)."""
    provenance = {**first.provenance, "pages": f"single-page-view:{how}", "body": whole.provenance.get("body", "dom")}
    return first.replace(
        body=whole.body, images=_images((first.images, whole.images)), pages=(url,), provenance=provenance
    )


def extract_with_pages(html: str | bytes, url: str | None) -> tuple[Article | Skip, Pagination]:
    """:func:`warta.extract.extract` plus the article's other pages, from one parse (pure)."""
    tree = parse_html(html, url)
    if isinstance(tree, Skip):
        return tree, Pagination()
    return paged_tree(tree, url)


def paged_tree(tree: Any, url: str | None) -> tuple[Article | Skip, Pagination]:
    """:func:`extract_with_pages` of a page already parsed by :func:`~warta.extract.html.parse_html`."""
    result = extract_tree(tree, url)
    return result, (find_pagination(tree, url) if isinstance(result, Article) else Pagination())
