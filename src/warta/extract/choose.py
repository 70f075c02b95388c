"""Choosing between body candidates by agreement: the main reading checks itself against others.

Candidates are independent readings of one page: the main DOM reading with class hints (``dom``),
the same without hints (``dom-nohints``), the readability-style scoring (``score``, in
``scored.py``), and the page's own statements of its article (JSON-LD ``articleBody``, embedded
script data). Two readings *agree* when most of the words of one are words of the other
(bag-of-words coverage, content words only); they are *disjoint* when neither covers half of the other: they chose
different regions of the page.

- :func:`agreeing_pair`: when the main choice disagrees with two candidates that agree with each
  other, the agreeing pair wins. With ``holds``, sharing words is not agreeing: the main choice must
  hold most of a candidate (comments under a story share half their words with it).
- :func:`arbitrate`: when the main choice and the scored reading are disjoint and the scored one
  holds much more text (a short body on a page with a lot of article text elsewhere), a third
  witness decides: the page's JSON-LD or embedded article text when it has one, else the position
  of the page's headline (the article follows its headline; a site blurb or a sidebar does not).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from warta.extract.text import normalize_text, text_of

TOKEN = re.compile(r"\w+")
AGREE = 0.5  # a reading agrees with another when this share of its words is in the other
WITNESS_MARGIN = 0.2  # a witness must cover one candidate clearly better than the other
HEADLINE_TAGS = ("h1", "h2", "h3")
HEADLINE_WORDS = 3


@dataclass(frozen=True, slots=True)
class Reading:
    """One candidate body: its name (the provenance value it would get), its text, and the element it
    was read from (its container), which the headline witness places in the page."""

    name: str
    text: str
    first: Any = None

    @property
    def words(self) -> Counter[str]:
        return content_words(self.text)


def content_words(text: str) -> Counter[str]:
    """The words of four characters or more, case-folded, with their counts: short function words
    would make any two texts of one language look alike."""
    return Counter(t.casefold() for t in TOKEN.findall(text) if len(t) > 3)


def coverage(part: Counter[str], whole: Counter[str]) -> float:
    """The share of ``part``'s words (with multiplicity) that ``whole`` also has (0 when empty)."""
    total = sum(part.values())
    return sum((part & whole).values()) / total if total else 0.0


def agrees(a: Counter[str], b: Counter[str]) -> bool:
    """One of the two readings is mostly made of the other's words (one may be a part of the other)."""
    return coverage(a, b) >= AGREE or coverage(b, a) >= AGREE


def agreeing_pair(main: Reading, others: Sequence[Reading], holds: bool = False) -> Reading | None:
    """The other reading to prefer when ``main`` agrees with none of ``others`` while two of them
    agree with each other (the first of that pair); None when ``main`` stands. With ``holds``, ``main``
    agrees with a reading only when it holds most of that reading's words or is nearly all part of it:
    a short text (comments on the story, a site blurb) shares half its words with the article it sits
    beside without being any part of it."""
    mine = main.words
    votes = [(r, r.words) for r in others if r.text]
    if any(_holds(mine, words) if holds else agrees(mine, words) for _, words in votes):
        return None
    for i, (first, a) in enumerate(votes):
        for second, b in votes[i + 1 :]:
            if agrees(a, b):
                if holds and coverage(mine, b) < coverage(mine, a):
                    return second  # the one of the pair that ``main`` is less a part of: what it left out
                return first
    return None


PART = 0.8  # a reading this much made of another's words is a part of it


def _holds(mine: Counter[str], words: Counter[str]) -> bool:
    return coverage(words, mine) >= AGREE


def part_of(part: Reading, whole: Reading) -> bool:
    """Nearly all of ``part``'s words are words of ``whole``."""
    return coverage(part.words, whole.words) >= PART


def disjoint(a: Reading, b: Reading) -> bool:
    """Neither reading covers half of the other: they read different regions of the page."""
    return not agrees(a.words, b.words)


@dataclass(frozen=True, slots=True)
class Witnesses:
    """What the page says about its own article, apart from any reading of its DOM."""

    texts: Sequence[str] = ()  # article text: JSON-LD ``articleBody``, embedded script data
    description: str | None = None  # the meta description
    titles: Sequence[str] = ()  # og:title, ``<title>``: to find the headline


def arbitrate(main: Reading, other: Reading, witnesses: Witnesses, tree: Any, headline: bool = True) -> Reading:
    """The reading a third witness backs, ``main`` when nothing decides. In order: the article text
    the page states, when it covers one reading clearly better; the meta description, when one reading
    holds clearly more of its words; the reading that starts nearest after the page's headline (an
    element of ``tree`` whose text one of the titles shows; not with ``headline`` False)."""
    for text in witnesses.texts:
        words = content_words(text)
        mine, theirs = coverage(main.words, words), coverage(other.words, words)
        if abs(mine - theirs) >= WITNESS_MARGIN:
            return main if mine > theirs else other
    if witnesses.description:
        mine, theirs = agreement(witnesses.description, main.text), agreement(witnesses.description, other.text)
        if abs(mine - theirs) >= WITNESS_MARGIN:
            return main if mine > theirs else other
    return _after_headline(main, other, tree, witnesses.titles) if headline else main


def agreement(reference: str, text: str) -> float:
    """The share of the reference's content words (over three letters, case-folded) found in ``text``."""
    ref = {t.casefold() for t in TOKEN.findall(reference) if len(t) > 3}
    if not ref:
        return 0.0
    return len(ref & {t.casefold() for t in TOKEN.findall(text)}) / len(ref)


def _after_headline(main: Reading, other: Reading, tree: Any, titles: Sequence[str]) -> Reading:
    headline = find_headline(tree, titles)
    if headline is None or main.first is None or other.first is None:
        return main
    order = {id(el): i for i, el in enumerate(tree.iter())}
    start = order.get(id(headline))
    if start is None:
        return main

    def gap(reading: Reading) -> int | None:
        """How far after the headline the reading starts (0 if its element holds the headline)."""
        if any(el is reading.first for el in headline.iterancestors()):
            return 0
        at = order.get(id(reading.first))
        return at - start if at is not None and at > start else None

    mine, theirs = gap(main), gap(other)
    if theirs is not None and (mine is None or theirs < mine):
        return other
    return main


def find_headline(tree: Any, titles: Sequence[str]) -> Any:
    """The first ``<h1>``-``<h3>`` of three words or more that one of the page's titles (og:title,
    ``<title>``) shows, or None."""
    folded = [normalize_text(t).casefold() for t in titles if t]
    if not folded:
        return None
    for el in tree.iter(*HEADLINE_TAGS):
        text = normalize_text(text_of(el)).casefold()
        if len(text.split()) >= HEADLINE_WORDS and any(text in t for t in folded):
            return el
    return None


__all__ = ["Reading", "Witnesses", "agreement", "agreeing_pair", "agrees", "arbitrate", "part_of", "coverage", "disjoint", "find_headline"]
