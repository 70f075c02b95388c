"""Text dumps into typed lines: whitespace and markdown normalised, with the features the
classifier reads (size, punctuation, stopword density, shape)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from itertools import chain
from typing import NamedTuple

from warta.clean.vocab import Vocabulary

_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_INVISIBLE = (("\u200b", " "), ("\ufeff", " "), ("\u00ad", ""))  # zero-width space, BOM, soft hyphen
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_BULLET = re.compile(r"^(?:[*+\-•·▪►»]|\d{1,3}[.)])\s+")
_QUOTE = re.compile(r"^>+\s?")
_IMAGE_MD = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK_MD = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(
    r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])"
)
_TOKEN = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_BULLET_START = frozenset("*+-•·▪►»0123456789")
_TERMINAL_CHARS = frozenset(".!?…。！？:;\"'”’»)]")
_SEPARATOR_MARKS = (" | ", " • ", " · ", " » ", " › ", " / ")
_SEPARATOR_CHARS = re.compile(r" [|•·»›/] ")
_RULE = re.compile(r"^[-=_*~#.\s]{3,}$")
_RULE_START = frozenset("-=_*~#.")
_MARKUP_START = frozenset("#>") | _BULLET_START


class Line(NamedTuple):
    """One non-empty line of a dump (a paragraph in practice) with its features. Internal to the
    cleaner and created by the hundred per document, so a (cheap, immutable) named tuple."""

    pos: int  # position among non-empty lines
    raw: str  # as found (stripped)
    text: str  # normalised: markdown markers removed, whitespace collapsed
    kind: str  # "paragraph" | "heading" | "list_item" | "quote"
    level: int  # markdown heading level (0 when not a heading)
    words: int  # token count (CJK characters count as half a word)
    stop: float  # stopword density
    tokens: tuple[str, ...]  # lower-case word tokens
    terminal: bool  # ends like a sentence
    separators: int  # menu separators such as " | "
    gap_before: bool  # a blank line precedes it
    indent: int  # leading spaces in the dump


def normalize(text: str) -> str:
    """Unicode NFC with every run of whitespace as one space, stripped. Idempotent."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _strip_markdown(raw: str) -> tuple[str, str, int]:
    text, kind, level = raw, "paragraph", 0
    first = raw[0]
    if first == "#" and (m := _HEADING.match(text)):
        text, kind, level = m.group(2), "heading", len(m.group(1))
    elif first == ">":
        text, kind = _QUOTE.sub("", text), "quote"
    if text[:1] in _BULLET_START and (bullet := _BULLET.match(text)):
        text, kind = text[bullet.end() :], "list_item"
    if "](" in text:
        text = _LINK_MD.sub(r"\1", _IMAGE_MD.sub("", text))
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or m.group(4) or "", text)
        if text.startswith("**") and text.endswith("**") and len(text) > 4:
            text = text[2:-2]
    return " ".join(text.split()), kind, level


def markdown_text(raw: str) -> str:
    """A raw line's text as the cleaner sees it (markdown markers dropped, spaces collapsed)."""
    stripped = raw.strip()
    return _strip_markdown(stripped)[0] if stripped else ""


def stoplist_for(tokens: Counter[str], vocab: Vocabulary) -> frozenset[str]:
    """The stoplist of the language whose stopwords cover most of the document's tokens."""
    langs = vocab.word_langs
    top = [word for word, _ in tokens.most_common(40) if word in langs]
    scores = Counter(chain.from_iterable(langs[word] for word in top))
    if not scores:
        return frozenset()
    return vocab.stopwords[scores.most_common(1)[0][0]]


def split_lines(text: str, vocab: Vocabulary) -> list[Line]:
    """The dump's non-empty lines with features, in order."""
    text = unicodedata.normalize("NFC", text)
    for char, replacement in _INVISIBLE:
        if char in text:
            text = text.replace(char, replacement)
    parsed = _parse_raw(text)
    sample = [item[6] for item in parsed if len(item[6]) >= 8] or [item[6] for item in parsed]
    stop = stoplist_for(Counter(chain.from_iterable(sample)), vocab)
    return _features(parsed, stop)


def _parse_raw(text: str) -> list[tuple[str, str, str, int, int, bool, list[str]]]:
    """(stripped, clean, kind, level, indent, gap_before, tokens) of each non-empty line."""
    parsed: list[tuple[str, str, str, int, int, bool, list[str]]] = []
    gap = True
    tokenize = _TOKEN.findall
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped:
            gap = True
            continue
        first = stripped[0]
        if first in _RULE_START and _RULE.match(stripped):
            gap = True
            continue
        if first in _MARKUP_START or "*" in stripped or "_" in stripped or "](" in stripped:
            clean, kind, level = _strip_markdown(stripped)
            if not clean:
                continue
        else:  # plain text: the common case
            clean, kind, level = " ".join(stripped.split()), "paragraph", 0
        indent = len(raw) - len(raw.lstrip()) if raw[0].isspace() else 0
        parsed.append((stripped, clean, kind, level, indent, gap, tokenize(clean.lower())))
        gap = False
    return parsed


def _features(parsed: list[tuple[str, str, str, int, int, bool, list[str]]], stop: frozenset[str]) -> list[Line]:
    """Typed lines from the parsed ones: size, stopword density, sentence end, menu separators."""
    out: list[Line] = []
    is_stop, cjk_chars, has_separator = stop.__contains__, _CJK.findall, _SEPARATOR_CHARS.search
    for index, (stripped, clean, kind, level, indent, gap_before, tokens) in enumerate(parsed):
        count = len(tokens)
        cjk = len(cjk_chars(clean)) if not count or len(clean) > 12 * count else 0
        separators = 0
        if count < 60 and has_separator(clean):
            separators = sum(clean.count(mark) for mark in _SEPARATOR_MARKS)
        density = sum(map(is_stop, tokens)) / count if count else 0.0
        # tuple.__new__: the fields in declaration order, without NamedTuple's keyword-handling __new__
        out.append(tuple.__new__(Line, (
            index, stripped, clean, kind, level, count + cjk // 2, density, tuple(tokens),
            clean[-1] in _TERMINAL_CHARS, separators, gap_before, indent,
        )))
    return out
