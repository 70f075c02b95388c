"""The extraction cascade: parse -> body -> metadata -> Article."""

from __future__ import annotations

import dataclasses
from typing import Any

from warta.extract.access import classify_access
from warta.extract.body import extract_body
from warta.extract.html import DEFAULT_MAX_BYTES, parse_html
from warta.extract.meta_jsonld import parse_scripts
from warta.extract.meta_tags import read_head
from warta.extract.metadata import extract_metadata, refine
from warta.extract.site_rules import site_rules
from warta.model import Article, Skip, SkipReason


def extract(
    html: str | bytes,
    url: str | None = None,
    *,
    content_type: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Article | Skip:
    """Extract one news page. Pure: no I/O.

    ``html`` may be bytes (decoded robustly; ``content_type`` is the HTTP header, if known).
    Expected negatives (empty, too large, unreadable, not an article) come back as ``Skip``.
    """
    tree = parse_html(html, url, content_type=content_type, max_bytes=max_bytes)
    return tree if isinstance(tree, Skip) else extract_tree(tree, url)


def extract_tree(tree: Any, url: str | None) -> Article | Skip:
    """:func:`extract` of a page already parsed by :func:`~warta.extract.html.parse_html` (whose tree a
    caller may read for other things too, such as links). The tree is not modified."""
    head = read_head(tree)
    jsonld = parse_scripts(head.jsonld)  # parsed once, read by both stages
    body = extract_body(tree, url, jsonld)
    meta, body = refine(extract_metadata(tree, url, body, head=head, jsonld=jsonld), body)
    found = meta.fields
    if not body.blocks and not (found.title and found.published):
        # a dated, titled page without prose (a photo gallery) is still an article; anything else is not
        return Skip(SkipReason.NOT_AN_ARTICLE, "no article body found", url=url)
    access = classify_access(tree, body.node, body.blocks, body.furniture, head, jsonld, body.strategy)
    article = dataclasses.replace(
        found, url=url, body=body.blocks, images=found.images + body.images, access=access.access,
        provenance={**found.provenance, "body": body.strategy, "access": access.evidence},
    )
    return site_rules(tree, article, url)  # a recipe's field rules for this layout, where it has any
