"""The Ray executor (``pip install 'warta[ray]'``): the same pure functions as Ray tasks.

``RayExecutor(workers)`` starts a local Ray instance with that many CPUs (no dashboard; Ray's own
services pick free ports, listen on every interface and, from Ray 2.60, require its auth token).
``RayExecutor(address="auto")`` (on a cluster node) or ``address="ray://head:10001"`` (needs
``ray[client]``) joins an existing cluster, whose nodes must have warta installed.

A Ray task costs the driver milliseconds, so items travel in chunks: 1 item per task in the first
round (one task per CPU), then 2, 4, ... up to ``chunk`` (so a short job still spreads over every
CPU and a long one pays the per-task cost once per ``chunk`` items), and two tasks per CPU are in flight: one running, one queued behind it, so a worker that ends a chunk
starts the next at once instead of waiting for the driver to collect the result and submit more.
A task's clock starts when it must have started at the latest: at submission if a CPU is free,
else at the k-th earliest deadline of the tasks in flight when k of them are ahead of it (a task
ends by its deadline, finished or cancelled). The per-item limit holds:

- a chunk of ``n`` items past ``n`` times the limit is force-cancelled
  (``ray.cancel(ref, force=True)`` kills its worker) and its items run again one per task;
- a single item past the limit is force-cancelled and becomes ``Skip(TIMEOUT)``;
- a chunk whose worker dies runs again one item per task; a single item whose worker dies runs
  once more, then becomes ``Skip(ERROR)``.

This is the only module that imports Ray, and only when an executor is made.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from warta.errors import ConfigError
from warta.execute import call_safely, died_skip, timeout_skip
from warta.model import Skip

K = TypeVar("K", bound=Hashable)
A = TypeVar("A")
R = TypeVar("R")

CHUNK = 32  # items per Ray task
DEPTH = 2  # tasks in flight per CPU
# Seconds added to the limit of tasks submitted soon after a worker was killed: Ray starts a fresh
# worker process for it, which is not the item's fault.
START_GRACE = 5.0


def call_chunk(fn: Callable[[Any], Any], args: list[Any]) -> list[Any]:
    """What a Ray task runs: ``fn`` over a chunk of items, each failure a Skip."""
    return [call_safely(fn, arg) for arg in args]


@dataclass
class _Task:
    items: list[tuple[Any, Any, int]]  # key, arg, attempt
    deadline: float


def _ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise ConfigError("the ray engine needs Ray: pip install 'warta[ray]'") from exc
    return ray


class RayExecutor:
    """Run items as Ray tasks; see :mod:`warta.execute` and this module's docstring."""

    def __init__(self, workers: int = 0, address: str | None = None, chunk: int = CHUNK) -> None:
        self.ray = _ray()
        self.chunk = max(1, chunk)
        self._owns = False
        if not self.ray.is_initialized():
            try:
                if address:
                    self.ray.init(address=address, log_to_driver=False, configure_logging=False)
                else:
                    self.ray.init(
                        num_cpus=workers if workers > 0 else (os.cpu_count() or 1),
                        include_dashboard=False,
                        log_to_driver=False,
                        configure_logging=False,
                    )
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise ConfigError(f"cannot start or join Ray: {exc}") from exc
            self._owns = True
        cpus = int(self.ray.cluster_resources().get("CPU", 1))
        self.workers = min(workers, cpus) if workers > 0 else cpus
        self._task = self.ray.remote(num_cpus=1, max_retries=0)(call_chunk)
        self._grace = 0  # tasks still to get START_GRACE: one per worker killed
        self._grace_until = 0.0  # and every task submitted before this time (a worker is restarting)
        self._warm_up()

    def _warm_up(self) -> None:
        """Start the worker processes before the first item's clock runs."""
        self.ray.get([self._task.remote(abs, [0]) for _ in range(self.workers)])

    def __enter__(self) -> RayExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owns and self.ray.is_initialized():
            self.ray.shutdown()
        self._owns = False

    def map(
        self, fn: Callable[[A], R], items: Iterable[tuple[K, A]], timeout: float | None = None
    ) -> Iterator[tuple[K, R | Skip]]:
        """Yield ``(key, fn(arg) | Skip)`` for every item, in completion order."""
        pending: dict[Any, _Task] = {}
        try:
            yield from self._run(fn, iter(items), timeout, pending)
        finally:  # the caller stopped early: stop what is still running
            for ref in pending:
                self.ray.cancel(ref, force=True)
            self._killed(len(pending))
            pending.clear()

    def _run(
        self, fn: Callable[[Any], Any], source: Iterator[tuple[Any, Any]], timeout: float | None,
        pending: dict[Any, _Task],
    ) -> Iterator[tuple[Any, Any]]:
        singles: list[tuple[Any, Any, int]] = []  # items to run one per task (after a chunk failed)
        exhausted = False
        submitted = 0
        while True:
            while len(pending) < self.workers * DEPTH and (singles or not exhausted):
                if singles:
                    batch = [singles.pop(0)]
                else:
                    size = min(self.chunk, 2 ** min(submitted // self.workers, 16))
                    batch = [(key, arg, 1) for key, arg in _take(source, size)]
                    submitted += 1
                    if len(batch) < size:
                        exhausted = True
                    if not batch:
                        break
                ref = self._task.remote(fn, [arg for _, arg, _ in batch])
                pending[ref] = _Task(batch, self._deadline(timeout, len(batch), pending))
            if not pending:
                return
            yield from self._collect(pending, singles, timeout)

    def _killed(self, n: int) -> None:
        """``n`` workers were killed: Ray starts fresh processes, which is not the next tasks' fault."""
        if n:
            self._grace += n
            self._grace_until = time.monotonic() + START_GRACE

    def _deadline(self, timeout: float | None, n: int, pending: dict[Any, _Task]) -> float:
        """When a task of ``n`` items submitted now must have ended: its latest start plus its limit."""
        if not timeout:
            return float("inf")
        grace = 0.0
        if self._grace or time.monotonic() < self._grace_until:
            self._grace = max(0, self._grace - 1)
            grace = START_GRACE
        ahead = len(pending) - self.workers + 1  # tasks that must end before this one can start
        start = time.monotonic()
        if ahead > 0:
            start = max(start, sorted(t.deadline for t in pending.values())[ahead - 1])
        return start + timeout * n + grace

    def _collect(
        self, pending: dict[Any, _Task], singles: list[tuple[Any, Any, int]], timeout: float | None
    ) -> Iterator[tuple[Any, Any]]:
        first = min(t.deadline for t in pending.values())
        wait_for = None if first == float("inf") else max(0.0, first - time.monotonic())
        ready, _ = self.ray.wait(list(pending), num_returns=1, timeout=wait_for)
        for ref in ready:
            task = pending.pop(ref)
            try:
                results = self.ray.get(ref)
            except self.ray.exceptions.RayError as exc:  # the worker or its node died
                self._killed(1)
                if len(task.items) > 1:
                    singles.extend(task.items)  # which item killed it is unknown: each alone
                elif task.items[0][2] < 2:
                    key, arg, attempt = task.items[0]
                    singles.append((key, arg, attempt + 1))
                else:
                    yield task.items[0][0], died_skip(type(exc).__name__)
                continue
            for (key, _, _), result in zip(task.items, results, strict=True):
                yield key, result
        now = time.monotonic()
        for ref, task in list(pending.items()):
            if now >= task.deadline:
                self.ray.cancel(ref, force=True)
                del pending[ref]
                self._killed(1)
                if len(task.items) > 1:
                    singles.extend(task.items)
                else:
                    yield task.items[0][0], timeout_skip(timeout)


def _take(source: Iterator[tuple[Any, Any]], n: int) -> list[tuple[Any, Any]]:
    out = []
    for item in source:
        out.append(item)
        if len(out) >= n:
            break
    return out


__all__ = ["RayExecutor"]
