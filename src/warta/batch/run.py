"""``run_batch``: every unfinished shard through an executor, results to the store and/or Parquet.

The driver reads each shard (WARC records, corpus documents), the executor's workers run the
pure functions (:func:`warta.extract.core.extract`, :meth:`warta.clean.article.Cleaner.clean`)
with a per-document time limit, and the driver alone writes: articles to the store (one
transaction per shard), every result (articles and skips with their reasons) to the shard's
Parquet file. Then the shard is marked finished in the shard table.

With ``corpus=True`` text dumps are cleaned in corpus mode: site furniture is learnt over every
corpus shard first (:mod:`warta.batch.corpus`), then each document is cleaned with it.
"""

from __future__ import annotations

import functools
import os
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


def run_shard(
    shard: Shard, executor: Executor, timeout: float | None, store: ArticleStore | None, out: Path | None,
    stats: Path | None = None,
) -> ShardReport:
    """One shard through the executor; returns its counts once its output is committed."""
    report = ShardReport(shard.id)
    known: dict[str, Item] = {}
    direct: list[tuple[str, Skip]] = []

    def work() -> Iterator[tuple[str, Any]]:
        for key, item in _items(shard, stats):
            if isinstance(item, Skip):
                direct.append((key, item))
            else:
                known[key] = item
                yield key, item

    fn = _function(shard, stats)
    writer = ParquetWriter(out / f".{shard.stem}.parquet.part") if out is not None else None
    articles: list[tuple[str, Article]] = []

    def record(key: str, result: Result) -> None:
        item = known.pop(key, None)
        url = _url(item, result)
        doc = Document(key, "", url)
        if isinstance(result, Skip):
            report.skips[result.reason.value] += 1
            result = Skip(result.reason, result.detail, url=url)
        else:
            report.articles += 1
            articles.append((url_key(result.url or url or f"{shard.id}#{key}"), result))
        if writer is not None:
            writer.write(result_record(doc, result))

    for key, result in executor.map(fn, work(), timeout):
        record(key, result)
        if len(articles) >= STORE_BATCH:
            _store(store, articles)
    for key, skip in direct:
        record(key, skip)
    _store(store, articles)
    if writer is not None and out is not None:
        writer.close()
        os.replace(out / f".{shard.stem}.parquet.part", out / f"{shard.stem}.parquet")
    return report


def _store(store: ArticleStore | None, articles: list[tuple[str, Article]]) -> None:
    """Upsert the waiting articles in one transaction (a rerun of the shard upserts them again)."""
    if store is not None and articles:
        with store.transaction() as tx:
            for key, article in articles:
                tx.upsert_article(key, article)
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
    try:
        done = table.done()
        stats = None
        corpora = [s.path for s in every if s.kind == "corpus"]  # all parts clean with the same statistics
        if corpus and corpora:
            assert table_path is not None
            stats = learn_corpus(executor, corpora, table_path.with_name(table_path.stem + "_linestats.npz"))
        for shard in shards:
            if shard.id in done:
                report.skipped_shards.append(shard.id)
                continue
            shard_report = run_shard(shard, executor, timeout, store, out, stats)
            table.finish(shard.id, shard_report.counts())
            report.shards.append(shard_report)
    finally:
        table.close()
        if store is not None:
            store.close()
    return report
