"""Choose the article container among raw blocks, and keep the container's body blocks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from warta.extract.blocks import RawBlock
from warta.extract.boilerplate import Furniture
from warta.extract.text import text_of

SHORT = 30  # characters a block must beat before it adds value
LINKY = 0.5
  # link density above which a block counts as navigation
LEAF_BLOCKS = frozenset("p li ul ol dl dd dt blockquote pre h2 h3 h4 h5 h6 table thead tbody tr td th".split())
TEASER_LINK_CHARS = 25
TEASER_SHARE = 0.2
PRUNE = -60.0
DESCEND = 0.85  # a child holding this share of the container's value becomes the container
ARTICLE_SHARE = 0.25
STANDFIRST_CHARS = 60  # an <article> worth this share of the container is a full story  # a wrapper inside the container whose blocks sum below this is furniture


def is_teaser(block: RawBlock) -> bool:
    """A block that opens with a headline-long link and goes on with text: a teaser for another story."""
    if block.lead_link < TEASER_LINK_CHARS or block.lead_link < TEASER_SHARE * len(block.text):
        return False
    after = block.text[block.lead_link :].lstrip()
    return not after or after[0].isupper() or after[0].isdigit()  # a new sentence, not a continuation


def block_value(block: RawBlock) -> float:
    """Prose is worth its non-link characters; link lists and fragments cost."""
    n = len(block.text)
    density = block.link_density
    if density > LINKY or is_teaser(block):
        return -0.5 * n - 10.0
    if block.kind == "title":
        return 0.0
    gain = n * (1.0 - density) ** 2
    if block.kind == "list_item":
        gain *= 0.6
    if block.in_table:  # data tables neither make nor break a container
        return max(0.0, gain - SHORT)
    return gain - SHORT


@dataclass(frozen=True, slots=True)
class Here:
    """The page's own address: the URL paths of the page (its URL, canonical link, ``og:url``) and its
    hosts (without ``www.``). Teaser checks read it: a related story links to another page of the site."""

    paths: frozenset[str] = frozenset()
    hosts: frozenset[str] = frozenset()


NOWHERE = Here()


@dataclass(slots=True)
class Container:
    """The chosen container and the value of every element (kept alive so ``id`` keys stay unique)."""

    element: Any
    totals: dict[int, float]
    elements: dict[int, Any]
    outer: Any = None  # the container before stepping into its main child (holds the standfirst)


def choose_container(blocks: Sequence[RawBlock], root: Any, force: Any = None) -> Container | None:
    """The element whose descendant blocks add up to the most value (None if nothing positive);
    ``force``: an element already chosen (a second reading of the same container)."""
    totals: dict[int, float] = {}
    elements: dict[int, Any] = {}
    for block in blocks:
        value = block_value(block)
        value = value * block.weight if value > 0 else value
        el = block.element
        while el is not None:
            key = id(el)
            totals[key] = totals.get(key, 0.0) + value
            elements[key] = el
            if el is root:
                break
            el = el.getparent()
    if force is not None and id(force) in totals:
        return Container(force, totals, elements, force)
    if not totals:
        return None
    best = max(totals, key=lambda k: totals[k])
    if totals[best] <= 0:
        return None
    container = elements[best]
    while container.tag in LEAF_BLOCKS and container is not root and container.getparent() is not None:
        container = container.getparent()  # a lone paragraph or list: its parent holds its siblings
    outer = _first_article(container, totals)
    return Container(_descend(outer, totals), totals, elements, outer)


def _descend(container: Any, totals: dict[int, float]) -> Any:
    """Step into a child that holds nearly all of the container's value (drops side columns)."""
    while True:
        whole = totals.get(id(container), 0.0)
        best = max(container, key=lambda c: totals.get(id(c), 0.0), default=None)
        if best is None or best.tag in LEAF_BLOCKS or totals.get(id(best), 0.0) < DESCEND * whole:
            return container
        container = best


