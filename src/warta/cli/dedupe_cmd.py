"""``warta clusters`` and ``warta history``: duplicate clusters and article revisions."""

from __future__ import annotations

import json
from pathlib import Path

import click

from warta.cli.common import DAY, DB_HELP, check_range, examples, fail, open_store
from warta.errors import WartaError
from warta.store.sqlite import Store


def _open(db: Path) -> Store:
    try:
        return open_store(db)
    except WartaError as exc:
        raise fail(exc) from exc


@click.command("clusters", epilog=examples("warta clusters --db news.db", "warta clusters --since 2016-02-20 --json"))
@click.option("--db", type=click.Path(path_type=Path), default=Path("warta.db"), show_default=True, help=DB_HELP)
@click.option("--since", type=DAY, default=None,
              help="Only clusters with a member published on/after this day.")
@click.option("--min-size", type=click.IntRange(min=1), default=2, show_default=True,
              help="Smallest cluster to list.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per cluster (JSON lines).")
def clusters_cmd(db: Path, since: str | None, min_size: int, as_json: bool) -> None:
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
@click.option("--db", type=click.Path(path_type=Path), default=Path("warta.db"), show_default=True, help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per version (JSON lines).")
def history_cmd(url: str, db: Path, as_json: bool) -> None:
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
    group.add_command(clusters_cmd)
    group.add_command(history_cmd)
