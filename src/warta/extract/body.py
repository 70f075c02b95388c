"""Body extraction: find the article container and turn it into blocks.

1. Walk the document into raw blocks (``blocks.walk``), skipping furniture subtrees (tags such as
   nav/aside/figure, hidden elements, class/id hints from ``lang/furniture.toml``).
2. Give every block a value: positive for prose (long, few links), negative for link lists and
   short fragments. The container is the element whose descendant blocks sum to the most value.
3. Keep the container's blocks in reading order, moving furniture lines (bylines, read-also,
   promo lines, trailers) into ``furniture`` for metadata extraction, and photo captions that the
   page marks by structure alone (the only text beside a picture, or a picture's alt text repeated;
   ``captions.py``) into the images.
4. Check the reading against independent candidates (``choose.py``): the reading without hints, a
   readability-style scoring of the DOM (``scored.py``), the embedded script data; the one that
   agrees with the others or with what the page says about itself (description, headline) wins.
   Class words never settle it alone: where the hints skipped a region holding more paragraph prose
   than the body kept, the readings without hints vote and a witness decides (``_recheck``); a body
   found with no hint firing that is very long or very short for its page is checked against the
   scored reading when the two read different elements (``_elsewhere``). ``benchmarks/scramble_eval.py``
   measures this on the dev sets with their class/id names scrambled or made misleading.
5. Compare with the JSON-LD ``articleBody`` when the page has one: it filters blocks the publisher
   does not count as body, and replaces a DOM result that clearly missed the article.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from warta.extract.blocks import RawBlock, Walk, walk
from warta.extract.boilerplate import Furniture, load_furniture
from warta.extract.captions import split_captions
from warta.extract.choose import Reading, Witnesses, agreeing_pair, agreement, arbitrate, disjoint, part_of
from warta.extract.embedded import embedded_article, embedded_texts, has_embedded_data
from warta.extract.jsonld import article_body
from warta.extract.meta_jsonld import parse_scripts
from warta.extract.meta_tags import jsonld_scripts, read_head
from warta.extract.scored import score_body
from warta.extract.select import (
    NOWHERE,
    Container,
    Here,
    blocks_inside,
    choose_container,
    is_headline_link,
    is_teaser,
    keep_blocks,
    merge_datelines,
    teaser_runs,
    thread_head,
)
from warta.extract.text import normalize_text, text_of
from warta.model import Block, Image
from warta.textnorm import CJK_CHARS

TOKEN = re.compile(r"\w+")

MIN_GOOD_CHARS = 250
WRAPPER_SHARE = 0.5  # a hinted element holding this share of the page's text is a layout wrapper
WRAPPER_MIN_CHARS = 1500  # ... if it holds at least this much text
MIXED_MAX_CHARS = 500  # a class naming both furniture and content is furniture below this size  # below this the hint-free walk gets a second chance


@dataclass(frozen=True, slots=True)
class BodyResult:
    """What body extraction found.

    ``furniture`` holds text lines removed from inside the article container (bylines such as
    ``Pewarta: X``, editor lines, credits, closing trailers, read-also lines) so that metadata
    extraction can still read authors, editors and wire sources from them.
    """

    blocks: tuple[Block, ...]
    images: tuple[Image, ...] = ()
    furniture: tuple[str, ...] = ()
    node: Any = None  # the chosen lxml container element, if any
    strategy: str = "dom"


def _root(tree: Any) -> Any:
    body = tree.find("body") if tree.tag == "html" else None
    return body if body is not None else tree


def _dom_body(
    tree: Any, furniture: Furniture, use_hints: bool, dropped: list[tuple[Any, int]] | None = None,
    shelter: frozenset[int] = frozenset(), force: Any = None, here: Here = NOWHERE,
) -> BodyResult:
    """One reading of the DOM. With hints, furniture-named subtrees are skipped; one that holds a
    lot of text is appended to ``dropped`` with its size (the caller may check it and read the page
    again with the ids of some of them in ``shelter``, walking them)."""
    root = _root(tree)

    total = len(text_of(root)) if use_hints else 0

    hints: dict[tuple[str, str], str | None] = {}  # (class, id) -> hint: pages repeat a few values

    def skip(el: Any) -> bool:
        """Skip a hinted subtree, unless it holds most of the page's text (a layout wrapper)."""
        if not use_hints or el.tag in ("article", "main"):
            return False
        key = (el.get("class") or "", el.get("id") or "")
        if key not in hints:
            hints[key] = _hint(furniture, *key)
        hint = hints[key]
        if hint is None:
            return False
        if hint == "hidden":
            return True
        size = len(text_of(el))
        if hint == "mixed":  # e.g. "newsletter-content": furniture when small
            return size < MIXED_MAX_CHARS
        if id(el) in shelter:
            return False
        drop = size < WRAPPER_MIN_CHARS or size < WRAPPER_SHARE * total
        if drop and dropped is not None and size >= SKIPPED_MIN_CHARS:
            dropped.append((el, size))
        return drop

    found: Walk = walk(root, skip)
    return _finish(found, root, furniture, "dom" if use_hints else "dom-nohints", force, here)