def _first_article(container: Any, totals: dict[int, float]) -> Any:
    """Several full ``<article>`` elements (infinite scroll): the first substantial one is the page's."""
    whole = totals.get(id(container), 0.0)
    found: list[Any] = []
    for el in container.iter("article"):
        value = totals.get(id(el), 0.0)
        if value >= ARTICLE_SHARE * whole and not any(_contains(a, el) for a in found):
            found.append(el)
    if len(found) < 2:
        return container
    best = max(totals.get(id(el), 0.0) for el in found)
    return next((el for el in found if totals.get(id(el), 0.0) >= 0.5 * best), container)


def _contains(outer: Any, inner: Any) -> bool:
    el = inner.getparent()
    while el is not None:
        if el is outer:
            return True
        el = el.getparent()
    return False


def _status(el: Any, box: Container, memo: dict[int, str]) -> str:
    """``in``, ``out`` or ``pruned`` (inside a wrapper whose blocks are worth clearly less than nothing)."""
    path = []
    result = "out"
    while el is not None:
        key = id(el)
        if key in memo:
            result = memo[key]
            break
        path.append(key)
        if el is box.element:
            result = "in"
            break
        el = el.getparent()
    if result == "in":
        for key in reversed(path):
            wrapper = box.elements.get(key)
            if (
                box.totals.get(key, 0.0) < PRUNE and wrapper is not box.element and not _plain_list(wrapper)
                and not _linked_heading(wrapper) and not _prose_list(wrapper)
            ):
                result = "pruned"
            memo[key] = result
    else:
        for key in path:
            memo[key] = result
    return result


def _inside(block: RawBlock, box: Container, memo: dict[int, str]) -> bool:
    if block.element is box.element:
        return True
    parent = block.element.getparent()
    box.elements.setdefault(id(parent), parent)  # keep the proxy alive while its id is memoised
    return parent is not None and _status(parent, box, memo) == "in"


LISTS = frozenset(("ul", "ol", "dl"))
HEADING_TAGS = frozenset(("h2", "h3", "h4", "h5", "h6"))


def _linked_heading(el: Any) -> bool:
    """A link around a single heading (``<a href><h3>title</h3></a>``): kept in view so that a teaser's
    headline stays beside its summary (the heading itself, link text, is not kept)."""
    return el is not None and el.tag == "a" and len(el) == 1 and el[0].tag in HEADING_TAGS


def _plain_list(el: Any) -> bool:
    """A list without a single link (cities, devices, steps): short items, but the article's own."""
    return el is not None and el.tag in LISTS and next(el.iter("a"), None) is None


def _prose_list(el: Any) -> bool:
    """A list (or an item holding one) whose text is mostly not link text (notes with a link here and
    there), however short or linked some of its items are: the article's own, not a list of links."""
    if el is None or (el.tag not in LISTS and el.tag != "li"):
        return False
    size = len(text_of(el))
    return size > 0 and sum(len(text_of(a)) for a in el.iter("a")) < PROSE_LIST_LINKS * size


PROSE_LIST_LINKS = 0.3  # a list with less link text than this share of its text is the article's own


def blocks_inside(blocks: Sequence[RawBlock], container: Container) -> list[RawBlock]:
    """The non-title blocks inside the container (not inside a pruned wrapper), in order."""
    memo: dict[int, str] = {}
    return [b for b in blocks if b.kind != "title" and _inside(b, container, memo)]


def keep_blocks(
    blocks: Sequence[RawBlock], container: Container, furniture: Furniture, hosts: frozenset[str] = frozenset()
) -> tuple[list[RawBlock], list[str]]:
    """The container's body blocks in order, and the furniture lines taken out of it (``hosts``: the
    page's own hosts, see :func:`teaser_runs`)."""
    memo: dict[int, str] = {}
    inside = [b for b in blocks if b.kind != "title" and _inside(b, container, memo)]
    inside = _standfirst(blocks, inside, container, furniture) + inside
    inside = inside[: _stop_index(inside, furniture)]
    inside = inside[: teaser_tail(inside, hosts)]
    inside = inside[: thread_start(inside, furniture)]
    kept: list[RawBlock] = []
    lines: list[str] = []
    for block in inside:
        if furniture.line_kind(block.text):
            lines.append(block.text)
        elif not (block.link_density > LINKY and len(block.text) < 300) and not is_teaser(block):
            kept.append(block)
    return _trim_tail(merge_datelines(kept), lines, furniture)


