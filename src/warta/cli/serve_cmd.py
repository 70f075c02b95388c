"""``warta serve`` (web UI + JSON API), ``warta search`` and ``warta reindex``."""

from __future__ import annotations

import errno
import json
import socket
from typing import Any

import click

from warta.cli.common import DAY, DB_HELP, check_range, examples, fail
from warta.config import load_settings
from warta.errors import InputError, WartaError
from warta.store import search as fts
from warta.store.backends import open_article_store, redact


@click.command(epilog=examples("warta serve --db news.db", "warta serve --db news.db --host 0.0.0.0 --port 8080",
                              "warta serve --db postgresql://warta@db.example/news"))
@click.option("--db", default=None, help=DB_HELP)
@click.option("--host", default=None, help="Interface to listen on (default 127.0.0.1).")
@click.option("--port", type=click.IntRange(0, 65535), default=None, help="TCP port (default 8000).")
@click.option("--config", "config_path", default=None, help="warta.toml to read.")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Another Host name to answer (repeatable; '*.example.org' for sub-domains, '*' for any)."
                   " The bound address and its names are always allowed.")
def serve(db: str | None, host: str | None, port: int | None, config_path: str | None,
          allowed_hosts: tuple[str, ...]) -> None:
    """Serve the web UI and the JSON API (/api/..., /openapi.json) over a store.

    Read-only by default; write endpoints need api_token from warta.toml or WARTA_API_TOKEN.
    Requests whose Host header is not a name of the server get 400 (a guard against DNS
    rebinding); more names come from --allowed-host, WARTA_ALLOWED_HOSTS or allowed_hosts.
    """
    import uvicorn

    from warta.web.app import create_app

    try:
        settings = load_settings({"db": db, "host": host, "port": port}, config_path=config_path)
        open_article_store(settings.db, create=False).close()  # a mistyped --db is an error, not a new empty store
        if allowed_hosts:  # the flags add to the names from the config file and environment
            settings = settings.replace(allowed_hosts=",".join((settings.allowed_hosts, *allowed_hosts)).strip(","))
        app = create_app(settings)
        check_listen(settings.host, settings.port)
    except WartaError as exc:
        raise fail(exc) from exc
    writes = "enabled (token required)" if settings.api_token else "disabled (no api_token)"
    shown = redact(settings.db)  # a postgresql:// URL's password stays out of the log
    click.echo(f"warta: serving {shown} on http://{settings.host}:{settings.port}/ ; writes {writes}", err=True)
    click.echo(f"warta: answering Host {app.state.hosts.describe()}", err=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")


def check_listen(host: str, port: int) -> None:
    """A port another program holds is a one-line error before the server starts (uvicorn would log
    ``[Errno 98]`` after its startup lines and exit 3)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(f"cannot listen on {host}: {getattr(exc, 'strerror', None) or exc}") from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as exc:
            why = exc.strerror or str(exc)
            hint = "; another program is using it: choose another with --port" if exc.errno == errno.EADDRINUSE else ""
            raise InputError(f"cannot listen on {host}:{port}: {why.lower()}{hint}") from exc


@click.command("search", epilog=examples(
    "warta search banjir jakarta --db news.db",
    'warta search \'"gempa bumi" -latihan\' --since 2016-02-01 --until 2016-02-29 --sort date',
    "warta search --site antaranews.com --author Budi --json"))
@click.argument("query", nargs=-1)
@click.option("--db", default=None, help=DB_HELP)
@click.option("--site", default=None, help="Only this registered domain, e.g. antaranews.com.")
@click.option("--since", type=DAY, default=None, help="Only articles published on or after this day.")
@click.option("--until", type=DAY, default=None, help="Only articles published on or before this day.")
@click.option("--author", default=None, help="Only articles credited to this author.")
@click.option("--language", default=None, help="Only this language (ISO 639-1 code, e.g. id, en).")
@click.option("--section", default=None, help="Only this section, as the site names it.")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True,
              help="Best matches first, or newest first.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Results to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def search_command(query: tuple[str, ...], db: str | None, sort: str, limit: int, as_json: bool, **filters: Any) -> None:
    """Full-text search of the store: words, "phrases", prefix*, AND/OR/NOT, -exclude."""
    try:
        check_range(filters.get("since"), filters.get("until"))
        settings = load_settings({"db": db})
        # a SQLite file (never created by a read) or a postgresql:// URL
        with open_article_store(settings.db, create=False) as store:
            page = store.search(" ".join(query), fts.SearchFilters(**filters),
                                sort="date" if sort == "date" else "relevance", limit=limit)
    except WartaError as exc:
        raise fail(exc) from exc
    if as_json:
        payload = {"total": page.total, "total_capped": page.total_capped,
                   "results": [h.to_dict() for h in page.hits]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    click.echo(f"{page.total}{'+' if page.total_capped else ''} articles")
    for hit in page.hits:
        click.echo(f"{hit.id:>7}  {hit.published or '':<25.25} {hit.site or '':<20.20} {hit.title or ''}")


@click.command(epilog=examples("warta reindex --db news.db"))
@click.option("--db", default=None, help=DB_HELP)
def reindex(db: str | None) -> None:
    """Rebuild the full-text index from the stored articles."""
    try:
        settings = load_settings({"db": db})
        with open_article_store(settings.db, create=False) as store:  # PostgreSQL: always current
            count = store.rebuild_index()
    except WartaError as exc:
        raise fail(exc) from exc
    click.echo(f"indexed {count} articles")


def register(group: click.Group) -> None:
    """Add this module's commands to ``group``."""
    group.add_command(serve)
    group.add_command(search_command)
    group.add_command(reindex)
