"""The polite async HTTP client: one connection and a minimum delay per host, robots.txt,
Retry-After and backoff, a global concurrency limit, timeouts, body caps and a redirect limit.

Defences against hostile servers: redirects are followed here, hop by hop, each hop checked
against the caller's scope (``in_scope``) and robots.txt; every connection goes through
:class:`~warta.fetch.guard.GuardedBackend` (no private, loopback, link-local or metadata
addresses unless ``allow_private``); a wall-clock ``deadline`` bounds each request, headers and
body together (a server dripping one byte a second cannot hold a fetch, or its host, for days).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from warta.config import Settings
from warta.errors import (
    BlockedError,
    BodyTooLarge,
    DeadlineExceeded,
    FetchError,
    RedirectOutOfScope,
    RobotsDisallowed,
    TooManyRedirects,
)
from warta.fetch.body import read_capped, read_prefix
from warta.fetch.gate import MAX_POLL, HostGate, Lease, MemoryGate
from warta.fetch.guard import GuardedBackend
from warta.fetch.robots import RobotsRules
from warta.model import Capture

REDIRECTS = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 section 2.5: parse at least the first 500 KiB
# A host lease outlives the request's deadline by this much (a lease that expires frees the host
# of a worker that died; a live request never outlasts its deadline)
LEASE_MARGIN = 15.0


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
    deadline: float = 120.0  # wall-clock seconds per request, headers and body (not retried)
    allow_private: bool = False  # connect to loopback / private / link-local addresses too
    proxy: str | None = None  # every request goes through this HTTP proxy (URL); none: direct

    @classmethod
    def from_settings(cls, s: Settings) -> FetchPolicy:
        return cls(
            s.user_agent,
            s.delay,
            s.concurrency,
            s.timeout,
            s.max_bytes,
            s.max_retries,
            s.robots_ttl,
            deadline=s.deadline,
            allow_private=s.allow_private,
            proxy=s.proxy or None,
        )


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
    truncated: bool = False

    def header(self, name: str) -> str | None:
        low = name.lower()
        return next((v for k, v in self.headers if k.lower() == low), None)


@dataclass
class _Host:
    """Per-host state in this fetcher: one of its requests at a time (the gate decides when), the
    host's robots.txt and its Crawl-delay."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    robots_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    crawl_delay: float = 0.0
    robots: RobotsRules | None = None


