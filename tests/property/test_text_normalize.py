"""Property tests for text normalisation."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from warta.extract.text import normalize_text

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)


@given(texts)
def test_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(texts)
def test_no_edge_or_double_whitespace(text: str) -> None:
    out = normalize_text(text)
    assert out == out.strip()
    assert "  " not in out and "\n" not in out and "\t" not in out


@given(texts)
def test_no_invisible_characters_and_nfc(text: str) -> None:
    out = normalize_text(text)
    assert not set(out) & set("\u200b\u200c\u200d\u2060\ufeff\u00ad")
    assert unicodedata.is_normalized("NFC", out)


@given(st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=8), min_size=1, max_size=10))
def test_words_survive_any_whitespace(words: list[str]) -> None:
    assert normalize_text(" \u00a0\n\t".join(words) + "\u200b") == " ".join(words)
