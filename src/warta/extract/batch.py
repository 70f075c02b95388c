"""Batch extraction in worker processes with a per-document time limit.

A crafted page can stall any HTML parser, so each document runs in a worker process; a worker
that passes the time limit is killed and replaced and the document is recorded as
``Skip(TIMEOUT)``. A worker that dies or an extractor that raises gives ``Skip(ERROR)``. The batch
itself never crashes::

    with BatchExtractor(workers=4, timeout=10.0) as batch:
        for key, result in batch.extract_many((path, data, url) for path, data, url in pages):
            ...   # result is an Article or a Skip; results come back in completion order
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Hashable, Iterable, Iterator
from multiprocessing.connection import Connection, wait
from types import TracebackType
from typing import Any, TypeVar

from warta.extract.core import extract
from warta.extract.html import DEFAULT_MAX_BYTES
from warta.lifeline import die_with
from warta.model import Article, Skip, SkipReason

K = TypeVar("K", bound=Hashable)
Result = Article | Skip


def _serve(conn: Connection, max_bytes: int, owner: int) -> None:
    """Worker loop: receive (html, url), send back an Article or Skip; ``None`` ends it."""
    die_with(owner)  # a worker busy in a page when its owner is killed (-9) ends too
    conn.send("ready")  # imports are done: the parent's clock starts per document from here
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        html, url = msg
        try:
            result: Result = extract(html, url, max_bytes=max_bytes)
        except Exception as exc:  # noqa: BLE001 - recorded as a Skip, never crashes the batch
            result = Skip(SkipReason.ERROR, f"{type(exc).__name__}: {exc}"[:300], url=url)
        conn.send(result)


class _Worker:
    def __init__(self, ctx: Any, max_bytes: int) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, max_bytes, os.getpid()), daemon=True)
        self.proc.start()
        child.close()
        self.key: Any = None
        self.url: str | None = None
        self.deadline = 0.0
        self.busy = False
        self.ready = False

    def wait_ready(self, limit: float = 60.0) -> None:
        """Wait for the worker's start-up handshake so start-up time is not charged to a document."""
        if not self.ready and self.conn.poll(limit):
            try:
                self.conn.recv()
            except (EOFError, OSError):
                pass
        self.ready = True

    def send(self, key: Any, html: str | bytes, url: str | None, timeout: float) -> None:
        self.wait_ready()
        self.key, self.url, self.busy = key, url, True
        self.deadline = time.monotonic() + timeout
        self.conn.send((html, url))

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(2)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.proc.join(1)
        if self.proc.is_alive():
            self.kill()
        self.conn.close()


class BatchExtractor:
    """Extract many documents in ``workers`` processes, each within ``timeout`` seconds."""

    def __init__(self, workers: int = 0, timeout: float = 10.0, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.workers = workers if workers > 0 else (os.cpu_count() or 1)
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._ctx = multiprocessing.get_context("spawn")
        self._pool: list[_Worker] = []

    def __enter__(self) -> BatchExtractor:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Stop every worker (idempotent)."""
        for worker in self._pool:
            worker.stop()
        self._pool.clear()

    def _ensure_pool(self) -> None:
        while len(self._pool) < self.workers:
            self._pool.append(_Worker(self._ctx, self.max_bytes))

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._pool[self._pool.index(worker)] = _Worker(self._ctx, self.max_bytes)

    def extract_many(self, items: Iterable[tuple[K, str | bytes, str | None]]) -> Iterator[tuple[K, Result]]:
        """Yield ``(key, Article | Skip)`` for every item, in completion order."""
        self._ensure_pool()
        source = iter(items)
        exhausted = False
        while True:
            for worker in self._pool:
                while not worker.busy and not exhausted:
                    item = next(source, None)
                    if item is None:
                        exhausted = True
                        break
                    key, html, url = item
                    if len(html) > self.max_bytes:
                        yield key, Skip(SkipReason.TOO_LARGE, f"{len(html)} bytes > {self.max_bytes}", url=url)
                        continue
                    try:
                        worker.send(key, html, url, self.timeout)
                    except OSError:
                        self._replace(worker)
                        yield key, Skip(SkipReason.ERROR, "worker process unavailable", url=url)
            busy = [w for w in self._pool if w.busy]
            if not busy:
                return
            yield from self._collect(busy)

    def _collect(self, busy: list[_Worker]) -> Iterator[tuple[Any, Result]]:
        """Wait for the first results or deadline; kill and replace workers past their limit."""
        wait_for = max(0.0, min(w.deadline for w in busy) - time.monotonic())
        ready = set(wait([w.conn for w in busy], timeout=wait_for))
        now = time.monotonic()
        for worker in busy:
            if worker.conn in ready:
                try:
                    result: Result = worker.conn.recv()
                except (EOFError, OSError):
                    result = Skip(SkipReason.ERROR, "worker process died", url=worker.url)
                    self._replace(worker)
                worker.busy = False
                yield worker.key, result
            elif now >= worker.deadline:
                key, url = worker.key, worker.url
                self._replace(worker)
                yield key, Skip(SkipReason.TIMEOUT, f"over {self.timeout:g} s", url=url)
