"""CLI: crawl, watch, export, stats, reextract, demo (thin layer over ``warta.pipeline``)."""

from __future__ import annotations

import itertools
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import click

from warta.cli.common import (
    DAY,
    DB_HELP,
    Interrupted,
    check_range,
    check_writable,
    examples,
    fail,
    output_file,
)
from warta.config import Settings, load_settings
from warta.dedupe.revisions import parse_schedule
from warta.errors import ConfigError, WartaError
from warta.model import Article
from warta.pipeline.export import FORMATS, iter_records, write_csv, write_jsonl, write_parquet
from warta.pipeline.hooks import on_stored
from warta.pipeline.reextract import reextract
from warta.pipeline.revisit import revisit as revisit_due
from warta.pipeline.runner import Crawler, CrawlReport, CrawlSpec
from warta.pipeline.stats import collect_stats, outcome_table
from warta.store.backends import open_article_store
from warta.store.protocols import ArticleStore

F = TypeVar("F", bound=Callable[..., Any])


def _settings(**flags: Any) -> Settings:
    return load_settings(flags)


def _crawl_settings(opts: dict[str, Any]) -> Settings:
    """Settings from the options every crawl_options command takes."""
    return _settings(
        db=opts["db"],
        delay=opts["delay"],
        concurrency=opts["concurrency"],
        workers=opts["workers"],
        allow_private=opts["allow_private"] or None,  # unset: warta.toml / WARTA_ALLOW_PRIVATE decide
    )


def _progress(quiet: bool, as_json: bool) -> bool:
    return not quiet and not as_json and sys.stderr.isatty()


_fail = fail


def crawl_options(f: F) -> F:
    for opt in reversed(
        [
            click.option("--db", default=None, help="SQLite file or postgresql:// URL (default warta.db)."),
            click.option(
                "--delay", type=click.FloatRange(min=0), default=None,
                help="Minimum seconds between requests to one host (1).",
            ),
            click.option(
                "--concurrency", type=click.IntRange(min=1), default=None, help="Requests in flight across hosts (16)."
            ),
            click.option(
                "--workers", type=click.IntRange(min=0), default=None,
                help="Extraction processes (0 = one per CPU); with --engine ray, fetch workers.",
            ),
            click.option(
                "--allow-private",
                is_flag=True,
                help="Also fetch loopback, private and link-local addresses (refused by default: SSRF).",
            ),
            click.option("--json", "as_json", is_flag=True, help="Print the report as JSON."),
            click.option("--quiet", "-q", is_flag=True, help="No progress bar, no table."),
        ]
    ):
        f = opt(f)
    return f


def _render(report: CrawlReport, as_json: bool, quiet: bool) -> None:
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    elif not quiet:
        click.echo(outcome_table(report.outcomes))
        click.echo(
            f"run {report.run_id}: {report.stored} new articles, {report.requests} requests, "
            f"{report.seconds:.1f}s"
        )
        for alert in report.alerts:  # name the source, not just a count of skipped URLs
            click.echo(str(alert))


def _crawl(
    sites: Sequence[str], since: str | None, until: str | None, mode: str, opts: dict[str, Any], command: str,
    new: list[Article] | None = None,
) -> CrawlReport:
    """Run one crawl job; ``new`` (when given) receives each article stored by this run."""
    settings = _crawl_settings(opts)
    if opts.get("engine", "local") == "ray":
        from warta.pipeline.distributed import crawl_distributed

        try:
            return crawl_distributed(settings.db, settings, CrawlSpec(tuple(sites), since, until, mode), command,
                                     workers=opts["workers"] or 0, address=opts.get("address"),
                                     progress=_progress(opts["quiet"], opts["as_json"]))
        except KeyboardInterrupt:
            raise Interrupted(
                f"interrupted: what the workers stored is saved in {settings.db}; "
                "run the same command again to resume where it stopped"
            ) from None
    if opts.get("address"):
        raise ConfigError("--address needs --engine ray", field="address")

    def stored(store: ArticleStore, article_id: int, article: Article) -> None:
        on_stored(store, article_id, article)
        if new is not None:
            new.append(article)

    with open_article_store(settings.db) as store:
        before = store.count_articles()
        crawler = Crawler(store, settings, progress=_progress(opts["quiet"], opts["as_json"]), on_stored=stored)
        try:
            return crawler.run(CrawlSpec(tuple(sites), since, until, mode), command)
        except KeyboardInterrupt:
            kept = store.count_articles() - before
            raise Interrupted(
                f"interrupted: {kept} new articles were saved to {settings.db}; "
                "run the same command again to resume where it stopped"
            ) from None


