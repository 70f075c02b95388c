"""Decoding and parsing: BOMs, declared and lying charsets, size caps, binary input."""

from __future__ import annotations

import codecs

from warta.extract.html import declared_charset, decode_html, looks_binary, parse_html
from warta.extract.text import text_of
from warta.model import Skip, SkipReason

TEXT = "Berita: Presiden meresmikan jembatan — café naïve"


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body><p>{body}</p></body></html>"


def test_bom_wins_over_meta() -> None:
    data = codecs.BOM_UTF16_LE + page(TEXT, '<meta charset="iso-8859-1">').encode("utf-16-le")
    assert TEXT in decode_html(data)


def test_utf8_bom_is_stripped() -> None:
    assert decode_html(codecs.BOM_UTF8 + page(TEXT).encode()).startswith("<html>")


def test_lying_meta_charset_loses_to_valid_utf8() -> None:
    data = page(TEXT, '<meta charset="windows-1252">').encode("utf-8")
    assert TEXT in decode_html(data)


def test_honest_legacy_charset_is_used() -> None:
    data = page(TEXT, '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">').encode("cp1252")
    assert TEXT in decode_html(data)


def test_meta_claims_utf8_but_bytes_are_latin1() -> None:
    data = page("Sehr schöne Grüße aus München, sagte der Bürgermeister " * 20, '<meta charset="utf-8">')
    decoded = decode_html(data.encode("cp1252"))
    assert "München" in decoded and "\ufffd" not in decoded


def test_http_header_charset_is_read() -> None:
    assert declared_charset(b"<p>x</p>", "text/html; charset=ISO-8859-1") == "iso8859-1"
    assert declared_charset(b'<meta charset="bogus-charset">') is None


def test_empty_and_whitespace_are_skips() -> None:
    for doc in ("", "   \n", b""):
        result = parse_html(doc)
        assert isinstance(result, Skip) and result.reason is SkipReason.EMPTY


def test_size_cap_is_checked_before_parsing() -> None:
    result = parse_html(b"<p>" + b"a" * 2000, max_bytes=1000)
    assert isinstance(result, Skip) and result.reason is SkipReason.TOO_LARGE


def test_binary_garbage_is_unreadable() -> None:
    result = parse_html(bytes(range(256)) * 50)
    assert isinstance(result, Skip) and result.reason is SkipReason.UNREADABLE
    assert not looks_binary(page(TEXT))


def test_xml_declaration_in_str_is_accepted() -> None:
    tree = parse_html('<?xml version="1.0" encoding="utf-8"?>' + page(TEXT))
    assert not isinstance(tree, Skip)
    assert TEXT in text_of(tree)


def test_comments_do_not_swallow_text() -> None:
    tree = parse_html("<html><body><p>one <!-- note --> two</p></body></html>")
    assert text_of(tree.find(".//p")) == "one  two"


def test_tag_with_huge_attribute_list_is_tamed() -> None:
    attrs = " ".join(f"a{i}='1'" for i in range(20000))
    tree = parse_html(f"<html><body><div {attrs}>kept text</div></body></html>")
    assert not isinstance(tree, Skip)
    div = tree.find(".//div")
    assert text_of(div) == "kept text" and len(div.attrib) == 0


def test_nul_bytes_and_lone_surrogates_do_not_lose_the_page() -> None:
    from warta.extract import extract
    from warta.model import Article

    good = "<html><body><article><p>" + "Warga menyambut baik jembatan baru itu. " * 10 + "</p></article></body></html>"
    for doc in (good.replace("Warga", "W\x00arga", 1), good.replace("Warga", "W\ud800arga", 1)):
        result = extract(doc)
        assert isinstance(result, Article) and "menyambut baik jembatan" in result.text
