"""``warta db``: the storage backends (``db copy`` between SQLite and PostgreSQL, ``db info``)."""

from __future__ import annotations

import json

import click

from warta.cli.common import examples, fail
from warta.errors import WartaError
from warta.store.backends import open_article_store


@click.group("db", epilog=examples("warta db info news.db", "warta db copy news.db postgresql://warta@127.0.0.1/news"))
def db_group() -> None:
    """Database backends: a SQLite file (default) or a postgresql:// URL (pip install 'warta[postgres]')."""


@db_group.command("copy", epilog=examples(
    "warta db copy news.db postgresql://warta@127.0.0.1/news",
    "warta db copy postgresql://warta@127.0.0.1/news back.db"))
@click.argument("src")
@click.argument("dst")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def copy_command(src: str, dst: str, as_json: bool) -> None:
    """Copy every article, raw capture, dedupe cluster and revision of SRC into the empty store DST.

    SRC and DST are each a SQLite file or a postgresql:// URL; a PostgreSQL schema is created or
    migrated when opened. Example: warta db copy news.db postgresql://warta@127.0.0.1/news
    """
    from warta.store.transfer import copy_store

    if src == dst:
        raise click.ClickException("SRC and DST are the same store")
    try:
        with open_article_store(src, create=False) as source, open_article_store(dst) as destination:
            report = copy_store(source, destination)
    except WartaError as exc:
        raise fail(exc) from exc
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    click.echo(f"copied {report.articles} articles, {report.captures} captures, {report.fingerprints} dedupe"
               f" fingerprints and {report.revisions} revisions: {report.source} -> {report.destination}")
    if report.frontier.get("crawl_jobs"):
        click.echo(f"copied the crawl state: {report.frontier['crawl_jobs']} jobs, {report.frontier['crawl_runs']}"
                   f" runs, {report.frontier['frontier']} frontier URLs, {report.frontier['sources']} sources")
    if report.not_copied:
        left = ", ".join(f"{table} ({n} rows)" for table, n in report.not_copied.items())
        click.echo(f"not copied (not behind the storage seam yet; they stay in the source): {left}", err=True)


@db_group.command("info", epilog=examples("warta db info news.db", "warta db info postgresql://warta@127.0.0.1/news --json"))
@click.argument("db")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def info_command(db: str, as_json: bool) -> None:
    """Backend, location, articles and captures of DB (a PostgreSQL schema is migrated on open)."""
    try:
        with open_article_store(db, create=False) as store:
            data = {"backend": store.backend, "location": store.location,
                    "articles": store.count_articles(), "captures": store.count_captures()}
            version = getattr(store, "schema_version", None)
            if callable(version):
                data["schema_version"] = int(version())
    except WartaError as exc:
        raise fail(exc) from exc
    if as_json:
        click.echo(json.dumps(data))
    else:
        click.echo("\n".join(f"{k}: {v}" for k, v in data.items()))


def register(group: click.Group) -> None:
    group.add_command(db_group)
