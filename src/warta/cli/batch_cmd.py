"""``warta batch``: WARC files and text-dump corpora to articles on an executor (local or Ray)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from warta.batch.captures import reextract_store
from warta.batch.clusters import cluster_parquet
from warta.batch.run import BatchReport, run_batch
from warta.batch.shards import Part, shard_log
from warta.cli.common import examples
from warta.errors import WartaError
from warta.execute import ENGINES, make_executor
from warta.store.backends import open_article_store


def _summary(report: BatchReport) -> dict[str, object]:
    return {
        "shards_run": len(report.shards),
        "shards_already_done": len(report.skipped_shards),
        "articles": report.articles,
        "skips": dict(report.skips),
    }


@click.command("batch", epilog=examples(
    "warta batch crawl-*.warc.gz --db news.db",
    "warta batch warc.paths.gz --prefix /data/cc-news --engine ray --workers 8 --out shards/",
    "warta batch corpus.jsonl --corpus --out clean/",
    "warta batch --captures --db news.db --workers 4",
    "warta batch --captures --db postgresql://warta@db-host/news --engine ray --address auto"))
@click.argument("inputs", nargs=-1)
@click.option("--prefix", type=click.Path(path_type=Path, file_okay=False),
              help="Directory the lines of a paths list (CC-NEWS warc.paths.gz) are relative to.")
@click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
              help="Where the work runs: local processes, or Ray.")
@click.option("--workers", "-w", default=0, show_default=True, type=click.IntRange(min=0),
              help="Worker processes (local) or CPUs (Ray); 0: one per CPU.")
@click.option("--address", help="Ray: join this existing cluster (auto on a cluster node; ray://head:10001 needs ray[client]).")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0),
              help="Seconds one document may take before it is skipped as 'timeout' (0: no limit).")
@click.option("--db", help="Store the articles in this database (a SQLite file or a postgresql:// URL).")
@click.option("--out", "-o", type=click.Path(path_type=Path, file_okay=False),
              help="Write one Parquet file per shard (articles and skips) into this directory.")
@click.option("--corpus", is_flag=True,
              help="Text dumps: learn lines repeated across each site's documents in all shards first.")
@click.option("--clusters", is_flag=True,
              help="With --out: near-duplicate clusters over all shards in it, to DIR/clusters.jsonl.")
@click.option("--part", default="1/1", show_default=True, metavar="I/N",
              help="Run part I of N of the shards (start N drivers, 1/N to N/N, to share the work).")
@click.option("--captures", is_flag=True,
              help="Re-extract the raw captures kept in --db (no INPUTS): shards of 1,000 capture ids.")
def batch_command(inputs: tuple[str, ...], prefix: Path | None, engine: str, workers: int, address: str | None,
                  timeout: float, db: str | None, out: Path | None, corpus: bool, clusters: bool,
                  part: str, captures: bool) -> None:
    """Turn WARC files (response records with HTML) and JSONL/CSV/Parquet text dumps into articles.

    INPUTS are .warc/.warc.gz files, corpus files, or lists of such paths (.paths, .paths.gz).
    Each file is a shard; finished shards are recorded and skipped by a rerun.

    With --captures, the store's own raw captures are extracted again (after warta or a site's
    rules changed) and its articles updated; a capture that fails keeps its article as stored.
    """
    try:
        share = Part.parse(part)
    except WartaError as exc:
        raise click.BadParameter(str(exc), param_hint="--part") from exc
    if captures:
        _captures(inputs, db, out, corpus or clusters or prefix is not None, engine, workers, address, timeout, share)
        return
    if not inputs:
        raise click.UsageError("give INPUTS (WARC files, corpus files, lists of paths), or --captures --db DB")
    if clusters and out is None:
        raise click.UsageError("--clusters needs --out DIR")
    try:
        with make_executor(engine, workers, address) as executor:
            report = run_batch(list(inputs), executor, prefix=prefix, timeout=timeout or None, db=db, out=out,
                               corpus=corpus, part=share)
            summary = _summary(report)
            if clusters and out is not None:
                mapping = cluster_parquet(executor, sorted(out.glob("*.parquet")))
                with (out / "clusters.jsonl").open("w", encoding="utf8") as fh:
                    for ident in sorted(mapping):
                        fh.write(json.dumps({"id": ident, "cluster": mapping[ident]}) + "\n")
                summary["clusters"] = len(set(mapping.values()))
    except WartaError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(summary, ensure_ascii=False))


def _captures(inputs: tuple[str, ...], db: str | None, out: Path | None, other: bool, engine: str, workers: int,
              address: str | None, timeout: float, part: Part) -> None:
    if inputs or out is not None or other:
        raise click.UsageError("--captures re-extracts the store given with --db: no INPUTS, --out, --prefix,"
                               " --corpus or --clusters")
    if not db:
        raise click.UsageError("--captures needs --db (a SQLite file or a postgresql:// URL)")
    try:
        with open_article_store(db, create=False) as store, make_executor(engine, workers, address) as executor:
            table = shard_log(None, db)
            try:
                report = reextract_store(store, executor, table=table, timeout=timeout or None, part=part)
            finally:
                table.close()
    except WartaError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(report.to_dict(), ensure_ascii=False))


def register(group: click.Group) -> None:
    """Add ``batch`` to ``group``."""
    group.add_command(batch_command)
