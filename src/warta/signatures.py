"""Document signatures: the :class:`Fingerprint` record and the numpy array types it is made of.

The dedupe stage computes fingerprints (:func:`warta.dedupe.fingerprint.fingerprint`) and the store
keeps them (``dedupe_docs``, :class:`warta.store.protocols.ClusterStore`), so the record lives
here, below both, as :mod:`warta.model` holds the records that cross the other seams.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["U32", "U64", "Fingerprint"]

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]


@dataclass(frozen=True, eq=False)
class Fingerprint:
    """What is compared of two documents, without their text (see :mod:`warta.dedupe.fingerprint`)."""

    exact: int
    sig: U32
    sents: U32
    nums: U32
    ntokens: int

    @property
    def empty(self) -> bool:
        return self.ntokens == 0
