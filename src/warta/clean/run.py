"""Cleaning many documents: single-document mode, or corpus mode (learn site furniture in a
first pass, clean in a second); in this process or in worker processes."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Iterator

from warta.clean.article import Cleaner
from warta.clean.corpus import LineStats, site_key
from warta.clean.io import Document
from warta.execute.local import LocalExecutor
from warta.model import Article, Skip

BATCH = 32  # documents sent to a worker at a time (the executor's chunk)
# Imported once by the fork server (the cleaner's vocabulary); every worker is forked from it.
PRELOAD = ("warta.clean.preload",)
TIMEOUT = 30.0  # default seconds one document may take (clean_documents, ``warta clean --timeout``)
Task = tuple[str, str | None, str]  # text, url, site


def learn(docs: Iterable[Document], stats: LineStats | None = None) -> LineStats:
    """First pass of corpus mode: count each document's lines per site (fixed memory)."""
    stats = stats if stats is not None else LineStats()
    for doc in docs:
        stats.add_text(site_key(doc.url, doc.id), doc.text)
    return stats


def clean_documents(
    docs: Iterable[Document], stats: LineStats | None = None, workers: int = 1, timeout: float | None = TIMEOUT
) -> Iterator[tuple[Document, Article | Skip]]:
    """Clean each document, in input order; with ``stats`` (from :func:`learn`) site-wide repeated
    lines are furniture. ``workers`` > 1 cleans in that many processes, 0 in one per CPU (streaming:
    a few batches are in flight at a time, whatever the corpus size). A document that takes more
    than ``timeout`` seconds becomes ``Skip(TIMEOUT)`` and the run goes on (None: no limit; only
    then does a single worker clean in this process: a limit is kept by killing a worker process,
    never by a signal raised inside the cleaner, which could land anywhere, a GC callback included)."""
    workers = workers if workers > 0 else (os.cpu_count() or 1)  # as the crawl's ExtractPool reads it
    if workers > 1 or timeout:  # a limit needs a worker process the executor can kill
        yield from _clean_in_workers(docs, stats, workers, timeout)
        return
    cleaner = _cleaner(stats)
    for doc in docs:
        yield doc, cleaner.clean(doc.text, doc.url, site_key(doc.url, doc.id))


def _cleaner(stats: LineStats | None) -> Cleaner:
    return Cleaner(boilerplate=stats.boilerplate if stats is not None else None)


# The cleaner of a worker process, made once by _start_worker (the executor's initializer: the
# corpus statistics reach each worker once, not with every batch).
_worker: list[Cleaner] = []


def _start_worker(stats: LineStats | None) -> None:
    _worker[:] = [_cleaner(stats)]


def _clean_task(task: Task) -> Article | Skip:
    """One document in a worker; the executor kills the worker past the limit (no alarm needed)."""
    text, url, site = task
    return _worker[0].clean(text, url, site)


def _clean_in_workers(
    docs: Iterable[Document], stats: LineStats | None, workers: int, timeout: float | None
) -> Iterator[tuple[Document, Article | Skip]]:
    """The local executor: batches of ``BATCH`` documents, two per worker at most outstanding,
    results in input order. A document past ``timeout`` has its worker killed and replaced (the
    rest of its batch goes to the fresh worker), a worker that dies has its document tried once
    more: the run never stops for one document."""
    tasks = ((doc, (doc.text, doc.url, site_key(doc.url, doc.id))) for doc in docs)
    executor = LocalExecutor(
        workers, chunk=BATCH, initializer=_start_worker, initargs=(stats,), start="forkserver", preload=PRELOAD
    )
    with executor:
        for doc, result in executor.map(_clean_task, tasks, timeout, ordered=True):
            yield doc, _with_url(result, doc.url)


def _with_url(result: Article | Skip, url: str | None) -> Article | Skip:
    """A Skip made by the executor (timeout, dead worker) does not know the document's url."""
    if isinstance(result, Skip) and result.url is None and url is not None:
        return dataclasses.replace(result, url=url)
    return result
