"""Corpus mode: lines repeated across many documents of the same site are furniture.

A first streaming pass feeds every document's distinct lines to :class:`LineStats`, a count-min
sketch (with conservative update) keyed by ``(site, line)``; its memory is fixed when it is created
(``depth * width * 4`` bytes, 32 MiB by default) however many documents stream through. A second
pass cleans each document with ``Cleaner(boilerplate=stats.is_boilerplate)``.

Count-min sketches only over-count, by at most ``e / width * N`` with high probability (``N``
line occurrences in all); conservative update makes the error far smaller in practice, and the
thresholds (``min_count``, ``share``) sit well above it for the corpus sizes shown in
``benchmarks/clean_corpus.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import xxhash

from warta.clean.lines import Line, markdown_text
from warta.clean.meta import domain_of

_DIGITS = re.compile(r"\d+")
_DOCS = "\x00documents"


def line_key(text: str) -> str:
    """The form under which lines are counted: case-folded, numbers replaced by 0."""
    return _DIGITS.sub("0", text.casefold())


def site_key(url: str | None, doc_id: str | None = None) -> str:
    """The registered domain of the URL, else the id's prefix (``site__page``, ``site/page``)."""
    domain = domain_of(url)
    if domain:
        return domain
    for sep in ("__", "/", ":"):
        if doc_id and sep in doc_id:
            return doc_id.split(sep, 1)[0]
    return ""


@dataclass(slots=True)
class LineStats:
    """How many documents of each site contain each line, in fixed memory."""

    width: int = 1 << 21
    depth: int = 4
    min_count: int = 4  # a line must occur in at least this many documents of the site...
    share: float = 0.01  # ...and in at least this share of them
    table: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.depth > 4 or self.width > 1 << 32:
            raise ValueError("depth must be <= 4 and width <= 2**32")
        self.table = np.zeros((self.depth, self.width), dtype=np.uint32)

    def _columns(self, site: str, keys: Iterable[str]) -> np.ndarray:
        hashes = [xxhash.xxh3_128_intdigest(f"{site}\x00{k}".encode()) for k in keys]
        cols = np.array([[(h >> (32 * r)) & 0xFFFFFFFF for r in range(self.depth)] for h in hashes], dtype=np.uint64)
        return (cols % np.uint64(self.width)).astype(np.int64).T  # (depth, n)

    def add(self, site: str, texts: Iterable[str]) -> None:
        """Count one document: each distinct line once, plus one document for the site."""
        keys = {line_key(t) for t in texts}
        keys.add(_DOCS)
        cols = self._columns(site, sorted(keys))
        rows = np.arange(self.depth)[:, None]
        current = self.table[rows, cols]
        self.table[rows, cols] = np.maximum(current, current.min(axis=0) + 1)

    def add_text(self, site: str, text: str) -> None:
        """Count one raw document (lines normalised the way the cleaner sees them)."""
        self.add(site, (t for t in (markdown_text(raw) for raw in text.splitlines()) if t))

    def count(self, site: str, text: str) -> int:
        cols = self._columns(site, [line_key(text)])
        return int(self.table[np.arange(self.depth)[:, None], cols].min())

    def documents(self, site: str) -> int:
        cols = self._columns(site, [_DOCS])
        return int(self.table[np.arange(self.depth)[:, None], cols].min())

    def threshold(self, site: str) -> int:
        return max(self.min_count, int(self.share * self.documents(site)) + 1)

    def boilerplate(self, site: str | None, lines: list[Line]) -> frozenset[int]:
        """Indices of the lines that repeat across enough documents of ``site`` to be furniture."""
        if site is None or not lines:
            return frozenset()
        cols = self._columns(site, [line_key(line.text) for line in lines])
        counts = self.table[np.arange(self.depth)[:, None], cols].min(axis=0)
        limit = self.threshold(site)
        return frozenset(line.pos for line, c in zip(lines, counts.tolist(), strict=True) if c >= limit)

    @property
    def nbytes(self) -> int:
        return int(self.table.nbytes)
