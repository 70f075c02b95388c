"""The distributed crawl: one job, N fetch workers on Ray, politeness and resume in the database.

    warta crawl SITE... --db DB --engine ray --workers N [--address auto | ray://head:10001]

The driver (the ``warta crawl`` process) creates or resumes the job and its run exactly as a
local crawl does (seeds, or what a killed process left in flight), then runs ``N`` workers as Ray
tasks. Each worker opens the database itself (it gets its location, never a connection) and is
the local crawl's loop (:class:`warta.pipeline.runner._Run`) with three differences:

- its :class:`~warta.fetch.Fetcher` takes host leases from the database
  (:mod:`warta.store.hosts`), so every request of every worker to one host is serialised, with
  ``max(delay, Crawl-delay)`` between them, robots.txt requests included;
- it extracts inline (:class:`InlineExtractor`: no process pool inside a Ray worker);
- it keeps its claimed frontier rows fresh (a heartbeat), and ends only when the job has nothing
  queued or in flight in any worker.

A worker that dies (kill -9, a lost node) is replaced at once and its host leases are freed (its
request died with it); the rows it had claimed go back to the queue once they are ``stale``
seconds untouched (``Frontier.release_stale``), rows it had fetched keep their capture and are
re-extracted, not re-fetched. A resumed job frees the leases its killed run's workers held. Kill the driver and run the same
command again: the job resumes (nothing decided is fetched again, nothing stored twice). The
driver ends when the job has nothing left and prints the same report as a local crawl. With
``progress`` it shows a bar on stderr read from the database once a second: URLs decided by this
run out of those decided plus those still queued or in flight, the workers running and how many
died.

Local Ray (no ``--address``) binds 127.0.0.1 and ends with the driver. This is the only crawl
module that imports Ray, and only when a distributed crawl starts.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

from warta.config import Settings
from warta.errors import ConfigError, WartaError
from warta.extract.pagination import Pagination
from warta.model import Skip, SkipReason
from warta.store.backends import is_postgres_url, open_article_store
from warta.store.hosts import SharedGate, open_host_gate
from warta.store.protocols import FrontierStore

if TYPE_CHECKING:
    from warta.pipeline.extraction import Paged
    from warta.pipeline.runner import CrawlReport, CrawlSpec

HEARTBEAT = 2.0  # seconds between two touches of a worker's claimed rows
STALE = 15.0  # claimed rows untouched this long belong to a dead worker: back to the queue
RESTARTS_PER_WORKER = 5  # workers dying more often than this (each) stop the crawl with an error


class InlineExtractor:
    """Extraction inside a distributed crawl's worker (a Ray worker starts no process pool):
    in a thread, so the worker's fetches go on; a document past ``timeout`` becomes
    ``Skip(TIMEOUT)`` (its thread is left to finish; the worker does not wait for it)."""

    workers = 1
    queued = 2

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout

    def start(self) -> None:
        """Nothing to start."""

    def close(self) -> None:
        """Nothing to stop."""

    async def extract_paged(self, body: bytes, url: str, *, links: bool = False) -> Paged:
        from warta.pipeline.extraction import extract_paged

        try:
            return await asyncio.wait_for(asyncio.to_thread(extract_paged, body, url, links), self.timeout)
        except TimeoutError:
            return Skip(SkipReason.TIMEOUT, f"extraction took over {self.timeout:g}s", url=url), [], Pagination()


@dataclass(frozen=True)
class WorkerTask:
    """What a worker gets: where the database is (a path or URL), never a connection."""

    db: str
    settings: Settings
    spec: CrawlSpec
    run_id: int
    heartbeat: float = HEARTBEAT
    holder: str = ""  # starts the worker's host lease tokens: job<id>-run<id>-w<n>


@dataclass(frozen=True)
class WorkerResult:
    responses: int  # requests are counted in the database as the worker goes (run_requests)
    pid: int


def crawl_worker(task: WorkerTask) -> WorkerResult:
    """One fetch worker (a Ray task): claim, fetch through the database's host gate, extract,
    store, until the job has nothing queued or in flight."""
    from warta.pipeline.runner import Crawler, Shared, _Run  # runner imports this module

    gate = open_host_gate(task.db, task.holder or None)
    try:
        with open_article_store(task.db) as store:
            crawler = Crawler(store, task.settings)
            scope = crawler.scope(task.spec)
            job, _ = crawler.frontier.job(task.spec.mode, task.spec.sites, task.spec.since, task.spec.until)
            shared = Shared(gate, InlineExtractor(task.settings.doc_timeout), task.heartbeat)
            run = _Run(crawler, job, task.run_id, scope, shared)
            asyncio.run(run.drain())
    finally:
        gate.close()
    return WorkerResult(run.responses, os.getpid())


def database_location(db: str | Path) -> str:
    """The database as every worker can open it: an absolute path (a worker's directory may
    differ from the driver's) or the URL."""
    return str(db) if is_postgres_url(db) else str(Path(db).resolve())


@contextmanager
def ray_session(workers: int, address: str | None) -> Iterator[Any]:
    """Ray, started here (local: ``workers`` CPUs, bound to 127.0.0.1) or joined at ``address``;
    a local instance started here ends with the block."""
    try:
        import ray
    except ImportError as exc:
        raise ConfigError("--engine ray needs Ray: pip install 'warta[ray]'") from exc
    owned = not ray.is_initialized()
    if owned:
        try:
            if address:
                ray.init(address=address, log_to_driver=False, configure_logging=False)
            else:
                ray.init(
                    num_cpus=workers,
                    include_dashboard=False,
                    log_to_driver=False,
                    configure_logging=False,
                    _node_ip_address="127.0.0.1",
                )
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise ConfigError(f"cannot start or join Ray: {exc}") from exc
    try:
        yield ray
    finally:
        if owned:
            ray.shutdown()


@dataclass
class _Tally:
    responses: int = 0
    died: int = 0


def _show(bar: tqdm[Any], frontier: FrontierStore, run_id: int, left: int, running: int, died: int) -> None:
    """The bar from the database: what this run decided (every worker's) and what is left."""
    if bar.disable:
        return
    decided = sum(o.n for o in frontier.outcome_counts(run_id=run_id))
    bar.total = decided + left
    bar.n = decided
    bar.set_postfix(workers=running, died=died, refresh=False)
    bar.refresh()


def _supervise(
    ray: Any, task: WorkerTask, frontier: FrontierStore, gate: SharedGate, job_id: int, workers: int, stale: float,
    bar: tqdm[Any],
) -> _Tally:
    """Keep ``workers`` workers running until the job has nothing left; replace a dead one."""
    remote = ray.remote(num_cpus=1, max_retries=0)(crawl_worker)
    tally = _Tally()
    names = itertools.count(1)
    holders: dict[Any, str] = {}

    def start(n: int) -> None:
        for _ in range(n):
            holder = f"{task.holder}-w{next(names)}"
            holders[remote.remote(replace(task, holder=holder))] = holder

    start(workers)
    while holders or frontier.pending(job_id):
        ready, _ = ray.wait(list(holders), num_returns=1, timeout=1.0) if holders else ([], [])
        for ref in ready:
            holder = holders.pop(ref)
            try:
                result: WorkerResult = ray.get(ref)
            except ray.exceptions.RayTaskError as exc:  # the worker's code failed: not a kill
                raise WartaError(f"a crawl worker failed: {exc.cause if exc.cause else exc}") from exc
            except ray.exceptions.RayError as exc:  # the worker process or its node died
                gate.free(holder + ":")  # its request died with it: its hosts need not wait for the expiry
                tally.died += 1
                if tally.died > RESTARTS_PER_WORKER * workers:
                    raise WartaError(f"crawl workers keep dying ({tally.died} so far): {exc}") from exc
                continue
            tally.responses += result.responses
        frontier.release_stale(job_id, stale)  # what a dead worker held goes back to the queue
        left = frontier.pending(job_id)
        _show(bar, frontier, task.run_id, left, len(holders), tally.died)
        if left:
            start(workers - len(holders))
        elif not holders:
            break
    return tally


def crawl_distributed(
    db: str | Path,
    settings: Settings,
    spec: CrawlSpec,
    command: str = "crawl",
    *,
    workers: int = 0,
    address: str | None = None,
    heartbeat: float = HEARTBEAT,
    stale: float = STALE,
    progress: bool = False,
) -> CrawlReport:
    """Run the crawl job of ``spec`` with ``workers`` fetch workers on Ray (see the module docstring)."""
    from warta.pipeline.runner import Crawler  # runner imports this module

    if stale <= 2 * heartbeat:
        raise ConfigError("stale must exceed twice the heartbeat (a live worker's rows would be taken)")
    workers = workers if workers > 0 else (os.cpu_count() or 1)
    location = database_location(db)
    with open_article_store(location) as store:
        crawler = Crawler(store, settings)
        scope = crawler.scope(spec)
        frontier = crawler.frontier
        job, existed = frontier.job(spec.mode, spec.sites, spec.since, spec.until)
        with frontier.job_lock(job.id):
            crawler.prepare(spec, scope, job, existed)
            run_id = frontier.start_run(job.id, command)
            holder = f"job{job.id}-run{run_id}"
            task = WorkerTask(location, settings.replace(db=location), spec, run_id, heartbeat, holder)
            started, status, tally = time.monotonic(), "failed", _Tally()
            gate = open_host_gate(location)
            bar = tqdm(desc="crawl", unit="url", disable=not progress, file=sys.stderr, leave=False)
            try:
                gate.free(f"job{job.id}-")  # leases a killed run's workers held (one driver per job: the lock)
                with ray_session(workers, address) as ray:
                    tally = _supervise(ray, task, frontier, gate, job.id, workers, stale, bar)
                status = "finished"
            except KeyboardInterrupt:
                status = "interrupted"
                raise
            finally:
                bar.close()
                gate.close()
                stored = frontier.run_outcome(run_id, "stored")
                requests = frontier.run_requests(run_id)  # every worker's, the dead ones' too
                frontier.finish_run(run_id, status, requests, stored)
            return crawler.report(job, run_id, existed, requests, tally.responses, stored, started)


__all__ = ["InlineExtractor", "crawl_distributed", "crawl_worker"]
