"""A loopback news site on many hosts, for the distributed crawl's tests and benchmark.

Each host is its own HTTP server on its own loopback address (127.0.0.2, 127.0.0.3, ...), serving
the fixture news site (robots.txt, sitemaps, feed, listings, articles) with articles of its own.
Every request is recorded with its host, path, start and end (``time.monotonic()`` of this
process, taken by the server: a request's end is when its last byte was written), so a test can
check that no two requests to one host overlapped and that the gap between them kept the delay.

    with ManyHostSite(hosts=6, copies=2, crawl_delays=(None, 0.3)) as site:   # every other host: Crawl-delay
        site.urls            # ["http://127.0.0.2:PORT/", ...]
        site.spans           # [Span(host, path, start, end), ...]
        site.in_window       # article URLs published within SINCE..UNTIL
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from warta.demo.newssite import SiteArticle, news_site_pages, sample_articles
from warta.demo.server import NOT_FOUND, Page

SINCE, UNTIL = "2016-02-14", "2016-02-23"


@dataclass(frozen=True)
class Span:
    host: str  # base URL, e.g. http://127.0.0.2:41234
    path: str
    start: float
    end: float


def host_articles(n: int, copies: int) -> list[SiteArticle]:
    """The sample articles, ``copies`` times, each copy with its own path and title on host ``n``."""
    return [
        SiteArticle(f"{a.path}-h{n}c{c}", a.html, a.published, f"{a.title} (host {n}, copy {c})")
        for c in range(copies)
        for a in sample_articles()
    ]


def in_window(article: SiteArticle) -> bool:
    return SINCE <= article.day <= UNTIL


class ManyHostSite:
    """``hosts`` news sites on 127.0.0.2, 127.0.0.3, ... recording every request's span; host ``n``'s
    robots.txt has the Crawl-delay ``crawl_delays[n % len(crawl_delays)]`` (None: no Crawl-delay)."""

    def __init__(
        self, hosts: int = 6, copies: int = 2, crawl_delays: Sequence[float | None] = (None,), slow: float = 0.0
    ) -> None:
        self.spans: list[Span] = []
        self.slow = slow
        self._lock = threading.Lock()
        self._servers: list[ThreadingHTTPServer] = []
        self.urls: list[str] = []
        self.in_window: set[str] = set()
        self._delays: dict[str, float | None] = {}
        for n in range(hosts):
            server = ThreadingHTTPServer((f"127.0.0.{n + 2}", 0), self._handler({}))
            server.daemon_threads = True
            base = f"http://127.0.0.{n + 2}:{server.server_address[1]}"
            arts = host_articles(n, copies)
            pages = news_site_pages(base, arts, per_page=4)
            crawl_delay = crawl_delays[n % len(crawl_delays)]
            self._delays[base + "/"] = crawl_delay
            if crawl_delay is not None:
                robots = pages["/robots.txt"]
                pages["/robots.txt"] = Page(robots.body.replace(b"Disallow:", f"Crawl-delay: {crawl_delay}\nDisallow:"
                                                                  .encode(), 1), headers=robots.headers)
            server.RequestHandlerClass = self._handler(pages)
            self._servers.append(server)
            self.urls.append(base + "/")
            self.in_window |= {base + a.path for a in arts if in_window(a)}

    def _handler(self, pages: dict[str, Page]) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_GET(self) -> None:  # noqa: N802 (http.server naming)
                start = time.monotonic()
                page = pages.get(self.path) or pages.get(self.path.split("?")[0], NOT_FOUND)
                if site.slow:
                    time.sleep(site.slow)
                self.send_response(page.status)
                for name, value in page.headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                try:
                    self.wfile.write(page.body)
                    self.wfile.flush()
                except OSError:
                    pass
                end = time.monotonic()  # before waiting for the lock: a late stamp would shorten the gap seen
                host, port = self.server.server_address[:2]
                with site._lock:
                    site.spans.append(Span(f"http://{host!s}:{port}", self.path, start, end))

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return

        return Handler

    def crawl_delay(self, url: str) -> float | None:
        """The Crawl-delay of the host at ``url`` (its base URL with the slash)."""
        return self._delays[url]

    def __enter__(self) -> ManyHostSite:
        for server in self._servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def snapshot(self) -> list[Span]:
        with self._lock:
            return list(self.spans)


@dataclass(frozen=True)
class Politeness:
    requests: int
    max_in_flight: int  # the most requests in flight at once to one host
    min_gap: float  # the shortest time between one request's end and the next's start, one host


def politeness(spans: list[Span]) -> Politeness:
    """Per host: how many requests overlapped at most, and the shortest rest between two."""
    worst, gap = 0, float("inf")
    for host in {s.host for s in spans}:
        mine = sorted((s for s in spans if s.host == host), key=lambda s: s.start)
        events = sorted([(s.start, 1) for s in mine] + [(s.end, -1) for s in mine], key=lambda e: (e[0], e[1]))
        now = 0
        for _, step in events:
            now += step
            worst = max(worst, now)
        gap = min([gap] + [b.start - a.end for a, b in zip(mine, mine[1:], strict=False)])
    return Politeness(len(spans), worst, gap)
