"""The web application: JSON API under ``/api/``, HTML pages, static files, security headers.

``create_app(settings)`` builds one FastAPI app over the store at ``settings.db`` (a SQLite file
or a ``postgresql://`` URL). Every read goes through the :class:`warta.store.protocols.SearchIndex`
protocol on a store that cannot write: a pooled query-only SQLite store per request (its page cache
stays warm), or one read-only PostgreSQL store whose connection pool serves every request. The few
write endpoints open a normal store and require ``Settings.api_token``.
"""

from __future__ import annotations

import queue
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from warta import __version__
from warta.config import Settings
from warta.errors import ConfigError, WartaError
from warta.store.backends import is_postgres_url, open_article_store, open_reader
from warta.store.fts_query import QueryError
from warta.store.protocols import SearchIndex
from warta.store.sqlite_backend import open_query_only
from warta.web.hosts import HostPolicy, host_policy

WEB_DIR = Path(__file__).parent
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: http:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'; object-src 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


READ_POOL_SIZE = 8
open_readonly = open_query_only  # the name benchmarks used before the store layer owned it


class ReadPool:
    """Stores that cannot write, reused across requests.

    SQLite: up to ``size`` query-only stores, each serving one request at a time (autocommit, so
    every statement sees the latest committed data). PostgreSQL: one read-only store shared by all
    requests (it is thread-safe; its own pool holds the connections).
    """

    def __init__(self, db: str | Path, size: int = READ_POOL_SIZE) -> None:
        self.db = db
        self.shared: SearchIndex | None = open_reader(db, connections=size) if is_postgres_url(db) else None
        self.idle: queue.LifoQueue[SearchIndex] = queue.LifoQueue(maxsize=size)

    @contextmanager
    def store(self) -> Iterator[SearchIndex]:
        if self.shared is not None:
            yield self.shared
            return
        try:
            store = self.idle.get_nowait()
        except queue.Empty:
            store = open_reader(self.db)
        try:
            yield store
        finally:
            try:
                self.idle.put_nowait(store)
            except queue.Full:
                store.close()

    def close(self) -> None:
        if self.shared is not None:
            self.shared.close()
        while True:
            try:
                self.idle.get_nowait().close()
            except queue.Empty:
                return


async def reader(request: Request) -> AsyncIterator[SearchIndex]:
    """FastAPI dependency: a pooled store that cannot write, for the request (async: no thread hop)."""
    pool: ReadPool = request.app.state.pool
    with pool.store() as store:
        yield store


@contextmanager
def writer(request: Request) -> Iterator[SearchIndex]:
    """A store that writes, for one write request (they are rare: opened and closed each time)."""
    with open_article_store(request.app.state.settings.db, create=False) as store:
        yield store


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the store at ``settings.db`` is created (with its schema) if missing."""
    settings = settings or Settings()
    # applies every schema or migration, the full-text index included (a read-only file: as it is)
    with open_article_store(settings.db, create=is_postgres_url(settings.db) or not Path(settings.db).exists()):
        pass
    app = FastAPI(
        title="warta",
        version=__version__,
        description="Search and read a warta news collection.",
        docs_url=None,  # Swagger UI loads scripts from a CDN: the CSP forbids that; /openapi.json stays
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.pool = ReadPool(settings.db)
    app.state.hosts = host_policy(settings.host, settings.allowed_hosts)
    _install_middleware(app, app.state.hosts)
    _install_error_handlers(app)
    from warta.web import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    return app


def _install_middleware(app: FastAPI, hosts: HostPolicy) -> None:
    # the last added runs first: headers go on every answer, the Host check's 400 included
    app.add_middleware(HostCheck, policy=hosts)
    app.add_middleware(SecurityHeaders)


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` (and ``Cache-Control: no-store`` under ``/api/``) to every answer.

    Plain ASGI, so that streamed exports and error answers pass through it unchanged; answers to
    unhandled exceptions are built by :func:`internal_error`, which sets the same headers.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = str(scope.get("path", "")).startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                add_security_headers(MutableHeaders(scope=message), api=api)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def add_security_headers(headers: MutableHeaders, *, api: bool) -> None:
    for name, value in SECURITY_HEADERS.items():
        headers.setdefault(name, value)
    if api:
        headers.setdefault("Cache-Control", "no-store")


class HostCheck:
    """Answers 400 to a request whose ``Host`` header is not one of the server's names (DNS rebinding)."""

    def __init__(self, app: ASGIApp, policy: HostPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in {"http", "websocket"}:
            host = Headers(scope=scope).get("host")
            if not self.policy.allows(host):
                shown = host if host is None or len(host) <= 100 else host[:100] + "..."
                message = (f"host not allowed: {shown!r} is not a name of this server"
                           f" (allowed: {self.policy.describe()}; add names with --allowed-host)")
                await JSONResponse({"detail": message}, status_code=400)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(QueryError)
    @app.exception_handler(ConfigError)
    async def bad_request(request: Request, exc: Exception) -> Response:
        return _error(request, 400, str(exc.args[0]) if exc.args else "bad request")

    @app.exception_handler(WartaError)
    async def server_error(request: Request, exc: Exception) -> Response:
        return _error(request, 500, str(exc.args[0]) if exc.args else "internal error")

    @app.exception_handler(OverflowError)
    async def out_of_range(request: Request, exc: Exception) -> Response:
        # a number that a path or parameter without its own bound passed on to the store (64-bit)
        return _error(request, 400, "a number in the request is out of range (at most 9223372036854775807)")

    @app.exception_handler(RequestValidationError)
    async def invalid_parameter(request: Request, exc: Exception) -> Response:
        if _wants_json(request):
            return await request_validation_exception_handler(request, exc)  # type: ignore[arg-type]
        errors = exc.errors() if isinstance(exc, RequestValidationError) else []
        reasons = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg', '')}" for e in errors)
        return _error(request, 422, f"Invalid request: {reasons or 'bad parameter'}.")

    # Exception (status 500) handlers run in the outermost middleware, outside SecurityHeaders
    app.add_exception_handler(Exception, internal_error)


async def internal_error(request: Request, exc: Exception) -> Response:
    """The answer to an unhandled exception: a plain 500 with the security headers."""
    try:
        response = _error(request, 500, "internal error")
    except Exception:  # the error page itself failed: answer in plain text
        response = PlainTextResponse("internal error", status_code=500)
    add_security_headers(response.headers, api=request.url.path.startswith("/api/"))
    # the server drops the connection after an unhandled exception: say so, or a keep-alive client
    # would send its next request into a closed socket
    response.headers["Connection"] = "close"
    return response


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _error(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    from warta.web.pages import render_error

    return render_error(request, status, message)
