"""Baseline extractor (to be replaced by the full cascade): meta title/date + densest <p> cluster."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from warta.model import Article, Block, Skip, SkipReason


def extract(html: str | bytes, url: str | None = None) -> Article | Skip:
    if not html or not html.strip():
        return Skip(SkipReason.EMPTY, url=url)
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        return Skip(SkipReason.UNREADABLE, str(exc), url=url)
    paras = tree.xpath("//p")
    score: Counter[etree._Element] = Counter()
    for p in paras:
        parent = p.getparent()
        if parent is not None:
            score[parent] += len(p.text_content())
    if not score:
        return Skip(SkipReason.NOT_AN_ARTICLE, "no paragraphs", url=url)
    best = score.most_common(1)[0][0]
    blocks = tuple(
        Block("paragraph", " ".join(p.text_content().split()))
        for p in best.findall("p")
        if p.text_content().strip()
    )

    def meta(prop: str) -> str | None:
        found = tree.xpath(f"//meta[@property='{prop}' or @name='{prop}']/@content")
        return str(found[0]).strip() if found else None

    title = meta("og:title") or (tree.findtext(".//title") or "").strip() or None
    return Article(
        url=url,
        domain=urlsplit(url).hostname if url else None,
        title=title,
        published=meta("article:published_time"),
        body=blocks,
        provenance={"title": "meta", "body": "dom"},
    )
