"""Entry point of the ``warta`` command.

Each command lives in its own module under ``warta.cli`` and exposes ``register(group)``;
this module only assembles them.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from warta import __version__
from warta.cli.common import fail
from warta.errors import WartaError

COMMAND_MODULES = (
    "warta.cli.extract_cmd",  # extract, eval
    "warta.cli.clean_cmd",  # clean
    "warta.cli.crawl_cmd",  # crawl, watch, export, stats, reextract, sites, demo
    "warta.cli.serve_cmd",  # serve
    "warta.cli.dedupe_cmd",  # dedupe, clusters, history
    "warta.cli.sites_cmd",  # sites list, sites check
    "warta.cli.batch_cmd",  # batch
    "warta.cli.db_cmd",  # db copy, db info (SQLite <-> PostgreSQL)
)


class WartaGroup(click.Group):
    """The root group: any WartaError a command lets through is printed as one line in words."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WartaError as exc:
            raise fail(exc) from exc


@click.group(cls=WartaGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog="Run `warta COMMAND --help` for a command's options and examples.")
@click.version_option(__version__, prog_name="warta")
def cli() -> None:
    """warta: news sites into a clean, deduplicated, searchable collection of articles."""


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(cli)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
