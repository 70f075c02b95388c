"""Batch extraction in worker processes with a per-document time limit.

A crafted page can stall any HTML parser, so each document runs in a worker process of a
:class:`~warta.execute.local.LocalExecutor`; a worker that passes the time limit is killed and
replaced and the document is recorded as ``Skip(TIMEOUT)``. An extractor that raises gives
``Skip(ERROR)``; a worker that dies mid-document is replaced and the document tried once more, then
``Skip(ERROR)``. A document over ``max_bytes`` is ``Skip(TOO_LARGE)`` without reaching a worker.
Every Skip carries the document's url. The batch itself never crashes, and its workers end with
it, even when its process is killed by ``kill -9``::

    with BatchExtractor(workers=4, timeout=10.0) as batch:
        for key, result in batch.extract_many((path, data, url) for path, data, url in pages):
            ...   # result is an Article or a Skip; results come back in completion order
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Iterable, Iterator
from types import TracebackType
from typing import TypeVar

from warta.execute.local import LocalExecutor
from warta.extract.core import extract
from warta.extract.html import DEFAULT_MAX_BYTES
from warta.model import Article, Skip, SkipReason

K = TypeVar("K", bound=Hashable)
Result = Article | Skip
Job = tuple[str | bytes, str | None, int]  # html, url, max_bytes


def extract_job(job: Job) -> Result:
    """What a worker runs for one document (module level: workers import it by name)."""
    html, url, max_bytes = job
    return extract(html, url, max_bytes=max_bytes)


# Imported and warmed up once by the fork server; every worker is forked from it with warm caches
# (the crawl's preload: extraction, pagination and links, a superset of what a batch needs).
PRELOAD = ("warta.pipeline.preload",)


class BatchExtractor:
    """Extract many documents in ``workers`` processes, each within ``timeout`` seconds."""

    def __init__(self, workers: int = 0, timeout: float = 10.0, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._executor = LocalExecutor(workers, start="forkserver", preload=PRELOAD)
        self.workers = self._executor.workers

    def __enter__(self) -> BatchExtractor:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Stop every worker (idempotent)."""
        self._executor.close()

    def start(self) -> None:
        """Start the workers now and wait until they are ready (else the first documents do)."""
        self._executor.start()

    def pids(self) -> list[int]:
        """Process ids of the current workers."""
        return self._executor.pids()

    def extract_many(self, items: Iterable[tuple[K, str | bytes, str | None]]) -> Iterator[tuple[K, Result]]:
        """Yield ``(key, Article | Skip)`` for every item, in completion order."""
        decided: list[tuple[K, Result]] = []  # too large: answered without a worker
        sent: dict[int, tuple[K, str | None]] = {}  # sequence number -> key, url (keys may repeat)

        def jobs() -> Iterator[tuple[int, Job]]:
            for n, (key, html, url) in enumerate(items):
                if len(html) > self.max_bytes:
                    decided.append((key, Skip(SkipReason.TOO_LARGE, f"{len(html)} bytes > {self.max_bytes}", url=url)))
                    continue
                sent[n] = (key, url)
                yield n, (html, url, self.max_bytes)

        for n, result in self._executor.map(extract_job, jobs(), self.timeout):
            yield from _drain(decided)
            key, url = sent.pop(n)
            yield key, _with_url(result, url)
        yield from _drain(decided)


def _drain(decided: list[tuple[K, Result]]) -> Iterator[tuple[K, Result]]:
    while decided:
        yield decided.pop(0)


def _with_url(result: Result, url: str | None) -> Result:
    """A Skip made by the executor (timeout, error, dead worker) does not know the document's url."""
    if isinstance(result, Skip) and result.url is None and url is not None:
        return dataclasses.replace(result, url=url)
    return result
