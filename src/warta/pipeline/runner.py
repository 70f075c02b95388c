"""The resumable crawl: frontier in SQLite -> polite fetch -> extract in workers -> store.

One :class:`Crawler` run works on one job (a crawl command: sites + window + mode). Discovery
documents (robots.txt, sitemaps, feeds, listings) are processed before article pages, so every
date known before fetching is in the frontier before an article is chosen for fetching.

Articles and captures are written through the :class:`~warta.store.protocols.ArticleStore`
protocol and the frontier, job lock and source health through
:class:`~warta.store.protocols.FrontierStore` (:func:`warta.store.backends.open_frontier`), so a
crawl runs on a SQLite file or a ``postgresql://`` database alike. The same :class:`_Run` is one worker of a distributed
crawl (:mod:`warta.pipeline.distributed`): a shared host gate, inline extraction, claims kept
fresh by a heartbeat, and it ends only when the whole job is done.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from tqdm import tqdm

from warta.config import Settings
from warta.errors import (
    BlockedError,
    BodyTooLarge,
    ConfigError,
    DiscoverError,
    FetchError,
    RedirectOutOfScope,
    RobotsDisallowed,
    StoreError,
    TooManyRedirects,
    WartaError,
)
from warta.extract.pagination import Pagination, first_page, same_article
from warta.extract.whole import Fetch, whole_article
from warta.fetch import Fetcher, FetchPolicy, Validators
from warta.fetch.gate import HostGate
from warta.health import challenge_marker, shell_page
from warta.health.report import SourceAlert, run_alerts
from warta.model import Article, Capture, Skip, SkipReason
from warta.pipeline import discovery as disc
from warta.pipeline.batch import ArticleWrite, WriteBatch
from warta.pipeline.extraction import ExtractPool, Paged
from warta.pipeline.hooks import on_stored as default_on_stored
from warta.pipeline.window import Window, local_day
from warta.sites import Recipe, load_recipes
from warta.store.backends import as_article_store, open_article_store, open_cluster_store, open_frontier
from warta.store.conflicts import retrying
from warta.store.frontier import Entry, Job, Outcome, OutcomeCount, Pending
from warta.store.protocols import ArticleStore, FrontierStore
from warta.store.sqlite import Store, compress_body
from warta.urls import normalize_url

OnStored = Callable[[ArticleStore, int, Article], None]

SKIP_OUTCOMES = {
    SkipReason.NOT_AN_ARTICLE: Outcome.NOT_ARTICLE.value,
    SkipReason.EMPTY: Outcome.NOT_ARTICLE.value,
    SkipReason.PAYWALLED: Outcome.PAYWALLED.value,
    SkipReason.JS_SHELL: Outcome.BLOCKED.value,
    SkipReason.TOO_LARGE: "error:too-large",
    SkipReason.TIMEOUT: "error:extract-timeout",
    SkipReason.UNREADABLE: "error:unreadable",
}


@dataclass(frozen=True)
class CrawlSpec:
    sites: tuple[str, ...]
    since: str | None = None
    until: str | None = None
    mode: str = "backfill"  # backfill | watch


@dataclass(frozen=True)
class CrawlReport:
    job_id: int
    run_id: int
    resumed: bool
    requests: int
    stored: int
    seconds: float
    outcomes: tuple[OutcomeCount, ...]  # the whole job's outcomes so far
    alerts: tuple[SourceAlert, ...] = ()  # blocked, script-only or broken sources this run fetched from
    responses: int = 0  # HTTP responses received (any status)
    problem: str | None = None  # set when requests were made and not one was answered

    def to_dict(self) -> dict[str, object]:
        return {
            "alerts": [a.to_dict() for a in self.alerts],
            "job_id": self.job_id,
            "run_id": self.run_id,
            "resumed": self.resumed,
            "requests": self.requests,
            "responses": self.responses,
            "stored": self.stored,
            "seconds": round(self.seconds, 3),
            "outcomes": [o.to_dict() for o in self.outcomes],
            "problem": self.problem,
        }


def outcome_for(exc: FetchError) -> str:
    """The recorded outcome of a failed fetch."""
    if isinstance(exc, RobotsDisallowed):
        return Outcome.ROBOTS.value
    if isinstance(exc, BlockedError):
        return Outcome.BLOCKED.value
    if isinstance(exc, BodyTooLarge):
        return "error:too-large"
    if isinstance(exc, TooManyRedirects):
        return "error:redirects"
    if isinstance(exc, RedirectOutOfScope):
        return "redirect-out-of-scope"
    return f"error:{getattr(exc, 'kind', None) or 'fetch'}"


# Bad input that tripped a parser or a hook: recorded on its URL, the crawl goes on.
INPUT_ERRORS = (WartaError, ValueError, LookupError, TypeError, UnicodeError)

# Discoveries whose date hint stands in for a missing publication date (the provenance says which;
# for a plain sitemap it is the URL's date or else its lastmod, the same date the window used).
PUBLICATION_HINTS = frozenset({"news-sitemap", "sitemap", "feed", "listing", "link", "recipe"})


def with_known_date(article: Article, e: Entry) -> Article:
    """Fill a missing ``published`` from the publication date known before fetching."""
    if article.published or not e.hint or e.found_by not in PUBLICATION_HINTS:
        return article
    provenance = {**article.provenance, "published": f"discover:{e.found_by}"}
    return article.replace(published=e.hint, provenance=provenance)


class PageExtractor(Protocol):
    """What a run extracts pages with: :class:`ExtractPool` (worker processes) or, in a
    distributed crawl's worker, extraction inline in that worker."""

    workers: int
    queued: int

    def start(self) -> None: ...

    def close(self) -> None: ...

    async def extract_paged(self, body: bytes, url: str, *, links: bool = False) -> Paged: ...


