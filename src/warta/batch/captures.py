"""Re-extraction of a store's captures on an executor, shard by shard (``warta batch --captures``).

The captures of a store (SQLite or PostgreSQL, read through the
:class:`~warta.store.protocols.ArticleStore` protocol) are cut into shards of capture ids
(``1-1000``, ``1001-2000``...). For each shard the driver reads the newest capture of every
stored article, the executor's workers run the same pure extraction as a crawl
(:func:`extract_capture`: the page's final URL and the capture's ``Content-Type`` header), and the
driver alone writes: articles upserted by url key, in transactions of :data:`STORE_BATCH` (on
SQLite the store keeps the replaced version as a revision, as ``warta reextract`` always did). A
multi-page article is merged again from its pages' stored captures (never fetched), each page
extracted on the executor.

A capture whose extraction fails (a timeout, a dead worker twice, a page that is no longer an
article) is a skip with its reason, and its stored article is kept as it was: nothing stored is
lost. Finished shards go to the shard table (:func:`warta.batch.shards.shard_log`) under an id naming the store and
:func:`extractor_version`, so a rerun skips them and a new warta (or changed site rules) re-runs
them. The shard holding the newest captures is named by its last id (``1001-1500``), so a rerun
after more captures arrived re-runs it.

``warta reextract`` runs the same code (:func:`reextract_store`) without a shard table.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

import warta
from warta.batch.shards import WHOLE, Part, ShardLog
from warta.errors import FetchError
from warta.execute import Executor
from warta.extract.html import parse_html
from warta.extract.pagination import Pagination, paged_tree
from warta.extract.whole import ExtractPaged, Fetch, whole_article
from warta.model import Article, Capture, Skip, SkipReason
from warta.store.protocols import ArticleStore

SHARD_SIZE = 1000  # capture ids per shard
STORE_BATCH = 256  # articles per store transaction
MAX_SKIP_RECORDS = 100  # skips kept with their url and detail per run (all are counted)
Paged = tuple[Article | Skip, Pagination]
# what decides an extraction's output: a change to any of these files re-runs finished shards
_EXTRACTOR_SOURCES = ("extract", "sites", "lang", "dates.py", "urls.py", "model.py", "batch/captures.py")
_SOURCE_SUFFIXES = {".py", ".toml", ".json", ".txt", ".tsv", ".csv", ".html"}


@dataclass(frozen=True, slots=True)
class CaptureItem:
    """What a worker needs to extract one stored capture."""

    body: bytes
    url: str
    content_type: str | None

    @classmethod
    def of(cls, capture: Capture) -> CaptureItem:
        return cls(capture.body, capture.final_url, capture.header("content-type"))


def extract_capture(item: CaptureItem) -> Paged:
    """What a worker runs: the page's article (or Skip) and its other pages, from one parse (pure)."""
    tree = parse_html(item.body, item.url, content_type=item.content_type)
    if isinstance(tree, Skip):
        return tree, Pagination()
    return paged_tree(tree, item.url)


@functools.cache
def extractor_version() -> str:
    """warta's version and a digest of the extractor's sources and site rules."""
    root = Path(warta.__file__).parent
    digest = hashlib.sha256()
    for name in _EXTRACTOR_SOURCES:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.suffix in _SOURCE_SUFFIXES) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes() + b"\0")
    return f"{warta.__version__}+{digest.hexdigest()[:12]}"


@dataclass(frozen=True, slots=True)
class CaptureShard:
    first: int
    last: int

    def key(self, store: ArticleStore) -> str:
        return f"captures {self.first}-{self.last} of {_identity(store)} by extractor {extractor_version()}"


def _identity(store: ArticleStore) -> str:
    return store.location if store.backend != "sqlite" else str(Path(store.location).resolve())


def plan(store: ArticleStore, size: int = SHARD_SIZE) -> list[CaptureShard]:
    """Shards of ``size`` capture ids, aligned on multiples of ``size``, up to the newest capture."""
    top = store.last_capture_id()
    return [CaptureShard(start + 1, min(start + size, top)) for start in range(0, top, size)]


@dataclass(frozen=True, slots=True)
class SkipRecord:
    capture_id: int
    url: str
    reason: str
    detail: str


