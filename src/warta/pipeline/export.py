"""Export stored articles as JSON Lines, CSV or Parquet.

CSV cells are written so that a spreadsheet shows them as text: a cell starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return (which Excel, LibreOffice and Google Sheets would run as a
formula) gets a leading single quote (OWASP's advice against CSV injection). JSON Lines and
Parquet keep every value unchanged.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from warta.errors import ConfigError
from warta.store.protocols import ArticleFilter, SearchIndex, StoredArticle

FORMATS = ("jsonl", "csv", "parquet")
CSV_COLUMNS = (
    "id",
    "url_key",
    "url",
    "canonical_url",
    "domain",
    "site_name",
    "language",
    "title",
    "lead",
    "authors",
    "editors",
    "source_agencies",
    "dateline",
    "published",
    "modified",
    "section",
    "tags",
    "paywalled",
    "access",
    "pages",
    "text",
    "first_seen",
    "updated_at",
    "cluster_id",
    "is_original",
)


def export_record(sa: StoredArticle) -> dict[str, Any]:
    """The JSON object of one stored article: ``Article.to_dict()`` plus store fields."""
    return {
        "id": sa.id,
        "url_key": sa.url_key,
        **sa.article.to_dict(),
        "first_seen": sa.first_seen,
        "updated_at": sa.updated_at,
    }


def iter_records(
    store: SearchIndex, since: str | None = None, until: str | None = None, site: str | None = None
) -> Iterator[dict[str, Any]]:
    """Export records of the stored articles published in [since, until] on ``site`` (any when empty), by id."""
    where = ArticleFilter(site=site or None, since=since or None, until=until or None)
    batch: list[StoredArticle] = []
    for sa in store.iter_articles(where):
        batch.append(sa)
        if len(batch) >= 500:
            yield from _with_clusters(store, batch)
            batch = []
    yield from _with_clusters(store, batch)


def _with_clusters(store: SearchIndex, batch: list[StoredArticle]) -> Iterator[dict[str, Any]]:
    """Records with ``cluster_id`` and ``is_original`` from the dedupe stage."""
    if not batch:
        return
    info = store.cluster_info([sa.id for sa in batch])
    for sa in batch:
        cluster_id, original = info[sa.id]
        yield {**export_record(sa), "cluster_id": cluster_id, "is_original": original}


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """``value`` for a CSV cell: text a spreadsheet would run as a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _flat(rec: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for col in CSV_COLUMNS:
        value = rec.get(col)
        out[col] = csv_safe("; ".join(value) if isinstance(value, list) else value)
    return out


def write_jsonl(records: Iterator[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for rec in records:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(records: Iterator[dict[str, Any]], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS))
    writer.writeheader()
    n = 0
    for rec in records:
        writer.writerow(_flat(rec))
        n += 1
    return n


def write_parquet(records: Iterator[dict[str, Any]], path: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ConfigError("parquet export needs pyarrow: pip install 'warta[parquet]'") from exc
    rows = [_parquet_row(r) for r in records]
    table = pa.Table.from_pylist(rows, schema=_parquet_schema(pa))
    pq.write_table(table, str(path))
    return len(rows)


_LIST_COLUMNS = ("authors", "editors", "source_agencies", "tags", "pages")


def _parquet_row(rec: dict[str, Any]) -> dict[str, Any]:
    return {c: (list(rec.get(c) or []) if c in _LIST_COLUMNS else rec.get(c)) for c in CSV_COLUMNS}


def _parquet_schema(pa: Any) -> Any:
    types = {"id": pa.int64(), "paywalled": pa.bool_(), "is_original": pa.bool_()}
    return pa.schema(
        [(c, pa.list_(pa.string()) if c in _LIST_COLUMNS else types.get(c, pa.string())) for c in CSV_COLUMNS]
    )
