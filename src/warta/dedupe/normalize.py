"""Body-text normalisation for duplicate detection.

The same wire story reaches many portals with another dateline prefix, captions, read-also lines
and furniture around it. Normalising removes those (patterns are data: ``data/furniture.json``),
unifies quotes, dashes and whitespace, casefolds, and splits the rest into sentences and word
tokens, which is all the hashing stage needs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from warta.model import Article
from warta.textnorm import unify

# Scripts written without spaces (Han, kana) are tokenised one character at a time, so shingles
# become character 3-grams there; other scripts use word runs. Sentence stops: . ! ? before a
# space, or the full-width stops.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN_OR_STOP = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+|[.!?](?=\s|$)|[\u3002\uff01\uff1f]")
_STOPS = frozenset(".!?\u3002\uff01\uff1f")


@dataclass(frozen=True, slots=True)
class Patterns:
    """Compiled furniture patterns (see ``data/furniture.json``)."""

    datelines: tuple[re.Pattern[str], ...]
    skip: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class NormText:
    """Normalised body: casefolded sentences and the word tokens of all of them."""

    sentences: tuple[str, ...]
    tokens: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    raw = json.loads(resources.files("warta.dedupe").joinpath("data/furniture.json").read_text("utf-8"))
    return Patterns(
        datelines=tuple(re.compile(p) for p in raw["dateline_prefixes"]),
        skip=re.compile("|".join(f"(?:{p})" for p in raw["skip_paragraph"]), re.IGNORECASE),
    )


def strip_dateline(paragraph: str, pats: Patterns | None = None) -> str:
    """Remove a leading dateline (``Bisnis.com, JAKARTA -``, ``Jakarta (ANTARA) -``, ...)."""
    for pat in (pats or patterns()).datelines:
        m = pat.match(paragraph)
        if m and m.end() < len(paragraph):
            return paragraph[m.end() :]
    return paragraph


def is_furniture(paragraph: str, pats: Patterns | None = None) -> bool:
    """True for read-also lines, captions, credits and widgets."""
    return (pats or patterns()).skip.search(paragraph) is not None


def paragraphs_of(text: str) -> list[str]:
    """Split plain text into paragraphs (blank lines, or single newlines when there are none)."""
    text = unify(text)
    parts = re.split(r"\n\s*\n", text)
    if len(parts) == 1:
        parts = text.split("\n")
    return [p for p in (x.strip() for x in parts) if p]


def normalise_paragraphs(paragraphs: list[str], *, unified: bool = False) -> NormText:
    """Drop furniture, strip the dateline of the first paragraph, casefold, split sentences."""
    pats = patterns()
    kept = paragraphs if unified else [unify(p) for p in paragraphs]
    kept = [p for p in kept if p and not is_furniture(p, pats)]
    if kept:
        kept[0] = strip_dateline(kept[0], pats)
    sentences: list[str] = []
    tokens: list[str] = []
    for para in kept:
        start = len(tokens)
        for tok in _TOKEN_OR_STOP.findall(para.casefold()):
            if tok not in _STOPS:
                tokens.append(tok)
            elif len(tokens) > start:
                sentences.append(" ".join(tokens[start:]))
                start = len(tokens)
        if len(tokens) > start:
            sentences.append(" ".join(tokens[start:]))
    return NormText(tuple(sentences), tuple(tokens))


def normalise_text(text: str) -> NormText:
    """Normalise a plain body text (paragraphs separated by blank lines)."""
    return normalise_paragraphs(paragraphs_of(text), unified=True)


def normalise_article(article: Article) -> NormText:
    """Normalise an Article's body: paragraphs (and quotes/list items), never headings."""
    paras = [b.text for b in article.body if b.type != "heading"]
    return normalise_paragraphs(paras)
