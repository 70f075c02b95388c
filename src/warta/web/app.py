"""The web application: JSON API under ``/api/``, HTML pages, static files, security headers.

``create_app(settings)`` builds one FastAPI app over the store at ``settings.db``. Reads use a
fresh read-only (``PRAGMA query_only``) SQLite connection per request; the few write endpoints
open a normal :class:`warta.store.sqlite.Store` and require ``Settings.api_token``.
"""

from __future__ import annotations

import queue
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from warta import __version__
from warta.config import Settings
from warta.errors import ConfigError, StoreError, WartaError
from warta.store.fts_query import QueryError
from warta.store.sqlite import Store, connect_readonly

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
CACHE_KIB = 65536  # page cache per read connection: keeps the FTS doclists and docsizes hot
MMAP_BYTES = 1 << 28


def open_readonly(path: str | Path) -> sqlite3.Connection:
    """A connection that cannot write (``PRAGMA query_only``), usable from one thread at a time."""
    try:
        conn = sqlite3.connect(path, check_same_thread=False, timeout=10)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error:  # a store SQLite cannot write beside (read-only folder or mount)
            conn.close()
            conn = connect_readonly(Path(path))
        conn.row_factory = sqlite3.Row
        for pragma in ("query_only=ON", "busy_timeout=10000", f"cache_size=-{CACHE_KIB}", f"mmap_size={MMAP_BYTES}"):
            conn.execute(f"PRAGMA {pragma}")
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open store: {exc}", path=str(path)) from exc
    return conn


class ReadPool:
    """Read-only connections reused across requests, so their page caches stay warm.

    Each connection serves one request at a time; connections are in autocommit mode, so every
    statement sees the latest committed data.
    """

    def __init__(self, path: str | Path, size: int = READ_POOL_SIZE) -> None:
        self.path = path
        self.idle: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue(maxsize=size)

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = self.idle.get_nowait()
        except queue.Empty:
            conn = open_readonly(self.path)
        try:
            yield conn
        finally:
            if conn.in_transaction:
                conn.rollback()
            try:
                self.idle.put_nowait(conn)
            except queue.Full:
                conn.close()

    def close(self) -> None:
        while True:
            try:
                self.idle.get_nowait().close()
            except queue.Empty:
                return


async def connection(request: Request) -> AsyncIterator[sqlite3.Connection]:
    """FastAPI dependency: a pooled read-only connection for the request (async: no thread hop)."""
    pool: ReadPool = request.app.state.pool
    with pool.connection() as conn:
        yield conn


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the store at ``settings.db`` is created (with its schema) if missing."""
    settings = settings or Settings()
    # applies every module schema, including the FTS index and triggers (read-only: as it is)
    with Store.open_existing(settings.db) if Path(settings.db).exists() else Store(settings.db):
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
    _install_middleware(app)
    _install_error_handlers(app)
    from warta.web import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    return app


def _install_middleware(app: FastAPI) -> None:
    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.url.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(QueryError)
    @app.exception_handler(ConfigError)
    async def bad_request(request: Request, exc: Exception) -> Response:
        return _error(request, 400, str(exc.args[0]) if exc.args else "bad request")

    @app.exception_handler(WartaError)
    async def server_error(request: Request, exc: Exception) -> Response:
        return _error(request, 500, str(exc.args[0]) if exc.args else "internal error")


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
        return JSONResponse({"detail": message}, status_code=status)
    from warta.web.pages import render_error

    return render_error(request, status, message)
