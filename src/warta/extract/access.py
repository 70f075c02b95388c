"""Access status: does the page show the whole story, and does it say the story is for subscribers?

``classify_access`` is pure and generic (no site is named here): it reads

- the publisher's declarations: JSON-LD ``isAccessibleForFree`` (on the article or on a ``hasPart``),
  the same as microdata, and ``<meta property="article:content_tier">`` (``locked``/``metered``/``free``);
- signs that the visible body is a cut-off preview: a JSON-LD ``articleBody`` much longer than the
  visible text, a "continue reading" call where the text stops, a subscribe wall;
- premium phrases ("Konten Premium", "subscribers only") next to the body or inside a wall element.

The phrases are language data (``[access]`` in ``warta/lang/<code>.toml``), the wall class names and
thresholds are in ``warta/lang/access.toml``. Verdicts:

=============  ====================================================================
``paywalled``  the page says the story is for subscribers and shows only a preview
``teaser``     the visible body is a cut-off preview (no subscriber statement)
``metered``    the page says it is for subscribers (or counts free reads) yet shows it all
``free``       none of the above
=============  ====================================================================

The evidence behind the verdict goes to ``provenance["access"]``. Nothing here tries to get
around a wall: the article keeps what the page shows.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from lxml import etree

from warta import lang
from warta.extract.meta_jsonld import flatten
from warta.extract.meta_tags import HeadFacts
from warta.extract.text import normalize_text, text_of
from warta.model import Access, Block

_SKIP_TAGS = frozenset({"script", "style", "noscript", "template"})
_NEAR_TEXTS = 30  # text nodes read after the body for wall and cut phrases
_CUT_MAX_CHARS = 80  # a "continue reading" call is a short line of its own
_ZONE_MAX_CHARS = 400
_WORD = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class AccessRules:
    premium: re.Pattern[str]
    cut: re.Pattern[str]
    rest: re.Pattern[str]
    wall_classes: re.Pattern[str]
    short_body_words: int
    jsonld_ratio: float
    jsonld_extra_words: int


@dataclass(frozen=True, slots=True)
class AccessVerdict:
    access: Access
    evidence: str


def _alternation(phrases: Iterable[str]) -> re.Pattern[str]:
    unique = sorted({p.strip().lower() for p in phrases if p.strip()}, key=len, reverse=True)
    if not unique:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in unique) + r")(?!\w)", re.IGNORECASE)


@functools.cache
def load_rules() -> AccessRules:
    """Every language's ``[access]`` phrases (a wall may be in another language than the guess)."""
    premium: list[str] = []
    cut: list[str] = []
    rest: list[str] = []
    for code in lang.available():
        table = lang.load(code).get("access", {})
        premium += table.get("premium", [])
        cut += table.get("cut", [])
        rest += table.get("rest", [])
    markup = lang.load("access")
    return AccessRules(
        premium=_alternation(premium),
        cut=_alternation(cut),
        rest=_alternation(rest),
        wall_classes=re.compile("|".join(re.escape(c.lower()) for c in markup["wall_classes"])),
        short_body_words=int(markup["short_body_words"]),
        jsonld_ratio=float(markup["jsonld_ratio"]),
        jsonld_extra_words=int(markup["jsonld_extra_words"]),
    )


# -- declarations ---------------------------------------------------------------------------------
def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _ld_objects(documents: Sequence[Any]) -> Iterator[dict[str, Any]]:
    for doc in documents:
        yield from flatten(doc, ("@graph", "hasPart", "mainEntity"))


def declared(head: HeadFacts, documents: Sequence[Any]) -> tuple[str | None, str]:
    """(``locked``/``metered``/``free`` or None, the source) from JSON-LD, microdata and meta tags."""
    flags = [
        _flag(v) for obj in _ld_objects(documents) for k, v in obj.items() if k.lower() == "isaccessibleforfree"
    ]
    known = [f for f in flags if f is not None]
    if known:
        return ("free" if all(known) else "locked"), "jsonld:isAccessibleForFree"
    micro = _flag(head.first("isaccessibleforfree"))
    if micro is not None:
        return ("free" if micro else "locked"), "microdata:isAccessibleForFree"
    tier = (head.first("article:content_tier") or "").strip().lower()
    if tier in ("locked", "metered", "free"):
        return tier, "meta:content_tier"
    return None, ""


