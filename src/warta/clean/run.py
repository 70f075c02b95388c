"""Cleaning many documents: single-document mode, or corpus mode (learn site furniture in a
first pass, clean in a second); in this process or in worker processes."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from itertools import islice
from multiprocessing.context import BaseContext
from types import FrameType

from warta.clean.article import Cleaner
from warta.clean.corpus import LineStats, site_key
from warta.clean.io import Document
from warta.errors import ExtractError
from warta.lifeline import die_with
from warta.model import Article, Skip, SkipReason

BATCH = 32  # documents sent to a worker at a time
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


# The cleaner of a worker process, made once by _start_worker (the corpus statistics reach each
# worker once, not with every batch).
_worker: list[Cleaner] = []


def _start_worker(stats: LineStats | None, owner: int) -> None:
    # dies with the process that runs the pool, even by kill -9 (a fork server's worker also by
    # the parent-death signal: its parent is the fork server)
    die_with(owner, parent_signal=os.getppid() != owner)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the main process alone answers (no worker traceback)
    _worker[:] = [_cleaner(stats)]


def _clean_batch(tasks: list[Task], timeout: float | None) -> list[Article | Skip]:
    cleaner = _worker[0]
    return [_clean_one(cleaner, text, url, site, timeout) for text, url, site in tasks]


def _clean_in_workers(
    docs: Iterable[Document], stats: LineStats | None, workers: int, timeout: float | None
) -> Iterator[tuple[Document, Article | Skip]]:
    context: BaseContext = multiprocessing.get_context("spawn")
    if "forkserver" in multiprocessing.get_all_start_methods():
        server = multiprocessing.get_context("forkserver")
        # no effect once the server runs; '__main__' (the default preload) stays, as in the crawl's
        # ExtractPool: a worker started without it imports the main script itself after the fork
        server.set_forkserver_preload(["__main__", "warta.clean.preload"])
        context = server
    source = iter(docs)
    owner = os.getpid()
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(stats, owner)
    ) as pool:
        pending: deque[tuple[list[Document], Future[list[Article | Skip]]]] = deque()
        try:
            while batch := list(islice(source, BATCH)):
                tasks = [(doc.text, doc.url, site_key(doc.url, doc.id)) for doc in batch]
                pending.append((batch, pool.submit(_clean_batch, tasks, timeout)))
                if len(pending) > 2 * workers:
                    yield from _results(*pending.popleft())
            while pending:
                yield from _results(*pending.popleft())
        except BaseException:  # Ctrl-C or a consumer that stops early: drop the batches not started
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _results(batch: list[Document], future: Future[list[Article | Skip]]) -> Iterator[tuple[Document, Article | Skip]]:
    try:
        results = future.result()
    except BrokenProcessPool as exc:  # a worker was killed (out of memory, a signal)
        raise ExtractError(f"a cleaning worker died: {exc}", first_document=batch[0].id) from exc
    yield from zip(batch, results, strict=True)
