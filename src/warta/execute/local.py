"""The local executor: worker processes on this machine, one item in flight per worker.

Each worker is a spawned process talking to the driver over a pipe. A worker that passes an
item's time limit is killed and replaced, and the item becomes ``Skip(TIMEOUT)``; a worker that
dies mid-item is replaced and its item sent once more, then ``Skip(ERROR)``. Workers die with
their parent: on Linux the kernel sends them SIGKILL when the driver exits (``PR_SET_PDEATHSIG``),
and everywhere a worker exits when its pipe to the driver closes.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Hashable, Iterable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

from warta.execute import call_safely, died_skip, timeout_skip
from warta.model import Skip

K = TypeVar("K", bound=Hashable)
A = TypeVar("A")
R = TypeVar("R")

PR_SET_PDEATHSIG = 1
START_LIMIT = 60.0  # seconds a new worker may take to import and say it is ready


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _serve(conn: Connection, parent: int) -> None:
    """Worker loop: receive (fn, arg), send back fn(arg) or a Skip; ``None`` or EOF ends it."""
    _die_with_parent(parent)
    conn.send("ready")
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        fn, arg = msg
        conn.send(call_safely(fn, arg))


class _Worker:
    def __init__(self, ctx: Any) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, os.getpid()), daemon=True)
        self.proc.start()
        child.close()
        self.ready = False
        self.task: tuple[Any, Any, Any, int] | None = None  # key, fn, arg, attempt
        self.deadline = float("inf")

    @property
    def pid(self) -> int | None:
        pid: int | None = self.proc.pid
        return pid

    def wait_ready(self) -> None:
        """Wait for the start-up handshake, so import time is not charged to an item."""
        if not self.ready and self.conn.poll(START_LIMIT):
            try:
                self.conn.recv()
            except (EOFError, OSError):
                pass
        self.ready = True

    def send(self, task: tuple[Any, Any, Any, int], timeout: float | None) -> None:
        self.wait_ready()
        self.task = task
        self.deadline = time.monotonic() + timeout if timeout else float("inf")
        self.conn.send((task[1], task[2]))

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.proc.join(2)
        if self.proc.is_alive():
            self.kill()
        self.conn.close()


class LocalExecutor:
    """Run items in ``workers`` processes (0: one per CPU); see :mod:`warta.execute`."""

    def __init__(self, workers: int = 0) -> None:
        self.workers = workers if workers > 0 else (os.cpu_count() or 1)
        self._ctx = multiprocessing.get_context("spawn")
        self._pool: list[_Worker] = []

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for worker in self._pool:
            worker.stop()
        self._pool.clear()

    def pids(self) -> list[int]:
        """Process ids of the current workers (tests kill them)."""
        return [w.pid for w in self._pool if w.pid is not None]

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        fresh = _Worker(self._ctx)
        self._pool[self._pool.index(worker)] = fresh
        return fresh

    def map(
        self, fn: Callable[[A], R], items: Iterable[tuple[K, A]], timeout: float | None = None
    ) -> Iterator[tuple[K, R | Skip]]:
        """Yield ``(key, fn(arg) | Skip)`` for every item, in completion order."""
        while len(self._pool) < self.workers:
            self._pool.append(_Worker(self._ctx))
        try:
            yield from self._run(fn, iter(items), timeout)
        finally:  # the caller stopped early: workers still busy would answer the next map
            for worker in [w for w in self._pool if w.task is not None]:
                self._replace(worker)

    def _run(self, fn: Callable[[Any], Any], source: Iterator[tuple[Any, Any]], timeout: float | None) -> Iterator[tuple[Any, Any]]:
        retry: list[tuple[Any, Any, Any, int]] = []
        exhausted = False
        while True:
            for worker in list(self._pool):
                if worker.task is not None:
                    continue
                if retry:
                    task = retry.pop()
                elif not exhausted:
                    item = next(source, None)
                    if item is None:
                        exhausted = True
                        continue
                    task = (item[0], fn, item[1], 1)
                else:
                    continue
                try:
                    worker.send(task, timeout)
                except OSError:  # the worker died while idle: a fresh one takes the item
                    self._replace(worker).send(task, timeout)
            busy = [w for w in self._pool if w.task is not None]
            if not busy:
                return
            yield from self._collect(busy, timeout, retry)

    def _collect(
        self, busy: list[_Worker], timeout: float | None, retry: list[tuple[Any, Any, Any, int]]
    ) -> Iterator[tuple[Any, Any]]:
        """Wait for the first results or deadline; replace workers that died or ran over."""
        first = min(w.deadline for w in busy)
        wait_for = None if first == float("inf") else max(0.0, first - time.monotonic())
        ready = set(wait([w.conn for w in busy], timeout=wait_for))
        now = time.monotonic()
        for worker in busy:
            task = worker.task
            assert task is not None
            if worker.conn in ready:
                try:
                    result = worker.conn.recv()
                except (EOFError, OSError):
                    self._replace(worker)
                    if task[3] < 2:
                        retry.append((task[0], task[1], task[2], task[3] + 1))
                    else:
                        yield task[0], died_skip(f"exit code {worker.proc.exitcode}")
                    continue
                worker.task = None
                yield task[0], result
            elif now >= worker.deadline:
                self._replace(worker)
                yield task[0], timeout_skip(timeout)
