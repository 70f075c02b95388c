"""Extraction in worker processes, behind one function the lead can swap for the batch API.

``ExtractPool.extract(body, url)`` runs ``warta.extract.extract`` in the workers of a
:class:`~warta.execute.local.LocalExecutor` through its asyncio front
(:class:`~warta.execute.aio.AsyncExecutor`), with a per-document timeout: a document that overruns
yields ``Skip(TIMEOUT)`` and its worker alone is killed and replaced (a worker stuck in a crafted
page cannot be interrupted otherwise); a worker that dies has its document run once more.

Workers are forked from a fork server that has already imported and warmed up the extractor
(:mod:`warta.pipeline.preload`), so a worker costs a fork instead of ~0.7 s of imports each, and
:meth:`ExtractPool.start` lets a crawl start that server and the workers while discovery
documents are fetched. Each worker has its next document queued while it runs one.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import os
import threading
from collections.abc import Callable
from types import TracebackType
from typing import TypeVar

from warta.discover.listing import extract_links, links_in
from warta.execute.aio import AsyncExecutor
from warta.execute.local import LocalExecutor
from warta.extract import extract
from warta.extract.core import extract_tree
from warta.extract.html import parse_html
from warta.extract.pagination import Pagination, paged_tree
from warta.model import Article, Skip, SkipReason

ExtractFn = Callable[[bytes, str], Article | Skip]
Linked = tuple[Article | Skip, list[str]]  # the page's extraction and its same-site links
Paged = tuple[Article | Skip, list[str], Pagination]  # ... and the article's other pages
T = TypeVar("T")


# Imported and warmed up once by the fork server (one per process: the first executor to start it
# chooses); every worker is forked from it with the extractor's modules and caches ready.
PRELOAD = ("warta.pipeline.preload",)


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
    """Async front of worker processes running the extractor.

    Each worker holds up to ``queued`` documents (default 3: one running, two waiting in its
    pipe, so it never waits for the driver), and one more per worker waits in the driver for
    whichever worker has room first (a worker is not left idle behind another's slow document);
    that bounds the bodies held in memory. A document's clock starts when a worker takes it, so a
    document never pays for the one before it, nor for a stuck worker (that one alone is replaced
    when its own document times out).
    """

    def __init__(
        self, workers: int = 0, timeout: float = 10.0, func: ExtractFn = extract_document, queued: int = 3
    ) -> None:
        self.workers = workers if workers > 0 else (os.cpu_count() or 1)
        self.timeout = timeout
        self.queued = max(1, queued)
        self.func = func
        self.linked: Callable[[bytes, str], Linked] = (
            extract_linked if func is extract_document else functools.partial(_with_links, func)
        )
        self._pool: AsyncExecutor | None = None
        self._slots: asyncio.Semaphore | None = None
        self._lock = threading.Lock()  # start() may run in a helper thread

    def _executor(self) -> AsyncExecutor:
        with self._lock:
            if self._pool is None:
                workers = LocalExecutor(self.workers, ahead=self.queued, start="forkserver", preload=PRELOAD)
                self._pool = AsyncExecutor(workers, self.timeout)
            return self._pool

    def start(self) -> None:
        """Start the workers now and wait until they are ready (blocking: call it in a helper
        thread), so their start-up overlaps other work instead of delaying the first document."""
        self._executor().start()

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
            self._slots = asyncio.Semaphore(self.workers * (self.queued + 1))
        async with self._slots:
            result = await self._executor().run(func, body, url)
        if not isinstance(result, Skip):
            return result
        if result.reason is SkipReason.TIMEOUT:
            return Skip(SkipReason.TIMEOUT, f"extraction took over {self.timeout:g}s", url=url)
        if result.reason is SkipReason.ERROR and result.detail.startswith("worker died"):
            return Skip(SkipReason.UNREADABLE, "extraction worker crashed", url=url)
        return result if result.url is not None else dataclasses.replace(result, url=url)

    def close(self) -> None:
        """Stop the workers (a document still running is abandoned)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    def __enter__(self) -> ExtractPool:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
