"""Cleaning many documents: single-document mode, or corpus mode (learn site furniture in a
first pass, clean in a second); in this process or in worker processes."""

from __future__ import annotations

import dataclasses
import os
import signal
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from types import FrameType

from warta.clean.article import Cleaner
from warta.clean.corpus import LineStats, site_key
from warta.clean.io import Document
from warta.execute.local import LocalExecutor
from warta.model import Article, Skip, SkipReason

BATCH = 32  # documents sent to a worker at a time (the executor's chunk)
# Imported once by the fork server (the cleaner's vocabulary); every worker is forked from it.
PRELOAD = ("warta.clean.preload",)
TIMEOUT = 30.0  # default seconds one document may take (clean_documents, ``warta clean --timeout``)
Task = tuple[str, str | None, str]  # text, url, site


class _Expired(BaseException):  # not an Exception: no "except Exception" in the cleaner swallows it
    """Raised inside a document's cleaning by the SIGALRM of :func:`_time_limit`."""


REPEAT = 0.05  # seconds between alarms once the limit is past: one raised in a GC callback is lost


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`_Expired` in the code below after ``seconds`` (a real-time timer; the regex
    engine checks for signals too). No limit for None or 0, off the main thread, or where the
    platform has no ``setitimer`` (Windows)."""
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return
    armed = [True]

    def expire(signum: int, frame: FrameType | None) -> None:
        if armed[0]:
            raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT)  # repeats: an alarm can land where Python ignores it
    try:
        yield
    finally:
        while True:  # disarm first; an alarm landing in these lines only makes them run again
            try:
                armed[0] = False
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
                break
            except _Expired:
                continue


def _clean_one(cleaner: Cleaner, text: str, url: str | None, site: str, timeout: float | None) -> Article | Skip:
    try:
        with _time_limit(timeout):
            return cleaner.clean(text, url, site)
    except _Expired:
        return Skip(SkipReason.TIMEOUT, f"cleaning took over {timeout:g} s", url=url)


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
    than ``timeout`` seconds becomes ``Skip(TIMEOUT)`` and the run goes on (None: no limit)."""
    workers = workers if workers > 0 else (os.cpu_count() or 1)  # as the crawl's ExtractPool reads it
    if workers > 1:
        yield from _clean_in_workers(docs, stats, workers, timeout)
        return
    cleaner = _cleaner(stats)
    for doc in docs:
        yield doc, _clean_one(cleaner, doc.text, doc.url, site_key(doc.url, doc.id), timeout)


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
