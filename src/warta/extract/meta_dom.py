"""Metadata read from the visible page: byline elements, labelled credit lines, dates near the headline."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from typing import Any, cast

from lxml import etree

from warta.dates import ParsedDate, find_dates
from warta.extract.meta_authors import credit_pairs, vocab
from warta.extract.text import text_of


class DomFacts:
    """What the visible page says: h1 texts, credit lines (document order), and, computed only when a
    field needs them, byline texts (whole body) and date texts (around the article container, ``scope``,
    then the whole body) of elements whose attributes name them."""

    def __init__(
        self, tree: Any, scope: Any, h1s: tuple[str, ...], credits: tuple[tuple[str, str], ...], article: Any = None
    ) -> None:
        self._tree = tree
        self._scope = scope
        self._article = article  # the article container, if known: a comment-named wrapper around it is no comment
        self.h1s = h1s
        self.credits = credits  # (role, value)

    @functools.cached_property
    def _near(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        bylines, dates = _hinted(self._scope, self._article)
        return tuple(bylines), tuple(dates)

    @functools.cached_property
    def _everywhere(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        body = self._tree.find("body")
        if self._scope is body or self._scope is self._tree:
            return self._near
        bylines, dates = _hinted(body if body is not None else self._tree, self._article)
        return tuple(bylines), tuple(dates)

    @functools.cached_property
    def headings(self) -> tuple[str, ...]:
        """The texts of the page's ``<h1>``-``<h3>`` in document order (at most ``_MAX_HEADINGS``)."""
        found: list[str] = []
        for el in self._tree.iter("h1", "h2", "h3"):
            found.append(_text(el))
            if len(found) >= _MAX_HEADINGS:
                break
        return tuple(found)

    @functools.cached_property
    def article_h1s(self) -> tuple[str, ...]:
        """The ``<h1>`` texts around the article container (``scope``), not the page header's logo."""
        if self._article is None:
            return ()
        return tuple(_text(h) for h in self._scope.iter("h1"))

    @property
    def bylines(self) -> tuple[str, ...]:
        return self._everywhere[0]  # the page's first byline; nearer ones are often other credits

    @property
    def date_texts(self) -> tuple[str, ...]:
        return self._near[1] or self._everywhere[1]

    @functools.cached_property
    def header_lines(self) -> tuple[str, ...]:
        """The short lines next to the article's headline, read without any class word: those after
        it up to the first paragraph of prose, then those just before it (a kicker or a date line above
        the headline). Where a publisher names its elements in words nobody listed, the stamp and the
        byline are still here."""
        return tuple(_header_lines(self._tree, self._scope, self._article))

    def first_date(self) -> ParsedDate | None:
        """The article's own stamp: the first date near the article container, else on the whole page
        (the date texts near it may hold only a time, ``at 8:40 AM``, under a page-level date header),
        else the first one among the lines next to the headline."""
        return (
            first_dated(self._near[1]) or first_dated(self._everywhere[1])
            or first_dated(tuple(line for line in self.header_lines if len(line) <= _DATE_LINE_CHARS))
        )


def _text(el: Any) -> str:
    return " ".join(text_of(el).split())


def _attrs(el: Any) -> str:
    get = el.get
    return f"{get('class') or ''} {get('id') or ''} {get('itemprop') or ''} {get('rel') or ''}"


_MAX_HEADINGS = 200  # headings read when the title is looked for among them
_SCOPE_LEVELS = 3  # ancestors of the article container searched for credit lines
_MAX_TEXTS = 6000  # text nodes looked at for credit lines
_MAX_CREDIT_HITS = 50  # candidate credit lines read per page
_MAX_BARE_LABELS = 10  # bare "Editor" labels whose following text is looked up


_BYLINE_WORDS = ("author", "byline", "by-line", "penulis", "reporter", "writer", "journalist", "contributor", "creator")
_DATE_WORDS = ("date", "time", "tanggal", "waktu", "publish", "posted", "schedule")
_SKIP_WORDS = ("avatar", "image", "img", "photo", "bio", "desc", "about", "social", "share", "follow", "more", "list", "box", "related")


_HINTED_XPATH = etree.XPath("descendant::*[@class or @id or @itemprop or @rel or self::time]")
_HINT_RE = re.compile("|".join((*_BYLINE_WORDS, *_DATE_WORDS)))
# Every text node; those inside script/style/option are dropped in Python for the few candidates only:
# an XPath predicate costs libxml2 more than the whole unfiltered walk.
_TEXT_XPATH = etree.XPath("descendant::text()")
_PLAIN_TEXT_XPATH = etree.XPath("descendant::text()", smart_strings=False)
_CODE_TAGS = frozenset(("script", "style", "option"))