@click.command(epilog=examples(
    "warta crawl https://www.antaranews.com/ --since 2016-02-14 --until 2016-02-23 --db news.db",
    "warta crawl https://www.antaranews.com/ https://www.tempo.co/ --since 2016-02-01 --until 2016-02-29 --delay 2",
    "warta crawl https://www.antaranews.com/ https://www.tempo.co/ --since 2016-02-01 --engine ray --workers 4"))
@click.argument("sites", nargs=-1, required=True)
@click.option("--since", type=DAY, default=None, help="First day (YYYY-MM-DD, publisher's time zone, inclusive).")
@click.option("--until", type=DAY, default=None, help="Last day (inclusive).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: this process; ray: --workers fetch workers on Ray sharing the database's frontier"
                   " and per-host politeness (pip install 'warta[ray]').")
@click.option("--address", default=None,
              help="With --engine ray: join this Ray cluster (auto, or ray://head:10001) instead of starting"
                   " a local one.")
@crawl_options
def crawl(sites: tuple[str, ...], since: str | None, until: str | None, **opts: Any) -> None:
    """Backfill: store every article of SITES published from --since to --until.

    Re-running the same command resumes an interrupted crawl (even after kill -9). With --engine ray
    the crawl runs on N workers; killing any worker or this command loses nothing.
    """
    try:
        report = _crawl(sites, since, until, "backfill", opts, " ".join(["crawl", *sys.argv[2:]]))
    except WartaError as exc:
        raise _fail(exc) from exc
    _render(report, opts["as_json"], opts["quiet"])
    if report.problem:  # no server answered: not a success, whatever the table says
        raise click.ClickException(report.problem)


def parse_every(text: str) -> float:
    """'10m', '30s', '1h', '90' (seconds) -> seconds."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text)
    if not m:
        raise ConfigError(f"--every must look like 30s, 10m or 1h, got {text!r}", field="every")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


@click.command(epilog=examples(
    "warta watch https://www.antaranews.com/ --every 10m --db news.db",
    "warta watch https://www.antaranews.com/ --once --revisit 1h,1d,7d"))
@click.argument("sites", nargs=-1, required=True)
@click.option("--every", default="10m", show_default=True, help="Poll interval (30s, 10m, 1h).")
@click.option("--once", is_flag=True, help="Poll once and exit.")
@click.option(
    "--revisit",
    default=None,
    help="Also re-fetch stored articles at these ages (e.g. 1h,1d,7d) and keep changed versions.",
)
@crawl_options
def watch(sites: tuple[str, ...], every: str, once: bool, revisit: str | None, **opts: Any) -> None:
    """Keep polling feeds, news sitemaps and front pages; store each new article once.

    With --revisit, stored articles are fetched again (conditional requests) when they reach each
    age of the schedule; a changed page keeps its versions and a diff (see `warta history URL`).
    """
    try:
        interval = parse_every(every)
        schedule = parse_schedule(revisit) if revisit else []
        db = _crawl_settings(opts).db
    except WartaError as exc:
        raise _fail(exc) from exc
    kept = 0
    for poll in itertools.count(1):
        started = time.monotonic()
        new: list[Article] = []
        try:
            report = _crawl(sites, None, None, "watch", opts, "watch " + " ".join(sites), new)
        except WartaError as exc:
            raise _fail(exc) from exc
        except Interrupted:
            raise Interrupted(_watch_stopped(kept + len(new), db)) from None
        kept += len(new)
        if opts["as_json"] or opts["quiet"]:
            _render(report, opts["as_json"], opts["quiet"])
        else:
            _poll_summary(report, new)
        if report.problem:  # no server answered: a bad target fails at once, a later outage is reported
            if once or poll == 1:
                raise click.ClickException(report.problem)
            click.echo(f"warning: {report.problem}; polling again in {every}", err=True)
        try:
            if schedule:
                _revisit(sites, schedule, opts)
            if once:
                return
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
        except WartaError as exc:
            raise _fail(exc) from exc
        except KeyboardInterrupt:
            raise Interrupted(_watch_stopped(kept, db)) from None


def _watch_stopped(kept: int, db: object) -> str:
    saved = "1 new article was" if kept == 1 else f"{kept} new articles were"
    return f"stopped: {saved} saved to {db} by this watch; run the same command again to keep watching"


def _poll_summary(report: CrawlReport, new: list[Article]) -> None:
    """One line per poll, then only the articles this poll stored (not the job's whole table)."""
    count = f"{len(new)} new article{'s' if len(new) != 1 else ''}" if new else "no new articles"
    click.echo(f"{time.strftime('%H:%M:%S')} {count} ({report.requests} requests, {report.seconds:.1f}s)")
    for article in new:
        click.echo(f"  + {article.title or '(no title)'}  {article.url or ''}")
    for alert in report.alerts:  # a blocked or script-only source is named on the poll that met it
        click.echo(str(alert))


def _revisit(sites: tuple[str, ...], schedule: list[timedelta], opts: dict[str, Any]) -> None:
    settings = _crawl_settings(opts)
    with open_article_store(settings.db) as store:
        report = revisit_due(store, settings, schedule, sites)
    if opts["as_json"]:
        click.echo(json.dumps({"revisit": report.to_dict()}, ensure_ascii=False))
    elif not opts["quiet"]:
        click.echo(
            f"revisited {report.checked}: {len(report.changed)} changed, {report.unchanged} unchanged,"
            f" {report.not_modified} not modified, {len(report.errors)} failed"
        )


@click.command(epilog=examples(
    "warta export --db news.db > articles.jsonl",
    "warta export --format csv --out articles.csv --since 2016-02-14 --until 2016-02-23",
    "warta export --format parquet --out articles.parquet --site antaranews.com"))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True,
              help="jsonl: one Article JSON object per line; csv: one row per article; parquet: a table.")
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Output file (default stdout; required for parquet).",
)
@click.option("--db", default=None, help=DB_HELP)
@click.option("--since", type=DAY, default=None, help="Only articles published on or after this day.")
@click.option("--until", type=DAY, default=None, help="Only articles published on or before this day.")
@click.option("--site", default=None, help="Only this registered domain, e.g. bisnis.com.")
def export(
    fmt: str, out: Path | None, db: str | None, since: str | None, until: str | None, site: str | None
) -> None:
    """Export stored articles as JSON Lines, CSV or Parquet."""
    try:
        check_range(since, until)
        with open_article_store(_settings(db=db).db, create=False) as store:  # a file or postgresql://
            records = iter_records(store, since, until, site)
            if fmt == "parquet":
                if out is None:
                    raise ConfigError("parquet export needs --out FILE", field="out")
                check_writable(out)
                n = write_parquet(records, out)
            elif out is None:
                n = (write_jsonl if fmt == "jsonl" else write_csv)(records, sys.stdout)
            else:
                with output_file(out, newline="") as fh:
                    n = (write_jsonl if fmt == "jsonl" else write_csv)(records, fh)
    except WartaError as exc:
        raise _fail(exc) from exc
    if out is not None:
        click.echo(f"{n} articles -> {out}", err=True)


