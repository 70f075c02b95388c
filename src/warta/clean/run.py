"""Cleaning many documents: single-document mode, or corpus mode (learn site furniture in a
first pass, clean in a second); in this process or in worker processes."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from multiprocessing.context import BaseContext

from warta.clean.article import Cleaner
from warta.clean.corpus import LineStats, site_key
from warta.clean.io import Document
from warta.errors import ExtractError
from warta.model import Article, Skip

BATCH = 32  # documents sent to a worker at a time
Task = tuple[str, str | None, str]  # text, url, site


def learn(docs: Iterable[Document], stats: LineStats | None = None) -> LineStats:
    """First pass of corpus mode: count each document's lines per site (fixed memory)."""
    stats = stats if stats is not None else LineStats()
    for doc in docs:
        stats.add_text(site_key(doc.url, doc.id), doc.text)
    return stats


def clean_documents(
    docs: Iterable[Document], stats: LineStats | None = None, workers: int = 1
) -> Iterator[tuple[Document, Article | Skip]]:
    """Clean each document, in input order; with ``stats`` (from :func:`learn`) site-wide repeated
    lines are furniture. ``workers`` > 1 cleans in that many processes (streaming: a few batches
    are in flight at a time, whatever the corpus size)."""
    if workers > 1:
        yield from _clean_in_workers(docs, stats, workers)
        return
    cleaner = _cleaner(stats)
    for doc in docs:
        yield doc, cleaner.clean(doc.text, doc.url, site_key(doc.url, doc.id))


def _cleaner(stats: LineStats | None) -> Cleaner:
    return Cleaner(boilerplate=stats.boilerplate if stats is not None else None)


# The cleaner of a worker process, made once by _start_worker (the corpus statistics reach each
# worker once, not with every batch).
_worker: list[Cleaner] = []


def _start_worker(stats: LineStats | None) -> None:
    _worker[:] = [_cleaner(stats)]


def _clean_batch(tasks: list[Task]) -> list[Article | Skip]:
    cleaner = _worker[0]
    return [cleaner.clean(text, url, site) for text, url, site in tasks]


def _clean_in_workers(
    docs: Iterable[Document], stats: LineStats | None, workers: int
) -> Iterator[tuple[Document, Article | Skip]]:
    context: BaseContext = multiprocessing.get_context("spawn")
    if "forkserver" in multiprocessing.get_all_start_methods():
        server = multiprocessing.get_context("forkserver")
        server.set_forkserver_preload(["warta.clean.preload"])  # no effect once the server runs
        context = server
    source = iter(docs)
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(stats,)) as pool:
        pending: deque[tuple[list[Document], Future[list[Article | Skip]]]] = deque()
        while batch := list(islice(source, BATCH)):
            tasks = [(doc.text, doc.url, site_key(doc.url, doc.id)) for doc in batch]
            pending.append((batch, pool.submit(_clean_batch, tasks)))
            if len(pending) > 2 * workers:
                yield from _results(*pending.popleft())
        while pending:
            yield from _results(*pending.popleft())


def _results(batch: list[Document], future: Future[list[Article | Skip]]) -> Iterator[tuple[Document, Article | Skip]]:
    try:
        results = future.result()
    except BrokenProcessPool as exc:  # a worker was killed (out of memory, a signal)
        raise ExtractError(f"a cleaning worker died: {exc}", first_document=batch[0].id) from exc
    yield from zip(batch, results, strict=True)
