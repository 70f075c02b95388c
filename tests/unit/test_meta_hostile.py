"""Metadata extraction stays fast and total on hostile pages."""

from __future__ import annotations

import time

import lxml.html

from warta.extract.body import extract_body
from warta.extract.metadata import extract_metadata


def _run(html: str) -> float:
    tree = lxml.html.document_fromstring(html)
    start = time.perf_counter()
    meta = extract_metadata(tree, "https://example.com/a", extract_body(tree, None))
    assert meta.fields.domain == "example.com"
    return time.perf_counter() - start


def test_huge_title_and_many_meta_tags() -> None:
    head = "<title>" + "Judul - " * 50_000 + "</title>" + '<meta name="author" content="A, B">' * 5_000
    assert _run(f"<html><head>{head}</head><body><p>Teks.</p></body></html>") < 5


def test_deep_nesting_and_broken_jsonld() -> None:
    body = "<div>" * 5_000 + "Penulis: Ana Lima" + "</div>" * 5_000
    scripts = '<script type="application/ld+json">{"@graph": [' + "[" * 3_000 + "]" * 3_000 + "]}</script>"
    scripts += '<script type="application/ld+json">{"headline": "x", "author": ' * 50 + "</script>"
    assert _run(f"<html><head>{scripts}</head><body>{body}<p>Teks.</p></body></html>") < 5


def test_many_attributes_and_text_nodes() -> None:
    attrs = " ".join(f'data-a{i}="author date"' for i in range(20_000))
    body = f'<div class="byline" {attrs}>Oleh Ana</div>' + "<span>Editor</span>" * 20_000
    assert _run(f"<html><body>{body}<p>Teks.</p></body></html>") < 5
