"""Deeply nested pages lose no article text (issue 13.4): libxml2 stops at depth 256 and drops
the rest of the document; the parser then re-parses a flattened copy, in linear time."""

from __future__ import annotations

import time

import pytest

from warta.extract.core import extract
from warta.extract.html import FLAT_DEPTH, flatten_deep, parse_html
from warta.model import Article

URL = "https://a.test/2024/03/05/harga-emas-naik"
PARAS = [
    f"Paragraf {i}: harga emas di pasar dalam negeri naik pada perdagangan hari ini, kata pedagang di Jakarta."
    for i in range(8)
]
BODY = "".join(f"<p>{p}</p>" for p in PARAS)


def page(inner: str) -> bytes:
    return f"<html><head><title>Harga emas naik</title></head><body>{inner}</body></html>".encode()


@pytest.mark.parametrize("depth", [255, 300, 10_000])
def test_text_after_deep_nesting_is_kept(depth: int) -> None:
    html = page("<div>" * depth + "dalam" + "</div>" * depth + f"<article><h1>Harga emas naik</h1>{BODY}</article>")
    result = extract(html, URL)
    assert isinstance(result, Article), result
    assert [b.text for b in result.body if b.type == "paragraph"] == PARAS


def test_article_inside_deep_nesting_keeps_its_text() -> None:
    html = page("<div>" * 5000 + f"<article><h1>Harga emas naik</h1>{BODY}</article>" + "</div>" * 5000)
    result = extract(html, URL)
    assert isinstance(result, Article), result
    assert all(p in result.text for p in PARAS)


def test_flattening_is_bounded_in_time_and_depth() -> None:
    n = 100_000
    text = "<div>" * n + "x" + "</div>" * n + "<p>tail</p>"
    started = time.monotonic()
    flat = flatten_deep(text)
    assert time.monotonic() - started < 5
    assert flat.count("<div>") == FLAT_DEPTH and flat.count("</div>") == FLAT_DEPTH
    assert flat.endswith("<p>tail</p>")
    root = parse_html(page("<span>" * n + "x" + "</span>" * n + "<p>tail</p>"))
    assert "tail" in "".join(root.itertext())


def test_shallow_pages_are_parsed_unchanged() -> None:
    text = "<div><p>a<b>b</b></p><script>if (a<b) {'<div>'}</script><br><img src=x></div>"
    assert flatten_deep(text) == text
