"""What every command shares: error lines in words, opening stores and output files, day options."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import click

from warta.errors import InputError, WartaError


def fail(exc: WartaError) -> click.ClickException:
    """A WartaError as the one-line error Click prints (``Error: ...``), exit status 1."""
    return click.ClickException(str(exc))


@contextmanager
def output_file(path: Path, newline: str | None = None) -> Iterator[IO[str]]:
    """``path`` opened for writing text; an unwritable path is an :class:`InputError` in words."""
    check_writable(path)
    try:
        fh = path.open("w", encoding="utf8", newline=newline)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}", path=str(path)) from exc
    with fh:
        yield fh


def check_writable(path: Path) -> None:
    """Fail early, in words, when ``path`` cannot be created (its folder is missing or read-only)."""
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"cannot write {path}: no such directory {parent}", path=str(path))
    if path.is_dir():
        raise InputError(f"cannot write {path}: it is a directory", path=str(path))
    try:
        with path.open("a", encoding="utf8"):
            pass
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}", path=str(path)) from exc


class Day(click.ParamType[str]):
    """A calendar day ``YYYY-MM-DD``; the value stays the ISO string."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            self.fail(f"{value!r} is not a date like 2016-02-23", param, ctx)


DAY = Day()


def check_range(since: str | None, until: str | None) -> None:
    """Reject an inverted window; warn (on stderr) when it starts after today, so nothing can match."""
    if since and until and since > until:
        raise click.BadParameter(f"--since {since} is after --until {until}", param_hint="'--since'")
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    if since and since > tomorrow:
        click.echo(f"note: --since {since} is in the future, so no article can match", err=True)


DB_HELP = "SQLite file or postgresql:// URL (default: the db setting, warta.db)."


def examples(*lines: str) -> str:
    """A command's ``--help`` epilog listing example command lines (shown verbatim)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


class Interrupted(click.ClickException):
    """Ctrl-C: one line saying what was kept (no ``Error:`` prefix), exit status 130 as a shell expects."""

    exit_code = 130

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.message, err=True)
