"""The local executor: worker processes on this machine, items pipelined to each worker.

Each worker reads items from one pipe and writes results to another. The driver keeps up to
``ahead`` chunks of ``chunk`` items in flight per worker (default 2 chunks of 1: one running, one
waiting), so a worker that finishes an item starts the next at once instead of waiting for the
driver. The driver never blocks on a worker: items are pickled and written to a non-blocking pipe
as far as it takes them, the rest is written when the pipe has room, and results are read
whenever they arrive. (A blocking send to a busy worker whose own result pipe was full would
deadlock both; a stuck worker would also hold the driver past every other item's limit.)

The time limit is per item; its clock starts once the worker is ready (imports and initializer
done) and the item is wholly written, and restarts at each result. A worker that passes an item's
limit is killed and replaced: the item becomes ``Skip(TIMEOUT)`` and the items queued behind it are
sent again. A worker that dies mid-item is replaced and its item sent once more, then
``Skip(ERROR)``; the items queued behind it are sent again. No item is lost.

Start methods (``start``):

- ``"spawn"``: a fresh interpreter per worker (imports paid per worker);
- ``"forkserver"``: workers are forked from a multiprocessing fork server that has imported
  ``preload`` (modules that import and warm up what the items need), so a worker costs a fork and
  inherits warm caches. The fork server is one per process: the first executor that starts it
  chooses its preload, later ones share it. It dies with its owner (:mod:`warta.execute.zygote`).

Workers die with their owner, even by ``kill -9`` (:func:`warta.lifeline.die_with`: a watchdog
on the owner's pidfd and, on Linux, the parent-death signal), and exit when their item pipe
closes. Workers ignore Ctrl-C: the driver alone answers it (no traceback from each worker).

``initializer(*initargs)`` runs once in each worker before it says it is ready (state that every
item needs, e.g. corpus statistics, then reaches each worker once, not with every item).
``map(..., ordered=True)`` yields results in input order with a bounded window between the oldest
result not yet yielded and the newest item taken (memory stays bounded whatever the input size).
A :class:`Feed` is an open-ended source filled from other threads (the asyncio front,
:mod:`warta.execute.aio`, drives one).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import selectors
import signal
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from typing import Any, Literal, TypeVar

from warta.execute import call_safely, died_skip, timeout_skip
from warta.lifeline import die_with
from warta.model import Skip, SkipReason

K = TypeVar("K", bound=Hashable)
A = TypeVar("A")
R = TypeVar("R")

Start = Literal["spawn", "forkserver"]
START_LIMIT = 60.0  # seconds a new worker may take to import, initialise and say it is ready
PIPE_SIZE = 1 << 20  # bytes asked for each pipe (fewer wake-ups for large pages); the kernel may give less
NEVER = float("inf")
Init = tuple[Callable[..., object] | None, tuple[Any, ...]]  # initializer, initargs
Task = tuple[Any, Any, int]  # key, argument, attempt


def _serve(inbox: Connection, outbox: Connection, owner: int, init: Init) -> None:
    """Worker loop: receive (fn, [arg, ...]), send back fn(arg) or a Skip for each in turn;
    ``None`` or EOF ends it."""
    # the parent-death signal is safe here: a fork server's main loop, or the driver thread that
    # starts every worker of an executor and lives as long as it (see LocalExecutor)
    die_with(owner, parent_signal=True)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    initializer, initargs = init
    if initializer is not None:
        initializer(*initargs)
    outbox.send("ready")
    while True:
        try:
            msg = inbox.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        fn, args = msg
        for arg in args:
            result = call_safely(fn, arg)
            try:
                outbox.send(result)
            except Exception as exc:  # noqa: BLE001 - a result that cannot be pickled is the item's error
                outbox.send(Skip(SkipReason.ERROR, f"result not sendable: {type(exc).__name__}: {exc}"[:300]))


def _frame(payload: bytes | memoryview) -> bytes:
    """The header :meth:`Connection.recv` reads before a message of ``len(payload)`` bytes."""
    n = len(payload)
    return struct.pack("!i", n) if n <= 0x7FFFFFFF else struct.pack("!iQ", -1, n)


def _grow_pipe(fd: int) -> None:
    with contextlib.suppress(AttributeError, OSError):
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_SIZE)


class _Worker:
    """One worker process, its two pipes, and the items it holds (in the order it runs them)."""

    def __init__(self, ctx: Any, init: Init, selector: selectors.BaseSelector) -> None:
        results, child_out = ctx.Pipe(duplex=False)
        child_in, inbox = ctx.Pipe(duplex=False)
        for conn in (results, inbox):
            _grow_pipe(conn.fileno())
        self.proc = ctx.Process(target=_serve, args=(child_in, child_out, os.getpid(), init), daemon=True)
        self.proc.start()
        child_in.close()
        child_out.close()
        self.results: Connection = results
        self.inbox: Connection = inbox
        os.set_blocking(inbox.fileno(), False)
        self.selector = selector
        selector.register(results.fileno(), selectors.EVENT_READ, self)
        self.writing = False  # the inbox is registered for EVENT_WRITE
        self.out: deque[tuple[memoryview, int]] = deque()  # bytes to write; tasks completed by each
        self.offset = 0  # bytes of out[0] already written
        self.tasks: deque[Task] = deque()  # sent and not answered; the first one runs
        self.written = 0  # tasks at the head of ``tasks`` wholly written to the pipe
        self.ready = False
        self.deadline = time.monotonic() + START_LIMIT  # until ready: the start limit
        self.dead = False

    @property
    def pid(self) -> int | None:
        pid: int | None = self.proc.pid
        return pid

    def room(self, ahead: int, chunk: int) -> bool:
        return len(self.tasks) <= (ahead - 1) * chunk

    def _clock(self, now: float, timeout: float | None) -> None:
        """The head item's clock starts now (once it is wholly written and the worker ready)."""
        self.deadline = now + timeout if (timeout and self.ready and self.written) else NEVER

    def send(self, fn: Callable[[Any], Any], tasks: list[Task], timeout: float | None) -> None:
        payload = ForkingPickler.dumps((fn, [arg for _, arg, _ in tasks]))
        self.out.append((memoryview(_frame(payload)), 0))
        self.out.append((memoryview(payload), len(tasks)))
        self.tasks.extend(tasks)
        self.flush(timeout)

    def flush(self, timeout: float | None) -> None:
        """Write what the pipe takes now; a closed pipe marks the worker dead."""
        was = self.written
        try:
            while self.out:
                buf, done = self.out[0]
                self.offset += os.write(self.inbox.fileno(), buf[self.offset :])
                if self.offset < len(buf):
                    break
                self.out.popleft()
                self.offset = 0
                self.written += done
        except BlockingIOError:
            pass
        except OSError:  # the worker is gone: its result pipe says so too
            self.dead = True
            self.out.clear()
        if was == 0 and self.written:
            self._clock(time.monotonic(), timeout)
        want = bool(self.out)
        if want != self.writing:
            fd = self.inbox.fileno()
            if want:
                self.selector.register(fd, selectors.EVENT_WRITE, self)
            else:
                self.selector.unregister(fd)
            self.writing = want

    def receive(self, timeout: float | None) -> Iterator[tuple[Task, Any]]:
        """Every result the worker has sent, with its task; EOF marks the worker dead."""
        try:
            while not self.dead and self.results.poll():
                msg = self.results.recv()
                if not self.ready:  # the start-up handshake
                    self.ready = True
                    self._clock(time.monotonic(), timeout)
                    continue
                task = self.tasks.popleft()
                self.written -= 1
                self._clock(time.monotonic(), timeout)
                yield task, msg
        except (EOFError, OSError):
            self.dead = True

    def wait_ready(self, limit: float) -> None:
        if not self.ready and self.results.poll(limit):
            for _ in self.receive(None):  # nothing but the handshake before the first item
                pass

    def _forget(self) -> None:
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(self.results.fileno())
        if self.writing:
            with contextlib.suppress(KeyError, ValueError):
                self.selector.unregister(self.inbox.fileno())
            self.writing = False

    def kill(self) -> None:
        self._forget()
        self.proc.kill()
        self.proc.join(5)
        self.results.close()
        self.inbox.close()

    def ask_to_stop(self) -> None:
        """Send ``None`` (the worker is idle, its pipe empty: a few bytes always fit)."""
        self._forget()
        payload = ForkingPickler.dumps(None)
        try:
            os.write(self.inbox.fileno(), _frame(payload) + payload)
        except OSError:
            self.proc.kill()

    def finish_stop(self, limit: float) -> None:
        self.proc.join(limit)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(5)
        self.results.close()
        self.inbox.close()