def _standfirst(
    blocks: Sequence[RawBlock], inside: list[RawBlock], box: Container, furniture: Furniture
) -> list[RawBlock]:
    """Up to two prose blocks just before the body, inside the outer container: the standfirst."""
    if box.outer is None or box.outer is box.element or not inside:
        return []
    first = blocks.index(inside[0])
    found: list[RawBlock] = []
    for block in reversed(blocks[max(0, first - 6) : first]):
        if block.kind == "title" or not _contains_el(box.outer, block.element):
            break
        if (
            block.kind == "paragraph" and len(block.text) >= STANDFIRST_CHARS and block.link_density < 0.2
            and not is_teaser(block) and not furniture.line_kind(block.text)
        ):
            found.insert(0, block)
            if len(found) == 2:
                break
    return found


def _contains_el(outer: Any, el: Any) -> bool:
    return el is outer or _contains(outer, el)


HEADLINE_LINK = 0.8  # a block this much link text, of headline length, is a linked headline
HEADLINE_CHARS = (15, 160)
HEADLINE_WORDS = 3
SUMMARY_MAX_CHARS = 320  # a teaser summary is one or two sentences
SUMMARY_MIN_CHARS = 60
NUMBERED = re.compile(r"^\s*\d{1,3}\s*[.):]\s")
ENDS = frozenset(".!?\"”»。")  # a source/time line after a summary is not a sentence
SOURCE_MAX_CHARS = 40  # an optional short line after a summary (source, time, section)
TEASER_RUN = 3  # this many teasers in a row make a related-stories list
TAIL_AFTER_CHARS = 500  # a list after this much body text is a tail to cut


CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
CJK_HEADLINE_CHARS = 8  # a headline written without spaces (Chinese, Japanese) has this many characters


def _wordy(text: str) -> bool:
    """Headline-like wording: three words, or (in a script written without spaces) eight characters;
    a bare link (a URL, a name) is no headline."""
    return len(text.split()) >= HEADLINE_WORDS or len(CJK.findall(text)) >= CJK_HEADLINE_CHARS


def links_away(block: RawBlock) -> bool:
    """True if the block's link leads to another page: a liveblog's or a contents list's headlines link
    to anchors of the page itself (``#update-12``), a teaser's to another story."""
    el = block.element
    links = list(el.iter("a")) or list(el.iterancestors("a"))
    return any((h := (a.get("href") or "").strip()) and not h.startswith(("#", "javascript:")) for a in links)


def is_headline_link(block: RawBlock) -> bool:
    """A block that is a linked headline: nearly all link text, headline-long, at least three words."""
    return (
        block.link_density >= HEADLINE_LINK and HEADLINE_CHARS[0] <= len(block.text) <= HEADLINE_CHARS[1]
        and _wordy(block.text) and not NUMBERED.match(block.text) and links_away(block)
    )


