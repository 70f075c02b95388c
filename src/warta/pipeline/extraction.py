"""Extraction in worker processes, behind one function the lead can swap for the batch API.

``ExtractPool.extract(body, url)`` runs ``warta.extract.extract`` in a process pool with a
per-document timeout; a document that overruns yields ``Skip(TIMEOUT)`` and the pool is replaced
(a worker stuck in a crafted page cannot be interrupted otherwise).

Workers are forked from a fork server that has already imported and warmed up the extractor
(:mod:`warta.pipeline.preload`), so a worker costs a fork instead of ~0.7 s of imports each, and
:meth:`ExtractPool.start` lets a crawl start that server while discovery documents are fetched.
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from concurrent import futures
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import TypeVar

from warta.discover.listing import extract_links, links_in
from warta.extract import extract
from warta.extract.core import extract_tree
from warta.extract.html import parse_html
from warta.extract.pagination import Pagination, paged_tree
from warta.lifeline import die_with
from warta.model import Article, Skip, SkipReason

ExtractFn = Callable[[bytes, str], Article | Skip]
Linked = tuple[Article | Skip, list[str]]  # the page's extraction and its same-site links
Paged = tuple[Article | Skip, list[str], Pagination]  # ... and the article's other pages
T = TypeVar("T")

# Imported once by the fork server; every worker is forked from it. '__main__' (the default
# preload) stays: a worker started without it imports the main script itself after the fork.
PRELOAD = ["__main__", "warta.pipeline.preload"]


def ignore_sigint() -> None:
    """Worker start: Ctrl-C reaches the whole process group; the main process alone answers it
    (it stops the pool), so a worker shows no KeyboardInterrupt traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def start_worker(owner: int) -> None:
    """Worker start: no Ctrl-C traceback (:func:`ignore_sigint`), and the worker dies with process
    ``owner``, even by kill -9 (a fork server's worker also by the parent-death signal)."""
    ignore_sigint()
    die_with(owner, True)


def extract_document(body: bytes, url: str) -> Article | Skip:
    """The default extractor run in the workers (a module-level function, so it pickles)."""
    return extract(body, url)


def extract_linked(body: bytes, url: str) -> Linked:
    """The page's extraction and its links from one parse (link following reads both)."""
    tree = parse_html(body, url)
    if isinstance(tree, Skip):
        return tree, []
    return extract_tree(tree, url), links_in(tree, url)


def extract_paged(body: bytes, url: str, links: bool = False) -> Paged:
    """The page's extraction, the article's other pages and (``links``) its links, from one parse."""
    tree = parse_html(body, url)
    if isinstance(tree, Skip):
        return tree, [], Pagination()
    result, pages = paged_tree(tree, url)
    return result, (links_in(tree, url) if links else []), pages


def _with_links(func: ExtractFn, body: bytes, url: str) -> Linked:
    """:func:`extract_linked` for a custom extractor (which parses on its own)."""
    return func(body, url), extract_links(body, url)


class ExtractPool:
    """Async front of a process pool running the extractor.

    At most ``queued`` documents per worker are submitted at once (default 2: one running, one
    waiting), so a worker that finishes starts its next document without waiting for the
    crawler's busy event loop, and the timeout still measures little besides extraction: a
    document waits at most for one other document, and only behind a stuck worker does it wait
    longer, until that worker's timeout replaces the pool (then it gets a second try).
    """

    def __init__(
        self, workers: int = 0, timeout: float = 10.0, func: ExtractFn = extract_document, queued: int = 2
    ) -> None:
        self.workers = workers if workers > 0 else (os.cpu_count() or 1)
        self.timeout = timeout
        self.queued = max(1, queued)
        self.func = func
        self.linked: Callable[[bytes, str], Linked] = (
            extract_linked if func is extract_document else functools.partial(_with_links, func)
        )
        self._pool: ProcessPoolExecutor | None = None
        self._slots: asyncio.Semaphore | None = None
        self._lock = threading.Lock()  # start() may run in a helper thread

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                ctx = multiprocessing.get_context("forkserver")
                ctx.set_forkserver_preload(PRELOAD)  # no effect once the server runs
                # each worker dies with this process, even by kill -9 (so does the fork server)
                self._pool = ProcessPoolExecutor(
                    self.workers, mp_context=ctx, initializer=start_worker, initargs=(os.getpid(),)
                )
            return self._pool

    def start(self) -> None:
        """Start the fork server and the workers now (blocking: call it in a helper thread), so
        their start-up overlaps other work instead of delaying the first document."""
        pool = self._executor()
        # bounded: a server that cannot start is reported by the documents, not waited for here
        futures.wait([pool.submit(int) for _ in range(self.workers)], timeout=max(30.0, self.timeout))

    async def extract(self, body: bytes, url: str) -> Article | Skip:
        return await self._call(self.func, body, url)

    async def extract_linked(self, body: bytes, url: str) -> Linked:
        """:meth:`extract` plus the page's links, read in the worker from the same parse."""
        result = await self._call(self.linked, body, url)
        return (result, []) if isinstance(result, Skip) else result

    async def extract_paged(self, body: bytes, url: str, *, links: bool = False) -> Paged:
        """:meth:`extract` plus the article's other pages (and its links when ``links``), from one
        parse in the worker. A custom ``func`` reports no other pages."""
        if self.func is not extract_document:
            if links:
                result, found = await self.extract_linked(body, url)
                return result, found, Pagination()
            return await self.extract(body, url), [], Pagination()
        paged = await self._call(functools.partial(extract_paged, links=links), body, url)
        return (paged, [], Pagination()) if isinstance(paged, Skip) else paged

    async def _call(self, func: Callable[[bytes, str], T], body: bytes, url: str) -> T | Skip:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers * self.queued)
        async with self._slots:
            for _ in range(2):  # a document in flight when another one broke the pool gets a second try
                pool = self._executor()
                future = asyncio.get_running_loop().run_in_executor(pool, func, body, url)
                try:
                    return await asyncio.wait_for(future, self.timeout)
                except TimeoutError:
                    self._replace(pool)
                    return Skip(SkipReason.TIMEOUT, f"extraction took over {self.timeout:g}s", url=url)
                except (BrokenProcessPool, asyncio.CancelledError):
                    task = asyncio.current_task()
                    if task is not None and task.cancelling():
                        raise
                    self._replace(pool)
        return Skip(SkipReason.UNREADABLE, "extraction worker crashed", url=url)

    def _replace(self, pool: ProcessPoolExecutor) -> None:
        """Kill a pool whose worker is stuck or dead; the next document starts a fresh one."""
        if self._pool is pool:
            self._pool = None
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            proc.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> ExtractPool:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