@click.command(epilog=examples("warta stats --db news.db", "warta stats --json"))
@click.option("--db", default=None, help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
def stats(db: str | None, as_json: bool) -> None:
    """Articles stored, and the outcome table of every crawl job."""
    try:
        with open_article_store(_settings(db=db).db, create=False) as store:  # a file or postgresql://
            data = collect_stats(store)
    except WartaError as exc:
        raise _fail(exc) from exc
    if as_json:
        click.echo(json.dumps(data.to_dict(), ensure_ascii=False, indent=1))
    else:
        click.echo(data.render())


@click.command(name="reextract", epilog=examples("warta reextract --db news.db", "warta reextract --workers 4 --json"))
@click.option("--db", default=None, help=DB_HELP)
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Extraction processes (0 = one per CPU).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no summary.")
def reextract_cmd(db: str | None, workers: int | None, as_json: bool, quiet: bool) -> None:
    """Re-run extraction over the stored raw captures of stored articles."""
    settings = _settings(db=db, workers=workers)
    try:
        with open_article_store(settings.db, create=False) as store:  # a SQLite file or a postgresql:// URL
            report = reextract(
                store,
                workers=settings.workers,
                timeout=settings.doc_timeout,
                progress=_progress(quiet, as_json),
            )
    except WartaError as exc:
        raise _fail(exc) from exc
    if as_json:
        click.echo(json.dumps(report.to_dict()))
    elif not quiet:
        skipped = ", ".join(f"{k}: {v}" for k, v in report.skipped.items()) or "none"
        click.echo(f"{report.updated} articles re-extracted; skipped {skipped}")


@click.command(epilog=examples("warta demo", "warta demo --db demo.db && warta serve --db demo.db"))
@click.option("--db", default=None, help="Database to crawl into (default warta.db).")
@click.option("--delay", type=click.FloatRange(min=0), default=0.05, show_default=True,
              help="Seconds between two requests to the sample site.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def demo(db: str | None, delay: float, as_json: bool) -> None:
    """Serve the bundled sample news site on 127.0.0.1 and crawl a date window of it (offline)."""
    from warta.demo.runner import run_demo

    try:
        run_demo(_settings(db=db, delay=delay), as_json=as_json, echo=click.echo)
    except WartaError as exc:
        raise _fail(exc) from exc


def register(group: click.Group) -> None:
    """Add this module's commands to ``group``."""
    for command in (crawl, watch, export, stats, reextract_cmd, demo):
        group.add_command(command)
