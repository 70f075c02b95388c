"""Near-duplicate clusters across shards: fingerprints per shard in the workers, grouping by
band and union-find in the driver.

Each worker normalises and fingerprints (MinHash signature, sentence and number hashes) the
texts of one shard. The driver gathers the fingerprints of all shards, groups them by LSH band
key, verifies every candidate pair and joins verified pairs with union-find
(:func:`warta.dedupe.batch.cluster_fingerprints`). The arithmetic is the one of
:func:`warta.dedupe.batch.cluster`, so the clusters equal the single-process ones on the same
texts; only the fingerprinting, the costly part, is spread over the workers.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from warta.dedupe.batch import BATCH, cluster_fingerprints
from warta.dedupe.fingerprint import fingerprint
from warta.dedupe.normalize import normalise_text
from warta.errors import WartaError
from warta.execute import Executor
from warta.model import Skip
from warta.signatures import Fingerprint

Texts = list[tuple[str, str]]
Prints = list[tuple[str, Fingerprint]]


def fingerprint_texts(texts: Texts) -> Prints:
    """What a worker runs for one shard: the fingerprint of each (id, text)."""
    return [(ident, fingerprint(normalise_text(text or ""), BATCH)) for ident, text in texts]


def parquet_texts(path: Path) -> Texts:
    """The (id, text) of the articles in a Parquet shard written by ``warta batch`` (not its skips)."""
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=["id", "text", "skip"]).to_pylist()
    return [(str(r["id"]), str(r["text"] or "")) for r in table if r["skip"] is None]


def fingerprint_parquet(path: Path) -> Prints:
    return fingerprint_texts(parquet_texts(path))


def merge(shard_prints: Iterable[Prints]) -> dict[str, str]:
    """Cluster ids from the fingerprints of every shard (a repeated id keeps its last shard's)."""
    prints: dict[str, Fingerprint] = {}
    for shard in shard_prints:
        prints.update(shard)
    ids = sorted(prints)
    return cluster_fingerprints(ids, [prints[i] for i in ids], BATCH)


def _collect(results: Iterable[tuple[int, Prints | Skip]], what: str) -> list[Prints]:
    by_shard: dict[int, Prints] = {}
    for n, result in results:
        if isinstance(result, Skip):
            raise WartaError(f"cannot fingerprint {what} {n}: {result}")
        by_shard[n] = result
    return [by_shard[n] for n in sorted(by_shard)]


def cluster_shards(executor: Executor, shards: list[Texts], timeout: float | None = None) -> dict[str, str]:
    """Clusters of the (id, text) pairs of all ``shards``, fingerprinted one shard per task."""
    results = executor.map(fingerprint_texts, enumerate(shards), timeout)
    return merge(_collect(results, "shard"))


def cluster_parquet(executor: Executor, paths: list[Path], timeout: float | None = None) -> dict[str, str]:
    """Clusters of the articles of the Parquet shards ``paths`` (each read by a worker)."""
    results = executor.map(fingerprint_parquet, enumerate(paths), timeout)
    return merge(_collect(results, "Parquet shard"))
