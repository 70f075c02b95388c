"""Related-stories lists for ``scramble_eval.py``: the ``teasers`` and ``teaserpage`` variants.

An unseen publisher's article page often ends with a list of other stories (a heading such as
"Baca Juga", "Lesen Sie auch", "Read more", then blocks of a linked headline and a one- or two-sentence
summary). An extractor may append that list to the body, or take the list for the article when the
article is short. The variants build such pages from the dev sets themselves:

- ``teasers``: the ``scrambled`` page with, inside the innermost common container of the gold paragraphs
  (found as ``mislead()`` finds them, keeping those whose text the gold holds verbatim
  when there are two such) and right after the last of them, a heading in the page's language
  and 4-8 teaser blocks. Each teaser is another page of the same set (its real title, and the first one
  or two sentences of its gold body as summary), so the list is real prose in the page's language when
  the set has pages in it; links point to other URLs of the page's site. The truth is unchanged.
- ``teaserpage``: the same with the article cut after its second gold paragraph (everything after it
  in the container goes) and 10-15 teasers: the "whole result is the list" case. The truth is the text
  of the two kept paragraphs; a page with fewer than three gold paragraphs keeps its whole article and
  its truth (the list is still long). Scripts that still carry the cut article (JSON-LD ``articleBody``,
  app state) are removed, as the page of a short article would not hold a longer one.

Three teaser shapes, one per page (seeded), as real sites write them:
``<div><a href><h3>title</h3></a><p>summary</p></div>``, ``<li><a href>title</a> <span>summary</span></li>``
(in a ``<ul>``), ``<article><h2><a href>title</a></h2><p>summary</p><time>date</time></article>``.
Class names are random tokens like the rest of the scrambled page (one per role, so the items of a
list share theirs, as on real sites). Everything is seeded by set and page id.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
from scramble_eval import (
    MIN_GOLD_CHARS,
    TOKEN,
    _gold_paragraphs,
    _parse,
    _Renamer,
    _scramble_tree,
    _serialize,
)

from warta.extract.eval import Page

TEASER_VARIANTS = ("teasers", "teaserpage")

# Labels real sites put over such lists, by language (the first subtag of the page's language).
LABELS: dict[str, tuple[str, ...]] = {
    "en": ("Read more", "More stories", "Related stories", "You may also like", "More from this section"),
    "id": ("Baca Juga", "Berita Terkait", "Artikel Terkait", "Berita Lainnya", "Baca Juga:"),
    "de": ("Lesen Sie auch", "Mehr zum Thema", "Das könnte Sie auch interessieren", "Weitere Artikel"),
    "fr": ("Plus d'articles", "À lire aussi", "Sur le même sujet", "Lire aussi"),
    "es": ("Te puede interesar", "Más noticias", "Noticias relacionadas", "Lee también"),
    "it": ("Leggi anche", "Articoli correlati", "Potrebbe interessarti"),
    "nl": ("Lees ook", "Meer nieuws", "Gerelateerde artikelen"),
    "pt": ("Leia também", "Notícias relacionadas", "Mais notícias"),
    "da": ("Læs også", "Mere fra sektionen"),
    "sv": ("Läs också", "Mer om ämnet"),
    "no": ("Les også", "Mer fra"),
    "pl": ("Czytaj także", "Zobacz też"),
    "tr": ("İlgili Haberler", "Bunlar da ilginizi çekebilir"),
    "ru": ("Читайте также", "Другие новости"),
    "zh": ("相关新闻", "延伸阅读"),
    "ja": ("関連記事", "あわせて読みたい"),
    "ar": ("اقرأ أيضا", "أخبار ذات صلة"),
}
SHAPES = ("div", "li", "article")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")  # a title in these has no spaces
SENTENCE_END = re.compile(r"(?<=[。！？])\s*|(?<=[.!?])\s+")  # CJK sentences end without a space
SUMMARY_MAX = 280  # a second sentence is added while the summary stays this short
SUMMARY_CUT = 300  # a first sentence longer than this is cut at a word and ended with an ellipsis
MIN_SUMMARY = 40
PROSE_CHARS = 80  # a gold paragraph this long is prose, not a headline, byline or dateline line
CJK_PROSE_CHARS = 30
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def language(page: Page, doc: Any) -> str:
    """The page's language: the truth's ``lang``, else the ``lang`` attribute of ``<html>``."""
    lang = str(page.truth.get("lang") or doc.get("lang") or doc.get("xml:lang") or "en")
    return lang.split("-")[0].split("_")[0].lower() or "en"


def summary(body: str, title: str = "") -> str:
    """The first one or two sentences of a gold body's first paragraph of prose (a headline, byline or
    dateline line that some gold bodies start with is skipped; else the body from its start)."""
    paras = [" ".join(p.split()) for p in body.split("\n")]
    prose = [p for p in paras if p != title and (len(p) >= PROSE_CHARS or len(CJK.findall(p)) >= CJK_PROSE_CHARS)]
    sentences = [s for s in SENTENCE_END.split(prose[0] if prose else " ".join(body.split())) if s]
    if not sentences:
        return ""
    text = sentences[0]
    if len(text) > SUMMARY_CUT:
        text = text[:SUMMARY_CUT].rsplit(" ", 1)[0] + " …"
    elif len(sentences) > 1 and (len(text) < MIN_SUMMARY or len(text) + len(sentences[1]) + 1 <= SUMMARY_MAX):
        text = f"{text}{'' if text[-1] in '。！？' else ' '}{sentences[1]}"
    return text if len(text) >= MIN_SUMMARY else ""


def _slug(title: str) -> str:
    return "-".join(TOKEN.findall(title.lower()))[:80] or "story"


class _Sources:
    """Other pages of the set as teasers (title, summary), those in the page's language first."""

    def __init__(self, pages: Sequence[Page]) -> None:
        self.items: list[tuple[str, str, str, str]] = []  # (page id, lang, title, summary)
        for p in pages:
            title = " ".join(str(p.truth.get("title") or "").split())
            text = summary(str(p.truth.get("body") or ""), title)
            if (len(title.split()) >= 3 or len(CJK.findall(title)) >= 8) and len(title) <= 160 and text:
                lang = str(p.truth.get("lang") or "en").split("-")[0].lower()
                self.items.append((p.id, lang, title, text))

    def pick(self, rng: random.Random, page_id: str, lang: str, n: int) -> list[tuple[str, str]]:
        same = [(t, s) for pid, lg, t, s in self.items if pid != page_id and lg == lang]
        other = [(t, s) for pid, lg, t, s in self.items if pid != page_id and lg != lang]
        rng.shuffle(same)
        rng.shuffle(other)
        return (same + other)[:n]