def _finish(
    found: Walk, root: Any, furniture: Furniture, strategy: str, force: Any = None,
    here: Here = NOWHERE,
) -> BodyResult:
    """The reading of one walk; ``here``: the page's own address (see :func:`_own_address`)."""
    box = choose_container(found.blocks, root, force)
    blocks = found.blocks
    listed = _teaser_list(found.blocks, box, here.hosts) if box is not None and force is None else []
    if box is not None and listed:
        second = choose_container(found.blocks, root)  # the list's summaries now count for nothing
        near, before = _near_article(found.blocks, box, listed, root)
        if second is not None and second.element is not box.element and not (
            _opens_with_link(found.blocks, second, here)
            or (near is not None and _disjoint(near, second.element) and NEAR_GAIN * before > _prose(found.blocks, second))
        ):
            box, strategy = second, f"{strategy}-not-list"
        elif near is not None:
            # the list follows its article in one container: the article is the prose before the list
            cut = {id(b) for b in listed}
            blocks = [b for b in found.blocks if id(b) not in cut]
            box = Container(near, box.totals, box.elements, near)
            strategy = f"{strategy}-list-cut"
        else:
            box, strategy = None, "teaser-list"
    if box is not None and force is None and _thread_box(found.blocks, box, furniture):
        second = choose_container(found.blocks, root)  # the readers' posts now count for nothing
        box = None if second is None or second.element is box.element else second
        strategy = f"{strategy}-not-thread" if box is not None else "thread"
    if box is None:
        return BodyResult(blocks=(), strategy=strategy)
    container = box.element
    kept, lines = keep_blocks(blocks, box, furniture, here.hosts)
    inside = {id(b.element) for b in kept} | {id(container)}
    images = [img for anchor, img in found.images if _within(anchor, container)]
    extra = tuple(text for anchor, text in found.furniture if id(anchor) in inside or _within(anchor, container))
    kept, images, captions = split_captions(kept, images)
    return BodyResult(
        blocks=tuple(Block(b.kind, b.text) for b in kept),  # type: ignore[arg-type]
        images=tuple(images),
        furniture=tuple(lines) + extra + tuple(captions),
        node=container,
        strategy=strategy,
    )


LIST_SHARE = 0.6  # a container whose text is mostly teasers (linked headline + summary) is a list
LIST_REST_CHARS = 100  # prose before the list in its own container: the article the list follows
REST_PARAGRAPH_CHARS = 60  # ... counted in paragraphs of this length with few links
REST_LINKS = 0.4  # ... and under this link density (an article paragraph may hold a link or two)


def _teaser_list(blocks: list[RawBlock], box: Container, hosts: frozenset[str]) -> list[RawBlock]:
    """The blocks of the related-stories runs when the chosen container is mostly such a list (else
    none); their summaries are then given no value (``weight`` 0) so that the caller can choose again."""
    inside = blocks_inside(blocks, box)
    total = sum(len(b.text) for b in inside)
    listed = [b for start, end in teaser_runs(inside, hosts) for b in inside[start:end]]
    if not total or sum(len(b.text) for b in listed) < LIST_SHARE * total:
        return []
    for block in listed:
        block.weight = 0.0
    return listed


def _opens_with_link(blocks: list[RawBlock], box: Container, here: Here) -> bool:
    """True if the container's text starts with a headline linking to another page: one item of a
    teaser list (a story's own container starts with its text, or with its headline, which links to
    the page itself if anywhere: a blog's permalink)."""
    inside = blocks_inside(blocks, box)
    if not inside or not is_headline_link(inside[0]):
        return False
    el = inside[0].element
    links = list(el.iter("a")) or list(el.iterancestors("a"))
    return not any(_path(a.get("href") or "") in here.paths for a in links)


def _path(url: str) -> str:
    return urlsplit(url.strip()).path.rstrip("/")


def _own_address(tree: Any, url: str | None) -> Here:
    """The page's own URL paths (not the site root) and hosts: its address, canonical link, ``og:url``."""
    urls = [url or ""]
    urls += [el.get("href") or "" for el in tree.iter("link") if (el.get("rel") or "").lower() == "canonical"]
    urls += [el.get("content") or "" for el in tree.iter("meta") if el.get("property") == "og:url"]
    hosts = (urlsplit(u.strip()).netloc.lower().removeprefix("www.") for u in urls)
    return Here(frozenset(p for p in map(_path, urls) if p), frozenset(h for h in hosts if h))


