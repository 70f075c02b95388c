"""The polite async HTTP client: one connection and a minimum delay per host, robots.txt,
Retry-After and backoff, a global concurrency limit, timeouts, body caps and a redirect limit."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from warta.config import Settings
from warta.errors import BlockedError, BodyTooLarge, FetchError, RobotsDisallowed, TooManyRedirects
from warta.fetch.body import read_capped
from warta.fetch.robots import RobotsRules
from warta.model import Capture

REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class FetchPolicy:
    """How politely and how defensively to fetch."""

    user_agent: str
    delay: float = 1.0  # minimum seconds between the end of one request and the next, per host
    concurrency: int = 16  # requests in flight across all hosts
    timeout: float = 30.0
    max_bytes: int = 10_000_000  # before and after decompression
    max_retries: int = 3
    robots_ttl: float = 3600.0
    max_redirects: int = 10
    backoff: float = 1.0  # first retry wait when the server gives no Retry-After
    max_retry_after: float = 300.0  # a longer Retry-After gives up on the URL
    proxy: str | None = None  # every request goes through this HTTP proxy (URL); none: direct

    @classmethod
    def from_settings(cls, s: Settings) -> FetchPolicy:
        return cls(s.user_agent, s.delay, s.concurrency, s.timeout, s.max_bytes, s.max_retries, s.robots_ttl,
                   proxy=s.proxy or None)


@dataclass(frozen=True)
class Validators:
    """Conditional-request validators remembered from a previous response."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


@dataclass
class _Response:
    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        low = name.lower()
        return next((v for k, v in self.headers if k.lower() == low), None)


@dataclass
class _Host:
    """Per-host politeness state: one request at a time, and when the next may start."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    robots_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_at: float = 0.0
    crawl_delay: float = 0.0
    robots: RobotsRules | None = None


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class Fetcher:
    """Async polite fetcher; use ``async with Fetcher(policy) as f: await f.fetch(url)``."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy
        self._hosts: dict[str, _Host] = {}
        self._sem = asyncio.Semaphore(max(1, policy.concurrency))
        self._client: httpx.AsyncClient | None = None
        self.requests = 0

    async def __aenter__(self) -> Fetcher:
        p = self.policy
        self._client = httpx.AsyncClient(
            headers={"User-Agent": p.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(p.timeout),
            limits=httpx.Limits(
                max_connections=max(1, p.concurrency), max_keepalive_connections=p.concurrency
            ),
            follow_redirects=False,
            trust_env=False,
            proxy=p.proxy,
        )
        return self

    async def __aexit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._client is not None:
            await self._client.aclose()

    def _host(self, url: str) -> _Host:
        return self._hosts.setdefault(origin(url), _Host())

    # -- robots.txt ---------------------------------------------------------------------------
    async def robots(self, url: str) -> RobotsRules:
        host = self._host(url)
        async with host.robots_lock:
            if host.robots is None or time.monotonic() - host.robots.fetched_at > self.policy.robots_ttl:
                host.robots = await self._load_robots(origin(url) + "/robots.txt")
                host.crawl_delay = host.robots.crawl_delay or 0.0
            return host.robots

    async def allowed(self, url: str) -> bool:
        return (await self.robots(url)).allowed(url)

    async def _load_robots(self, url: str) -> RobotsRules:
        ua, now = self.policy.user_agent, time.monotonic()
        try:
            for _ in range(5):  # RFC 9309: follow at least five redirects
                resp = await self._request_once(url, {})
                location = resp.header("location")
                if resp.status not in REDIRECTS or not location:
                    break
                url = urljoin(url, location)
        except FetchError:
            return RobotsRules("disallow-all", ua, fetched_at=now)
        if 200 <= resp.status < 300:
            return RobotsRules.parse(resp.body.decode("utf-8", "replace"), ua, now)
        if 400 <= resp.status < 500 and resp.status != 429:
            return RobotsRules("allow-all", ua, fetched_at=now)
        return RobotsRules("disallow-all", ua, fetched_at=now)

    # -- fetching -----------------------------------------------------------------------------
    async def fetch(self, url: str, validators: Validators | None = None) -> Capture:
        """Fetch ``url`` politely. Returns a Capture for 2xx and 304; raises FetchError otherwise."""
        seen: set[str] = set()
        current = url
        headers = validators.headers() if validators else {}
        for _ in range(self.policy.max_redirects + 1):
            if not await self.allowed(current):
                raise RobotsDisallowed("robots.txt disallows this URL", url=current)
            seen.add(current)
            resp = await self._request_retrying(current, headers)
            location = resp.header("location")
            if resp.status in REDIRECTS and location:
                current = urljoin(current, location)
                if current in seen:
                    raise TooManyRedirects("redirect loop", url=url, status=resp.status)
                continue
            return Capture(url, current, resp.status, resp.headers, resp.body, _now_iso())
        raise TooManyRedirects(f"more than {self.policy.max_redirects} redirects", url=url)

    async def _request_retrying(self, url: str, headers: dict[str, str]) -> _Response:
        p = self.policy
        for attempt in range(p.max_retries + 1):
            last = attempt == p.max_retries
            try:
                resp = await self._request_once(url, headers)
            except FetchError as exc:
                # a server that times out or drops connections is struggling: one more try only
                if last or attempt >= 1 or getattr(exc, "kind", "") not in ("timeout", "network"):
                    raise
                await asyncio.sleep(p.backoff * 2**attempt)
                continue
            if resp.status == 403:
                raise BlockedError("forbidden (403)", url=url, status=403)
            if resp.status != 429 and resp.status < 500:
                if resp.status >= 400:
                    raise FetchError(
                        f"HTTP {resp.status}", url=url, status=resp.status, kind=f"http-{resp.status}"
                    )
                return resp
            wait = retry_after(resp.header("retry-after"))
            wait = p.backoff * 2**attempt if wait is None else wait
            if last or wait > p.max_retry_after:
                break
            host = self._host(url)
            host.next_at = max(host.next_at, time.monotonic() + wait)
        if resp.status == 429:
            raise BlockedError("persistent 429 Too Many Requests", url=url, status=429)
        raise FetchError(f"HTTP {resp.status}", url=url, status=resp.status, kind=f"http-{resp.status}")

    async def _request_once(self, url: str, headers: dict[str, str]) -> _Response:
        host = self._host(url)
        async with host.lock:
            pause = host.next_at - time.monotonic()
            if pause > 0:
                await asyncio.sleep(pause)
            try:
                async with self._sem:
                    return await self._send(url, headers)
            finally:
                delay = max(self.policy.delay, host.crawl_delay)
                host.next_at = max(host.next_at, time.monotonic() + delay)

    async def _send(self, url: str, headers: dict[str, str]) -> _Response:
        assert self._client is not None, "use Fetcher as an async context manager"
        self.requests += 1
        try:
            async with self._client.stream("GET", url, headers=headers) as resp:
                length = resp.headers.get("content-length", "")
                if length.isdigit() and int(length) > self.policy.max_bytes:
                    raise BodyTooLarge("declared body too large", url=url, limit=self.policy.max_bytes)
                encoding = resp.headers.get("content-encoding", "")
                body = await read_capped(resp.aiter_raw(), encoding, self.policy.max_bytes, url)
                return _Response(url, resp.status_code, tuple(resp.headers.multi_items()), body)
        except httpx.TimeoutException as exc:
            raise FetchError("timed out", url=url, kind="timeout") from exc
        except (httpx.TransportError, httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchError(f"network error: {exc.__class__.__name__}", url=url, kind="network") from exc


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
