"""Extraction in worker processes, behind one function the lead can swap for the batch API.

``ExtractPool.extract(body, url)`` runs ``warta.extract.extract`` in a process pool with a
per-document timeout; a document that overruns yields ``Skip(TIMEOUT)`` and the pool is replaced
(a worker stuck in a crafted page cannot be interrupted otherwise).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType

from warta.extract import extract
from warta.model import Article, Skip, SkipReason


def _extract_one(body: bytes, url: str) -> Article | Skip:
    return extract(body, url)


class ExtractPool:
    """Async front of a process pool running the extractor."""

    def __init__(self, workers: int = 0, timeout: float = 10.0) -> None:
        self.workers = workers if workers > 0 else (os.cpu_count() or 1)
        self.timeout = timeout
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            ctx = multiprocessing.get_context("forkserver")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=ctx)
        return self._pool

    async def extract(self, body: bytes, url: str) -> Article | Skip:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor(), _extract_one, body, url)
        try:
            return await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            self._replace()
            return Skip(SkipReason.TIMEOUT, f"extraction took over {self.timeout:g}s", url=url)
        except BrokenProcessPool:
            self._replace()
            return Skip(SkipReason.UNREADABLE, "extraction worker crashed", url=url)

    def _replace(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            for proc in list(getattr(pool, "_processes", {}).values()):
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
