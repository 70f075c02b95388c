"""Entry point of the ``warta`` command.

Each command lives in its own module under ``warta.cli`` and exposes ``register(group)``;
this module only assembles them.
"""

from __future__ import annotations

import importlib

import click

from warta import __version__

COMMAND_MODULES = (
    "warta.cli.extract_cmd",  # extract, eval
    "warta.cli.clean_cmd",  # clean
    "warta.cli.crawl_cmd",  # crawl, watch, export, stats, reextract, sites, demo
    "warta.cli.serve_cmd",  # serve
    "warta.cli.dedupe_cmd",  # clusters, history
    "warta.cli.sites_cmd",  # sites list, sites check
    "warta.cli.db_cmd",  # db copy, db info (SQLite <-> PostgreSQL)
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="warta")
def cli() -> None:
    """warta: news sites into a clean, deduplicated, searchable collection of articles."""


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(cli)


def main() -> None:
    cli()