NEAR_LEVELS = 2  # the article a list follows is the list's container, or at most this many levels up
NEAR_GAIN = 2.0  # a container elsewhere must hold this many times the prose before the list to be the article


def _near_article(
    blocks: list[RawBlock], box: Container, listed: list[RawBlock], root: Any
) -> tuple[Any, int]:
    """The element the related-stories list follows as its article: the list's container, or one of
    its nearest ancestors, holding prose paragraphs (not teasers, few links) before the list's first
    teaser; with those paragraphs' characters. ``(None, 0)`` if there is too little such prose."""
    first = next(i for i, b in enumerate(blocks) if b is listed[0])
    prose = [b for b in blocks[:first] if _is_prose_block(b)]
    el = box.element
    for _ in range(NEAR_LEVELS + 1):
        chars = sum(len(b.text) for b in prose if _within(b.element, el))
        if chars >= LIST_REST_CHARS:
            return el, chars
        if el is root or el.getparent() is None:
            break
        el = el.getparent()
    return None, 0


def _is_prose_block(block: RawBlock) -> bool:
    return (
        block.kind == "paragraph" and len(block.text) >= REST_PARAGRAPH_CHARS
        and block.link_density < REST_LINKS and not is_teaser(block)
    )


def _prose(blocks: list[RawBlock], box: Container) -> int:
    return sum(len(b.text) for b in blocks_inside(blocks, box) if _is_prose_block(b))


def _disjoint(a: Any, b: Any) -> bool:
    return not _within(a, b) and not _within(b, a)


THREAD_HEAD_BLOCKS = 3  # a count of comments among the first blocks of a container opens it


def _thread_box(blocks: list[RawBlock], box: Container, furniture: Furniture) -> bool:
    """True if the chosen container opens with a line counting readers' comments (``274 Comments``):
    it is the comment thread, not the article; its blocks are then given no value so that the caller
    can choose again."""
    inside = blocks_inside(blocks, box)
    head = next((i for i, b in enumerate(inside[:THREAD_HEAD_BLOCKS]) if thread_head(b, furniture)), None)
    if head is None or sum(len(b.text) for b in inside[:head]) >= MIN_GOOD_CHARS:
        return False
    for block in inside:
        block.weight = 0.0
    return True


SKIPPED_MIN_CHARS = MIN_GOOD_CHARS  # a skipped subtree this large is recorded for the checks below
SHELTER_MIN_CHARS = 1000  # a content-named element of this much text inside a hinted wrapper shelters it
SHELTER_SHARE = 0.5  # ... if it holds this share of the wrapper's text


def _holds_content(el: Any, furniture: Furniture, size: int) -> bool:
    """True if a descendant named as article content (``post-body``, ``entry-content``; no furniture
    word) holds most of the hinted element's text: the hint is on a wrapper, not on furniture."""
    for sub in el.iterdescendants():
        if not isinstance(sub.tag, str) or sub.tag in ("script", "style"):
            continue
        attr = f"{sub.get('class') or ''} {sub.get('id') or ''}".strip()
        if not attr or not (furniture.words(attr) & furniture.positive) or furniture.hint(attr) is not None:
            continue
        inner = len(text_of(sub))
        if inner >= SHELTER_MIN_CHARS and inner >= SHELTER_SHARE * size:
            return True
    return False


def _hint(furniture: Furniture, cls: str, ident: str) -> str | None:
    """``hidden`` for a hiding class name, else the class/id hint (``negative``, ``mixed`` or None)."""
    if furniture.is_hidden_class(cls):
        return "hidden"
    return furniture.hint(f"{cls} {ident}".strip())


def _within(el: Any, container: Any) -> bool:
    while el is not None:
        if el is container:
            return True
        el = el.getparent()
    return False


def _chars(result: BodyResult) -> int:
    return sum(len(b.text) for b in result.blocks)