def jsonld_body_words(documents: Sequence[Any]) -> int:
    """Words in the longest JSON-LD ``articleBody`` (0 when there is none)."""
    bodies = (obj.get("articleBody") for obj in _ld_objects(documents))
    return max((len(b.split()) for b in bodies if isinstance(b, str)), default=0)


# -- the page around the body ---------------------------------------------------------------------
def _visible(node: Any) -> bool:
    parent = node.getparent()
    return parent is None or node.is_tail or parent.tag not in _SKIP_TAGS


def following_pieces(body_node: Any) -> Iterator[tuple[str, Any]]:
    """The non-empty visible text pieces after the body container in document order, each with the
    element holding it (a walk over the following siblings of the body and of its ancestors, so a
    page costs only as much as is read)."""
    current = body_node
    while current is not None:
        if current.tail and current.tail.strip():
            yield current.tail, current.getparent()
        for sibling in current.itersiblings():
            for el in sibling.iter():
                tag = el.tag if isinstance(el.tag, str) else ""
                if tag and tag not in _SKIP_TAGS and el.text and el.text.strip() and not _hidden_in(el, sibling):
                    yield el.text, el
                if el is not sibling and el.tail and el.tail.strip() and not _hidden_in(el.getparent(), sibling):
                    yield el.tail, el.getparent()
            if sibling.tail and sibling.tail.strip():
                yield sibling.tail, sibling.getparent()
        current = current.getparent()


def _hidden_in(el: Any, top: Any) -> bool:
    """True when ``el`` sits inside a script or style below ``top``."""
    while el is not None:
        if isinstance(el.tag, str) and el.tag in _SKIP_TAGS:
            return True
        if el is top:
            return False
        el = el.getparent()
    return False


def texts_after(body_node: Any, limit: int = _NEAR_TEXTS) -> list[str]:
    """The first ``limit`` non-empty text pieces after the body container, in document order."""
    if body_node is None:
        return []
    return [normalize_text(text) for text, _ in islice(following_pieces(body_node), limit)]


def page_words(tree: Any) -> int:
    """Words of all the text the page shows (scripts and styles left out)."""
    pieces = tree.xpath("//body//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript)]")
    return sum(len(str(p).split()) for p in pieces)


def _link_of(el: Any) -> Any:
    for _ in range(3):
        if el is None:
            return None
        if el.tag == "a":
            return el
        el = el.getparent()
    return None


def calls_after(body_node: Any, limit: int = 2) -> list[str]:
    """The texts of links among the first ``limit`` text pieces right after the body, outside lists
    ("Baca selengkapnya" where the text stops leads elsewhere; a "Continue reading" *button* only
    unfolds text the page already holds; a related-stories list repeats "Baca selengkapnya")."""
    if body_node is None:
        return []
    out = []
    for text, holder in islice(following_pieces(body_node), limit):
        link = _link_of(holder)
        if link is None or (link.get("href") or "#").strip() in ("", "#"):
            continue
        if not any(a.tag == "li" for _, a in zip(range(3), link.iterancestors(), strict=False)):
            out.append(normalize_text(text))
    return out


def wall_texts(tree: Any, rules: AccessRules) -> list[str]:
    """The text of every element whose class or id names a paywall or subscribe wall."""
    out = []
    search = rules.wall_classes.search
    for el in tree.iter(etree.Element):
        # lower-cased here: a case-blind regex is slower; no generator: this runs for every element
        cls, ident = el.get("class"), el.get("id")
        if (cls and search(cls.lower())) or (ident and search(ident.lower())):
            text = normalize_text(text_of(el)) if el.tag not in _SKIP_TAGS else ""
            if text:
                out.append(text[:2000])
    return out