def _label_credit(el: Any, text: str) -> tuple[str, str] | None:
    """``<li>Editor</li><li>Name</li>``: a bare role label followed by the name."""
    label = text.rstrip(": ").lower()
    role = vocab().role.get(label)
    if role is None or label in vocab().by_words or len(label) < 5:
        return None
    following = el.xpath("following::text()[normalize-space()][1]")
    if not following:
        return None
    value = " ".join(str(following[0]).split())
    return (role, value) if 0 < len(value) <= 80 else None


def _scope(tree: Any, node: Any) -> Any:
    """Where credit lines are looked for: a few levels around the article container (they sit just
    before or after it), or the whole body when there is no container."""
    scope = node
    for _ in range(_SCOPE_LEVELS):
        parent = scope.getparent() if scope is not None else None
        if parent is None or parent.tag in ("body", "html"):
            break
        scope = parent
    if scope is None:
        body = tree.find("body")
        scope = body if body is not None else tree
    return scope


def _credits(tree: Any) -> list[tuple[str, str]]:
    credits: list[tuple[str, str]] = []
    first_word = vocab().first_word_re
    loose = vocab().prefix_re

    def candidate(text: str) -> bool:
        raw = text.strip()
        if not raw or len(raw) > 300 or not raw[0].isalpha():
            return False
        return bool(first_word.match(raw)) or ("|" in raw and bool(loose.match(raw)))

    plain = cast(list[str], _PLAIN_TEXT_XPATH(tree))[:_MAX_TEXTS]
    hits = [i for i, text in enumerate(plain) if candidate(text)]  # cheap pass over plain strings
    if not hits:
        return credits
    nodes = cast(list[Any], _TEXT_XPATH(tree))
    bare_labels = 0
    for node in (nodes[i] for i in hits[:_MAX_CREDIT_HITS]):
        own = " ".join(node.split())
        parent = node.getparent()  # for a tail: the element it follows
        holder = parent if node.is_text or parent is None else parent.getparent()
        if parent is None or holder is None or holder.tag in _CODE_TAGS:
            continue
        full = _text(parent) if node.is_text else own
        pairs = credit_pairs(full if len(full) <= 200 else own, labelled_only=True)
        if pairs:
            credits.extend(pairs)
        elif len(own) <= 20 and bare_labels < _MAX_BARE_LABELS:
            bare_labels += 1
            labelled = _label_credit(parent, own)
            if labelled:
                credits.append(labelled)
    return credits


def _date_text(el: Any) -> str | None:
    stamp = el.get("datetime") if el.tag == "time" else None
    text = str(stamp) if stamp else _text(el)
    return text if 6 <= len(text) <= 120 else None


_CAPTION_LEVELS = 8  # ancestors of a byline element looked at for a figure or a caption


def _in_caption(el: Any) -> bool:
    """True inside a figure or an element named as a caption: a credit there names who made the picture
    (``<figcaption>... <span class="author">Reuters</span>``), not who wrote the story."""
    node = el.getparent()
    for _ in range(_CAPTION_LEVELS):
        if node is None:
            return False
        if node.tag in ("figure", "figcaption", "picture") or "caption" in _attrs(node).lower():
            return True
        node = node.getparent()
    return False


_COMMENT_LEVELS = 12  # ancestors of a byline element looked at for a reader-comment section
# a reader comment or its list (``comment-author``, ``commentlist``, ``disqus_thread``), or a menu (a
# ``rel=author`` link to the "About" page); not a page-state flag such as WordPress's ``comments-open``
_COMMENT_RE = re.compile(
    r"(?:^|[\s_-])(?:comments?|commentlist|commentform|respond|disqus|menu|nav|navbar|navigation)(?=[\s_-]|$)"
    r"(?![\w-]*(?:open|closed|count|link|enabled))"
)


# where other stories are listed: a date there is another story's (``related-posts``, ``sidebar``)
_OTHER_STORIES_RE = re.compile(
    r"(?:^|[\s_-])(?:related|recommend\w*|teasers?|sidebar|popular|trending|most-read|more-stories|more-news"
    r"|comments?|commentlist|menu|nav)(?:[\s_-]|$)"
)
_LISTING_TAGS = frozenset(("nav",))  # not <aside>: themes put the post's own date line in one


def _in_comments(el: Any, article: Any = None) -> bool:
    """True inside readers' comments or a menu: a name there is a commenter's, not the story's author. A
    comment-named element that holds the article container is the article's wrapper (an opinion
    section called "Comment"), not a comment."""
    return _inside(el, article, _COMMENT_RE, frozenset(("nav",)))


def _in_other_stories(el: Any, article: Any = None) -> bool:
    """True inside a list of other stories (related, popular, a sidebar, comments, a menu): a date there
    is not the article's own stamp, unless that element holds the article."""
    return _inside(el, article, _OTHER_STORIES_RE, _LISTING_TAGS)


