"""A real HTTP server on 127.0.0.1 serving a fixed set of pages, with faults on purpose.

Used by the test suite and by ``warta demo``::

    with FixtureSite({"/": Page(b"<html>...")}) as site:
        site.url            # "http://127.0.0.1:PORT"
        site.mount(more_pages)
        site.log            # [Hit(t, path, headers, status), ...] in arrival order

A path maps to a :class:`Page` or to a sequence of pages served in turn (the last one repeats),
which is how faults are written: ``[Page(b"", 429, (("Retry-After", "2"),)), article]``.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Page:
    body: bytes
    status: int = 200
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)
    delay: float = 0.0  # seconds to wait before answering (slow responses)
    etag: str | None = None  # answer If-None-Match with 304
    drip: float = 0.0  # send the whole response, headers included, one byte every ``drip`` seconds


@dataclass(frozen=True)
class Hit:
    t: float  # time.monotonic() at arrival
    path: str  # path with query
    headers: tuple[tuple[str, str], ...]
    status: int

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


NOT_FOUND = Page(b"not found", 404, (("Content-Type", "text/plain"),))


class FixtureSite:
    """Serve ``pages`` on 127.0.0.1 in a background thread."""

    def __init__(self, pages: Mapping[str, Page | Sequence[Page]] | None = None, port: int = 0) -> None:
        self._pages: dict[str, Page | Sequence[Page]] = dict(pages or {})
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        self.log: list[Hit] = []
        self._server = _Server(("127.0.0.1", port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def mount(self, pages: Mapping[str, Page | Sequence[Page]]) -> None:
        with self._lock:
            self._pages.update(pages)

    def start(self) -> FixtureSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FixtureSite:
        return self.start()

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- used by the handler ------------------------------------------------------------------
    def respond(self, path: str, headers: tuple[tuple[str, str], ...]) -> Page:
        """The page for ``path``: a path with query, or, when the site is used as an HTTP proxy,
        an absolute URL (pages may be keyed by full URL, ``http://host/path``, to serve several hosts)."""
        t = time.monotonic()
        with self._lock:
            entry = self._pages.get(path) or self._pages.get(urlsplit(path)._replace(query="").geturl())
            if entry is None:
                page = NOT_FOUND
            elif isinstance(entry, Page):
                page = entry
            else:
                n = self._served.get(path, 0)
                self._served[path] = n + 1
                page = entry[min(n, len(entry) - 1)]
            inm = next((v for k, v in headers if k.lower() == "if-none-match"), None)
            if page.etag and inm == page.etag:
                page = Page(b"", 304, (("ETag", page.etag),))
            self.log.append(Hit(t, path, headers, page.status))
        return page

    def hits(self, path_prefix: str = "") -> list[Hit]:
        with self._lock:
            return [h for h in self.log if h.path.startswith(path_prefix)]


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up early (a crawler cutting a body at its cap) is not an error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def _handler_for(site: FixtureSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # headers and body go out in separate writes: without TCP_NODELAY every keep-alive response
        # waits ~40 ms for the client's delayed ACK, and the site, not the crawler, sets the pace
        disable_nagle_algorithm = True

        def do_GET(self) -> None:  # noqa: N802 (http.server naming)
            page = site.respond(self.path, tuple(self.headers.items()))
            if page.delay:
                time.sleep(page.delay)
            if page.drip:
                self._drip(page)
                return
            self.send_response(page.status)
            for name, value in page.headers:
                self.send_header(name, value)
            if page.etag and page.status == 200:
                self.send_header("ETag", page.etag)
            self.send_header("Content-Length", str(len(page.body)))
            self.end_headers()
            try:
                self.wfile.write(page.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _drip(self, page: Page) -> None:
            """A hostile server: every read gets a byte, so only a total deadline stops it."""
            head = f"HTTP/1.1 {page.status} OK\r\nContent-Length: {len(page.body)}\r\n"
            head += "".join(f"{k}: {v}\r\n" for k, v in page.headers) + "\r\n"
            self.close_connection = True
            try:
                for i, byte in enumerate(head.encode("latin-1") + page.body):
                    if i:
                        time.sleep(page.drip)
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
            except OSError:
                pass

        def do_CONNECT(self) -> None:  # noqa: N802 (a proxy client asking for an https tunnel)
            site.respond(self.path, tuple(self.headers.items()))
            self.send_response(405, "no https tunnels: the fixture serves recorded http pages only")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    return Handler


@contextmanager
def ipv6_recorder() -> Iterator[tuple[str, list[str]]]:
    """A server on [::1] that answers ``ok`` and records every path it is asked for: yields its base
    URL and the list of paths (what SSRF tests and the reliability benchmark check stays empty)."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    class Server(ThreadingHTTPServer):
        address_family = socket.AF_INET6

    server = Server(("::1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://[::1]:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
