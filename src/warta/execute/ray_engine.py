"""The Ray executor (``pip install 'warta[ray]'``): the same pure functions as Ray tasks.

``RayExecutor(workers)`` starts a local Ray instance with that many CPUs (no dashboard; Ray's own
services pick free ports, listen on every interface and, from Ray 2.60, require its auth token); ``RayExecutor(address="auto")`` (on a cluster node) or ``address="ray://head:10001"`` (needs
``ray[client]``) joins an existing cluster, whose nodes must have warta installed. At most one task per CPU is in flight, so a
task's clock starts when it is submitted. A task past its limit is force-cancelled
(``ray.cancel(ref, force=True)`` kills its worker process) and becomes ``Skip(TIMEOUT)``; a task
whose worker dies is submitted once more, then becomes ``Skip(ERROR)``. This is the only module
that imports Ray, and only when an executor is made.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any, TypeVar

from warta.errors import ConfigError
from warta.execute import call_safely, died_skip, timeout_skip
from warta.model import Skip

K = TypeVar("K", bound=Hashable)
A = TypeVar("A")
R = TypeVar("R")

# Seconds added to the limit of a task submitted after a worker was killed: Ray starts a fresh
# worker process for it, which is not the item's fault.
START_GRACE = 10.0


def _ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise ConfigError("the ray engine needs Ray: pip install 'warta[ray]'") from exc
    return ray


class RayExecutor:
    """Run items as Ray tasks; see :mod:`warta.execute`."""

    def __init__(self, workers: int = 0, address: str | None = None) -> None:
        self.ray = _ray()
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
        self._task = self.ray.remote(num_cpus=1, max_retries=0)(call_safely)
        self._grace = 0
        self._warm_up()

    def _warm_up(self) -> None:
        """Start the worker processes before the first item's clock runs."""
        self.ray.get([self._task.remote(abs, 0) for _ in range(self.workers)])

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
        pending: dict[Any, tuple[Any, Any, int, float]] = {}  # ref -> key, arg, attempt, deadline
        try:
            yield from self._run(fn, iter(items), timeout, pending)
        finally:  # the caller stopped early: stop what is still running
            for ref in pending:
                self.ray.cancel(ref, force=True)
            self._grace += len(pending)
            pending.clear()

    def _run(
        self, fn: Callable[[Any], Any], source: Iterator[tuple[Any, Any]], timeout: float | None,
        pending: dict[Any, tuple[Any, Any, int, float]],
    ) -> Iterator[tuple[Any, Any]]:
        retry: list[tuple[Any, Any, int]] = []
        exhausted = False
        while True:
            while len(pending) < self.workers and (retry or not exhausted):
                if retry:
                    key, arg, attempt = retry.pop()
                else:
                    item = next(source, None)
                    if item is None:
                        exhausted = True
                        break
                    key, arg, attempt = item[0], item[1], 1
                pending[self._task.remote(fn, arg)] = (key, arg, attempt, self._deadline(timeout))
            if not pending:
                return
            yield from self._collect(pending, retry, timeout)

    def _deadline(self, timeout: float | None) -> float:
        if not timeout:
            return float("inf")
        grace = 0.0
        if self._grace:
            self._grace -= 1
            grace = START_GRACE
        return time.monotonic() + timeout + grace

    def _collect(
        self, pending: dict[Any, tuple[Any, Any, int, float]], retry: list[tuple[Any, Any, int]], timeout: float | None
    ) -> Iterator[tuple[Any, Any]]:
        first = min(p[3] for p in pending.values())
        wait_for = None if first == float("inf") else max(0.0, first - time.monotonic())
        ready, _ = self.ray.wait(list(pending), num_returns=1, timeout=wait_for)
        for ref in ready:
            key, arg, attempt, _ = pending.pop(ref)
            try:
                yield key, self.ray.get(ref)
            except self.ray.exceptions.TaskCancelledError:
                yield key, timeout_skip(timeout)
            except self.ray.exceptions.RayError as exc:  # the worker or its node died
                self._grace += 1
                if attempt < 2:
                    retry.append((key, arg, attempt + 1))
                else:
                    yield key, died_skip(type(exc).__name__)
        now = time.monotonic()
        for ref, (key, _, _, deadline) in list(pending.items()):
            if now >= deadline:
                self.ray.cancel(ref, force=True)
                del pending[ref]
                self._grace += 1
                yield key, timeout_skip(timeout)


__all__ = ["RayExecutor"]