class Feed:
    """An open-ended source for :meth:`LocalExecutor.map`, filled from any thread while the map
    runs: the map takes what is there, waits for more alongside the workers' results, and ends
    once the feed is closed and drained (:meth:`abort`: at once, stopping busy workers)."""

    def __init__(self) -> None:
        self._items: deque[tuple[Any, Any]] = deque()
        self._lock = threading.Lock()
        self.wake, self._poke = os.pipe()
        os.set_blocking(self.wake, False)
        os.set_blocking(self._poke, False)
        self.closed = False
        self.aborted = False

    def _nudge(self) -> None:
        with contextlib.suppress(BlockingIOError):  # a full pipe wakes the driver anyway
            os.write(self._poke, b"\0")

    def put(self, key: Any, arg: Any) -> None:
        with self._lock:
            if self.closed:
                raise ValueError("the feed is closed")
            self._items.append((key, arg))
        self._nudge()

    def close(self) -> None:
        with self._lock:
            self.closed = True
        self._nudge()

    def abort(self) -> None:
        with self._lock:
            self.closed = self.aborted = True
        self._nudge()

    def drain_wake(self) -> None:
        """Read the nudges (the driver alone reads them; items stay until a worker has room)."""
        with contextlib.suppress(BlockingIOError):
            while os.read(self.wake, 4096):
                pass

    def take(self, n: int) -> list[Task]:
        with self._lock:
            out: list[Task] = []
            while self._items and len(out) < n:
                key, arg = self._items.popleft()
                out.append((key, arg, 1))
            return out

    @property
    def drained(self) -> bool:
        with self._lock:
            return self.aborted or (self.closed and not self._items)

    def dispose(self) -> None:
        for fd in (self.wake, self._poke):
            with contextlib.suppress(OSError):
                os.close(fd)