@dataclass
class _Turn:
    """One request's hold on its host: ``gap`` is the rest the host gets after it."""

    gap: float


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

    def __init__(self, policy: FetchPolicy, gate: HostGate | None = None) -> None:
        self.policy = policy
        self.gate: HostGate = gate if gate is not None else MemoryGate()
        self._hosts: dict[str, _Host] = {}
        self._sem = asyncio.Semaphore(max(1, policy.concurrency))
        self._client: httpx.AsyncClient | None = None
        self.backend = GuardedBackend(policy.allow_private)
        self.requests = 0  # requests attempted
        self.responses = 0  # HTTP responses received (any status)

    async def __aenter__(self) -> Fetcher:
        p = self.policy
        self._client = guarded_client(p, self.backend)
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
                # the request right after robots.txt keeps the Crawl-delay it just learned (the
                # robots.txt request itself releases its host with it)
                host.robots = await self._load_robots(origin(url) + "/robots.txt")
                host.crawl_delay = host.robots.crawl_delay or 0.0
            return host.robots

    async def allowed(self, url: str) -> bool:
        return (await self.robots(url)).allowed(url)

    async def _load_robots(self, url: str) -> RobotsRules:
        ua, now = self.policy.user_agent, time.monotonic()
        parsed: list[RobotsRules] = []

        def learn(resp: _Response) -> float:  # parsed within the request's turn: its gap keeps the Crawl-delay
            if not 200 <= resp.status < 300:
                return 0.0
            parsed.append(RobotsRules.parse(resp.body.decode("utf-8", "replace"), ua, now, resp.truncated))
            return parsed[-1].crawl_delay or 0.0

        try:
            for _ in range(5):  # RFC 9309: follow at least five redirects
                resp = await self._request_once(url, {}, prefix=ROBOTS_MAX_BYTES, rest=learn)
                location = resp.header("location")
                if resp.status not in REDIRECTS or not location:
                    break
                url = urljoin(url, location)
        except FetchError as exc:
            kind = str(getattr(exc, "kind", None) or "fetch")
            reason = f"robots.txt could not be fetched: {exc.args[0] if exc.args else kind}"
            return RobotsRules("disallow-all", ua, fetched_at=now, reason=reason, failure=kind)
        if 200 <= resp.status < 300:
            return parsed[-1]
        if 400 <= resp.status < 500 and resp.status != 429:
            return RobotsRules("allow-all", ua, fetched_at=now, reason=f"robots.txt answered HTTP {resp.status}")
        reason = f"robots.txt answered HTTP {resp.status}"
        return RobotsRules("disallow-all", ua, fetched_at=now, reason=reason)

    async def _check_robots(self, url: str) -> None:
        rules = await self.robots(url)
        if rules.allowed(url):
            return
        if rules.failure is not None:  # the cause is the host, not a robots rule
            raise FetchError(f"{rules.reason} (RFC 9309: nothing is fetched)", url=url, kind=rules.failure)
        why = "robots.txt disallows this URL"
        raise RobotsDisallowed(f"{why}: {rules.reason}" if rules.mode == "disallow-all" else why, url=url)

    # -- fetching -----------------------------------------------------------------------------
    async def fetch(
        self, url: str, validators: Validators | None = None, in_scope: Callable[[str], bool] | None = None
    ) -> Capture:
        """Fetch ``url`` politely. Returns a Capture for 2xx and 304; raises FetchError otherwise.

        Redirects are followed hop by hop; a hop for which ``in_scope`` is false raises
        :class:`RedirectOutOfScope` without any request to it (not even its robots.txt)."""
        seen: set[str] = set()
        current = url
        headers = validators.headers() if validators else {}
        for _ in range(self.policy.max_redirects + 1):
            await self._check_robots(current)
            seen.add(current)
            resp = await self._request_retrying(current, headers)
            location = resp.header("location")
            if resp.status in REDIRECTS and location:
                current = urljoin(current, location)
                if current in seen:
                    raise TooManyRedirects("redirect loop", url=url, status=resp.status)
                if urlsplit(current).scheme not in ("http", "https"):
                    raise RedirectOutOfScope(f"redirect to a non-HTTP URL {current[:200]}", url=url)
                if in_scope is not None and not in_scope(current):
                    raise RedirectOutOfScope(f"redirect leaves the crawl's sites: {current[:200]}", url=url)
                continue
            return Capture(url, current, resp.status, resp.headers, resp.body, _now_iso())
        raise TooManyRedirects(f"more than {self.policy.max_redirects} redirects", url=url)

    async def _request_retrying(self, url: str, headers: dict[str, str]) -> _Response:
        p = self.policy
        for attempt in range(p.max_retries + 1):
            last = attempt == p.max_retries
            try:
                resp = await self._request_once(url, headers, rest=self._retry_rest(attempt, last))
            except FetchError as exc:
                # a server that times out or drops connections is struggling: one more try only
                # (a missed deadline is not retried: a dripping server would only hold us again)
                retry = getattr(exc, "kind", "") in ("timeout", "network") and not isinstance(exc, DeadlineExceeded)
                if last or attempt >= 1 or not retry:
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
            # the wait before the retry is the rest the host got after this answer (see _retry_rest)
            if last or self._retry_wait(resp, attempt) > p.max_retry_after:
                break
        if resp.status == 429:
            raise BlockedError("persistent 429 Too Many Requests", url=url, status=429)
        raise FetchError(f"HTTP {resp.status}", url=url, status=resp.status, kind=f"http-{resp.status}")

    def _retry_wait(self, resp: _Response, attempt: int) -> float:
        """Seconds before retrying a 429 or 5xx answer: its Retry-After, else exponential backoff."""
        wait = retry_after(resp.header("retry-after"))
        return self.policy.backoff * 2**attempt if wait is None else wait

    def _retry_rest(self, attempt: int, last: bool) -> Callable[[_Response], float]:
        """The rest a host gets after answering 429 or 5xx: the wait before the retry (none after
        the last try, or for a wait so long that the URL is given up)."""

        def rest(resp: _Response) -> float:
            if last or (resp.status != 429 and resp.status < 500):
                return 0.0
            wait = self._retry_wait(resp, attempt)
            return 0.0 if wait > self.policy.max_retry_after else wait

        return rest

    async def _request_once(
        self, url: str, headers: dict[str, str], prefix: int = 0, rest: Callable[[_Response], float] | None = None
    ) -> _Response:
        """One request in its host's turn; ``rest(response)`` may lengthen the host's rest after it."""
        async with self._turn(url) as turn:
            resp = await self._send(url, headers, prefix)
            if rest is not None:
                turn.gap = max(turn.gap, rest(resp))
            return resp

    @asynccontextmanager
    async def _turn(self, url: str) -> AsyncIterator[_Turn]:
        """Hold the host (through the gate) and a slot of the global limit for one request; on
        exit the host rests ``max(delay, Crawl-delay)``, or the longer gap the request set."""
        key, host = origin(url), self._host(url)
        async with host.lock:  # this fetcher's requests to one host queue here, not at the gate
            lease = await self._take(key)
            turn = _Turn(max(self.policy.delay, host.crawl_delay))
            try:
                yield turn
            finally:
                self._sem.release()
                await asyncio.shield(self.gate.release(key, lease, turn.gap))

    async def _take(self, key: str) -> Lease:
        """A lease on the host with a global slot held (waiting for the host holds no slot)."""
        p = self.policy
        hold = (p.deadline if p.deadline > 0 else max(p.timeout, 1.0) * 4) + LEASE_MARGIN
        while True:
            await self._sem.acquire()
            try:
                got = await self.gate.try_acquire(key, hold)
            except BaseException:
                self._sem.release()
                raise
            if isinstance(got, Lease):
                return got
            self._sem.release()
            await asyncio.sleep(min(max(got, 0.001), MAX_POLL))

    async def _send(self, url: str, headers: dict[str, str], prefix: int = 0) -> _Response:
        """One GET within the deadline; ``prefix`` > 0 keeps that many bytes of a longer body."""
        self.requests += 1
        deadline = self.policy.deadline
        try:
            async with asyncio.timeout(deadline if deadline > 0 else None):
                return await self._get(url, headers, prefix)
        except TimeoutError as exc:
            raise DeadlineExceeded(
                f"timed out: no complete response within the {deadline:g}s deadline (not retried)",
                url=url,
                kind="timeout",
            ) from exc

    async def _get(self, url: str, headers: dict[str, str], prefix: int) -> _Response:
        assert self._client is not None, "use Fetcher as an async context manager"
        try:
            async with self._client.stream("GET", url, headers=headers) as resp:
                self.responses += 1
                encoding = resp.headers.get("content-encoding", "")
                if prefix:
                    body, cut = await read_prefix(resp.aiter_raw(), encoding, prefix, url)
                    return _Response(url, resp.status_code, tuple(resp.headers.multi_items()), body, cut)
                length = resp.headers.get("content-length", "")
                if length.isdigit() and int(length) > self.policy.max_bytes:
                    raise BodyTooLarge("declared body too large", url=url, limit=self.policy.max_bytes)
                body = await read_capped(resp.aiter_raw(), encoding, self.policy.max_bytes, url)
                return _Response(url, resp.status_code, tuple(resp.headers.multi_items()), body)
        except httpx.TimeoutException as exc:
            raise FetchError("timed out", url=url, kind="timeout") from exc
        except httpx.ConnectError as exc:
            raise FetchError(f"cannot connect: {_os_reason(exc)}", url=url, kind="network") from exc
        except (httpx.TransportError, httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchError(f"network error: {exc.__class__.__name__}", url=url, kind="network") from exc


async def fetch_one(url: str, policy: FetchPolicy) -> Capture:
    """One polite, guarded fetch (robots.txt, caps, deadline, address checks on every hop)."""
    async with Fetcher(policy) as fetcher:
        return await fetcher.fetch(url)


def _os_reason(exc: BaseException) -> str:
    """The operating system's words for a failed connect ("Connection refused"), found down the
    exception chain (anyio reports only "All connection attempts failed" at the top)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno is not None:
            return os.strerror(seen.errno)
        seen = seen.__cause__ or seen.__context__
    return str(exc) or type(exc).__name__


def guarded_client(policy: FetchPolicy, backend: GuardedBackend | None = None) -> httpx.AsyncClient:
    """An httpx client whose every connection goes through the address guard (no redirects
    followed, no proxies from the environment). With ``policy.proxy`` every request goes through
    that proxy, and the guard checks the address of the proxy connection (the proxy resolves the
    target's name)."""
    transport = httpx.AsyncHTTPTransport(
        proxy=policy.proxy,
        limits=httpx.Limits(
            max_connections=max(1, policy.concurrency), max_keepalive_connections=policy.concurrency
        ),
        trust_env=False,
    )
    # httpx has no public hook for the network backend; its pool keeps the backend here
    transport._pool._network_backend = backend or GuardedBackend(policy.allow_private)  # noqa: SLF001
    return httpx.AsyncClient(
        transport=transport,
        headers={"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(policy.timeout),
        follow_redirects=False,
        trust_env=False,
    )


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