def extract_body(tree: Any, url: str | None, jsonld: Sequence[Any] | None = None) -> BodyResult:
    """Find the article body of a parsed page (pure; never raises on odd markup). ``jsonld``: the page's
    parsed JSON-LD when the caller has it (:func:`~warta.extract.meta_jsonld.parse_scripts`)."""
    furniture = load_furniture()
    if jsonld is None:
        jsonld = parse_scripts(jsonld_scripts(tree))
    reference = article_body(jsonld)
    description = _head_description(tree)  # read once: two checks below compare bodies with it
    skipped: list[tuple[Any, int]] = []  # every sizeable subtree the hints skipped
    here = _own_address(tree, url)
    result = _dom_body(tree, furniture, use_hints=True, dropped=skipped, here=here)
    dropped = [(el, size) for el, size in skipped if size >= SHELTER_MIN_CHARS]  # the large ones
    kept = _chars(result)  # a wrapper smaller than the body found cannot hold a much better one
    sheltered = [el for el, size in dropped if size > kept and _holds_content(el, furniture, size)]
    if sheltered:
        result = _second_reading(tree, furniture, result, sheltered, here)
    if dropped and result.strategy == "dom":
        result = _continuation(tree, furniture, result, dropped)
    kept = _chars(result)
    readings: dict[str, BodyResult] = {}  # the hint-free walk and the scored reading, made once when a check needs them

    def free_reading() -> BodyResult:
        if "free" not in readings:
            readings["free"] = _dom_body(tree, furniture, use_hints=False, here=here)
        return readings["free"]

    def scored_reading() -> BodyResult:
        if "scored" not in readings:
            readings["scored"] = _scored(tree, furniture, here.hosts)
        return readings["scored"]

    if kept < MIN_GOOD_CHARS:
        retry = free_reading()
        if _chars(retry) >= MIN_GOOD_CHARS and _chars(retry) > 2 * kept:
            voted = _vote(retry, [result, scored_reading()])
            if voted is result and any(size > kept for _, size in skipped):
                # the hints skipped more text than was kept: a witness, not the class words, decides
                pick = arbitrate(_reading(result), _reading(retry), _witnesses(tree, reference), tree)
                voted = retry if pick.name == retry.strategy else result
            result = voted
        elif result.node is not None:  # neither walk found enough: the scored reading, if a witness backs it
            other = _vote(result, [retry, scored_reading()], holds=True)
            if other is not result:  # the readings without hints agree with each other, not with this one
                chosen = arbitrate(_reading(result), _reading(other), _witnesses(tree, reference), tree)
                result = other if chosen.name == other.strategy else result
            else:
                result = _check(tree, result, scored_reading(), reference)
    elif any(size >= SCORED_GAIN * kept and _few_links(el, size) for el, size in dropped):  # prose elsewhere
        # a body the description does not back: the hint-free walk votes too (it costs a walk)
        undescribed = _undescribed(description, result)
        checked = _recheck(tree, result, free_reading(), scored_reading(), reference) if undescribed else result
        result = checked if checked is not result else _check(tree, result, scored_reading(), reference)
    if result.strategy == "dom" and kept >= MIN_GOOD_CHARS:
        if any(size > kept and _prose_chars(el) > kept for el, size in skipped):  # more prose skipped than kept
            result = _recheck(tree, result, free_reading(), scored_reading(), reference)
        elif kept >= HUGE_CHARS or (kept < SPARSE_CHARS and len(text_of(_root(tree))) >= SPARSE_SHARE * kept):
            result = _elsewhere(tree, result, scored_reading(), reference)
    if not reference:
        result = _described_elsewhere(
            tree, furniture, result, description, free_reading, scored_reading, [el for el, _ in skipped]
        )
    if has_embedded_data(tree):
        result = _embedded(tree, result)
    if reference:
        result = reconcile(result, reference)
    if 0 < _chars(result) < STRAY_MAX_CHARS and not reference and _unrelated(tree, result):
        # a stray line (a newsletter prompt on a photo page) is no article: its words are none of the page's
        lines = tuple(b.text for b in result.blocks)
        result = replace(result, blocks=(), furniture=result.furniture + lines, strategy=f"{result.strategy}-unrelated")
    return result


DESCRIBED = 0.5  # a reading holding this share of the description's words reads the described article
UNDESCRIBED = 0.2  # a body holding under this share of them may have read another text
DESCRIBED_OPENING = 2000  # characters of the body looked at first


def _described_elsewhere(
    tree: Any, furniture: Furniture, main: BodyResult, description: str, free: Callable[[], BodyResult],
    scored: Callable[[], BodyResult], skipped: Sequence[Any],
) -> BodyResult:
    """The main reading, unless it holds almost none of the meta description's words while a reading
    of another region that starts before it holds most of them (the hint-free walk, where a region the
    hints skipped holds them; else the scored reading): a privacy notice, another story's teaser or a
    reader's comment chosen by its markup is not the article the page describes. A generic
    description (the site's slogan) backs no reading and changes nothing; a reading that opens with a
    section heading or comes after the main one (readers' comments quote the article's words) is not
    taken."""
    if not _undescribed(description, main):
        return main
    # the hint-free walk reads what the hints skipped: worth a walk if a skipped region holds the description
    walk = any(agreement(description, text_of(el)) >= DESCRIBED for el in skipped)
    for reading in (free, scored) if walk else (scored,):
        other = reading()
        if (
            _chars(other) >= MIN_GOOD_CHARS and agreement(description, _text(other)) >= DESCRIBED
            and disjoint(_reading(main), _reading(other)) and not _opens_section(other, furniture)
            and _precedes(tree, other.node, main.node)
        ):
            return replace(other, strategy=f"{other.strategy}-described")
    return main