def _el(tag: str, names: _Renamer, role: str, text: str | None = None, **attrs: str) -> Any:
    el = lxml.html.Element(tag)
    el.set("class", names.token(f"teaser-role:{role}"))
    for k, v in attrs.items():
        el.set(k, v)
    if text is not None:
        el.text = text
    return el


def teaser_list(
    rng: random.Random, names: _Renamer, lang: str, origin: str, items: Sequence[tuple[str, str]]
) -> Any:
    """The related-stories box: a heading in the page's language and one teaser per item."""
    box = _el("div", names, "box")
    label = rng.choice(LABELS.get(lang, LABELS["en"]))
    heading = rng.choice(("h2", "h3", "div"))
    if heading == "div":
        head = _el("div", names, "label")
        head.append(_el("span", names, "label-text", label))
    else:
        head = _el(heading, names, "label", label)
    box.append(head)
    shape = rng.choice(SHAPES)
    holder = _el("ul", names, "list") if shape == "li" else box
    if holder is not box:
        box.append(holder)
    for title, text in items:
        href = f"{origin}/{rng.choice(('news', 'read', 'berita', 'artikel', '2021'))}/{rng.randrange(10**5, 10**7)}/{_slug(title)}"
        if shape == "div":
            item = _el("div", names, "item")
            link = _el("a", names, "link", href=href)
            link.append(_el("h3", names, "title", title))
            item.append(link)
            item.append(_el("p", names, "summary", text))
        elif shape == "li":
            item = _el("li", names, "item")
            link = _el("a", names, "link", title, href=href)
            link.tail = " "
            item.append(link)
            item.append(_el("span", names, "summary", text))
        else:
            item = _el("article", names, "item")
            h2 = _el("h2", names, "title")
            h2.append(_el("a", names, "link", title, href=href))
            item.append(h2)
            item.append(_el("p", names, "summary", text))
            day, month, year = rng.randrange(1, 29), rng.randrange(12), rng.randrange(2015, 2025)
            item.append(_el("time", names, "time", f"{day} {MONTHS[month]} {year}",
                            datetime=f"{year}-{month + 1:02d}-{day:02d}"))
        holder.append(item)
    return box