class Crawler:
    """Run crawl jobs against a store. ``progress`` shows a tqdm bar on stderr."""

    def __init__(
        self,
        store: ArticleStore | Store,
        settings: Settings,
        *,
        progress: bool = False,
        on_stored: OnStored = default_on_stored,
    ) -> None:
        self.store = as_article_store(store)
        self.settings = settings
        self.frontier = open_frontier(self.store)
        self.progress = progress
        self.on_stored = on_stored

    def run(self, spec: CrawlSpec, command: str = "crawl") -> CrawlReport:
        return asyncio.run(self.arun(spec, command))

    def scope(self, spec: CrawlSpec) -> disc.Scope:
        """The crawl's sites, window and site recipes (a bad seed is an error here)."""
        extra = [Path(p) for p in self.settings.recipe_dirs.split(os.pathsep) if p]
        recipes = load_recipes(extra)
        check_sites(spec.sites, recipes)
        return disc.Scope(spec.sites, Window.parse(spec.since, spec.until), recipes)

    async def arun(self, spec: CrawlSpec, command: str = "crawl") -> CrawlReport:
        scope = self.scope(spec)
        job, existed = self.frontier.job(spec.mode, spec.sites, spec.since, spec.until)
        with self.frontier.job_lock(job.id):
            return await self._run_job(spec, scope, job, existed, command)

    def prepare(self, spec: CrawlSpec, scope: disc.Scope, job: Job, existed: bool) -> None:
        """Seed a new job; a resumed one gets back what a killed process left in flight (and a
        finished job or a watch poll its discovery documents)."""
        if not existed:
            self.frontier.add(job.id, disc.seeds(scope))
        else:
            self.frontier.recover(job.id)
            if job.status == "finished" or spec.mode == "watch":
                self.frontier.requeue(job.id, disc.DISCOVERY_KINDS, entry_points_only=spec.mode == "watch")
        self.frontier.set_job_status(job.id, "running")

    async def _run_job(
        self, spec: CrawlSpec, scope: disc.Scope, job: Job, existed: bool, command: str
    ) -> CrawlReport:
        self.prepare(spec, scope, job, existed)
        run_id = self.frontier.start_run(job.id, command)
        work = _Run(self, job, run_id, scope)
        started = time.monotonic()
        status = "failed"
        try:
            await work.drain()
            status = "finished"
            # the run's count is its table's: URLs this run finished as stored (one recovered
            # from a killed run included, an article another job stored first excluded)
            work.stored = self.frontier.run_outcome(run_id, Outcome.STORED.value)
        except (KeyboardInterrupt, asyncio.CancelledError):
            status = "interrupted"
            raise
        finally:
            self.frontier.finish_run(run_id, status, work.requests, work.stored)
        return self.report(job, run_id, existed, work.requests, work.responses, work.stored, started)

    def report(
        self, job: Job, run_id: int, existed: bool, requests: int, responses: int, stored: int, started: float
    ) -> CrawlReport:
        """The finished job's report (the job's outcomes so far, this run's counts and alerts)."""
        self.frontier.set_job_status(job.id, "finished")
        outcomes = tuple(self.frontier.outcome_counts(job_id=job.id))
        alerts = run_alerts(self.frontier, run_id)
        problem = self._nothing_fetched(run_id) if requests and not responses else None
        return CrawlReport(
            job.id,
            run_id,
            existed,
            requests,
            stored,
            time.monotonic() - started,
            outcomes,
            alerts=alerts,
            responses=responses,
            problem=problem,
        )

    def _nothing_fetched(self, run_id: int) -> str:
        """Why a run that made requests got no answer at all (its first error, in words)."""
        first = self.frontier.first_error(run_id)
        why = f": {first[0]}: {first[1]}" if first else ""
        return f"nothing could be fetched{why}"


