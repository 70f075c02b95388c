"""Vectorised MinHash over word shingles.

Each token is hashed once to a 64-bit integer (xxh3); shingles of ``k`` consecutive tokens are
combined from those integers with numpy (multiply-rotate-xor, a few array operations per document),
and the ``num_perm`` permutations are universal multiply-shift hashes ``(a * x + b) >> 32`` over
uint64 (wrapping arithmetic), evaluated as one matrix per batch of documents and reduced with
``np.minimum.reduceat``. Signatures are uint32 arrays of ``num_perm`` values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import xxhash

from warta.signatures import U32, U64

EMPTY_SLOT = np.uint32(0xFFFFFFFF)
_MIX1 = np.uint64(0x9E3779B97F4A7C15)
_MIX2 = np.uint64(0xBF58476D1CE4E5B9)
_MIX3 = np.uint64(0x94D049BB133111EB)


def token_hashes(tokens: Sequence[str]) -> U64:
    """xxh3-64 of each token (stable across processes and runs)."""
    h = xxhash.xxh3_64_intdigest
    return np.fromiter(map(h, map(str.encode, tokens)), dtype=np.uint64, count=len(tokens))


def _rotl(x: U64, r: int) -> U64:
    return (x << np.uint64(r)) | (x >> np.uint64(64 - r))


def mix64(x: U64) -> U64:
    """splitmix64 finaliser: spreads bits so multiply-shift hashing behaves."""
    x = x ^ (x >> np.uint64(30))
    x = x * _MIX2
    x = x ^ (x >> np.uint64(27))
    x = x * _MIX3
    return x ^ (x >> np.uint64(31))


def shingle_hashes(tok: U64, k: int) -> U64:
    """Order-sensitive 64-bit hashes of every run of ``k`` tokens (one run if fewer tokens).

    Repeated shingles are kept: they do not change a MinHash signature, and skipping a sort per
    document matters at millions of documents.
    """
    n = len(tok)
    if n == 0:
        return np.empty(0, dtype=np.uint64)
    k = min(k, n)
    acc = tok[: n - k + 1].copy()
    with np.errstate(over="ignore"):
        for i in range(1, k):
            acc = _rotl(acc * _MIX1, 23) ^ tok[i : n - k + 1 + i]
        return mix64(acc)


@dataclass(frozen=True)
class MinHasher:
    """``num_perm`` seeded multiply-shift permutations; ``signatures`` works on many documents at once."""

    num_perm: int = 128
    seed: int = 1
    chunk: int = 1 << 13
    a: U64 = field(init=False, repr=False)
    b: U64 = field(init=False, repr=False)

    def __post_init__(self) -> None:
        rng = np.random.default_rng(self.seed)
        a = rng.integers(1, 2**63, size=self.num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        b = rng.integers(0, 2**63, size=self.num_perm, dtype=np.uint64)
        object.__setattr__(self, "a", a)
        object.__setattr__(self, "b", b)

    def signature(self, shingles: U64) -> U32:
        sig: U32 = self.signatures([shingles])[0]
        return sig

    def signatures(self, docs: Sequence[U64]) -> U32:
        """Signatures of many shingle sets, shape (len(docs), num_perm); empty sets get all-ones."""
        out = np.full((len(docs), self.num_perm), EMPTY_SLOT, dtype=np.uint32)
        start = 0
        while start < len(docs):
            stop, total = start, 0
            while stop < len(docs) and (total == 0 or total + len(docs[stop]) <= self.chunk):
                total += len(docs[stop])
                stop += 1
            self._fill(docs[start:stop], out[start:stop])
            start = stop
        return out

    def _fill(self, docs: Sequence[U64], out: U32) -> None:
        lens = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
        nonempty = np.flatnonzero(lens)
        if len(nonempty) == 0:
            return
        flat = np.concatenate([docs[int(i)] for i in nonempty])
        offsets = np.concatenate(([0], np.cumsum(lens[nonempty])[:-1]))
        hv = np.empty((self.num_perm, len(flat)), dtype=np.uint64)
        with np.errstate(over="ignore"):
            np.multiply(self.a[:, None], flat[None, :], out=hv)
            np.add(hv, self.b[:, None], out=hv)
        np.right_shift(hv, np.uint64(32), out=hv)
        mins = np.minimum.reduceat(hv, offsets, axis=1)
        out[nonempty] = mins.T


def jaccard_estimate(a: U32, b: U32) -> float:
    """Share of equal signature slots (ignoring slots empty in both)."""
    return float(np.count_nonzero(a == b)) / len(a) if len(a) else 0.0
