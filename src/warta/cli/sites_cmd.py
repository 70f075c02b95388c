"""``warta sites``: list the site recipes, check them (offline, or live against the sites), and show
how each source answered the crawler (``warta sites health``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import click
from tqdm import tqdm

from warta.cli.common import examples, fail
from warta.config import load_settings
from warta.errors import ConfigError, WartaError
from warta.fetch import FetchPolicy
from warta.health.live import LiveReport, check_live
from warta.health.recipes import CheckResult, check_recipe, check_rules
from warta.health.report import health_table, source_health
from warta.sites import Recipe, load_recipes
from warta.store.backends import open_article_store, open_frontier


def _recipes(recipe_dirs: Sequence[Path]) -> dict[str, Recipe]:
    try:
        settings = load_settings()
        configured = [Path(p) for p in settings.recipe_dirs.split(os.pathsep) if p]
        return load_recipes([*configured, *recipe_dirs])
    except ConfigError as exc:
        raise fail(exc) from exc


def _select(recipes: dict[str, Recipe], sites: Sequence[str]) -> list[Recipe]:
    unknown = [s for s in sites if s not in recipes]
    if unknown:
        raise click.BadParameter(f"no recipe for {', '.join(unknown)} (see `warta sites list`)", param_hint="SITE")
    return [recipes[s] for s in sites] if sites else [recipes[k] for k in sorted(recipes)]


_DIRS = click.option(
    "--recipes", "recipe_dirs", multiple=True, type=click.Path(file_okay=False, path_type=Path),
    help="Extra directory of recipe TOML files (repeatable; also the recipe_dirs setting).",
)


@click.group("sites", epilog=examples("warta sites list", "warta sites check antaranews --live"))
def sites() -> None:
    """Site recipes: what warta knows about each news site."""


@sites.command("list", epilog=examples("warta sites list", "warta sites list --json --recipes ./my-recipes"))
@_DIRS
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def list_cmd(recipe_dirs: tuple[Path, ...], as_json: bool) -> None:
    """List the site recipes with their status and entry points."""
    recipes = _select(_recipes(recipe_dirs), ())
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in recipes], indent=2, ensure_ascii=False))
        return
    click.echo(f"{'site':<14} {'status':<11} {'feeds':>5} {'maps':>4} {'lists':>5}  domains")
    for r in recipes:
        click.echo(
            f"{r.id:<14} {r.status:<11} {len(r.feeds):>5} {len(r.sitemaps):>4} "
            f"{len(r.listing_templates) + len(r.index_pages):>5}  {', '.join(r.domains)}"
        )


@sites.command("check", epilog=examples("warta sites check", "warta sites check antaranews tempo --live --delay 2"))
@click.argument("site", nargs=-1)
@_DIRS
@click.option("--live", is_flag=True, help="Fetch each recipe's feeds, sitemaps and today's listing pages.")
@click.option("--delay", type=click.FloatRange(min=0), default=None, help="Seconds between two requests to one host (live).")
@click.option("--allow-private", is_flag=True, help="Also probe loopback, private and link-local addresses (refused by default: SSRF).")
@click.option("--db", default=None,
              help="Also check each recipe's field rules on the newest pages of its site stored here"
                   " (a SQLite file or a postgresql:// URL).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def check_cmd(site: tuple[str, ...], recipe_dirs: tuple[Path, ...], live: bool, delay: float | None,
              allow_private: bool, db: str | None, as_json: bool, quiet: bool) -> None:
    """Check recipes offline (always) and, with --live, against the sites themselves.

    With --db, a field rule that matched nothing on the stored pages of its validity window is a
    problem (the site changed its layout). Exits with status 1 when a recipe has a problem
    (offline) or yields no article link (live).

    Example: warta sites check antaranews --db news.db
    """
    recipes = _recipes(recipe_dirs)
    chosen = _select(recipes, site)
    offline = [check_recipe(r, recipes) for r in chosen]
    if db is not None:
        offline = _with_rules(offline, chosen, db)
    reports = _live(chosen, delay, allow_private, quiet) if live else []
    if as_json:
        click.echo(json.dumps({"offline": [c.to_dict() for c in offline], "live": [r.to_dict() for r in reports]},
                              indent=2, ensure_ascii=False))
    else:
        _print_tables(offline, reports)
    if not all(c.ok for c in offline) or not all(r.working for r in reports):
        sys.exit(1)


def _with_rules(offline: list[CheckResult], chosen: list[Recipe], db: str) -> list[CheckResult]:
    try:
        with open_article_store(db, create=False) as store:  # a read command: never creates one
            reports = [check_rules(r, store) for r in chosen]
    except WartaError as exc:
        raise fail(exc) from exc
    return [
        dataclasses.replace(result, problems=result.problems + tuple(p for c in checks if (p := c.problem())))
        for result, checks in zip(offline, reports, strict=True)
    ]


def _live(chosen: list[Recipe], delay: float | None, allow_private: bool, quiet: bool) -> list[LiveReport]:
    try:  # --allow-private unset: warta.toml / WARTA_ALLOW_PRIVATE decide
        settings = load_settings({"delay": delay, "allow_private": allow_private or None})
    except ConfigError as exc:
        raise fail(exc) from exc
    # the crawler's fetcher and policy: robots.txt, delay and Crawl-delay, retries, caps, deadline, guard
    bar = tqdm(chosen, desc="sites", unit="site", file=sys.stderr, disable=quiet or not sys.stderr.isatty())
    try:
        return check_live(bar, FetchPolicy.from_settings(settings))
    finally:
        bar.close()


def _print_tables(offline: list[CheckResult], reports: list[LiveReport]) -> None:
    for result in offline:
        mark = "ok" if result.ok else f"{len(result.problems)} problem(s)"
        click.echo(f"{result.site:<14} {result.status:<11} {mark}")
        for problem in result.problems:
            click.echo(f"    {problem}")
    for report in reports:
        total = sum(p.articles for p in report.probes)
        click.echo(f"{report.site:<14} live: {'working' if report.working else 'NOT WORKING'} ({total} article links)")
        for probe in report.probes:
            click.echo(f"    {probe.kind:<8} {probe.outcome:<18} {probe.articles:>4}  {probe.url}")


@sites.command("health", epilog=examples("warta sites health --db news.db", "warta sites health --db news.db --days 7 --json"))
@click.option("--db", default=None, help="Store to read: a SQLite file or a postgresql:// URL (default warta.db).")
@click.option("--days", type=click.IntRange(min=1), default=14, show_default=True,
              help="Days of per-day counts to list (flags always read the whole history).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with per-day counts) instead of a table.")
def health_cmd(db: str | None, days: int, as_json: bool) -> None:
    """Per source: fetches, stored, errors, blocked (403/429 walls, challenge pages), script-only
    pages, robots denials, and a flag when it is blocked, script-only or its layout broke.

    Example: warta sites health --db news.db --days 7
    """
    since = (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=days - 1)).isoformat()
    try:
        with open_article_store(load_settings({"db": db}).db, create=False) as store:  # never creates one
            records = source_health(open_frontier(store), since)
    except WartaError as exc:
        raise fail(exc) from exc
    if as_json:
        click.echo(json.dumps([h.to_dict() for h in records], indent=2, ensure_ascii=False))
    else:
        click.echo(health_table(records))


def register(group: click.Group) -> None:
    """Add ``warta sites`` to ``group``."""
    group.add_command(sites)
