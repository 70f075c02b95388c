"""Deduplication: exact and near-duplicate clusters (placeholder until the dedupe stage lands)."""

from __future__ import annotations

from collections.abc import Iterable


def cluster(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    raise NotImplementedError("warta.cluster is not implemented yet")