def _undescribed(description: str, result: BodyResult) -> bool:
    """The page has a meta description (``description``, from :func:`_head_description`) and the body
    holds almost none of its words."""
    if not description:
        return False
    # agreement(description, text), the body case-folded at once (this check runs on most pages); its
    # opening first, as the words found there are found in the whole
    words = {t.casefold() for t in TOKEN.findall(description) if len(t) > 3}
    text = _text(result)
    for part in (text[:DESCRIBED_OPENING], text) if len(text) > DESCRIBED_OPENING else (text,):
        if len(words & set(TOKEN.findall(part.casefold()))) >= UNDESCRIBED * len(words):
            return False
    return bool(words)


DESCRIPTION_KEYS = ("description", "og:description", "twitter:description")


def _head_description(tree: Any) -> str:
    """The first non-empty meta description of the page's ``<head>`` (read there only: this check runs
    on most pages, and a full :func:`read_head` walks the whole tree)."""
    head = tree.find("head") if tree.tag == "html" else None
    if head is None:
        return ""
    found: dict[str, str] = {}
    for el in head.iter("meta"):
        key = (el.get("name") or el.get("property") or "").strip().lower()
        content = (el.get("content") or "").strip()
        if key in DESCRIPTION_KEYS and content:
            found.setdefault(key, content)
    return next((found[key] for key in DESCRIPTION_KEYS if key in found), "")


def _precedes(tree: Any, first: Any, then: Any) -> bool:
    """``first`` starts before ``then`` in the page (or there is nothing to follow): a reading that
    starts after another is where readers' comments and footers sit."""
    if then is None:
        return True
    for el in tree.iter():
        if el is first:
            return True
        if el is then:
            return False
    return False


def _opens_section(result: BodyResult, furniture: Furniture) -> bool:
    """The reading opens with a section heading (``Comments``, ``Related stories``) or a count of
    comments: the readers' thread quotes the article's words, it is not the article."""
    first = result.blocks[0].text if result.blocks else ""
    return bool(furniture.is_stop(first) or furniture.is_thread(first))


STRAY_MAX_CHARS = 100  # a body this short may be a stray line (a heading, a prompt), not the article


def _unrelated(tree: Any, result: BodyResult) -> bool:
    """True when a short body shares no content word (nor, in CJK text, a pair of characters) with what
    the page says it is about (its description, titles and headline); a page that says nothing about
    itself cannot tell."""
    head = read_head(tree)
    h1 = " ".join(text_of(h) for h in tree.iter("h1"))
    stated = (head.first("description", "og:description", "twitter:description"),
              head.first("og:title", "twitter:title"), head.title, h1)
    about = " ".join(filter(None, stated))
    said, words = _content_keys(about), _content_keys(_text(result))
    return bool(said) and bool(words) and not said & words


_CJK = re.compile(f"[{CJK_CHARS}]")
_CJK_RUN = re.compile(f"[{CJK_CHARS}]{{2,}}")


def _content_keys(text: str) -> set[str]:
    """Words over three letters, case-folded; in CJK text (no spaces between words), character pairs."""
    keys = {t.casefold() for t in TOKEN.findall(text) if len(t) > 3 and not _CJK.search(t)}
    return keys | {run[i : i + 2] for run in _CJK_RUN.findall(text) for i in range(len(run) - 1)}


def _scored(tree: Any, furniture: Furniture, hosts: frozenset[str] = frozenset()) -> BodyResult:
    """The readability-style reading (``scored.py``) as a body, furniture lines moved out."""
    found = score_body(_root(tree))
    if found is None:
        return BodyResult(blocks=(), strategy="score")
    listed = {id(b) for start, end in teaser_runs(found.blocks, hosts) for b in found.blocks[start:end]}
    listed.update(id(b) for b in found.blocks if is_teaser(b))  # related-stories lists are no reading
    rest = [b for b in found.blocks if id(b) not in listed]
    blocks = [b for b in merge_datelines(rest) if not furniture.line_kind(b.text)]
    lines = tuple(b.text for b in rest if furniture.line_kind(b.text))
    blocks, images, captions = split_captions(blocks)
    return BodyResult(
        blocks=tuple(Block(b.kind, b.text) for b in blocks),  # type: ignore[arg-type]
        images=tuple(images), furniture=lines + tuple(captions), node=found.nodes[0], strategy="score",
    )


def _reading(result: BodyResult) -> Reading:
    return Reading(result.strategy, _text(result), result.node)


def _vote(main: BodyResult, others: list[BodyResult], holds: bool = False) -> BodyResult:
    """``main`` unless it agrees with none of ``others`` while two of them agree with each other
    (``holds``: see :func:`~warta.extract.choose.agreeing_pair`)."""
    pick = agreeing_pair(_reading(main), [_reading(o) for o in others], holds)
    if pick is None:
        return main
    return next(o for o in others if o.strategy == pick.name)


SCORED_GAIN = 3.0  # a skipped region (and the scored reading) must hold this many times the body's text