def _teaser_at(blocks: Sequence[RawBlock], i: int, hosts: frozenset[str] = frozenset()) -> int:
    """The number of blocks of a teaser (linked headline, short summary, optional short line) at ``i``."""
    if hosts and _one_block_teaser(blocks[i], hosts):
        return 1
    if i + 1 >= len(blocks):
        return 0
    head, summary = blocks[i], blocks[i + 1]
    if NUMBERED.match(head.text) or NUMBERED.match(summary.text) or not _wordy(head.text):
        return 0  # a numbered item belongs to a listicle; a bare link (a URL) is no headline
    if not (
        head.link_density >= HEADLINE_LINK and HEADLINE_CHARS[0] <= len(head.text) <= HEADLINE_CHARS[1]
        and summary.kind == "paragraph" and summary.link_density < 0.3
        and SUMMARY_MIN_CHARS <= len(summary.text) <= SUMMARY_MAX_CHARS
        and links_away(head)
    ):
        return 0
    if i + 2 < len(blocks):
        extra = blocks[i + 2].text
        if len(extra) <= SOURCE_MAX_CHARS and blocks[i + 2].link_density < HEADLINE_LINK and extra[-1] not in ENDS:
            return 3
    return 2


def _one_block_teaser(block: RawBlock, hosts: frozenset[str]) -> bool:
    """A headline link and its summary in one block (``<li><a>title</a> <span>summary</span></li>``),
    the link leading to another page of the same site (a roundup's items link to other sites)."""
    head, after = block.text[: block.lead_link], block.text[block.lead_link :].lstrip()
    return (
        HEADLINE_CHARS[0] <= block.lead_link <= HEADLINE_CHARS[1] and _wordy(head) and not NUMBERED.match(head)
        and SUMMARY_MIN_CHARS <= len(after) <= SUMMARY_MAX_CHARS and not after[0].islower()
        and block.link_chars - block.lead_link < 0.3 * len(after) and _same_site(block, hosts)
    )


def _same_site(block: RawBlock, hosts: frozenset[str]) -> bool:
    """True if the block's first link leads to another page of one of ``hosts`` (or is relative)."""
    link = next(block.element.iter("a"), None)
    href = (link.get("href") or "").strip() if link is not None else ""
    if not href or href.startswith(("#", "javascript:")):
        return False
    host = urlsplit(href).netloc.lower().removeprefix("www.")
    return not host or host in hosts