def _first(pattern: re.Pattern[str], texts: Iterable[str], max_chars: int, *, whole: bool = False) -> str | None:
    """The first phrase of ``pattern`` found in ``texts`` (``whole``: the phrase is all the text but
    punctuation, as a "Continue reading" link is; "Continue reading the main story" is not one)."""
    for text in texts:
        if len(text) <= max_chars:
            found = pattern.search(text)
            if found and (not whole or not _WORD.search(text[: found.start()] + text[found.end():])):
                return found.group(0).lower()
    return None


@dataclass(frozen=True, slots=True)
class Signals:
    """What the page shows and says, gathered by :func:`read_signals`."""

    declared: str | None
    declared_by: str
    visible_words: int
    jsonld_words: int
    premium: str | None
    cut: str | None
    page_words: int | None = None  # all the text the page shows, counted when the body came from JSON-LD


def read_signals(
    tree: Any, body_node: Any, blocks: Sequence[Block], furniture: Sequence[str], head: HeadFacts,
    documents: Sequence[Any], strategy: str = "dom",
) -> Signals:
    rules = load_rules()
    tail = [b.text for b in blocks[-2:]]
    near = [*tail, *furniture, *texts_after(body_node)]
    state, source = declared(head, documents)
    visible = sum(len(b.text.split()) for b in blocks)
    # a wall far from the text matters where the page says it is not free or shows little; a long
    # readable page is not scanned (the scan costs as much as the body stage)
    walls = wall_texts(tree, rules) if state in ("locked", "metered") or visible < 2 * rules.short_body_words else []
    return Signals(
        declared=state,
        declared_by=source,
        visible_words=visible,
        jsonld_words=jsonld_body_words(documents),
        premium=_first(rules.premium, [*near, *walls], _ZONE_MAX_CHARS),
        cut=_first(rules.cut, [*tail[-1:], *calls_after(body_node)], _CUT_MAX_CHARS, whole=True)
        or _first(rules.rest, [*tail, *furniture, *near[len(tail):], *walls], _ZONE_MAX_CHARS),
        page_words=page_words(tree) if strategy == "jsonld" else None,
    )


def decide(s: Signals, rules: AccessRules | None = None) -> AccessVerdict:
    """The verdict from the signals (see the module docstring)."""
    rules = rules or load_rules()
    said: list[str] = []  # the page says the story is for subscribers
    if s.declared == "locked":
        said.append(s.declared_by)
    if s.premium:
        said.append(f"marker:{s.premium}")
    cut: list[str] = []  # the visible body is a preview
    # a body taken from JSON-LD is compared with all the text the page shows: the body finder may
    # have missed an article that is there (odd markup), which is no preview
    shown = s.visible_words if s.page_words is None else s.page_words
    longer = max(shown * rules.jsonld_ratio, shown + rules.jsonld_extra_words)
    if s.jsonld_words and s.jsonld_words >= longer:
        cut.append("jsonld:articleBody-longer-than-visible")
    if s.cut:
        cut.append(f"cut:{s.cut}")
    if said and not cut and s.visible_words < rules.short_body_words:
        cut.append("short-body")
    if said and cut:
        return AccessVerdict("paywalled", "+".join(said + cut))
    if cut:
        return AccessVerdict("teaser", "+".join(cut))
    if said or s.declared == "metered":
        return AccessVerdict("metered", "+".join(said or [s.declared_by]) + "+full-body")
    return AccessVerdict("free", s.declared_by or "no-wall-signals")


def classify_access(
    tree: Any, body_node: Any, blocks: Sequence[Block], furniture: Sequence[str], head: HeadFacts,
    documents: Sequence[Any], strategy: str = "dom",
) -> AccessVerdict:
    """The access status of one parsed page (pure; see the module docstring). ``strategy`` is the
    body stage's: ``jsonld`` means the visible text was a fraction of the JSON-LD ``articleBody``."""
    return decide(read_signals(tree, body_node, blocks, furniture, head, documents, strategy))