@dataclass
class CapturesReport:
    """What a re-extraction did: articles updated, skips by reason (first ones with their url)."""

    updated: int = 0
    skips: Counter[str] = field(default_factory=Counter)
    skipped: list[SkipRecord] = field(default_factory=list)
    shards_run: int = 0
    shards_already_done: int = 0

    def skip(self, capture_id: int, url: str, result: Skip) -> None:
        self.skips[result.reason.value] += 1
        if len(self.skipped) < MAX_SKIP_RECORDS:
            self.skipped.append(SkipRecord(capture_id, url, result.reason.value, result.detail))

    def to_dict(self) -> dict[str, Any]:
        return {
            "shards_run": self.shards_run,
            "shards_already_done": self.shards_already_done,
            "updated": self.updated,
            "skips": dict(self.skips),
            "skipped": [{"capture_id": s.capture_id, "url": s.url, "reason": s.reason, "detail": s.detail}
                        for s in self.skipped],
        }


def reextract_store(
    store: ArticleStore,
    executor: Executor,
    *,
    table: ShardLog | None = None,
    timeout: float | None = 10.0,
    shard_size: int = SHARD_SIZE,
    part: Part = WHOLE,
    progress: bool = False,
) -> CapturesReport:
    """Re-extract the newest capture of every stored article, shard by shard; see the module
    docstring. With a shard ``table``, finished shards are skipped and new ones recorded; with a
    ``part``, only that part of the shards is run (several drivers, one part each)."""
    report = CapturesReport()
    done = table.done() if table is not None else set()
    with tqdm(total=store.count_articles(), desc="reextract", unit="doc", disable=not progress,
              file=sys.stderr) as bar:
        for shard in part.select(plan(store, shard_size)):
            key = shard.key(store)
            if key in done:
                report.shards_already_done += 1
                continue
            counts = run_shard(store, executor, shard, report, timeout, bar)
            if table is not None:
                table.finish(key, counts)
            report.shards_run += 1
    return report


def run_shard(
    store: ArticleStore, executor: Executor, shard: CaptureShard, report: CapturesReport,
    timeout: float | None, bar: Any = None,
) -> dict[str, Any]:
    """One shard: extract its captures on ``executor``, upsert the articles; returns its counts."""
    known: dict[int, tuple[str, str]] = {}  # capture id -> (url key, final url) of the items in flight
    paged: list[tuple[int, str, str, Article, Pagination]] = []
    waiting: list[tuple[str, Article, int]] = []
    before = (report.updated, sum(report.skips.values()))

    def work() -> Iterator[tuple[int, CaptureItem]]:
        for stored in store.iter_article_captures(shard.first, shard.last):
            known[stored.id] = (stored.url_key, stored.capture.final_url)
            yield stored.id, CaptureItem.of(stored.capture)

    for capture_id, result in executor.map(extract_capture, work(), timeout):
        key, url = known.pop(capture_id)
        article, pages = (result, Pagination()) if isinstance(result, Skip) else result
        if isinstance(article, Skip):
            report.skip(capture_id, url, article)
        elif pages:
            paged.append((capture_id, key, url, article, pages))
        else:
            waiting.append((key, article, capture_id))
        if len(waiting) >= STORE_BATCH:
            report.updated += _upsert(store, waiting)
        if bar is not None:
            bar.update(1)
    for capture_id, key, url, first, pages in paged:  # multi-page articles: merged from their stored pages
        whole = asyncio.run(whole_article(first, pages, url, _stored_page(store), _extract_page(executor, timeout)))
        waiting.append((key, whole, capture_id))
    report.updated += _upsert(store, waiting)
    return {"updated": report.updated - before[0], "skips": sum(report.skips.values()) - before[1]}


def _upsert(store: ArticleStore, waiting: list[tuple[str, Article, int]]) -> int:
    """Upsert the waiting articles in one transaction (a rerun of the shard upserts them again)."""
    n = len(waiting)
    if waiting:
        with store.transaction() as tx:
            for key, article, capture_id in waiting:
                tx.upsert_article(key, article, capture_id)
        waiting.clear()
    return n


def _stored_page(store: ArticleStore) -> Fetch:
    """A page "fetch" that reads the capture the crawl kept (re-extraction never goes online)."""
    async def fetch(url: str) -> Capture:
        cap = store.latest_capture(url)  # the crawl keeps a page's capture under its URL as linked
        if cap is None:
            raise FetchError("no stored capture of this page", url=url)
        return cap
    return fetch


def _extract_page(executor: Executor, timeout: float | None) -> ExtractPaged:
    """One following page extracted on the executor, like the shard's first pages."""
    async def extract(body: bytes, url: str) -> Paged:
        results = [r for _, r in executor.map(extract_capture, [(0, CaptureItem(body, url, None))], timeout)]
        result = results[0] if results else Skip(SkipReason.ERROR, "no result from the executor", url=url)
        return (result, Pagination()) if isinstance(result, Skip) else result
    return extract
