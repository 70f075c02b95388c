"""Text dumps into typed lines: whitespace and markdown normalised, with the features the
classifier reads (size, punctuation, stopword density, shape)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import partial
from itertools import chain, islice
from operator import itemgetter
from typing import NamedTuple

from warta.clean.vocab import Vocabulary

_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_INVISIBLE = (("\u200b", " "), ("\ufeff", " "), ("\u00ad", ""))  # zero-width space, BOM, soft hyphen
# Every pattern below runs in linear time on a hostile line: no lazy group before an optional tail
# (closing hashes are stripped in Python), link texts and bold spans have bounded lengths.
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^(?:[*+\-•·▪►»]|\d{1,3}[.)])\s+")
_QUOTE = re.compile(r"^>+\s?")
_IMAGE_MD = re.compile(r"!\[[^\][]{0,1000}\]\([^)]{0,2000}\)")
_LINK_MD = re.compile(r"\[([^\][]{0,1000})\]\([^)]{0,2000}\)")
_EMPHASIS = re.compile(
    r"(\*\*|__)(?=\S)(.{1,300}?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])"
)
_TOKEN = re.compile(r"\w+")
_TOKEN_ASCII = re.compile(r"\w+", re.ASCII)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")  # kana and CJK ideographs
_KANA = re.compile(r"[\u3040-\u30ff]")
# UTF-8 lead bytes of U+3000..U+9FFF: CJK punctuation, kana and ideographs (other 3-byte characters,
# such as curly quotes, lead with other bytes)
_CJK_LEADS = tuple(bytes([lead]) for lead in range(0xE3, 0xEA))
_BULLET_START = frozenset("*+-•·▪►»0123456789")
_TERMINAL_CHARS = frozenset(".!?…。！？:;\"'”’»)]")
_SEPARATOR_MARKS = (" | ", " • ", " · ", " » ", " › ", " / ")
_SEPARATOR_CHARS = re.compile(r" [|•·»›/] ")
_RULE = re.compile(r"^[-=_*~#.\s]{3,}$")
_RULE_START = frozenset("-=_*~#.")
# Each non-blank line, stripped: its indent, a leading bullet marker and the rest.
_LINE = re.compile(r"^([^\S\n]*)((?:[*+\-•·▪►»]|\d{1,3}[.)])[^\S\n]+(?=\S))?(\S(?:[^\n]*\S)?)", re.MULTILINE)
_ODD_BREAKS = ("\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")  # str.splitlines() breaks


class Line(NamedTuple):
    """One non-empty line of a dump (a paragraph in practice) with its features. Internal to the
    cleaner and created by the hundred per document, so a (cheap, immutable) named tuple."""

    pos: int  # position among non-empty lines
    raw: str  # as found (stripped)
    text: str  # normalised: markdown markers removed, whitespace collapsed
    kind: str  # "paragraph" | "heading" | "list_item" | "quote"
    level: int  # markdown heading level (0 when not a heading)
    words: int  # token count (CJK characters count as half a word)
    tokens: tuple[str, ...]  # lower-case word tokens
    terminal: bool  # ends like a sentence
    separators: int  # menu separators such as " | "
    indent: int  # leading spaces in the dump


# tuple.__new__: a Line from its fields in declaration order, without NamedTuple's keyword handling
_new_line = partial(tuple.__new__, Line)


def normalize(text: str) -> str:
    """Unicode NFC with every run of whitespace as one space, stripped. Idempotent."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _strip_markdown(raw: str) -> tuple[str, str, int]:
    text, kind, level = raw, "paragraph", 0
    first = raw[0]
    if first == "#" and (m := _HEADING.match(text)):  # "## Title ##": closing hashes go too
        text, kind, level = m.group(2).rstrip("#").rstrip(), "heading", len(m.group(1))
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


NEAR_TIE = 0.98  # stoplist scores this close to the best are a tie (see language_for)


def language_for(tokens: Counter[str], vocab: Vocabulary) -> str | None:
    """The stoplist (jusText's name for a language) that fits a document's tokens best: how many of
    its 40 most common tokens the list holds, per log of the list's length. Some lists run to
    thousands of words and hold common English words too; by raw coverage they would win over
    English itself."""
    langs, weight = vocab.word_langs, vocab.stoplist_weight
    # the 40 most common tokens, ties in first-seen order: Counter.most_common(40) without its heap
    top = [word for word, _ in sorted(tokens.items(), key=itemgetter(1), reverse=True)[:40] if word in langs]
    scores = Counter(chain.from_iterable(langs[word] for word in top))
    if not scores:
        return None
    best = max(scores[name] * weight[name] for name in scores)
    # near-ties (Indonesian and Malay, English and Simple English share most stopwords): the most
    # tokens covered, then the longer list
    close = (name for name in scores if scores[name] * weight[name] >= NEAR_TIE * best)
    return max(close, key=lambda name: (scores[name], len(vocab.stopwords[name])))