def check_sites(sites: tuple[str, ...], recipes: Mapping[str, Recipe] | None = None) -> None:
    """Every seed must be an http(s) URL with a host (``not-a-url`` is an error, not 0 articles);
    a recipe id given instead is named as such, with the site's address as the hint."""
    if not sites:
        raise ConfigError("no site to crawl")
    for site in sites:
        if normalize_url(site) is None:
            recipe = (recipes or {}).get(site)
            if recipe is not None:
                raise ConfigError(f"{site!r} is a site recipe, not a URL: give the site's address, such as "
                                  f"{recipe_home(recipe)}")
            hint = f"https://{site}/" if "." in site and "://" not in site else "https://example.com/"
            raise ConfigError(f"not a site URL: {site!r} (give an http(s) address such as {hint})")


def recipe_home(recipe: Recipe) -> str:
    """The front page of a recipe's site: the origin of its first entry point (else its first domain)."""
    for url in (*recipe.index_pages, *recipe.feeds, *recipe.sitemaps):
        parts = urlsplit(url)
        if parts.scheme and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}/"
    return f"https://www.{recipe.domains[0]}/" if recipe.domains else "https://example.com/"


@dataclass(frozen=True)
class Shared:
    """A run that is one worker of a distributed crawl: the database's host ``gate``, claims kept
    fresh every ``heartbeat`` seconds, and extraction by ``pool`` (inline)."""

    gate: HostGate
    pool: PageExtractor
    heartbeat: float = 2.0


class _Heartbeat:
    """A distributed worker's claims stay its own while it lives (see ``Frontier.release_stale``):
    every ``every`` seconds a thread with its own connection touches the rows in ``held`` and adds
    the worker's new requests to the run's count (so a worker killed later still counts). Not a
    task on the worker's event loop: a loop busy for seconds (a store write waiting on a lock, a
    long extraction) must not let a live worker's rows look dead and be fetched twice."""

    def __init__(self, db: str | Path, held: set[int], every: float, run_id: int, requests: Callable[[], int]) -> None:
        self.db, self.held, self.every = db, held, every
        self.run_id, self.requests, self.reported = run_id, requests, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="warta-heartbeat", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        with open_article_store(self.db) as store:
            frontier = open_frontier(store)
            while not self._stop.wait(self.every):
                with suppress(StoreError):  # a missed beat is retried; staleness takes several
                    frontier.heartbeat(sorted(self.held))  # one C-level copy of the set: safe under the GIL
                    self._report(frontier)
            self._report(frontier)

    def _report(self, frontier: FrontierStore) -> None:
        """Add this worker's requests since the last report to the run's count."""
        now = self.requests()
        if now > self.reported:
            frontier.run_requests(self.run_id, now - self.reported)
            self.reported = now

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


