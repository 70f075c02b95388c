"""Per-document fingerprints and the pair check that turns an LSH candidate into a verdict.

A fingerprint holds everything needed to compare two documents without their text:

- ``exact``: xxh3-64 of the normalised text (exact duplicates);
- ``sig``: the MinHash signature of the word 3-shingles (Jaccard estimate, LSH bands);
- ``sents``: hashes of the normalised sentences (sentence containment);
- ``nums``: hashes of the shingles that contain a number (the part templates change).

Templated articles (daily market reports, weather, prayer times) share most shingles but
differ in numbers and names in almost every sentence, so a candidate must also share most of
the shorter document's sentences and of its numbers-in-context.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import xxhash

from warta.dedupe.minhash import MinHasher, jaccard_estimate, mix64, shingle_hashes, token_hashes
from warta.dedupe.normalize import NormText
from warta.signatures import U32, U64, Fingerprint

SHINGLE = 3


@dataclass(frozen=True)
class Params:
    """Tuning of the near-duplicate test (defaults measured on the labelled evaluation)."""

    num_perm: int = 128
    bands: int = 32
    seed: int = 1
    min_jaccard: float = 0.3
    min_sentence_containment: float = 0.5
    min_number_containment: float = 0.5
    min_numbers: int = 3
    min_tokens: int = 8

    @property
    def rows(self) -> int:
        return self.num_perm // self.bands


DEFAULT = Params()


@lru_cache(maxsize=4)
def hasher(num_perm: int = DEFAULT.num_perm, seed: int = DEFAULT.seed) -> MinHasher:
    return MinHasher(num_perm=num_perm, seed=seed)


def _u32(values: U64) -> U32:
    return np.unique((values >> np.uint64(32)).astype(np.uint32))


def parts(norm: NormText) -> tuple[int, U64, U32, U32]:
    """(exact hash, shingle hashes, sentence hashes, number-shingle hashes) of a normalised text."""
    exact = xxhash.xxh3_64_intdigest(norm.text.encode()) if norm.tokens else 0
    toks = token_hashes(norm.tokens)
    shingles = shingle_hashes(toks, SHINGLE)
    sent = np.fromiter(
        (xxhash.xxh3_64_intdigest(s.encode()) for s in norm.sentences if s.count(" ") >= 2),
        dtype=np.uint64,
    )
    digit = ~np.fromiter(map(str.isalpha, norm.tokens), dtype=bool, count=len(toks))
    nums = np.empty(0, dtype=np.uint64)
    if digit.any() and len(toks) >= SHINGLE:
        idx = np.flatnonzero(digit)
        idx = idx[(idx >= 1) & (idx < len(toks) - 1)]
        with np.errstate(over="ignore"):
            nums = mix64(toks[idx - 1] * np.uint64(31) ^ toks[idx] * np.uint64(17) ^ toks[idx + 1])
    return exact, shingles, _u32(sent), _u32(nums)


def fingerprint(norm: NormText, params: Params = DEFAULT) -> Fingerprint:
    exact, shingles, sents, nums = parts(norm)
    sig = hasher(params.num_perm, params.seed).signature(shingles)
    return Fingerprint(exact, sig, sents, nums, len(norm.tokens))


def _containment(a: U32, b: U32) -> float:
    small = min(len(a), len(b))
    if small == 0:
        return 0.0
    return len(np.intersect1d(a, b, assume_unique=True)) / small


def compare(a: Fingerprint, b: Fingerprint, params: Params = DEFAULT) -> float | None:
    """Score (Jaccard estimate, 1.0 for exact) when ``a`` and ``b`` are copies of one story, else None."""
    if a.empty or b.empty:
        return None
    if a.exact == b.exact:
        return 1.0
    if min(a.ntokens, b.ntokens) < params.min_tokens:
        return None
    jac = jaccard_estimate(a.sig, b.sig)
    if jac < params.min_jaccard:
        return None
    if min(len(a.sents), len(b.sents)) >= 2 and _containment(a.sents, b.sents) < params.min_sentence_containment:
        return None
    if (
        min(len(a.nums), len(b.nums)) >= params.min_numbers
        and _containment(a.nums, b.nums) < params.min_number_containment
    ):
        return None
    return jac


def band_keys(sigs: U32, params: Params = DEFAULT) -> U64:
    """LSH band keys, shape (docs, bands): each band's rows hashed to 56 bits, band number on top."""
    sigs = np.atleast_2d(sigs)
    d = sigs.shape[0]
    rows = sigs.reshape(d, params.bands, params.rows).astype(np.uint64)
    with np.errstate(over="ignore"):
        acc = np.zeros((d, params.bands), dtype=np.uint64)
        for r in range(params.rows):
            acc = mix64(acc * np.uint64(0x100000001B3) ^ rows[:, :, r])
    band = np.arange(params.bands, dtype=np.uint64) << np.uint64(56)
    return (acc >> np.uint64(8)) | band[None, :]