def _check(tree: Any, main: BodyResult, scored: BodyResult, reference: str | None) -> BodyResult:
    """The main reading against the scored one when they read different regions and the scored one
    holds much more text: a witness decides (the page's own article text, else its meta description,
    else its headline; see :func:`~warta.extract.choose.arbitrate`)."""
    if _chars(scored) < SCORED_GAIN * _chars(main) or not disjoint(_reading(main), _reading(scored)):
        return main
    pick = arbitrate(_reading(main), _reading(scored), _witnesses(tree, reference), tree)
    return scored if pick.name == scored.strategy else main


def _witnesses(tree: Any, reference: str | None) -> Witnesses:
    texts = [t for t in (reference, embedded_article(tree) if has_embedded_data(tree) else None) if t]
    head = read_head(tree)
    return Witnesses(
        texts, head.first("description", "og:description", "twitter:description"),
        [t for t in (head.first("og:title", "twitter:title"), head.title) if t],
    )


def _recheck(tree: Any, main: BodyResult, free: BodyResult, scored: BodyResult, reference: str | None) -> BodyResult:
    """The main reading when the hints skipped a region holding more text than it kept: the readings
    without hints (the hint-free walk, the scored reading) vote, and where they agree against the main
    reading (it holds little of either), a witness decides between the two (see :func:`_check`): class
    words alone do not overrule what the page's text and its own statements say."""
    pick = _vote(main, [free, scored], holds=True)
    if pick is main:  # no pair against it: the hint-free walk alone may still have read the article
        if _chars(free) < SECOND_READING_GAIN * _chars(main) or not disjoint(_reading(main), _reading(free)):
            return main
        pick = free
    else:  # the pair agrees, one perhaps a part of the other: a witness may prefer its partner
        partner = scored if pick is free else free
        if _chars(partner) and arbitrate(_reading(pick), _reading(partner), _witnesses(tree, reference), tree,
                                         headline=False).name == partner.strategy:
            pick = partner
    mine, theirs = _reading(main), _reading(pick)
    # where the main reading is a part of the other, both start at the headline: it cannot decide
    chosen = arbitrate(mine, theirs, _witnesses(tree, reference), tree, headline=not part_of(mine, theirs))
    return pick if chosen.name == pick.strategy else main


HUGE_CHARS = 20000  # a body this long may be the article with the comments or a whole page around it
SPARSE_CHARS = 1000  # a body shorter than this ...
SPARSE_SHARE = 10.0  # ... on a page holding this many times its text may be a blurb beside the article


def _elsewhere(tree: Any, main: BodyResult, scored: BodyResult, reference: str | None) -> BodyResult:
    """The main reading, found without any hint firing, against the scored one when the body is
    suspiciously long or short for its page and the two read different elements (neither holds the
    other; their words may still overlap, as comments share the story's words): a witness decides
    (see :func:`_check`). Comments under a story hold more prose than the story; the story's
    paragraphs share a parent, the comments' do not, and the story follows the headline."""
    if _chars(scored) < MIN_GOOD_CHARS or main.node is None or scored.node is None:
        return main
    if _within(scored.node, main.node) or _within(main.node, scored.node):
        return main  # one region, read wider or narrower: not this check's question
    pick = arbitrate(_reading(main), _reading(scored), _witnesses(tree, reference), tree)
    return scored if pick.name == scored.strategy else main


SECOND_READING_GAIN = 2.0  # the second reading must find this many times the text of the first


def _second_reading(
    tree: Any, furniture: Furniture, first: BodyResult, sheltered: list[Any], here: Here = NOWHERE
) -> BodyResult:
    """Read the page again walking the furniture-named wrappers that hold a content-named element, and
    take that reading only if it found a different region, much more text, and agrees at least as well
    with what the page says about itself (its description, else its title and headline)."""
    single = [el for el in sheltered if not _repeated(el)]
    if not single:
        return first
    second = _dom_body(tree, furniture, use_hints=True, shelter=frozenset(id(el) for el in single), here=here)
    if second.node is None or _chars(second) < SECOND_READING_GAIN * _chars(first):
        return first
    if first.node is not None and (_within(first.node, second.node) or _within(second.node, first.node)):
        return first  # the same region, only more or less of it: the first reading stands
    ref = self_description(tree)
    if ref and agreement(ref, _text(second)) <= agreement(ref, _text(first)):
        return first
    return replace(second, strategy="dom-shelter")


EMBEDDED_BELOW_CHARS = 500  # a DOM body shorter than this is checked against the embedded script data
EMBEDDED_PART_BELOW_CHARS = 1000  # ... and one shorter than this may be a part of the embedded article


