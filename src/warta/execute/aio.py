"""An asyncio front of the local executor: ``await pool.run(fn, arg)`` from an event loop.

One driver thread runs :meth:`LocalExecutor.map <warta.execute.local.LocalExecutor.map>` over a
:class:`~warta.execute.local.Feed`: calls from the loop put items on the feed and await futures
the driver thread resolves, so every guarantee of the executor holds per call (the time limit
counts from the moment a worker takes the item, a stuck worker alone is killed and replaced, a
dead worker's item runs once more, a worker has its next item queued while it runs one). The
driver thread starts and replaces every worker, so a spawned worker's parent-death signal is tied
to a thread that lives as long as the pool.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from warta.execute.local import Feed, LocalExecutor
from warta.model import Skip

T = TypeVar("T")


def apply(call: tuple[Callable[..., Any], tuple[Any, ...]]) -> Any:
    """What a worker runs for one call: ``fn(*args)``."""
    fn, args = call
    return fn(*args)


def _settle(future: asyncio.Future[Any], result: Any) -> None:
    if not future.done():  # the caller may have been cancelled meanwhile
        future.set_result(result)


class AsyncExecutor:
    """``run(fn, *args)`` in the workers of a :class:`LocalExecutor`, each call within ``timeout``."""

    def __init__(self, executor: LocalExecutor, timeout: float | None) -> None:
        self.executor = executor
        self.timeout = timeout
        self._feed = Feed()
        self._waiting: dict[int, tuple[asyncio.AbstractEventLoop, asyncio.Future[Any]]] = {}
        self._keys = itertools.count()
        self._started = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.error: BaseException | None = None

    def start(self, wait: bool = True) -> None:
        """Start the driver thread (which starts the workers); ``wait``: until they are ready."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._drive, name="warta-executor", daemon=True)
                self._thread.start()
        if wait:
            self._started.wait()

    def _drive(self) -> None:
        try:
            self.executor.start()
            self._started.set()
            key: int
            result: Any
            for key, result in self.executor.map(apply, self._feed, self.timeout):
                loop, future = self._waiting.pop(key)
                loop.call_soon_threadsafe(_settle, future, result)
        except BaseException as exc:  # noqa: BLE001 - handed to every waiting caller
            self.error = exc
            for loop, future in list(self._waiting.values()):
                loop.call_soon_threadsafe(_settle, future, exc)
        finally:
            self._started.set()

    async def run(self, fn: Callable[..., T], *args: Any) -> T | Skip:
        """``fn(*args)`` in a worker, or a Skip (TIMEOUT past the limit, ERROR if it raised or its
        worker died twice)."""
        self.start(wait=False)
        if self.error is not None:
            raise RuntimeError(f"the executor stopped: {self.error}")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        key = next(self._keys)
        self._waiting[key] = (loop, future)
        self._feed.put(key, (fn, args))
        result = await future
        if isinstance(result, BaseException):
            raise RuntimeError(f"the executor stopped: {result}") from result
        return result  # type: ignore[no-any-return]

    def close(self) -> None:
        """Stop at once: calls in flight are abandoned, busy workers killed, the rest stopped."""
        self._feed.abort()
        if self._thread is not None:
            self._thread.join()
        self.executor.close()
        self._feed.dispose()
