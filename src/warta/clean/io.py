"""Streaming input and output for ``warta clean``: documents from a text file, a directory of
``.txt``/``.md`` files, or a JSONL / CSV / Parquet corpus; results as JSONL or Parquet."""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from warta.errors import InputError
from warta.model import Article, Skip

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
PARQUET_BATCH = 1024


@dataclass(frozen=True, slots=True)
class Document:
    """One text dump to clean."""

    id: str
    text: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Fields:
    """Which record fields hold the text, the URL and the id in a JSONL/CSV/Parquet corpus."""

    text: str = "text"
    url: str = "url"
    id: str = "id"


def _open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf8", errors="replace")
    return path.open("r", encoding="utf8", errors="replace", newline="")


def _kind(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    last = suffixes[-1] if suffixes else ""
    if path.is_dir():
        return "dir"
    if last in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    return {".csv": "csv", ".tsv": "tsv", ".parquet": "parquet"}.get(last, "text")


def _record(rec: dict[str, Any], fields: Fields, n: int, path: Path) -> Document:
    text = rec.get(fields.text)
    if not isinstance(text, str):
        raise InputError(f"record {n} has no text field {fields.text!r}", path=str(path))
    url = rec.get(fields.url)
    doc_id = rec.get(fields.id)
    return Document(str(doc_id) if doc_id is not None else str(n), text, str(url) if url else None)


def _jsonl(path: Path, fields: Fields) -> Iterator[Document]:
    with _open_text(path) as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"line {n} is not JSON: {exc.msg}", path=str(path)) from exc
            if not isinstance(rec, dict):
                raise InputError(f"line {n} is not a JSON object", path=str(path))
            yield _record(rec, fields, n, path)


def _csv(path: Path, fields: Fields, delimiter: str) -> Iterator[Document]:
    csv.field_size_limit(sys.maxsize)
    with _open_text(path) as fh:
        for n, rec in enumerate(csv.DictReader(fh, delimiter=delimiter), start=1):
            yield _record(dict(rec), fields, n, path)


def _parquet(path: Path, fields: Fields) -> Iterator[Document]:
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for bad files
        raise InputError(f"not a Parquet file: {exc}", path=str(path)) from exc
    names = set(handle.schema_arrow.names)
    columns = [c for c in (fields.text, fields.url, fields.id) if c in names]
    n = 0
    for batch in handle.iter_batches(batch_size=PARQUET_BATCH, columns=columns):
        for rec in batch.to_pylist():
            n += 1
            yield _record(rec, fields, n, path)


def _directory(path: Path) -> Iterator[Document]:
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(
        TEXT_SUFFIXES + tuple(s + ".gz" for s in TEXT_SUFFIXES)))
    for file in files:
        yield _text_file(file, str(file.relative_to(path)))


def _text_file(path: Path, doc_id: str, url: str | None = None) -> Document:
    with _open_text(path) as fh:
        return Document(doc_id, fh.read(), url)


def read_documents(path: Path, fields: Fields = Fields(), url: str | None = None) -> Iterator[Document]:
    """Stream the documents of ``path`` (one at a time; a corpus is never loaded whole)."""
    if not path.exists():
        raise InputError(f"cannot read {path}: no such file or directory", path=str(path))
    kind = _kind(path)
    try:
        if kind == "dir":
            yield from _directory(path)
        elif kind == "jsonl":
            yield from _jsonl(path, fields)
        elif kind in ("csv", "tsv"):
            yield from _csv(path, fields, "," if kind == "csv" else "\t")
        elif kind == "parquet":
            yield from _parquet(path, fields)
        else:
            yield _text_file(path, path.name, url)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {(exc.strerror or str(exc)).lower()}", path=str(path)) from exc
    except (UnicodeError, EOFError, csv.Error) as exc:
        raise InputError(f"cannot read {path}: {exc}", path=str(path)) from exc


def result_record(doc: Document, result: Article | Skip) -> dict[str, Any]:
    """The JSON object written for one document: its id plus the article, or the skip."""
    if isinstance(result, Skip):
        return {"id": doc.id, **result.to_dict(), "url": doc.url}
    return {"id": doc.id, **result.to_dict()}


class JsonlWriter:
    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def write(self, record: dict[str, Any]) -> None:
        self.out.write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.out.flush()


class ParquetWriter:
    """Writes records in batches; nested fields (body, images, provenance) as JSON strings."""

    LIST_FIELDS = ("authors", "editors", "source_agencies", "tags")
    JSON_FIELDS = ("body", "images", "provenance")

    def __init__(self, path: Path) -> None:
        import pyarrow as pa

        self.path = path
        self.rows: list[dict[str, Any]] = []
        self.writer: Any = None
        str_fields = ("id", "url", "canonical_url", "site_name", "domain", "language", "title", "lead",
                      "dateline", "published", "modified", "section", "text", "skip", "detail")
        self.schema = pa.schema(
            [pa.field(n, pa.string()) for n in str_fields]
            + [pa.field(n, pa.list_(pa.string())) for n in self.LIST_FIELDS]
            + [pa.field(n, pa.string()) for n in self.JSON_FIELDS]
            + [pa.field("paywalled", pa.bool_())]
        )

    def write(self, record: dict[str, Any]) -> None:
        row = {name: record.get(name) for name in self.schema.names}
        for name in self.JSON_FIELDS:
            if name in record:
                row[name] = json.dumps(record[name], ensure_ascii=False)
        self.rows.append(row)
        if len(self.rows) >= PARQUET_BATCH:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self.writer is None:
            self.writer = pq.ParquetWriter(self.path, self.schema)
        self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
        self.rows = []

    def close(self) -> None:
        if self.rows or self.writer is None:
            self._flush()
        self.writer.close()