def _embedded(tree: Any, dom: BodyResult) -> BodyResult:
    """Check the DOM body against the article text in the page's embedded script data (its largest
    candidate, or another that agrees much better with the page's description: a teaser list of other
    stories does not). The embedded text wins when the DOM body is a small part of it (the page renders
    a lead or a first part, the rest only by script); when the DOM body is short and the embedded text
    twice as long, or longer and agreeing clearly better with the description (script-rendered pages),
    unless the DOM body agrees better with the description (a short note beside other text in the
    data; a much longer embedded text that agrees with half of the description still wins); or when
    the DOM body is a different text altogether (under a third of the embedded text's runs of four
    words are in it) and the embedded text agrees clearly better with the description. A DOM body
    made of the description's own words (a standfirst) is no evidence for itself."""
    ref = self_description(tree)
    mine = _text(dom)
    chars = _chars(dom)
    short = chars < EMBEDDED_BELOW_CHARS
    if (chars >= EMBEDDED_PART_BELOW_CHARS
            and (not ref or agreement(ref, mine) + EMBEDDED_AGREEMENT_MARGIN > 1.0)):
        return dom  # the embedded text could not agree clearly better: no need to read it
    found = [t for t in embedded_texts(tree) if len(t) >= MIN_GOOD_CHARS]
    if not found:
        return dom
    text = found[0]
    if ref:  # a smaller candidate that agrees much better, where the largest agrees with nothing or is not much larger
        first = agreement(ref, text)
        others = [t for t in found[1:] if first < EMBEDDED_UNRELATED or 2 * len(t) >= len(text)]
        best = max(others, key=lambda t: agreement(ref, t), default=text)
        if agreement(ref, best) >= first + EMBEDDED_BETTER:
            text = best
    if dom.blocks and len(text) >= EMBEDDED_PART_GAIN * chars and _covered(mine, text) >= EMBEDDED_PART:
        return _from_embedded(dom, text)  # the DOM shows a part of the embedded article
    stated = agreement(ref, mine) if ref and _covered(mine, ref) < EMBEDDED_PART else 0.0
    if short:
        if len(text) < 2 * chars and not (
            ref and len(text) > chars and agreement(ref, text) >= stated + EMBEDDED_AGREEMENT_MARGIN
        ):
            return dom
        if ref and dom.blocks and agreement(ref, text) < stated:
            gain, agrees = len(text) / chars, agreement(ref, text)
            if not (gain >= EMBEDDED_PART_GAIN and agrees >= EMBEDDED_STATED
                    or gain >= EMBEDDED_MUCH_LONGER and agrees >= EMBEDDED_STATED / 2):
                return dom
    elif not (
        ref and _shingled(text, mine) < EMBEDDED_DISJOINT
        and (agreement(ref, text) >= stated + EMBEDDED_AGREEMENT_MARGIN
             or len(text) >= EMBEDDED_MUCH_LONGER * chars and agreement(ref, text) >= max(stated, EMBEDDED_STATED / 2))
    ):
        return dom
    return _from_embedded(dom, text)


def _from_embedded(dom: BodyResult, text: str) -> BodyResult:
    blocks = tuple(Block("paragraph", t) for t in map(normalize_text, text.split("\n\n")) if t)
    return replace(dom, blocks=blocks, strategy="embedded")


EMBEDDED_BETTER = 0.3  # another embedded candidate must agree this much better with the description
EMBEDDED_UNRELATED = 0.1  # a candidate with under this share of the description's words is another text
EMBEDDED_MUCH_LONGER = 8.0  # an embedded text this many times a short DOM body needs half of EMBEDDED_STATED
EMBEDDED_DISJOINT = 0.3
EMBEDDED_AGREEMENT_MARGIN = 0.2
EMBEDDED_PART_GAIN = 3.0  # an embedded text this many times the DOM body's length ...
EMBEDDED_PART = 0.8  # ... holding this share of its words: the DOM body is a part of it
EMBEDDED_STATED = 0.5  # an embedded text with this share of the description's words is the described article


SHINGLE = 4  # words: a run of this many words in both texts is a passage they share


def _shingled(reference: str, text: str) -> float:
    """The share of the reference's runs of four words that ``text`` also has: how much of it ``text``
    holds as text, not only as vocabulary (comments under a story use its words, not its sentences)."""
    ref, got = _shingles(reference), _shingles(text)
    return len(ref & got) / len(ref) if ref else 0.0


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = [w.casefold() for w in TOKEN.findall(text)]
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def _covered(reference: str, text: str) -> float:
    """The share of the reference's words (with multiplicity) that ``text`` also has."""
    ref, got = _tokens(reference), _tokens(text)
    total = sum(ref.values())
    return sum((ref & got).values()) / total if total else 0.0