def teaser_runs(blocks: Sequence[RawBlock], hosts: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """``(start, end)`` block ranges of TEASER_RUN or more teasers in a row: related-stories lists.
    ``hosts``: the page's own hosts (without ``www.``); where given, a block holding both the headline
    link and the summary counts too when it links within the site."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(blocks):
        start, count = i, 0
        while i < len(blocks) and (size := _teaser_at(blocks, i, hosts)) > 0:
            i += size
            count += 1
        if count >= TEASER_RUN:
            runs.append((start, i))
        i = i + 1 if count == 0 else i
    return runs


def teaser_tail(blocks: Sequence[RawBlock], hosts: frozenset[str] = frozenset()) -> int:
    """Where a related-stories list (linked headlines with one- or two-sentence summaries) that follows
    the article starts; the body ends there. ``len(blocks)`` if there is none."""
    before = 0
    runs = teaser_runs(blocks, hosts)
    starts = {start for start, _ in runs}
    for i, block in enumerate(blocks):
        if i in starts and before >= TAIL_AFTER_CHARS:
            return i
        before += len(block.text)
    return len(blocks)


THREAD_POSTS = 3  # signed posts in a row after the article that make a comment thread
THREAD_AFTER_CHARS = 200  # ... after at least this much article text
SIGNATURE_CHARS = 100  # a signature line (``Posted by: X at October 29, 2012 05:23 PM``) is short
SIGNATURES = frozenset(("byline", "date"))


def _signature(block: RawBlock, furniture: Furniture) -> tuple[str, str] | None:
    """The (tag, class) of a post's signature line: a short byline or date line in a classed element
    (a comment template), not inside a quote (an embedded social post signs itself too)."""
    cls = block.element.get("class")
    if not cls or block.kind == "quote" or len(block.text) > SIGNATURE_CHARS:
        return None
    return (block.element.tag, cls) if furniture.line_kind(block.text) in SIGNATURES else None


def thread_start(blocks: Sequence[RawBlock], furniture: Furniture) -> int:
    """Where a thread of signed posts follows the article (reader comments: the same signature line,
    ``Posted by: X at October 29, 2012``, then prose, again and again to the end), ``len(blocks)`` if
    none. Every signature from the cut on must share one template and be followed by prose."""
    keys = [_signature(b, furniture) for b in blocks]
    marks = [i for i, key in enumerate(keys) if key is not None]
    before = 0
    done = 0
    for n, i in enumerate(marks):
        before += sum(len(b.text) for b, key in zip(blocks[done:i], keys[done:i], strict=True) if key is None)
        done = i
        rest = marks[n:]
        if before < THREAD_AFTER_CHARS or len(rest) < THREAD_POSTS:
            continue
        same = all(keys[j] == keys[i] for j in rest)
        if same and all(b - a > 1 for a, b in zip(rest, [*rest[1:], len(blocks) + 1], strict=True)):
            return i
    return len(blocks)


def thread_head(block: RawBlock, furniture: Furniture) -> bool:
    """A line counting the readers' comments that opens their thread (``Comments (186)``); a linked count
    is a byline's (``<a href="#comments">274 Comments</a>``)."""
    return furniture.is_thread(block.text) and block.link_density < LINKY


def _stop_index(blocks: Sequence[RawBlock], furniture: Furniture) -> int:
    """Where a related-content tail (``You may also like``) starts: it must be smaller than the article;
    or where a line counting the readers' comments opens their thread."""
    total = sum(len(b.text) for b in blocks)
    before = 0
    for i, block in enumerate(blocks):
        strong = block.kind == "heading" or block.bold
        heading_like = not block.in_table  # a table's header cell ("Comment") is no section heading
        if before >= THREAD_AFTER_CHARS and thread_head(block, furniture):
            return i  # "{ 18 comments… read them below }": the readers' thread starts (a linked count is a byline's)
        if heading_like and before >= 200 and furniture.is_stop(block.text) and (strong or total - before < before):
            if not _section_goes_on(blocks, i, furniture):
                return i
        before += len(block.text)
    return len(blocks)


SECTION_PROSE_CHARS = 200  # unlinked text under a stop heading before the next section heading


def _section_goes_on(blocks: Sequence[RawBlock], at: int, furniture: Furniture) -> bool:
    """True if the heading at ``at`` is one section of the article: prose follows it and then another
    heading of the same tag that is neither a stop line nor a link (``<h2>Comment</h2>`` ... ``<h2>Data
    </h2>`` in a how-to). A related-stories heading is followed by linked headlines, not sections."""
    head = blocks[at]
    if head.kind != "heading":
        return False
    prose = 0
    for block in blocks[at + 1 :]:
        if block.kind == "heading" and block.element.tag == head.element.tag:
            return (
                prose >= SECTION_PROSE_CHARS and block.link_density < 0.5 and not furniture.is_stop(block.text)
            )
        prose += len(block.text) - block.link_chars
    return False


_DATELINE_ONLY = re.compile(r"^[^\W\d_][\w .,()/]{0,60}\s*[-–—]{1,2}$")


def merge_datelines(blocks: list[RawBlock]) -> list[RawBlock]:
    """Join a block that is only a dateline (``Jakarta -``) to the paragraph that follows it."""
    out: list[RawBlock] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if i + 1 < len(blocks) and _DATELINE_ONLY.match(block.text) and blocks[i + 1].kind == "paragraph":
            nxt = blocks[i + 1]
            out.append(RawBlock(nxt.element, nxt.kind, f"{block.text} {nxt.text}", nxt.link_chars, nxt.bold))
            i += 2
            continue
        out.append(block)
        i += 1
    return out


def _trim_tail(
    kept: list[RawBlock], lines: list[str], furniture: Furniture
) -> tuple[list[RawBlock], list[str]]:
    """Drop short closing lines that are credits/trailers (the body's last line is often one)."""
    while kept and len(kept[-1].text) < 40 and kept[-1].text.isupper() and len(kept) > 1:
        lines.append(kept.pop().text)
    return kept, lines