def _norm(text: str) -> str:
    return " ".join(text.split())


def _article_paragraphs(doc: Any, body: str) -> list[Any]:
    """The gold paragraphs whose text the gold body holds verbatim (a menu item made of gold words is
    not one); ``_gold_paragraphs`` as it is where fewer than two are found so."""
    found = _gold_paragraphs(doc, Counter(TOKEN.findall(body)))
    gold = _norm(body)
    strict = [p for p in found if len(_norm(p.text_content())) >= MIN_GOLD_CHARS and _norm(p.text_content()) in gold]
    return strict if len(strict) >= 2 else found


def _common(paras: Sequence[Any]) -> Any:
    """The innermost element holding every gold paragraph (a lone paragraph's parent)."""
    chains = [list(p.iterancestors()) for p in paras]
    common = set(map(id, chains[0])).intersection(*(set(map(id, c)) for c in chains[1:]))
    return next((a for a in chains[0] if id(a) in common), None)


def _child_holding(top: Any, el: Any) -> Any:
    while el.getparent() is not top:
        el = el.getparent()
    return el


def _cut_after(el: Any, top: Any) -> None:
    """Remove everything after ``el`` inside ``top`` (its following siblings, and its ancestors')."""
    node = el
    while node is not top:
        parent = node.getparent()
        for sib in list(node.itersiblings()):
            parent.remove(sib)
        node.tail = None
        node = parent


SCRIPT_SHARE = 0.5  # a script holding this share of the cut paragraphs' words carries the whole article


def _drop_copies(doc: Any, cut: Sequence[Any]) -> None:
    """Remove the scripts that still carry the cut article (JSON-LD ``articleBody``, app state): a page
    whose article is short says so there too. Their other data (metadata) goes with them."""
    words = {w for p in cut for w in TOKEN.findall(p.text_content()) if len(w) >= 4}
    if not words:
        return
    for script in list(doc.iter("script")):
        found = words & set(TOKEN.findall(script.text or ""))
        if len(found) >= SCRIPT_SHARE * len(words) and script.getparent() is not None:
            script.drop_tree()


def build(page: Page, seed: str, variant: str, sources: _Sources) -> tuple[str, dict[str, Any]]:
    """The variant's page HTML and truth (see the module docstring)."""
    try:
        doc = _parse(page.html)
    except (lxml.etree.ParserError, ValueError):
        return page.html, page.truth
    names = _Renamer(seed)
    rng = random.Random(hashlib.sha256(f"teasers:{seed}".encode()).hexdigest())
    _scramble_tree(doc, names)
    truth = page.truth
    paras = _article_paragraphs(doc, page.truth["body"])
    if not paras:
        return _serialize(doc), truth
    top = _common(paras) if len(paras) > 1 else paras[0].getparent()
    if top is None:
        return _serialize(doc), truth
    last = paras[-1]
    if variant == "teaserpage" and len(paras) >= 3:
        last = paras[1]
        _cut_after(last, top)
        _drop_copies(doc, paras[2:])
        kept = "\n\n".join(_norm(p.text_content()) for p in paras[:2])
        truth = {**page.truth, "body": kept, "body_required": None}
    count = rng.randint(10, 15) if variant == "teaserpage" else rng.randint(4, 8)
    parts = urlsplit(page.url or "https://example.com/")
    origin = f"{parts.scheme or 'https'}://{parts.netloc or 'example.com'}"
    items = sources.pick(rng, page.id, language(page, doc), count)
    box = teaser_list(rng, names, language(page, doc), origin, items)
    _child_holding(top, last).addnext(box)  # after the paragraph's text and its tail
    return _serialize(doc), truth


def teaser_pages(set_name: str, pages: Sequence[Page], variant: str) -> list[Page]:
    """Every page of the set as the ``teasers`` or ``teaserpage`` variant."""
    sources = _Sources(pages)
    out = []
    for p in pages:
        html, truth = build(p, f"{set_name}/{p.id}", variant, sources)
        out.append(Page(p.id, p.url, html, truth))
    return out