def _inside(el: Any, article: Any, names: re.Pattern[str], tags: frozenset[str]) -> bool:
    node = el
    for _ in range(_COMMENT_LEVELS):
        if node is None or node.tag in ("body", "html"):
            return False
        if node.tag in tags or names.search(f"{node.get('class') or ''} {node.get('id') or ''}".lower()):
            return article is None or not (node is article or any(a is node for a in article.iterancestors()))
        node = node.getparent()
    return False


def _hinted(tree: Any, article: Any = None) -> tuple[list[str], list[str]]:
    """Byline texts and date texts of elements whose class/id/itemprop/rel says what they hold."""
    bylines: list[str] = []
    dates: list[str] = []
    for el in cast(list[Any], _HINTED_XPATH(tree)):
        if el.tag in ("script", "style", "img", "meta", "option", "noscript"):
            continue
        attrs = _attrs(el).lower()
        if el.tag != "time" and not _HINT_RE.search(attrs):
            continue
        is_byline = any(w in attrs for w in _BYLINE_WORDS)
        if el.tag == "time" or (not is_byline and any(w in attrs for w in _DATE_WORDS)):
            if len(dates) < 60 and not _in_other_stories(el, article):
                found = _date_text(el)
                dates.extend([found] if found else [])
        elif (
            is_byline and len(bylines) < 40 and not any(w in attrs for w in _SKIP_WORDS)
            and not _in_caption(el) and not _in_comments(el, article)
        ):
            text = _text(el)
            if 0 < len(text) <= 150:
                bylines.append(text)
    return bylines, dates


_HEADER_AFTER = 60  # text nodes read after the headline
_HEADER_BEFORE = 6  # text nodes read before it
_PROSE_CHARS = 200  # a text this long is the article's prose: the header ends there
_LINE_CHARS = 150  # an element's whole text is the line when it is this short
_DATE_LINE_CHARS = 120  # a longer line is a sentence that mentions a date, not a stamp
_FOLLOWING_XPATH = etree.XPath(f"following::text()[normalize-space()][position() <= {_HEADER_AFTER}]")
_PRECEDING_XPATH = etree.XPath(f"preceding::text()[normalize-space()][position() <= {_HEADER_BEFORE}]")


def _headline(tree: Any, scope: Any) -> Any:
    """The article's ``<h1>``: the first one around the article container, else the page's only one."""
    found = next(iter(scope.iter("h1")), None) if scope is not None else None
    if found is not None:
        return found
    h1s = list(itertools.islice(tree.iter("h1"), 2))
    return h1s[0] if len(h1s) == 1 else None


def _header_lines(tree: Any, scope: Any, article: Any = None) -> list[str]:
    headline = _headline(tree, scope)
    if headline is None:
        return []
    lines: list[str] = []
    after = cast(list[Any], _FOLLOWING_XPATH(headline))
    for node in after:
        line = _line_of(node, article)
        if line is None:
            continue
        if len(line) >= _PROSE_CHARS:
            break
        lines.append(line)
    before = cast(list[Any], _PRECEDING_XPATH(headline))
    lines.extend(line for line in (_line_of(n, article) for n in reversed(before)) if line and len(line) < _PROSE_CHARS)
    return list(dict.fromkeys(lines))


def _line_of(node: Any, article: Any = None) -> str | None:
    """A text node's line: the whole text of the block it sits in when short (``<div><strong>Jane
    Doe</strong> - Site</div>``), else the node's own text; None inside code or a list of other stories."""
    parent = node.getparent()
    holder = parent if node.is_text or parent is None else parent.getparent()
    if parent is None or holder is None or holder.tag in _CODE_TAGS or holder.tag == "noscript":
        return None
    if _in_other_stories(holder, article):
        return None
    block = holder
    while block.tag in _INLINE_TAGS and block.getparent() is not None:
        block = block.getparent()
    whole = _text(block)
    return whole if len(whole) <= _LINE_CHARS else " ".join(str(node).split())


_INLINE_TAGS = frozenset(("a", "b", "strong", "em", "i", "u", "span", "small", "time", "font", "abbr", "cite", "sup"))


def read_dom(tree: Any, node: Any = None) -> DomFacts:
    """Headlines, byline elements, credit lines and short date-ish texts of the page body."""
    h1s = tuple(_text(h) for h in tree.iter("h1"))
    scope = _scope(tree, node)
    return DomFacts(tree, scope, h1s, tuple(_credits(scope)), node)


def first_dated(texts: tuple[str, ...]) -> ParsedDate | None:
    """The first date in ``texts`` (the stamp nearest the headline), with the time a later text gives
    for the same day; a later date on another day is another story's, not this one's time."""
    first: ParsedDate | None = None
    for text in texts:
        for found in find_dates(text):
            if first is None and found.has_time:
                return found
            if first is None:
                first = found
            elif found.has_time and _day_of(found) == _day_of(first):
                return found
    return first


def _day_of(found: ParsedDate) -> object:
    value = found.value
    return value.date() if isinstance(value, dt.datetime) else value
