"""``run_batch``: every unfinished shard through an executor, results to the store and/or Parquet.

The driver reads each shard (WARC records, corpus documents), the executor's workers run the
pure functions (:func:`warta.extract.core.extract`, :meth:`warta.clean.article.Cleaner.clean`)
with a per-document time limit, and the driver alone writes: every result (articles and skips
with their reasons) to the shard's Parquet file, and articles to the store through one writer
thread (:class:`StoreWriter`, one transaction per ``STORE_BATCH`` articles), so the workers keep
getting items while the store commits. Once the writer has committed all of a shard's articles,
the shard is marked finished in the shard table; a writer error stops the batch before that, and
a rerun does the shard again.

With ``corpus=True`` text dumps are cleaned in corpus mode: site furniture is learnt over every
corpus shard first (:mod:`warta.batch.corpus`), then each document is cleaned with it.
"""

from __future__ import annotations

import functools
import os
import queue
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warta.batch.corpus import CorpusDocument, clean_with_stats, learn_corpus
from warta.batch.shards import WHOLE, Part, Shard, expand, shard_log, shard_table_path
from warta.batch.warc import WarcPage, read_warc
from warta.clean.article import Cleaner
from warta.clean.corpus import site_key
from warta.clean.io import Document, ParquetWriter, read_documents, result_record
from warta.errors import ConfigError
from warta.execute import Executor
from warta.extract.core import extract
from warta.model import Article, Skip
from warta.store.backends import open_article_store
from warta.store.protocols import ArticleStore
from warta.urls import url_key

Result = Article | Skip
STORE_BATCH = 256  # articles per store transaction


def extract_page(page: WarcPage) -> Result:
    """What a worker runs for one WARC page."""
    return extract(page.body, page.url or None, content_type=page.content_type)


@functools.cache
def _cleaner() -> Cleaner:
    return Cleaner()


def clean_document(doc: Document) -> Result:
    """What a worker runs for one corpus document (one cleaner per worker process)."""
    return _cleaner().clean(doc.text, doc.url, site_key(doc.url, doc.id))


@dataclass
class ShardReport:
    shard: str
    articles: int = 0
    skips: Counter[str] = field(default_factory=Counter)

    def counts(self) -> dict[str, Any]:
        return {"articles": self.articles, "skips": dict(self.skips)}


