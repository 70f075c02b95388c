"""Every command and option explains itself: help text on each option, an example in each --help."""

from __future__ import annotations

from collections.abc import Iterator

import click
from click.testing import CliRunner

from warta.cli.main import cli


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        yield path, command
        if isinstance(command, click.Group):
            yield from _commands(command, path)


COMMANDS = list(_commands(cli))


def test_the_walk_finds_every_command() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"crawl", "extract", "clean", "export", "search", "serve", "demo", "sites check"} <= names


def test_every_option_has_help_text() -> None:
    missing = [
        f"warta {' '.join(path)} {param.opts[0]}"
        for path, command in COMMANDS
        for param in command.params
        if isinstance(param, click.Option) and not (param.help or "").strip()
    ]
    assert not missing, "options without help text: " + ", ".join(missing)


def test_every_command_shows_an_example_in_its_help() -> None:
    runner = CliRunner()
    missing = []
    for path, command in COMMANDS:
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, result.output
        assert (command.help or "").strip(), f"warta {' '.join(path)} has no description"
        examples = result.output.split("Examples:", 1)[-1] if "Examples:" in result.output else ""
        if f"warta {' '.join(path)}" not in examples:
            missing.append(" ".join(path))
    assert not missing, "commands whose --help shows no example of themselves: " + ", ".join(missing)