class _Run:
    """The state of one run: fetcher, extractor pool, counters."""

    def __init__(
        self, crawler: Crawler, job: Job, run_id: int, scope: disc.Scope, shared: Shared | None = None
    ) -> None:
        self.c = crawler
        self.f = crawler.frontier
        self.store = crawler.store
        self.job = job
        self.run_id = run_id
        self.scope = scope
        self.shared = shared
        self.held: set[int] = set()  # claimed frontier rows not finished yet
        self.stored = 0
        self.requests = 0
        self.responses = 0
        s = crawler.settings
        self.policy = FetchPolicy.from_settings(s)
        self.pool: PageExtractor = shared.pool if shared else ExtractPool(s.workers, s.doc_timeout)
        self.cap = max(2, s.concurrency + self.pool.workers * self.pool.queued)
        self.follow_links: bool | None = None  # decided at the job's first article (see _following)
        self.batch = WriteBatch()
        self.bar = tqdm(desc="crawl", unit="url", disable=not crawler.progress, file=sys.stderr, leave=False)

    async def drain(self) -> None:
        tasks: set[asyncio.Task[None]] = set()
        # workers start while discovery documents are fetched (the first article finds them ready)
        warming = asyncio.get_running_loop().run_in_executor(None, self.pool.start)
        beat = None
        if self.shared:
            beat = _Heartbeat(self.c.settings.db, self.held, self.shared.heartbeat, self.run_id, self._requests)
        try:
            async with Fetcher(self.policy, self.shared.gate if self.shared else None) as fetcher:
                self.fetcher = fetcher
                while True:
                    # refill in batches (one claim transaction per batch, not per finished URL)
                    claimed = self._claim(self.cap - len(tasks)) if len(tasks) <= self.cap // 2 else []
                    tasks.update(asyncio.create_task(self._process(e)) for e in claimed)
                    if not tasks:
                        if not self.batch:
                            if self._done():
                                break
                            await asyncio.sleep(0.25)  # what is left is in flight in another job or worker
                            continue
                        self.flush()  # the batch's articles may link to new work (link following)
                        continue
                    done, tasks = await asyncio.wait(
                        tasks, timeout=self.batch.wait, return_when=asyncio.FIRST_COMPLETED
                    )
                    for t in done:
                        t.result()
                    if self.batch.due():
                        self.flush()
            self.flush()
        finally:
            self.requests = self.fetcher.requests if hasattr(self, "fetcher") else 0
            self.responses = self.fetcher.responses if hasattr(self, "fetcher") else 0
            for t in tasks:
                t.cancel()
            if beat is not None:
                beat.stop()
            with suppress(StoreError):  # interrupted: keep what was extracted (a dead store keeps its place)
                self.flush()
            with suppress(Exception):  # a pool that failed to start fails its documents instead
                await asyncio.shield(warming)
            self.pool.close()
            self.bar.close()

    def _requests(self) -> int:
        return self.fetcher.requests if hasattr(self, "fetcher") else 0

    def _done(self) -> bool:
        """Nothing left to claim: alone, nothing queued; a worker waits until no other worker
        holds anything either (what they hold may lead to more work, or come back if they die)."""
        if self.shared:
            return not self.f.pending(self.job.id)
        return not self.f.queued(self.job.id)

    def _claim(self, n: int) -> list[Entry]:
        only = disc.DISCOVERY_KINDS if self.f.discovery_pending(self.job.id) else None
        claimed = self.f.claim(self.job.id, self.run_id, n, kinds=only)
        self.held.update(e.id for e in claimed)
        return claimed

    async def _process(self, e: Entry) -> None:
        try:
            if e.kind == "article":
                await self._article(e)
            else:
                await self._discovery(e)
        except FetchError as exc:
            self._finish(e, outcome_for(exc), str(exc))
        except DiscoverError as exc:
            self._finish(e, "error:unparseable", str(exc))
        except StoreError:
            raise  # the database is unusable: stop the run (the frontier keeps its place)
        except INPUT_ERRORS as exc:
            # hostile input that tripped a parser must not stop the crawl: record it on the URL
            self._finish(e, f"error:{type(exc).__name__}", str(exc))
        self.bar.update(1)
        self.bar.set_postfix(stored=self.stored, refresh=False)

    def _finish(
        self,
        e: Entry,
        outcome: str,
        detail: str = "",
        children: list[Pending] | None = None,
        article_id: int | None = None,
    ) -> None:
        self.f.finish(
            e.id,
            outcome,
            detail=detail,
            article_id=article_id,
            children=children or [],
            job_id=self.job.id,
            run_id=self.run_id,
        )
        self.held.discard(e.id)

    # -- discovery documents ------------------------------------------------------------------
    async def _discovery(self, e: Entry) -> None:
        if e.kind == "robots":
            rules = await self.fetcher.robots(e.url)
            if rules.failure is not None:  # robots.txt itself could not be fetched: say why
                self._finish(e, f"error:{rules.failure}", rules.reason)
                return
            self._finish(e, Outcome.PARSED.value, rules.state, disc.from_robots(self.scope, rules, e.url))
            return
        etag, modified = self.f.validators(self.job.id, e.key)
        cap = await self.fetcher.fetch(e.url, Validators(etag, modified), self.scope.in_scope)
        if cap.status == 304:
            self._finish(e, Outcome.NOT_MODIFIED.value)
            return
        if (wall := challenge_marker(cap.body)) is not None:  # a wall served in the document's place
            self._finish(e, Outcome.BLOCKED.value, f"challenge page ({wall})")
            return
        children = self._children(e, cap)
        self.f.save_validators(self.job.id, e.key, cap.header("etag"), cap.header("last-modified"))
        self._finish(e, Outcome.PARSED.value, f"{len(children)} links", children)

    def _children(self, e: Entry, cap: Capture) -> list[Pending]:
        url = cap.final_url
        if e.kind == "sitemap":
            return disc.from_sitemap(self.scope, cap.body, url)
        if e.kind == "feed":
            return disc.from_feed(self.scope, cap.body, url)
        return disc.from_listing(self.scope, cap.body, url, e.depth, e.hint, seed=e.found_by == "seed")

    # -- articles -----------------------------------------------------------------------------
    async def _article(self, e: Entry) -> None:
        stored = self.f.stored_article(e.key)
        if stored is not None:
            article_id, capture_id = stored
            # stored by this very entry before a crash (same capture): it is this job's article
            mine = e.capture_id is not None and capture_id == e.capture_id
            self._finish(e, (Outcome.STORED if mine else Outcome.ALREADY_STORED).value, article_id=article_id)
            return
        if self.scope.window.excludes(e.hint, self.scope.tz(e.url)):
            self._finish(e, Outcome.OUT_OF_RANGE.value, f"{e.found_by} date {e.hint}")
            return
        capture_id = e.capture_id
        if capture_id is None:  # fetched lately by another job of this database: not fetched again
            capture_id = self.f.recent_capture(e.key)
            if capture_id is not None:
                self.f.mark_fetched(e.id, capture_id)
        cap = self.store.get_capture(capture_id) if capture_id else None
        if cap is None:
            cap = await self.fetcher.fetch(e.url, in_scope=self.scope.in_scope)
            blob = await asyncio.to_thread(compress_body, cap.body)  # off the event loop's thread
            with self.store.transaction():  # the capture and the URL's pointer to it: one commit
                capture_id = self.store.add_capture(e.key, cap, compressed=blob)
                self.f.mark_fetched(e.id, capture_id)
        if (wall := challenge_marker(cap.body)) is not None:  # a wall served in the article's place
            self._finish(e, Outcome.BLOCKED.value, f"challenge page ({wall})")
            return
        # one parse in the worker gives the article, its other pages and (link following) its links
        result, links, pages = await self.pool.extract_paged(cap.body, cap.final_url, links=self._following(e))
        if (shell := shell_page(result, cap.body)) is not None:  # the article is only in its scripts
            self._finish(e, Outcome.SCRIPT_ONLY.value, shell)
            return
        if isinstance(result, Skip):
            self._finish(e, SKIP_OUTCOMES.get(result.reason, "error:extract"), result.detail)
            return
        first = first_page(pages, cap.final_url)
        if first is not None:  # a later page found on its own: the article is stored from its page 1
            child = self.scope.article(first, e.found_by, e.hint, cap.final_url, e.depth)
            self._finish(e, Outcome.DUPLICATE.value, f"a later page of {first}", [child] if child else [])
            return
        if pages:  # a multi-page article: its other pages are fetched now, politely, and merged
            result = await whole_article(result, pages, cap.final_url, self._page_fetch(e), self._page_extract)
            links = [link for link in links if not same_article(link, cap.final_url)]
        self._store(e, cap, result, capture_id, links)

    def _page_fetch(self, e: Entry) -> Fetch:
        """Fetch a following page through the crawl's fetcher, keeping its capture under the page's URL
        as linked (not its URL key: a single-page view's key is the article's own)."""
        async def fetch(url: str) -> Capture:
            cap = await self.fetcher.fetch(url)
            blob = await asyncio.to_thread(compress_body, cap.body)
            self.store.add_capture(url, cap, compressed=blob)
            return cap
        return fetch

    async def _page_extract(self, body: bytes, url: str) -> tuple[Article | Skip, Pagination]:
        result, _, pages = await self.pool.extract_paged(body, url)
        return result, pages

    def _store(self, e: Entry, cap: Capture, article: Article, capture_id: int | None, links: list[str]) -> None:
        tz = self.scope.tz(cap.final_url)
        window = self.scope.window
        day = local_day(article.published, tz) or local_day(e.hint, tz)
        if not window.open and day is None:
            self._finish(e, Outcome.UNDATED.value, "no date on the page or before fetching")
            return
        if day is not None and not window.contains(day):
            self._finish(e, Outcome.OUT_OF_RANGE.value, f"published {article.published or e.hint}")
            return
        article = with_known_date(article, e)
        outcome = Outcome.PAYWALLED.value if article.paywalled else Outcome.STORED.value
        found = disc.from_article(self.scope, links, cap.final_url, e.depth) if links else []
        self.batch.add(ArticleWrite(e, article, capture_id, outcome, tuple(found)))
        if self.batch.due():
            self.flush()

    def flush(self) -> None:
        """Store the batch's articles in one commit, each in a savepoint of its own. A commit that
        collided with another worker's (PostgreSQL rolled it back whole: :class:`StoreConflict`)
        is run again, a few times, after a short random pause (:func:`warta.store.conflicts.retrying`)."""
        items = self.batch.take()
        if not items:
            return

        def commit() -> int:
            with self.store.transaction():
                # the dedupe stage's lock first: taken later (in the hook) after the batch's
                # outcome rows, two workers' batches could each hold what the other waits for
                open_cluster_store(self.store).lock_clusters()
                return sum(self._write(w) for w in items)

        stored = retrying(commit)
        self.stored += stored
        self.bar.set_postfix(stored=self.stored, refresh=False)

    def _write(self, w: ArticleWrite) -> int:
        """The article, its URL's outcome and its cluster, all or nothing. Returns 1 when new."""
        try:
            with self.store.savepoint():
                article_id, inserted = self.store.upsert_article(w.entry.key, w.article, w.capture_id)
                outcome = w.outcome
                if not inserted and outcome == Outcome.STORED.value:  # another job stored it first
                    outcome = Outcome.ALREADY_STORED.value
                self._finish(w.entry, outcome, "", list(w.links), article_id)
                if inserted:
                    self.c.on_stored(self.store, article_id, w.article)
        except StoreError:
            raise
        except INPUT_ERRORS as exc:  # a hook tripped on this article: its URL records why
            self._finish(w.entry, f"error:{type(exc).__name__}", str(exc))
            return 0
        return int(inserted and outcome == Outcome.STORED.value)

    def _following(self, e: Entry) -> bool:
        """Link following from article pages, for sites whose sitemaps and feeds list no articles
        (decided at the job's first article), up to the scope's link depth."""
        if self.follow_links is None:
            self.follow_links = not self.f.has_listed_articles(self.job.id)
        return self.follow_links and self.scope.follows_links(e.depth)