@dataclass
class BatchReport:
    shards: list[ShardReport] = field(default_factory=list)
    skipped_shards: list[str] = field(default_factory=list)  # finished by an earlier run

    @property
    def articles(self) -> int:
        return sum(s.articles for s in self.shards)

    @property
    def skips(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for s in self.shards:
            total.update(s.skips)
        return total


Item = Document | WarcPage | CorpusDocument


def _items(shard: Shard, stats: Path | None) -> Iterator[tuple[str, Item | Skip]]:
    if shard.kind == "warc":
        yield from read_warc(shard.path)
    else:
        for doc in read_documents(shard.path):
            yield doc.id, (doc if stats is None else CorpusDocument(doc, str(stats)))


def _url(item: Item | None, result: Result) -> str | None:
    if item is not None:
        return item.url or None
    return result.url


def _function(shard: Shard, stats: Path | None) -> Callable[[Any], Result]:
    if shard.kind == "warc":
        return extract_page
    return clean_document if stats is None else clean_with_stats


class StoreWriter:
    """Upserts batches of articles into a store from one background thread, in order.

    :meth:`put` hands a batch over (it blocks while ``depth`` batches wait, so memory stays
    bounded); :meth:`flush` waits until every batch handed over is committed. An error in the
    writer is raised by the next :meth:`put` or :meth:`flush`; batches after it are dropped (their
    shard is not marked finished, so a rerun writes them)."""

    def __init__(self, store: ArticleStore, depth: int = 4) -> None:
        self.store = store
        self._queue: queue.Queue[list[tuple[str, Article]] | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, name="warta-batch-writer", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while True:
            batch = self._queue.get()
            try:
                if batch is None:
                    return
                if self._error is None:
                    with self.store.transaction() as tx:
                        for key, article in batch:
                            tx.upsert_article(key, article)
            except BaseException as exc:  # noqa: BLE001 - handed to the driver by put/flush
                self._error = exc
            finally:
                self._queue.task_done()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def put(self, articles: list[tuple[str, Article]]) -> None:
        self._raise()
        if articles:
            self._queue.put(list(articles))

    def flush(self) -> None:
        self._queue.join()
        self._raise()

    def close(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()


def call_item(job: tuple[Callable[[Any], Result], Any]) -> Result:
    """What a worker runs: one item's function (shards of several kinds share one stream)."""
    fn, arg = job
    return fn(arg)


@dataclass
class _OpenShard:
    """A shard whose items are in the executor's stream: its results so far and what is left."""

    shard: Shard
    report: ShardReport
    parquet: ParquetWriter | None
    known: dict[int, tuple[str, Item]] = field(default_factory=dict)  # handed out, no result yet
    direct: list[tuple[str, Skip]] = field(default_factory=list)  # skipped while reading
    articles: list[tuple[str, Article]] = field(default_factory=list)  # not yet handed to the writer
    read: bool = False  # every item handed out

    def record(self, key: str, result: Result, item: Item | None = None) -> None:
        url = _url(item, result)
        if isinstance(result, Skip):
            self.report.skips[result.reason.value] += 1
            result = Skip(result.reason, result.detail, url=url)
        else:
            self.report.articles += 1
            self.articles.append((url_key(result.url or url or f"{self.shard.id}#{key}"), result))
        if self.parquet is not None:
            self.parquet.write(result_record(Document(key, "", url), result))


def run_shards(
    shards: list[Shard], executor: Executor, timeout: float | None, store: StoreWriter | None,
    out: Path | None, finished: Callable[[ShardReport], None], stats: Path | None = None,
) -> None:
    """Every shard's items through one ``executor.map`` stream, so the workers never wait at a
    shard's end for the driver to commit it and open the next; ``finished`` is called for each
    shard (in completion order) once its output is committed."""
    opened: dict[int, _OpenShard] = {}

    def finish(index: int) -> None:
        shard = opened.pop(index)
        for key, skip in shard.direct:
            shard.record(key, skip)
        _store(store, shard.articles)
        if store is not None:
            store.flush()
        if shard.parquet is not None and out is not None:
            shard.parquet.close()
            stem = shard.shard.stem
            os.replace(out / f".{stem}.parquet.part", out / f"{stem}.parquet")
        finished(shard.report)

    def work() -> Iterator[tuple[tuple[int, int], Any]]:
        for index, shard in enumerate(shards):
            parquet = ParquetWriter(out / f".{shard.stem}.parquet.part") if out is not None else None
            state = opened[index] = _OpenShard(shard, ShardReport(shard.id), parquet)
            fn = _function(shard, stats)
            for seq, (key, item) in enumerate(_items(shard, stats)):  # keys may repeat in a file
                if isinstance(item, Skip):
                    state.direct.append((key, item))
                else:
                    state.known[seq] = (key, item)
                    yield (index, seq), (fn, item)
            state.read = True
            if not state.known:
                finish(index)

    for (index, seq), result in executor.map(call_item, work(), timeout):
        state = opened[index]
        key, item = state.known.pop(seq)
        state.record(key, result, item)
        if len(state.articles) >= STORE_BATCH:
            _store(store, state.articles)
        if state.read and not state.known:
            finish(index)


def _store(store: StoreWriter | None, articles: list[tuple[str, Article]]) -> None:
    """Hand the waiting articles to the writer (a rerun of the shard upserts them again)."""
    if store is not None:
        store.put(articles)
    articles.clear()


def run_batch(
    inputs: list[str],
    executor: Executor,
    *,
    prefix: Path | None = None,
    timeout: float | None = 10.0,
    db: str | Path | None = None,
    out: Path | None = None,
    corpus: bool = False,
    part: Part = WHOLE,
) -> BatchReport:
    """Run every shard of ``inputs`` (of ``part`` of them) not yet finished; see the module docstring."""
    every = expand(inputs, prefix)
    shards = part.select(every)
    if out is None and db is None:
        raise ConfigError("batch needs somewhere to write: a store (--db) and/or a Parquet directory (--out)")
    table_path = shard_table_path(out, db)
    if corpus and table_path is None:
        raise ConfigError("--corpus with a postgresql:// store needs --out DIR (where the line statistics are kept)")
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    report = BatchReport()
    table = shard_log(out, db)
    store = open_article_store(db) if db is not None else None
    writer = StoreWriter(store) if store is not None else None
    try:
        done = table.done()
        stats = None
        corpora = [s.path for s in every if s.kind == "corpus"]  # all parts clean with the same statistics
        if corpus and corpora:
            assert table_path is not None
            stats = learn_corpus(executor, corpora, table_path.with_name(table_path.stem + "_linestats.npz"))
        report.skipped_shards = [s.id for s in shards if s.id in done]

        def finished(shard_report: ShardReport) -> None:
            table.finish(shard_report.shard, shard_report.counts())
            report.shards.append(shard_report)

        todo = [s for s in shards if s.id not in done]
        run_shards(todo, executor, timeout, writer, out, finished, stats)
    finally:
        if writer is not None:
            writer.close()
        table.close()
        if store is not None:
            store.close()
    return report