def split_lines(text: str, vocab: Vocabulary) -> list[Line]:
    """The dump's non-empty lines with features, in order (``vocab`` is kept for callers; the
    stopword density is read through :func:`stop_density` with the stopwords of :func:`document_language`)."""
    text = unicodedata.normalize("NFC", text)
    for char, replacement in _INVISIBLE:
        if char in text:
            text = text.replace(char, replacement)
    return _parse(text)


STOPLIST_SAMPLE = 400  # tokens read to tell the document's language


def document_language(lines: list[Line], vocab: Vocabulary) -> str | None:
    """The document's stoplist name (:func:`language_for`), judged from the first
    ``STOPLIST_SAMPLE`` tokens of its lines of 8 or more words."""
    sample = [ln.tokens for ln in lines if len(ln.tokens) >= 8] or [ln.tokens for ln in lines]
    return language_for(Counter(islice(chain.from_iterable(sample), STOPLIST_SAMPLE)), vocab)


def stop_density(line: Line, stop: frozenset[str]) -> float:
    """Share of the line's tokens that are stopwords (computed on demand: only the lines whose
    label depends on it pay for it)."""
    return sum(map(stop.__contains__, line.tokens)) / len(line.tokens) if line.tokens else 0.0


def _rows(text: str) -> list[tuple[str, str, int, int, str]]:
    """(stripped, text, indent, level, kind) of each line that carries text. One regex pass finds
    the lines, their indent and a leading bullet; only lines with other markup go through
    :func:`_strip_markdown`."""
    if any(brk in text for brk in _ODD_BREAKS):
        text = "\n".join(text.splitlines())
    rows: list[tuple[str, str, int, int, str]] = []
    for indent, bullet, rest in _LINE.findall(text):
        stripped = bullet + rest if bullet else rest
        if rest[0] in _RULE_START and _RULE.match(stripped):  # a rule has rule characters only
            continue
        if rest[0] in "#>" or "*" in rest or "_" in rest or "](" in rest:
            clean, kind, level = _strip_markdown(stripped)
            if clean:
                rows.append((stripped, clean, len(indent), level, kind))
        else:
            if not rest.isascii() or "  " in rest or "\t" in rest or "\x1f" in rest:  # else: nothing to collapse
                rest = " ".join(rest.split())
            rows.append((stripped, rest, len(indent), 0, "list_item" if bullet else "paragraph"))
    return rows


def _has_cjk(text: str) -> bool:
    """Whether ``text`` may hold Chinese or Japanese script: a few byte searches in C, far cheaper
    than a pattern over every character."""
    if text.isascii():
        return False
    data = text.encode("utf-8", "surrogatepass")
    return any(lead in data for lead in _CJK_LEADS)


def script_language(text: str) -> str | None:
    """``ja`` for text with kana, ``zh`` for CJK ideographs without kana: the languages jusText has
    no stoplists for, told by their script."""
    if not _has_cjk(text):
        return None
    if _KANA.search(text):
        return "ja"
    return "zh" if _CJK.search(text) else None


def _parse(text: str) -> list[Line]:
    """Each line that carries text, with its features: column by column, so that most per-line
    work runs in C (``map`` over str methods and compiled patterns)."""
    rows = _rows(text)
    if not rows:
        return []
    raws, texts, indents, levels, kinds = zip(*rows, strict=True)
    # the ASCII pattern finds the same tokens faster in ASCII text
    tokens = [tuple(_TOKEN_ASCII.findall(low) if low.isascii() else _TOKEN.findall(low)) for low in map(str.lower, texts)]
    counts = list(map(len, tokens))
    # Chinese and Japanese have no spaces between words: about a word per two characters, in any line
    # that has them (Korean spaces its words: its tokens count)
    if _has_cjk(text):
        words = [n if t.isascii() else n + len(_CJK.findall(t)) // 2 for t, n in zip(texts, counts, strict=True)]
    else:
        words = counts
    separators = [  # menu separators, " | " and the like, in lines of fewer than 60 words
        sum(map(t.count, _SEPARATOR_MARKS))
        if n < 60 and (" | " in t or " / " in t if t.isascii() else _SEPARATOR_CHARS.search(t)) else 0
        for t, n in zip(texts, counts, strict=True)
    ]
    terminal = [t[-1] in _TERMINAL_CHARS for t in texts]
    columns = (range(len(rows)), raws, texts, kinds, levels, words, tokens, terminal, separators, indents)
    return list(map(_new_line, zip(*columns, strict=True)))
