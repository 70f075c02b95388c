"""Result snippets: a window of the article text around the first match, matches highlighted.

Computed in Python from the stored text rather than with FTS5's ``snippet()``: for a page of 20
hits, ``snippet()`` re-reads the full doclist of every query term once per hit, which costs
milliseconds per hit for common words on a large collection. Matching follows the index's
tokenizer closely (case-insensitive word runs; phrases allow any non-word characters between
words); accents are not folded when highlighting.
"""

from __future__ import annotations

import re

from warta.store.fts_query import tokenize

HIGHLIGHT_START = "\ue000"
HIGHLIGHT_END = "\ue001"
WINDOW_CHARS = 240
LEAD_CHARS = 80
_WORD = re.compile(r"\w+")


def highlight_pattern(q: str) -> re.Pattern[str] | None:
    """A regex matching what the query's positive terms, phrases and prefixes match."""
    alternatives = []
    for token in tokenize(q):
        if token.kind not in {"term", "phrase", "prefix"}:
            continue
        words = [re.escape(w) for w in _WORD.findall(token.text)]
        if not words:
            continue
        tail = r"\w*" if token.kind == "prefix" else r"(?!\w)"
        alternatives.append(r"(?<!\w)" + r"\W+".join(words) + tail)
    if not alternatives:
        return None
    alternatives.sort(key=len, reverse=True)  # longest first: phrases win over their own words
    return re.compile("|".join(alternatives), re.IGNORECASE)


def make_snippet(text: str, pattern: re.Pattern[str] | None) -> str:
    """About WINDOW_CHARS of ``text`` around the first match, with matches between the markers."""
    flat = text.replace("\n\n", " ¶ ")
    first = pattern.search(flat) if pattern is not None else None
    start = 0 if first is None else _word_start(flat, max(0, first.start() - LEAD_CHARS))
    end = _word_end(flat, start + WINDOW_CHARS)
    window = flat[start:end]
    if pattern is not None:
        window = pattern.sub(lambda m: HIGHLIGHT_START + m.group(0) + HIGHLIGHT_END, window)
    return ("… " if start > 0 else "") + window + (" …" if end < len(flat) else "")


def _word_start(text: str, pos: int) -> int:
    if pos == 0:
        return 0
    space = text.find(" ", pos)
    return pos if space == -1 else space + 1


def _word_end(text: str, pos: int) -> int:
    if pos >= len(text):
        return len(text)
    space = text.rfind(" ", 0, pos)
    return pos if space <= 0 else space
