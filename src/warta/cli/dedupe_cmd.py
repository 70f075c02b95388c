"""``warta dedupe``, ``warta clusters`` and ``warta history``: verdicts, duplicate clusters and
article revisions, in a SQLite file or a PostgreSQL database (``--db`` / ``WARTA_DB``)."""

from __future__ import annotations

import json
import sys

import click

from warta.cli.common import DAY, check_range, examples, fail
from warta.config import load_settings
from warta.errors import WartaError
from warta.store.protocols import ArticleStore

DB_OPTION_HELP = "SQLite file or postgresql:// URL (default: the db setting, warta.db)."


def _open(db: str | None) -> ArticleStore:
    """The existing store named by ``--db`` (or WARTA_DB / warta.toml): never creates one."""
    from warta.store.backends import open_article_store

    try:
        return open_article_store(load_settings({"db": db}).db, create=False)
    except WartaError as exc:
        raise fail(exc) from exc


@click.command("dedupe", epilog=examples("warta dedupe --db news.db",
                                         "warta dedupe --db postgresql://warta@127.0.0.1/news --json"))
@click.option("--db", default=None, help=DB_OPTION_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def dedupe_cmd(db: str | None, as_json: bool, quiet: bool) -> None:
    """Give every stored article without a verdict its verdict and cluster.

    A crawl does this for each article it stores; run it after `warta db copy`, a batch job, or
    on a store made by an older warta. Articles that have a verdict are left as they are, and an
    interrupted run resumes where it stopped.
    """
    from tqdm import tqdm

    from warta.dedupe.verdicts import dedupe_stored

    with _open(db) as store:
        total = store.count_articles()
        with tqdm(total=total, unit="article", file=sys.stderr, disable=quiet or as_json or not sys.stderr.isatty()) as bar:
            try:
                report = dedupe_stored(store, progress=lambda n: bar.update(n - bar.n))
            except WartaError as exc:
                raise fail(exc) from exc
    if as_json:
        click.echo(json.dumps(report.to_dict()))
        return
    given = ", ".join(f"{n} {kind}" for kind, n in report.assigned.items())
    click.echo(f"{report.articles} articles: {given}; {report.already} already had a verdict")


@click.command("clusters", epilog=examples("warta clusters --db news.db", "warta clusters --since 2016-02-20 --json"))
@click.option("--db", default=None, help=DB_OPTION_HELP)
@click.option("--since", type=DAY, default=None,
              help="Only clusters with a member published on/after this day.")
@click.option("--min-size", type=click.IntRange(min=1), default=2, show_default=True,
              help="Smallest cluster to list.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per cluster (JSON lines).")
def clusters_cmd(db: str | None, since: str | None, min_size: int, as_json: bool) -> None:
    """List clusters of copies of one story, with their members and the original."""
    from warta.dedupe.verdicts import list_clusters

    check_range(since, None)
    with _open(db) as store:
        found = list_clusters(store, since=since, min_size=min_size)
    for c in found:
        if as_json:
            click.echo(json.dumps(c.to_dict(), ensure_ascii=False))
            continue
        click.echo(f"cluster {c.cluster_id}  ({c.size} articles, original: {c.original_id})")
        for m in c.members:
            mark = "*" if m.is_original else " "
            how = m.verdict if m.of_id is None else f"{m.verdict} of {m.of_id} ({m.score:.2f})"
            click.echo(f" {mark} {m.article_id:>6}  {m.published or '-':<25}  {m.site or '-':<20} {how:<22} {m.url}")
    if not as_json:
        click.echo(f"{len(found)} clusters", err=True)


@click.command("history", epilog=examples("warta history https://www.antaranews.com/berita/527615/... --db news.db"))
@click.argument("url")
@click.option("--db", default=None, help=DB_OPTION_HELP)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per version (JSON lines).")
def history_cmd(url: str, db: str | None, as_json: bool) -> None:
    """Show the stored versions of URL and the diff between consecutive versions."""
    from warta.dedupe.revisions import history

    with _open(db) as store:
        versions = history(store, url)
    if not versions:
        raise click.ClickException(f"no versions recorded for {url}")
    for v in versions:
        if as_json:
            click.echo(json.dumps(v.to_dict(), ensure_ascii=False))
            continue
        click.echo(f"version {v.version}  fetched {v.fetched_at}  {v.title or ''}")
        if v.diff:
            click.echo(v.diff)


def register(group: click.Group) -> None:
    """Add this module's commands to ``group``."""
    group.add_command(dedupe_cmd)
    group.add_command(clusters_cmd)
    group.add_command(history_cmd)
