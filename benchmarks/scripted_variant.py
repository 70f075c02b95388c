"""The ``scripted`` probe variant: the article is rendered by script, its text only in embedded data.

Starting from the ``scrambled`` page, the elements of the gold article (paragraph-like elements whose
text is mostly gold words, as ``mislead()`` finds them; the short gold headings and the pictures between
them) are taken out of the DOM; an empty root ``<div id="c...">`` is left where the article was, with the
rest of the page (navigation, headline, teasers, footer) around it. The article then travels in a script
the way client-side frameworks ship it, one shape per page, chosen by a seeded draw:

- ``next``: ``<script id="__NEXT_DATA__" type="application/json">`` (Next.js pages router):
  ``props.pageProps.article`` with id, slug, title, authors, hero image, the body as one HTML string
  (``<p>..</p><h2>..</h2><figure>..</figure>``), tags, and a ``related`` list of other stories
  (title, summary, URL, image), plus navigation and a most-read list in ``pageProps``.
- ``flight``: React server component rows (Next.js app router) in ``self.__next_f.push([1,"..."])``
  chunks: module rows (``2:I[...]``), then either the article as an element tree with each paragraph's
  text as string children (links split a paragraph into several strings) or the article HTML as a text
  row (``6:T<hex length>,<html>``) referenced by ``dangerouslySetInnerHTML``; the stream is cut into
  several pushes, a long row sometimes in the middle, as a streamed response is.
- ``nuxt``: Nuxt 2 ``window.__NUXT__=(function(a,b,...){return {...}}(...))`` (a JS object literal,
  repeated values hoisted into the arguments, ``<`` written ``\\u003C``), or Nuxt 3
  ``<script type="application/json" id="__NUXT_DATA__">`` (devalue: one flat array, every object's
  values given as indexes into it, repeated strings stored once).
- ``state``: ``window.__INITIAL_STATE__ = {...}`` (a Redux store), the body as a list of blocks
  ``{"type": "paragraph", "text": ...}`` with image and embed blocks between, teaser lists beside;
  sometimes as ``JSON.parse("...")`` of an escaped string.

In half the pages (seeded) the JSON-LD ``articleBody`` is removed, so the embedded data alone carries the
text. A page where no gold element is found is served as ``scrambled``.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import lxml.etree
import lxml.html

SHAPES = ("next", "flight", "nuxt", "state")
TOKEN = re.compile(r"\w+")
XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
Script = tuple[dict[str, str], str]  # a script element's attributes and text
HEADING_TAGS = ("h2", "h3", "h4", "h5", "h6", "li", "p", "blockquote")


@dataclass(frozen=True, slots=True)
class Teaser:
    """Another story of the same set, as a teaser list shows it."""

    title: str
    summary: str
    url: str


@dataclass(frozen=True, slots=True)
class Part:
    """One element of the article, in reading order: a paragraph, a heading or a picture."""

    kind: str  # "p", "h2", "img"
    text: str  # plain text (for pictures: the caption)
    html: str  # inner HTML of the paragraph (links and emphasis kept); for pictures the src
    runs: tuple[tuple[str, str], ...] = ()  # (text, href) runs when the paragraph holds links (href "" for plain text)


def teaser_pool(pages: Sequence[Any]) -> list[Teaser]:
    """Title and first gold paragraph of each page of a set: the other stories a teaser list shows."""
    pool = []
    for p in pages:
        body = str(p.truth.get("body") or "")
        first = next((s.strip() for s in body.split("\n") if len(s.strip()) > 60), "")
        title = str(p.truth.get("title") or "")
        if title and first:
            pool.append(Teaser(title, first[:300], p.url or f"https://example.test/{p.id}"))
    return pool


def scripted(
    scrambled_html: str, seed: str, truth: dict[str, Any], pool: Sequence[Teaser],
    gold_paragraphs: Callable[[Any, Counter[str]], list[Any]],
) -> str:
    """The scrambled page with its article moved from the DOM into embedded script data."""
    try:
        doc = lxml.html.document_fromstring(XML_DECL.sub("", scrambled_html, count=1) or "<html></html>")
    except (lxml.etree.ParserError, ValueError):
        return scrambled_html
    rng = random.Random(hashlib.sha256(f"scripted:{seed}".encode()).hexdigest())
    gold = Counter(TOKEN.findall(str(truth.get("body") or "")))
    paras = gold_paragraphs(doc, gold)
    if not paras:
        return scrambled_html
    parts, root_at = _take_out(doc, paras, gold)
    if not parts:
        return scrambled_html
    root_id = f"c{rng.randrange(10**6, 10**7)}"
    anchor_parent, anchor_index = root_at
    anchor_parent.insert(anchor_index, lxml.html.fromstring(f'<div id="{root_id}"></div>'))
    if rng.random() < 0.5:
        _drop_article_body(doc)
    title = str(truth.get("title") or _page_title(doc) or "Untitled")
    teasers = rng.sample(list(pool), min(len(pool), rng.randint(4, 9)))
    teasers = [t for t in teasers if t.title != title]
    story = _Story(rng, title, str(truth.get("url") or ""), list(truth.get("authors") or []),
                   str(truth.get("published") or ""), parts, teasers, root_id)
    shape = rng.choice(SHAPES)
    scripts = {"next": story.next_data, "flight": story.flight, "nuxt": story.nuxt, "state": story.state}[shape]()
    body = doc.find("body")
    host = body if body is not None else doc
    for attrs, text in scripts:
        el = lxml.html.Element("script", attrs)
        el.text = text
        host.append(el)
    return str(lxml.html.tostring(doc, encoding="unicode", doctype=doc.getroottree().docinfo.doctype or None))


def _page_title(doc: Any) -> str:
    el = doc.find(".//title")
    return " ".join((el.text_content() if el is not None else "").split())


def _take_out(doc: Any, paras: list[Any], gold: Counter[str]) -> tuple[list[Part], tuple[Any, int]]:
    """Remove the article's elements from the DOM; return them as parts in reading order, and where the
    first one was (parent, index) for the empty root."""
    chains = [list(p.iterancestors()) for p in paras]
    common = set(map(id, chains[0])).intersection(*(set(map(id, c)) for c in chains[1:]))
    top = next((a for a in chains[0] if id(a) in common), None)
    chosen = {id(p) for p in paras}
    every = list(doc.iter())  # kept alive: lxml proxies (and their ids) last only while referenced
    order = {id(el): i for i, el in enumerate(every)}
    extra: list[Any] = []
    if top is not None and top.tag not in ("html",):
        for el in top.iter(*HEADING_TAGS, "figure", "img"):
            if id(el) in chosen or any(id(a) in chosen for a in el.iterancestors()):
                continue
            if any(_contains(el, p) for p in paras):
                continue
            if el.tag in ("figure", "img"):
                if el.tag == "img" and any(a.tag == "figure" for a in el.iterancestors()):
                    continue
                if _between(el, paras, order):
                    extra.append(el)
                continue
            words = TOKEN.findall(el.text_content())
            if words and all(w in gold for w in words) and _between(el, paras, order):
                extra.append(el)  # a short gold heading or line between the paragraphs
    items = sorted(paras + extra, key=lambda el: order[id(el)])
    first = items[0]
    parent = first.getparent()
    at = (parent, parent.index(first))
    parts = [_part(el) for el in items]
    for el in reversed(items):
        el.drop_tree()  # keeps the tail text in place
    # the index of the first element is still right: only it and later siblings were removed before it
    return [p for p in parts if p.text or p.kind == "img"], at


def _contains(outer: Any, inner: Any) -> bool:
    return any(a is outer for a in inner.iterancestors())


def _between(el: Any, paras: list[Any], order: dict[int, int]) -> bool:
    at = order[id(el)]
    return order[id(paras[0])] < at < order[id(paras[-1])]


def _part(el: Any) -> Part:
    if el.tag in ("figure", "img"):
        img = el if el.tag == "img" else el.find(".//img")
        src = (img.get("src") or img.get("data-src") or "") if img is not None else ""
        cap = el.find(".//figcaption")
        caption = " ".join((cap.text_content() if cap is not None else (img.get("alt") or "") if img is not None
                            else "").split())
        return Part("img", caption, src or "/images/placeholder.jpg")
    text = " ".join(el.text_content().split())
    kind = el.tag if el.tag in ("h2", "h3", "h4") else "p"
    runs: list[tuple[str, str]] = [(el.text or "", "")]
    for child in el:
        if not isinstance(child.tag, str):
            runs.append((child.tail or "", ""))
            continue
        runs.append((child.text_content(), child.get("href") or "" if child.tag == "a" else ""))
        runs.append((child.tail or "", ""))
    merged: list[tuple[str, str]] = []
    for chunk, href in runs:
        if merged and not href and not merged[-1][1]:
            merged[-1] = (merged[-1][0] + chunk, "")
        else:
            merged.append((chunk, href))
    merged = [(" ".join(c.split()), h) for c, h in merged if c.strip()]
    if any(h for _, h in merged):
        return Part(kind, text, _inner_html(merged, text), tuple(merged))
    return Part(kind, text, _inner_html((), text))


def _inner_html(runs: Sequence[tuple[str, str]], text: str) -> str:
    """The paragraph as CMS HTML: its text, escaped, with its links (the page's own attributes dropped)."""
    if not runs:
        return escape(text, quote=False)
    return " ".join(f'<a href="{escape(h)}">{escape(c, quote=False)}</a>' if h else escape(c, quote=False)
                    for c, h in runs)


def _drop_article_body(doc: Any) -> None:
    """Remove ``articleBody`` from every JSON-LD object of the page."""
    for script in doc.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        if _strip(data):
            script.text = json.dumps(data, ensure_ascii=False)


def _strip(data: Any) -> bool:
    found = False
    if isinstance(data, dict):
        if "articleBody" in data:
            del data["articleBody"]
            found = True
        for value in data.values():
            found = _strip(value) or found
    elif isinstance(data, list):
        for value in data:
            found = _strip(value) or found
    return found


def _slug(text: str) -> str:
    return "-".join(TOKEN.findall(text.casefold()))[:80] or "story"


def _escape_script(text: str) -> str:
    """What frameworks do to keep ``</script>`` out of inline data."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e") if "</" in text else text


class _Story:
    """One article and its surroundings, written in the shapes frameworks ship."""

    def __init__(self, rng: random.Random, title: str, url: str, authors: list[str], published: str,
                 parts: list[Part], teasers: list[Teaser], root_id: str) -> None:
        self.rng, self.title, self.url, self.parts, self.teasers, self.root_id = rng, title, url, parts, teasers, root_id
        self.authors = authors or ["Redaksi"]
        self.published = published or "2024-05-14T08:30:00+00:00"
        self.id = rng.randrange(10**5, 10**7)
        self.slug = _slug(title)
        self.section = rng.choice(["news", "politics", "world", "business", "sport", "culture", "tech"])
        self.build = hashlib.sha1(title.encode()).hexdigest()[:21]

    # -- pieces every shape uses

    def image(self, src: str, caption: str = "") -> dict[str, Any]:
        w = self.rng.choice([1200, 1600, 1920])
        return {"id": self.rng.randrange(10**5, 10**6), "url": src, "width": w, "height": w * 9 // 16,
                "alt": caption[:120], "caption": caption, "credit": self.rng.choice(["Reuters", "AFP", "AP", ""]),
                "srcSet": [f"{src}?w={x} {x}w" for x in (320, 640, 1024)]}

    def teaser_objects(self) -> list[dict[str, Any]]:
        return [{"id": self.rng.randrange(10**5, 10**7), "title": t.title, "summary": t.summary, "url": t.url,
                 "slug": _slug(t.title), "section": {"name": self.section.title(), "slug": self.section},
                 "image": self.image(f"https://cdn.example.test/img/{abs(hash(t.url)) % 10**8}.jpg"),
                 "publishedAt": self.published} for t in self.teasers]

    def nav(self) -> list[dict[str, str]]:
        return [{"label": s.title(), "href": f"/{s}"} for s in ("news", "politics", "world", "business", "sport")]

    def author_objects(self) -> list[dict[str, Any]]:
        return [{"name": a, "slug": _slug(a), "image": self.image(f"https://cdn.example.test/authors/{_slug(a)}.jpg")}
                for a in self.authors]

    def html_body(self) -> str:
        out = []
        for p in self.parts:
            if p.kind == "img":
                cap = f"<figcaption>{p.text}</figcaption>" if p.text else ""
                out.append(f'<figure class="wp-block-image"><img src="{p.html}" alt="{p.text[:80]}"/>{cap}</figure>')
            else:
                out.append(f"<{p.kind}>{p.html}</{p.kind}>")
        return "".join(out)

    def blocks(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for n, p in enumerate(self.parts):
            if p.kind == "img":
                out.append({"type": "image", "id": f"b{n}", "image": self.image(p.html, p.text)})
            elif p.kind.startswith("h"):
                out.append({"type": "heading", "id": f"b{n}", "level": int(p.kind[1]), "text": p.text})
            else:
                out.append({"type": "paragraph", "id": f"b{n}", "text": p.html if p.runs else p.text})
            if n == 2 and self.teasers:  # an inline "read also" box, as many CMSs put after the lead
                t = self.teasers[0]
                out.append({"type": "related", "id": f"r{n}", "story": {"title": t.title, "url": t.url}})
        return out

    def lead(self) -> str:
        first = next((p.text for p in self.parts if p.kind == "p"), "")
        return first[:160]

    # -- the four shapes

    def next_data(self) -> list[Script]:
        hero = next((p for p in self.parts if p.kind == "img"), None)
        article = {
            "id": self.id, "slug": self.slug, "title": self.title, "standfirst": self.lead(),
            "publishedAt": self.published, "updatedAt": self.published, "authors": self.author_objects(),
            "section": {"name": self.section.title(), "slug": self.section},
            "heroImage": self.image(hero.html, hero.text) if hero else None,
            "body": self.html_body(),
            "tags": [{"name": w, "slug": _slug(w)} for w in TOKEN.findall(self.title)[:4]],
            "related": self.teaser_objects()[:4],
        }
        data = {
            "props": {"pageProps": {
                "navigation": self.nav(), "article": article, "mostRead": self.teaser_objects()[4:],
                "ads": {"slots": ["top", "mid", "bottom"], "targeting": {"section": self.section}},
                "__N_SSP": True}},
            "page": "/[section]/[slug]", "query": {"section": self.section, "slug": self.slug},
            "buildId": self.build, "isFallback": False, "gssp": True, "scriptLoader": [],
        }
        if self.rng.random() < 0.5:  # some sites keep the related list first, before the article
            pp = data["props"]["pageProps"]  # type: ignore[index]
            data["props"]["pageProps"] = {"related": article.pop("related"), **pp}  # type: ignore[index]
        return [
            ({"src": f"/_next/static/chunks/pages/%5Bsection%5D/%5Bslug%5D-{self.build[:16]}.js", "defer": ""}, ""),
            ({"id": "__NEXT_DATA__", "type": "application/json"}, _escape_script(json.dumps(data, ensure_ascii=False))),
        ]

    def _rsc_children(self) -> list[Any]:
        kids: list[Any] = [["$", "h1", None, {"className": "c1", "children": self.title}]]
        for n, p in enumerate(self.parts):
            if p.kind == "img":
                kids.append(["$", "figure", str(n), {"children": [
                    ["$", "$L4", None, {"src": p.html, "alt": p.text[:80], "width": 1200, "height": 675}],
                    ["$", "figcaption", None, {"children": p.text}] if p.text else None]}])
            elif p.runs:
                runs: list[Any] = [["$", "$L5", None, {"href": h, "children": c}] if h else c for c, h in p.runs]
                kids.append(["$", p.kind, str(n), {"children": runs}])
            else:
                kids.append(["$", p.kind, str(n), {"children": p.text}])
        return kids

    def flight(self) -> list[Script]:
        rows = [
            '1:HL["/_next/static/css/' + self.build[:16] + '.css","style"]',
            '2:I[7423,["931","static/chunks/app/layout-' + self.build[:8] + '.js"],"default"]',
            '4:I[5878,["878","static/chunks/878-' + self.build[8:16] + '.js"],"Image"]',
            '5:I[2972,["972","static/chunks/972-' + self.build[4:12] + '.js"],""]',
        ]
        teasers = ["$", "aside", None, {"children": [
            ["$", "article", str(t["id"]), {"children": [["$", "$L5", None, {"href": t["url"], "children": t["title"]}],
                                                       ["$", "p", None, {"children": t["summary"]}]]}]
            for t in self.teaser_objects()]}]
        if self.rng.random() < 0.5:  # the article as an element tree, its text as string children
            tree = ["$", "article", None, {"className": "c2", "children": self._rsc_children()}]
            rows.append("3:" + json.dumps(["$", "main", None, {"children": [tree, teasers]}], ensure_ascii=False))
        else:  # the CMS HTML as a text row, referenced by dangerouslySetInnerHTML
            body = self.html_body()
            rows.append(f"6:T{len(body.encode()):x},{body}")
            tree = ["$", "article", None, {"children": [
                ["$", "h1", None, {"children": self.title}],
                ["$", "div", None, {"dangerouslySetInnerHTML": {"__html": "$6"}}]]}]
            rows.append("3:" + json.dumps(["$", "main", None, {"children": [tree, teasers]}], ensure_ascii=False))
        rows.append("0:" + json.dumps(["$", "$L2", None, {"children": "$L3"}]))
        stream = "".join(r + "\n" if not r.startswith("6:T") else r for r in rows)
        chunks: list[str] = []
        start = 0
        while start < len(stream):  # streamed: pushes of a few kilobytes, cut wherever the buffer ended
            size = self.rng.randint(1500, 6000)
            chunks.append(stream[start:start + size])
            start += size
        out = ["(self.__next_f=self.__next_f||[]).push([0])", 'self.__next_f.push([2,null])']
        out += [f"self.__next_f.push({_escape_script(json.dumps([1, c], ensure_ascii=False))})" for c in chunks]
        return [({}, js) for js in out]

    def nuxt(self) -> list[Script]:
        if self.rng.random() < 0.5:
            return [({}, self._nuxt2())]
        return [({"type": "application/json", "id": "__NUXT_DATA__", "data-ssr": "true"}, self._nuxt3())]

    def _nuxt2(self) -> str:
        """``window.__NUXT__=(function(a,b,...){return {...}}(...))``: a JS literal, repeated values
        hoisted into the function's arguments."""
        values: dict[str, str] = {}
        params: list[str] = []
        names = [chr(c) for c in range(ord("a"), ord("z") + 1)] + [f"a{chr(c)}" for c in range(ord("a"), ord("z") + 1)]

        def hoist(value: str) -> str:
            if value not in values:
                values[value] = names[len(values)]
                params.append(value)
            return values[value]

        def lit(value: Any) -> str:
            if isinstance(value, str):
                if value in (self.section, self.published) or value in self.authors:
                    return hoist(value)
                return json.dumps(value, ensure_ascii=False).replace("<", "\\u003C").replace("/", "\\u002F")
            if value is None:
                return "null"
            if isinstance(value, bool):
                return "true" if value else "false"
            if isinstance(value, int | float):
                return json.dumps(value)
            if isinstance(value, list):
                return "[" + ",".join(lit(v) for v in value) + "]"
            items = []
            for k, v in value.items():
                key = k if re.fullmatch(r"[A-Za-z_$][\w$]*", k) else json.dumps(k)
                items.append(f"{key}:{lit(v)}")
            return "{" + ",".join(items) + "}"

        article = {"id": self.id, "title": self.title, "slug": self.slug, "category": self.section,
                   "author": [{"name": a} for a in self.authors], "date": self.published,
                   "excerpt": self.lead(), "content": self.html_body(), "image": self.image("/img/hero.jpg"),
                   "related": self.teaser_objects()}
        state = {"menu": self.nav(), "trending": self.teaser_objects()[:3], "category": self.section}
        body = lit({"layout": "default", "data": [{"article": article}], "fetch": {}, "error": None,
                    "state": state, "serverRendered": True, "routePath": f"/{self.section}/{self.slug}",
                    "config": {"app": {"basePath": "/", "assetsPath": "/_nuxt/"}}})
        args = ",".join(json.dumps(v, ensure_ascii=False).replace("/", "\\u002F") for v in params)
        return f"window.__NUXT__=(function({','.join(values[v] for v in params)}){{return {body}}}({args}));"

    def _nuxt3(self) -> str:
        """``__NUXT_DATA__``: devalue's flat array, objects as ``{key: index}``, strings stored once."""
        table: list[Any] = []
        seen: dict[str, int] = {}

        def put(value: Any) -> int:
            if isinstance(value, str) and value in seen:
                return seen[value]
            at = len(table)
            table.append(None)
            if isinstance(value, dict):
                table[at] = {k: put(v) for k, v in value.items()}
            elif isinstance(value, list):
                table[at] = [put(v) for v in value]
            else:
                table[at] = value
                if isinstance(value, str):
                    seen[value] = at
            return at

        article = {"id": self.id, "title": self.title, "slug": self.slug, "section": self.section,
                   "authors": self.author_objects(), "publishedAt": self.published, "summary": self.lead(),
                   "blocks": self.blocks(), "related": self.teaser_objects()}
        table.append(["ShallowReactive", 1])
        table.append(None)
        table[1] = {"data": put({f"article-{self.slug}": article}), "state": put({"$snav": self.nav()}),
                    "once": put(["Set"]), "_errors": put({}), "serverRendered": put(True), "path": put(f"/{self.slug}")}
        return _escape_script(json.dumps(table, ensure_ascii=False))

    def state(self) -> list[Script]:
        store = {
            "router": {"location": {"pathname": f"/{self.section}/{self.slug}"}},
            "navigation": self.nav(),
            "article": {"current": {
                "id": self.id, "headline": self.title, "url": self.url, "authors": self.author_objects(),
                "datePublished": self.published, "section": self.section, "content": self.blocks(),
                "tags": TOKEN.findall(self.title)[:5]}},
            "teasers": {"mostPopular": self.teaser_objects(), "editorsPicks": self.teaser_objects()[:3]},
            "user": {"loggedIn": False, "consent": None},
        }
        text = json.dumps(store, ensure_ascii=False)
        if self.rng.random() < 0.3:  # JSON.parse of an escaped string: faster to parse, as some sites do
            return [({}, f"window.__INITIAL_STATE__=JSON.parse({_escape_script(json.dumps(text, ensure_ascii=False))});")]
        return [({}, f"window.__INITIAL_STATE__ = {_escape_script(text)};")]
