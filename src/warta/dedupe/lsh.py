"""A compact in-memory LSH index over MinHash band keys.

Band keys (uint64, band number in the top byte) live in sorted segments: one ``uint64`` key
array and one ``uint32`` row array per segment (12 bytes per band per document). Adding a batch
appends a segment; segments are merged when there are too many, so lookups stay a handful of
vectorised ``searchsorted`` calls. Fingerprint parts are kept in growable numpy arrays
(signatures as a 2-D uint32 array, sentence and number hashes ragged with offsets).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from warta.dedupe.fingerprint import DEFAULT, Params, band_keys, compare
from warta.signatures import U32, U64, Fingerprint

I32 = npt.NDArray[np.int32]


@dataclass
class _Ragged:
    """Append-only ragged uint32 rows (values + offsets), amortised growth."""

    values: U32 = field(default_factory=lambda: np.empty(1024, dtype=np.uint32))
    offsets: list[int] = field(default_factory=lambda: [0])

    def extend(self, rows: Sequence[U32]) -> None:
        need = self.offsets[-1] + sum(len(r) for r in rows)
        if need > len(self.values):
            grown = np.empty(max(need, 2 * len(self.values)), dtype=np.uint32)
            grown[: self.offsets[-1]] = self.values[: self.offsets[-1]]
            self.values = grown
        for r in rows:
            start = self.offsets[-1]
            self.values[start : start + len(r)] = r
            self.offsets.append(start + len(r))

    def row(self, i: int) -> U32:
        return self.values[self.offsets[i] : self.offsets[i + 1]]

    @property
    def nbytes(self) -> int:
        return int(self.values.nbytes) + 8 * len(self.offsets)


@dataclass(frozen=True)
class Match:
    row: int
    score: float


class LshIndex:
    """Near-duplicate index: ``add`` fingerprints, ``query`` a fingerprint for verified matches."""

    def __init__(self, params: Params = DEFAULT, max_segments: int = 8) -> None:
        self.params = params
        self.max_segments = max_segments
        self._sigs = np.empty((0, params.num_perm), dtype=np.uint32)
        self._n = 0
        self._exact = np.empty(0, dtype=np.uint64)
        self._ntok = np.empty(0, dtype=np.int32)
        self._sents = _Ragged()
        self._nums = _Ragged()
        self._segments: list[tuple[U64, U32]] = []

    def __len__(self) -> int:
        return self._n

    def _grow(self, extra: int) -> None:
        cap = len(self._exact)
        if self._n + extra <= cap:
            return
        new = max(self._n + extra, 2 * cap, 1024)
        sigs = np.empty((new, self.params.num_perm), dtype=np.uint32)
        sigs[: self._n] = self._sigs[: self._n]
        self._sigs = sigs
        self._exact = np.resize(self._exact, new)
        self._ntok = np.resize(self._ntok, new)

    def add(self, fps: Sequence[Fingerprint]) -> range:
        """Add fingerprints; returns their rows."""
        if not fps:
            return range(self._n, self._n)
        return self.add_arrays(
            np.stack([f.sig for f in fps]),
            np.array([f.exact for f in fps], dtype=np.uint64),
            np.array([f.ntokens for f in fps], dtype=np.int32),
            [f.sents for f in fps],
            [f.nums for f in fps],
        )

    def add_arrays(
        self, sigs: U32, exact: U64, ntokens: I32, sents: Sequence[U32], nums: Sequence[U32]
    ) -> range:
        """Bulk add of fingerprint parts already stacked (what the parallel indexer produces)."""
        first = self._n
        rows = range(first, first + len(exact))
        self._grow(len(rows))
        self._sigs[first : rows.stop] = sigs
        self._exact[first : rows.stop] = exact
        self._ntok[first : rows.stop] = ntokens
        self._sents.extend(sents)
        self._nums.extend(nums)
        self._n = rows.stop
        self._add_bands(sigs, np.arange(first, rows.stop, dtype=np.uint32), ntokens == 0)
        return rows

    def _add_bands(self, sigs: U32, rows: U32, empty: npt.NDArray[np.bool_]) -> None:
        keep = ~empty
        keys = band_keys(sigs[keep], self.params).ravel()
        ids = np.repeat(rows[keep], self.params.bands)
        order = np.argsort(keys, kind="stable")
        self._segments.append((keys[order], ids[order]))
        if len(self._segments) > self.max_segments:
            self.compact()

    def compact(self) -> None:
        """Merge all band segments into one sorted array."""
        if len(self._segments) <= 1:
            return
        keys = np.concatenate([s[0] for s in self._segments])
        ids = np.concatenate([s[1] for s in self._segments])
        order = np.argsort(keys, kind="stable")
        self._segments = [(keys[order], ids[order])]

    def fingerprint(self, row: int) -> Fingerprint:
        return Fingerprint(
            int(self._exact[row]), self._sigs[row], self._sents.row(row), self._nums.row(row), int(self._ntok[row])
        )

    def candidates(self, fp: Fingerprint) -> U32:
        """Rows sharing at least one band with ``fp`` (unverified)."""
        if fp.empty:
            return np.empty(0, dtype=np.uint32)
        q = band_keys(fp.sig, self.params).ravel()
        found = []
        for keys, ids in self._segments:
            lo = np.searchsorted(keys, q, "left")
            hi = np.searchsorted(keys, q, "right")
            for a, b in zip(lo[hi > lo], hi[hi > lo], strict=True):
                found.append(ids[a:b])
        return np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.uint32)

    def query(self, fp: Fingerprint, exclude: int = -1) -> list[Match]:
        """Verified matches of ``fp``, best first (ties: lowest row)."""
        out = []
        for row in self.candidates(fp):
            if int(row) == exclude:
                continue
            score = compare(fp, self.fingerprint(int(row)), self.params)
            if score is not None:
                out.append(Match(int(row), score))
        out.sort(key=lambda m: (-m.score, m.row))
        return out

    @property
    def nbytes(self) -> int:
        seg = sum(k.nbytes + i.nbytes for k, i in self._segments)
        return int(self._sigs[: self._n].nbytes) + seg + self._sents.nbytes + self._nums.nbytes
