"""``warta clean``: text dumps (a file, a directory, a JSONL/CSV/Parquet corpus) into articles."""

from __future__ import annotations

import signal
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import click
from tqdm import tqdm

from warta.clean.corpus import LineStats
from warta.clean.io import Document, Fields, JsonlWriter, ParquetWriter, read_documents, result_record
from warta.clean.run import TIMEOUT, clean_documents, learn
from warta.cli.common import Interrupted, check_writable, examples, fail
from warta.errors import WartaError
from warta.model import Skip


def _progress(docs: Iterator[Document], quiet: bool, desc: str) -> Iterator[Document]:
    disable = quiet or not sys.stderr.isatty()
    yield from tqdm(docs, desc=desc, unit="doc", file=sys.stderr, disable=disable)


def _writer(out: Path | None, fmt: str | None) -> JsonlWriter | ParquetWriter:
    fmt = fmt or ("parquet" if out is not None and out.suffix == ".parquet" else "jsonl")
    if out is not None:
        check_writable(out)
    if fmt == "parquet":
        if out is None:
            raise click.UsageError("--format parquet needs --out FILE")
        return ParquetWriter(out)
    stream: IO[str] = out.open("w", encoding="utf8") if out is not None else sys.stdout
    return JsonlWriter(stream)


@click.command("clean", epilog=examples(
    "warta clean seed.txt --url https://www.antaranews.com/berita/527615/...",
    "warta clean dumps/ -o articles.jsonl --workers 0",
    "warta clean corpus.jsonl --corpus --text-field content -o articles.parquet"))
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--out", "-o", type=click.Path(path_type=Path), help="Output file (default: JSONL on stdout).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "parquet"]), help="Output format (default from --out).")
@click.option("--text-field", default="text", show_default=True, help="Corpus field holding the text.")
@click.option("--url-field", default="url", show_default=True, help="Corpus field holding the URL.")
@click.option("--id-field", default="id", show_default=True, help="Corpus field holding the document id.")
@click.option("--url", help="URL of a single text file (helps the title and the site).")
@click.option("--corpus", is_flag=True, help="Two passes: learn lines repeated across each site's documents first.")
@click.option("--min-count", default=4, show_default=True, type=click.IntRange(min=1), help="Corpus mode: documents a line must repeat in.")
@click.option("--share", default=0.01, show_default=True, type=click.FloatRange(0, 1), help="Corpus mode: share of a site's documents, too.")
@click.option("--workers", "-w", default=1, show_default=True, type=click.IntRange(min=0),
              help="Processes cleaning in parallel (0: one per CPU); the output keeps the input order.")
@click.option("--timeout", default=TIMEOUT, show_default=True, type=click.FloatRange(min=0),
              help="Seconds one document may take before it is skipped as 'timeout' (0: no limit).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON on stderr.")
def clean_command(source: Path, out: Path | None, fmt: str | None, text_field: str, url_field: str,
                  id_field: str, url: str | None, corpus: bool, min_count: int, share: float, workers: int,
                  timeout: float, quiet: bool, as_json: bool) -> None:
    """Clean text dumps in SOURCE into structured articles (one JSON object per document)."""
    fields = Fields(text_field, url_field, id_field)
    try:
        writer = _writer(out, fmt)
        stats = None
        if corpus:
            stats = learn(_progress(read_documents(source, fields, url), quiet, "learning"),
                          LineStats(min_count=min_count, share=share))
        counts = _clean_all(source, fields, url, stats, writer, quiet, workers, timeout or None)
    except WartaError as exc:
        raise fail(exc) from exc
    except KeyboardInterrupt:
        raise Interrupted("interrupted before any document was cleaned; nothing was written") from None
    if not counts["documents"]:
        click.echo(f"no documents in {source}", err=True)
        return
    _summary(counts, quiet, as_json)


def _clean_all(source: Path, fields: Fields, url: str | None, stats: LineStats | None,
               writer: JsonlWriter | ParquetWriter, quiet: bool, workers: int, timeout: float | None) -> Counter[str]:
    counts: Counter[str] = Counter()
    try:
        docs = _progress(read_documents(source, fields, url), quiet, "cleaning")
        for doc, result in clean_documents(docs, stats, workers, timeout):
            record = result_record(doc, result)
            with _sigint_deferred():  # Ctrl-C lands after the write and its count, so "the first N" is exact
                writer.write(record)
                counts["documents"] += 1
            counts[f"skip: {result.reason.value}" if isinstance(result, Skip) else "articles"] += 1
    except KeyboardInterrupt:
        stopped = True
    else:
        stopped = False
    finally:
        writer.close()
    if stopped:
        where = writer.path if isinstance(writer, ParquetWriter) else getattr(writer.out, "name", "the output")
        raise Interrupted(
            f"interrupted: the first {counts['documents']} documents were written to {where}, in input order; "
            "running the same command again starts over (clean does not resume)"
        )
    return counts


@contextmanager
def _sigint_deferred() -> Iterator[None]:
    """SIGINT is held (not lost) for the duration of the block, where the platform can block signals."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _summary(counts: Counter[str], quiet: bool, as_json: bool) -> None:
    if as_json:
        import json

        click.echo(json.dumps(dict(counts)), err=True)
    elif not quiet:
        parts: list[Any] = [f"{k}={v}" for k, v in sorted(counts.items())]
        click.echo(" ".join(parts), err=True)


def register(group: click.Group) -> None:
    """Add ``warta clean`` to ``group``."""
    group.add_command(clean_command)