def _context(start: Start, preload: Sequence[str]) -> Any:
    if start == "forkserver" and "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        # no effect once the server runs; '__main__' (the default preload) stays: a worker started
        # without it imports the main script itself after the fork
        ctx.set_forkserver_preload(["__main__", "warta.execute.zygote", *preload])
        return ctx
    return multiprocessing.get_context("spawn")


class LocalExecutor:
    """Run items in ``workers`` processes (0: one per CPU), ``chunk`` items per message to a
    worker and ``ahead`` messages in flight per worker; ``start`` and ``preload``: how workers
    start (see this module's docstring).

    Workers start on the first :meth:`map` (or :meth:`start`) and serve every later map until
    :meth:`close`. With ``start="spawn"`` on Linux a worker is also killed when the *thread* that
    started it ends (the parent-death signal), so map from the main thread or from one thread
    that outlives the executor."""

    def __init__(
        self, workers: int = 0, chunk: int = 1, initializer: Callable[..., object] | None = None,
        initargs: tuple[Any, ...] = (), *, start: Start = "spawn", preload: Sequence[str] = (), ahead: int = 2,
    ) -> None:
        self.workers = workers if workers > 0 else (os.cpu_count() or 1)
        self.chunk = max(1, chunk)
        self.ahead = max(1, ahead)
        self._ctx = _context(start, preload)
        self._init: Init = (initializer, initargs)
        self._pool: list[_Worker] = []
        self._selector: selectors.BaseSelector | None = None

    @property
    def start_method(self) -> str:
        method: str = self._ctx.get_start_method()
        return method

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop every worker: idle ones are asked to stop, busy ones killed (idempotent)."""
        pool, self._pool = self._pool, []
        for worker in pool:
            if worker.tasks or worker.dead:
                worker.kill()
            else:
                worker.ask_to_stop()
        for worker in pool:
            if not worker.results.closed:
                worker.finish_stop(2.0)
        if self._selector is not None:
            self._selector.close()
            self._selector = None

    def start(self) -> None:
        """Start the workers and wait until each is ready (imports and initializer done)."""
        self._fill()
        end = time.monotonic() + START_LIMIT
        for worker in self._pool:
            worker.wait_ready(max(0.0, end - time.monotonic()))

    def pids(self) -> list[int]:
        """Process ids of the current workers (tests kill them)."""
        return [w.pid for w in self._pool if w.pid is not None]

    def _fill(self) -> selectors.BaseSelector:
        if self._selector is None:
            self._selector = selectors.DefaultSelector()
        while len(self._pool) < self.workers:
            self._pool.append(_Worker(self._ctx, self._init, self._selector))
        return self._selector

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._pool[self._pool.index(worker)] = _Worker(self._ctx, self._init, self._fill())

    def map(
        self, fn: Callable[[A], R], items: Iterable[tuple[K, A]] | Feed, timeout: float | None = None,
        ordered: bool = False,
    ) -> Iterator[tuple[K, R | Skip]]:
        """Yield ``(key, fn(arg) | Skip)`` for every item, in completion order (``ordered``: in
        input order; not for a :class:`Feed`)."""
        self._fill()
        try:
            if isinstance(items, Feed):
                yield from self._run(fn, items, timeout, lambda: self.chunk)
            elif ordered:
                yield from self._in_order(fn, iter(items), timeout)
            else:
                yield from self._run(fn, iter(items), timeout, lambda: self.chunk)
        finally:  # the caller stopped early (or Ctrl-C): busy workers would answer the next map
            for worker in [w for w in self._pool if w.tasks or w.dead]:
                worker.kill()
                self._pool.remove(worker)  # the next map starts a fresh one

    def _in_order(self, fn: Callable[[Any], Any], source: Iterator[tuple[Any, Any]], timeout: float | None) -> Iterator[tuple[Any, Any]]:
        keys: dict[int, Any] = {}
        done: dict[int, Any] = {}
        window = 2 * self.ahead * self.workers * self.chunk
        nxt = 0  # the sequence number to yield next

        def numbered() -> Iterator[tuple[int, Any]]:
            for n, (key, arg) in enumerate(source):
                keys[n] = key
                yield n, arg

        for n, result in self._run(fn, numbered(), timeout, lambda: window - len(keys)):
            done[n] = result
            while nxt in done:
                yield keys.pop(nxt), done.pop(nxt)
                nxt += 1

    def _run(
        self, fn: Callable[[Any], Any], source: Iterator[tuple[Any, Any]] | Feed, timeout: float | None,
        room: Callable[[], int],
    ) -> Iterator[tuple[Any, Any]]:
        """Keep ``ahead`` chunks in flight per worker (a resent one first, else at most
        ``room()`` new items) and yield results as they come."""
        selector = self._fill()
        resend: deque[list[Task]] = deque()
        feed = source if isinstance(source, Feed) else None
        if feed is not None:
            selector.register(feed.wake, selectors.EVENT_READ, None)
        exhausted = False
        try:
            while not (feed is not None and feed.aborted):
                # each chunk to the least loaded worker: an idle one first, not behind a busy one
                while open_ := [w for w in self._pool if not w.dead and w.room(self.ahead, self.chunk)]:
                    if resend:
                        tasks = resend.popleft()
                    elif feed is not None:
                        tasks = feed.take(self.chunk)
                    else:
                        want = 0 if exhausted else min(self.chunk, room())
                        tasks = _take(source, want)  # type: ignore[arg-type]
                        exhausted = exhausted or len(tasks) < want
                    if not tasks:
                        break
                    min(open_, key=lambda w: (len(w.tasks), not w.ready)).send(fn, tasks, timeout)
                for worker in [w for w in self._pool if w.dead]:
                    yield from self._buried(worker, resend, "its pipe closed")
                busy = [w for w in self._pool if w.tasks]
                if not busy and not resend and (feed.drained if feed is not None else exhausted):
                    return
                yield from self._collect(selector, timeout, resend, feed)
        finally:
            if feed is not None:
                with contextlib.suppress(KeyError, ValueError):
                    selector.unregister(feed.wake)

    def _collect(
        self, selector: selectors.BaseSelector, timeout: float | None, resend: deque[list[Task]], feed: Feed | None
    ) -> Iterator[tuple[Any, Any]]:
        """Wait for results, room in a pipe, a deadline or a fed item; replace workers that died
        or ran over."""
        first = min((w.deadline for w in self._pool if w.tasks or not w.ready), default=NEVER)
        wait_for = None if first == NEVER else max(0.0, first - time.monotonic())
        for key, mask in selector.select(wait_for):
            worker = key.data
            if worker is None:
                assert feed is not None
                feed.drain_wake()
            elif mask & selectors.EVENT_WRITE:
                worker.flush(timeout)
            else:
                for task, result in worker.receive(timeout):
                    yield task[0], result
        now = time.monotonic()
        for worker in list(self._pool):
            if worker.dead:
                yield from self._buried(worker, resend, "")
            elif now >= worker.deadline and (worker.tasks or not worker.ready):
                if not worker.ready:  # it never started: as if it died
                    yield from self._buried(worker, resend, f"not ready after {START_LIMIT:g} s")
                    continue
                key = worker.tasks.popleft()[0]
                if worker.tasks:
                    resend.append(list(worker.tasks))
                self._replace(worker)
                yield key, timeout_skip(timeout)

    def _buried(self, worker: _Worker, resend: deque[list[Task]], why: str) -> Iterator[tuple[Any, Any]]:
        """A dead worker: replaced; its running item tried once more (then a Skip), the items
        queued behind it sent again."""
        self._replace(worker)  # kills and reaps the old process: its exit code is known
        if not worker.tasks:
            return
        key, arg, attempt = worker.tasks.popleft()
        if worker.tasks:
            resend.append(list(worker.tasks))
        if attempt < 2:
            resend.appendleft([(key, arg, attempt + 1)])
        else:
            yield key, died_skip(why or f"exit code {worker.proc.exitcode}")


def _take(source: Iterator[tuple[Any, Any]], n: int) -> list[Task]:
    out: list[Task] = []
    while len(out) < n:
        item: tuple[Any, Any] | None = next(source, None)
        if item is None:
            break
        out.append((item[0], item[1], 1))
    return out
