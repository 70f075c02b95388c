"""Corpus mode across shards: line statistics learnt per shard in the workers, merged in the driver.

Pass 1 maps :func:`learn_shard` over every corpus shard (each worker streams its file into a
:class:`~warta.clean.corpus.LineStats` count-min sketch); the driver adds the sketches (a
count-min sketch of a concatenated stream is the sum of the shards' sketches; with no hash
collisions the merged counts are exactly the single-process counts, and they never under-count).
The merged sketch is saved once (``<shard table>_linestats.npz`` beside it) and reused by a
rerun, so shards cleaned by different runs see the same statistics. Pass 2 cleans each document
with it: the workers load the saved sketch once per process (memory-mapped), by path.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from warta.clean.article import Cleaner
from warta.clean.corpus import LineStats, site_key
from warta.clean.io import Document, read_documents
from warta.clean.run import learn
from warta.errors import WartaError
from warta.execute import Executor
from warta.model import Article, Skip


def learn_shard(path: Path) -> LineStats:
    """What a worker runs in pass 1: the line statistics of one corpus file."""
    return learn(read_documents(path))


def merge_stats(parts: Iterable[LineStats]) -> LineStats:
    merged = LineStats()
    for part in parts:
        np.add(merged.table, part.table, out=merged.table)
    return merged


def save_stats(stats: LineStats, path: Path) -> None:
    tmp = path.with_name(path.name + ".part.npz")
    np.savez(tmp, table=stats.table, params=np.array([stats.min_count, stats.share]))
    tmp.replace(path)


@functools.lru_cache(maxsize=2)
def load_stats(path: str) -> LineStats:
    with np.load(path) as data:
        min_count, share = data["params"].tolist()
        stats = LineStats(width=data["table"].shape[1], depth=data["table"].shape[0],
                          min_count=int(min_count), share=float(share))
        stats.table = data["table"]
    return stats


def learn_corpus(executor: Executor, paths: list[Path], stats_path: Path, timeout: float | None = None) -> Path:
    """Pass 1 over ``paths`` unless a saved sketch exists; returns where the sketch is."""
    if stats_path.exists():
        return stats_path
    parts: list[LineStats] = []
    for n, result in executor.map(learn_shard, enumerate(paths), timeout):
        if isinstance(result, Skip):
            raise WartaError(f"cannot learn the line statistics of {paths[n]}: {result}")
        parts.append(result)
    save_stats(merge_stats(parts), stats_path)
    return stats_path


@dataclass(frozen=True, slots=True)
class CorpusDocument:
    """A document to clean with the saved corpus statistics at ``stats``."""

    doc: Document
    stats: str

    @property
    def url(self) -> str | None:
        return self.doc.url


def clean_with_stats(item: CorpusDocument) -> Article | Skip:
    """What a worker runs in pass 2 (the sketch is loaded once per process)."""
    stats = load_stats(item.stats)
    doc = item.doc
    return Cleaner(boilerplate=stats.boilerplate).clean(doc.text, doc.url, site_key(doc.url, doc.id))