def _continuation(
    tree: Any, furniture: Furniture, first: BodyResult, dropped: list[tuple[Any, int]]
) -> BodyResult:
    """A furniture-named block inside the chosen container that holds more prose than the body kept
    (a collapsed "read more" part of the article): read the same container again walking it, and take
    that reading if it finds at least twice the text."""
    node = first.node
    if node is None:
        return first
    kept = _chars(first)
    inside = [
        el for el, size in dropped
        if size > kept and _within(el, node) and not _repeated(el, REPEATED_LEVELS, loose=True)
        and _is_prose(el, size)
    ]
    if not inside:
        return first
    second = _dom_body(tree, furniture, use_hints=True, shelter=frozenset(id(el) for el in inside), force=node)
    if second.node is not node or _chars(second) < SECOND_READING_GAIN * kept:
        return first
    return replace(second, strategy="dom-continued")


PROSE_PARA_CHARS = 100  # a paragraph of at least this many characters reads as prose
PROSE_SHARE = 0.6  # ... and such paragraphs hold this share of an element's text


def _is_prose(el: Any, size: int) -> bool:
    """Article-like: at least three paragraphs of a sentence or more hold most of the text, few links."""
    long = [n for n in (len(text_of(p)) for p in el.iter("p")) if n >= PROSE_PARA_CHARS]
    links = sum(len(text_of(a)) for a in el.iter("a"))
    return len(long) >= 3 and sum(long) >= PROSE_SHARE * size and links < 0.2 * size


def _prose_chars(el: Any) -> int:
    """The text in the element's paragraphs of a sentence or more (``<p>`` of 100 characters)."""
    return sum(n for n in (len(text_of(p)) for p in el.iter("p")) if n >= PROSE_PARA_CHARS)


CHECK_LINK_SHARE = 0.2  # a skipped region with fewer links than this share of its text may be prose


def _few_links(el: Any, size: int) -> bool:
    return sum(len(text_of(a)) for a in el.iter("a")) < CHECK_LINK_SHARE * size


REPEATED_LEVELS = 3  # an element, its parent or grandparent repeated among siblings is a list item
ITEM_TAGS = frozenset(("li", "dd", "article"))


def _repeated(el: Any, levels: int = 1, loose: bool = False) -> bool:
    """True if the element (or, with ``levels`` > 1, an ancestor) has a sibling of the same tag and class
    (``loose``: the same first class name): one item of a list (comments, teasers), not a wrapper."""
    node = el
    for _ in range(levels):
        parent = node.getparent()
        if parent is None:
            return False
        key = _item_key(node, loose)
        if key is not None and any(sib is not node and _item_key(sib, loose) == key for sib in parent):
            return True
        node = parent
    return False


def _item_key(el: Any, loose: bool) -> tuple[str, str] | None:
    if not isinstance(el.tag, str):
        return None
    names = (el.get("class") or "").split()
    if names:
        return el.tag, names[0] if loose else " ".join(names)
    return (el.tag, "") if el.tag in ITEM_TAGS or not loose else None


def _text(result: BodyResult) -> str:
    return "\n".join(b.text for b in result.blocks)


def self_description(tree: Any) -> str:
    """What the page says it is about: its meta description, else its title(s) and h1."""
    head = read_head(tree)
    desc = head.first("description", "og:description", "twitter:description")
    if desc:
        return desc
    h1 = " ".join(text_of(h) for h in tree.iter("h1"))
    return " ".join(filter(None, (head.first("og:title", "twitter:title"), head.title, h1)))


def _tokens(text: str) -> Counter[str]:
    return Counter(TOKEN.findall(text))


def reconcile(result: BodyResult, reference: str) -> BodyResult:
    """Check the DOM body against the JSON-LD ``articleBody``.

    If the DOM body misses most of the reference, the reference paragraphs become the body. If the
    reference covers the DOM body well, DOM blocks that share little with it are dropped.
    """
    ref = _tokens(reference)
    dom = _tokens("\n".join(b.text for b in result.blocks))
    ref_total, dom_total = sum(ref.values()), sum(dom.values())
    common = sum((ref & dom).values())
    recall = common / ref_total if ref_total else 0.0
    precision = common / dom_total if dom_total else 0.0
    if recall < 0.5 and ref_total > 1.3 * dom_total:
        blocks = tuple(Block("paragraph", t) for t in map(normalize_text, reference.splitlines()) if t)
        return replace(result, blocks=blocks, strategy="jsonld")
    if recall < 0.85 or precision < 0.6:
        return result
    vocab = set(ref)
    kept: list[Block] = []
    dropped: list[str] = []
    for block in result.blocks:
        words = TOKEN.findall(block.text)
        share = sum(1 for w in words if w in vocab) / len(words) if words else 0.0
        if share >= 0.5:
            kept.append(block)
        else:
            dropped.append(block.text)
    if len(kept) == len(result.blocks):
        return result
    return replace(result, blocks=tuple(kept), furniture=result.furniture + tuple(dropped), strategy="dom+jsonld")


__all__ = ["BodyResult", "RawBlock", "extract_body"]
