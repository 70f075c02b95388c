"""The executor seam: map a pure function over keyed work items, each within a time limit.

An executor takes ``(key, argument)`` items and yields ``(key, result | Skip)`` in completion
order. Whatever happens to one item, the run goes on and the item is accounted for:

- an item past the time limit is stopped (its worker killed) and becomes ``Skip(TIMEOUT)``;
- a function that raises gives ``Skip(ERROR)`` with the exception's text;
- a worker that dies (killed by a signal, out of memory) has its item run again once on a fresh
  worker, then ``Skip(ERROR)``: no item is lost.

Two engines implement :class:`Executor`: :class:`~warta.execute.local.LocalExecutor` (worker
processes on this machine, the default) and :class:`~warta.execute.ray_engine.RayExecutor`
(``pip install 'warta[ray]'``; a local Ray instance or an existing cluster). Importing this package
never imports Ray. The function must be a module-level function (workers import it by name).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any, Protocol, TypeVar

from warta.errors import ConfigError
from warta.model import Skip, SkipReason

K = TypeVar("K", bound=Hashable)
A = TypeVar("A")
R = TypeVar("R")

ENGINES = ("local", "ray")


class Executor(Protocol):
    """Runs a pure function over keyed items in workers (see the module docstring)."""

    workers: int

    def map(
        self, fn: Callable[[A], R], items: Iterable[tuple[K, A]], timeout: float | None = None
    ) -> Iterator[tuple[K, R | Skip]]:
        """Yield ``(key, fn(arg) | Skip)`` for every item, in completion order."""
        ...

    def close(self) -> None:
        """Stop every worker (idempotent)."""
        ...

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...


def call_safely(fn: Callable[[Any], Any], arg: Any) -> Any:
    """``fn(arg)``, or ``Skip(ERROR)`` when it raises (what a worker runs for each item)."""
    try:
        return fn(arg)
    except Exception as exc:  # noqa: BLE001 - recorded as a Skip, never crashes the run
        return Skip(SkipReason.ERROR, f"{type(exc).__name__}: {exc}"[:300])


def timeout_skip(timeout: float | None) -> Skip:
    return Skip(SkipReason.TIMEOUT, f"over {timeout:g} s" if timeout else "stopped")


def died_skip(detail: str) -> Skip:
    return Skip(SkipReason.ERROR, f"worker died twice: {detail}"[:300])


def make_executor(engine: str = "local", workers: int = 0, address: str | None = None) -> Executor:
    """An executor by name: ``local`` (processes here) or ``ray`` (``address``: an existing cluster)."""
    if engine == "local":
        if address:
            raise ConfigError("--address needs --engine ray")
        from warta.execute.local import LocalExecutor

        return LocalExecutor(workers)
    if engine == "ray":
        from warta.execute.ray_engine import RayExecutor

        return RayExecutor(workers, address=address)
    raise ConfigError(f"unknown engine {engine!r} (choose {', '.join(ENGINES)})")
