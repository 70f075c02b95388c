"""``warta serve`` (web UI + JSON API), ``warta search`` and ``warta reindex``."""

from __future__ import annotations

import json
from typing import Any

import click

from warta.config import load_settings
from warta.errors import WartaError
from warta.store import search as fts
from warta.store.backends import open_article_store
from warta.store.sqlite import Store


@click.command()
@click.option("--db", default=None, help="SQLite store (default: settings db, warta.db).")
@click.option("--host", default=None, help="Interface to listen on (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="TCP port (default 8000).")
@click.option("--config", "config_path", default=None, help="warta.toml to read.")
def serve(db: str | None, host: str | None, port: int | None, config_path: str | None) -> None:
    """Serve the web UI and the JSON API (/api/..., /openapi.json) over a store.

    Read-only by default; write endpoints need api_token from warta.toml or WARTA_API_TOKEN.
    """
    import uvicorn

    from warta.web.app import create_app

    try:
        settings = load_settings({"db": db, "host": host, "port": port}, config_path=config_path)
        app = create_app(settings)
    except WartaError as exc:
        raise click.ClickException(str(exc)) from exc
    writes = "enabled (token required)" if settings.api_token else "disabled (no api_token)"
    click.echo(f"warta: serving {settings.db} on http://{settings.host}:{settings.port}/ ; writes {writes}", err=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")


@click.command("search")
@click.argument("query", nargs=-1)
@click.option("--db", default=None, help="SQLite store.")
@click.option("--site", default=None)
@click.option("--since", default=None, help="YYYY-MM-DD")
@click.option("--until", default=None, help="YYYY-MM-DD")
@click.option("--author", default=None)
@click.option("--language", default=None)
@click.option("--section", default=None)
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance")
@click.option("--limit", type=int, default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def search_command(query: tuple[str, ...], db: str | None, sort: str, limit: int, as_json: bool, **filters: Any) -> None:
    """Full-text search of the store: words, "phrases", prefix*, AND/OR/NOT, -exclude."""
    settings = load_settings({"db": db})
    try:
        with open_article_store(settings.db) as store:  # a SQLite file or a postgresql:// URL
            page = store.search(" ".join(query), fts.SearchFilters(**filters),
                                sort="date" if sort == "date" else "relevance", limit=limit)
    except WartaError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        payload = {"total": page.total, "total_capped": page.total_capped,
                   "results": [h.to_dict() for h in page.hits]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    click.echo(f"{page.total}{'+' if page.total_capped else ''} articles")
    for hit in page.hits:
        click.echo(f"{hit.id:>7}  {hit.published or '':<25.25} {hit.site or '':<20.20} {hit.title or ''}")


@click.command()
@click.option("--db", default=None, help="SQLite store.")
def reindex(db: str | None) -> None:
    """Rebuild the full-text index from the stored articles."""
    settings = load_settings({"db": db})
    try:
        with Store(settings.db) as store:
            count = fts.rebuild_index(store.conn)
    except WartaError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"indexed {count} articles")


def register(group: click.Group) -> None:
    """Add this module's commands to ``group``."""
    group.add_command(serve)
    group.add_command(search_command)
    group.add_command(reindex)
