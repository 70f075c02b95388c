"""The polite fetcher against real HTTP servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import time

import pytest

from sitefixture import (
    FixtureSite,
    Page,
    gzip_bomb,
    min_gap,
    oversize,
    redirect,
    server_error,
    slow,
    too_many_requests,
)
from warta.errors import BlockedError, BodyTooLarge, FetchError, RobotsDisallowed, TooManyRedirects
from warta.fetch import Fetcher, FetchPolicy, Validators

UA = "warta-test/1.0 (+https://example.invalid/bot)"
ROBOTS = Page(b"User-agent: *\nDisallow: /private/\n", headers=(("Content-Type", "text/plain"),))
OK = Page(b"<html><body><p>hello</p></body></html>")


def policy(**kw: object) -> FetchPolicy:
    base: dict[str, object] = {
        "user_agent": UA,
        "delay": 0.0,
        "timeout": 5.0,
        "backoff": 0.05,
        "max_bytes": 1_000_000,
        "allow_private": True,  # the fixture servers are on 127.0.0.1
    }
    base.update(kw)
    return FetchPolicy(**base)  # type: ignore[arg-type]


def fetch(site: FixtureSite, path: str, pol: FetchPolicy, validators: Validators | None = None):  # type: ignore[no-untyped-def]
    async def go():  # type: ignore[no-untyped-def]
        async with Fetcher(pol) as f:
            return await f.fetch(site.url + path, validators)

    return asyncio.run(go())


def test_fetch_sends_user_agent_and_returns_bytes() -> None:
    with FixtureSite({"/robots.txt": ROBOTS, "/a": OK}) as site:
        cap = fetch(site, "/a", policy())
        assert cap.status == 200 and cap.body == OK.body
        assert site.hits("/a")[0].header("User-Agent") == UA
        assert [h.path for h in site.log] == ["/robots.txt", "/a"]


def test_robots_disallow_means_no_request() -> None:
    with FixtureSite({"/robots.txt": ROBOTS, "/private/x": OK}) as site:
        with pytest.raises(RobotsDisallowed):
            fetch(site, "/private/x", policy())
        assert site.hits("/private/") == []


def test_robots_404_allows_everything() -> None:
    with FixtureSite({"/private/x": OK}) as site:
        assert fetch(site, "/private/x", policy()).status == 200


def test_robots_503_disallows_everything() -> None:
    with FixtureSite({"/robots.txt": server_error(503), "/a": OK}) as site:
        with pytest.raises(RobotsDisallowed):
            fetch(site, "/a", policy())
        assert site.hits("/a") == []


def test_per_host_delay_between_every_pair_of_requests() -> None:
    pages = {"/robots.txt": ROBOTS, **{f"/p{i}": OK for i in range(5)}}

    async def go(site: FixtureSite) -> None:
        async with Fetcher(policy(delay=0.3, concurrency=8)) as f:
            await asyncio.gather(*(f.fetch(f"{site.url}/p{i}") for i in range(5)))

    with FixtureSite(pages) as site:
        asyncio.run(go(site))
        assert len(site.log) == 6
        assert min_gap(site.log) >= 0.3


def test_crawl_delay_from_robots_is_honoured() -> None:
    robots = Page(b"User-agent: *\nCrawl-delay: 0.4\nDisallow:\n", headers=(("Content-Type", "text/plain"),))

    async def go(site: FixtureSite) -> None:
        async with Fetcher(policy(delay=0.0)) as f:
            for i in range(3):
                await f.fetch(f"{site.url}/p{i}")

    with FixtureSite({"/robots.txt": robots, **{f"/p{i}": OK for i in range(3)}}) as site:
        asyncio.run(go(site))
        assert min_gap(site.hits("/p")) >= 0.4


def test_retry_after_is_honoured() -> None:
    with FixtureSite({"/robots.txt": ROBOTS, "/a": [too_many_requests("1"), OK]}) as site:
        cap = fetch(site, "/a", policy())
        assert cap.status == 200
        first, second = site.hits("/a")
        assert second.t - first.t >= 1.0


def test_persistent_429_is_blocked() -> None:
    with FixtureSite({"/robots.txt": ROBOTS, "/a": too_many_requests("0")}) as site:
        with pytest.raises(BlockedError):
            fetch(site, "/a", policy(max_retries=2))
        assert len(site.hits("/a")) == 3


def test_500_backs_off_then_succeeds() -> None:
    with FixtureSite({"/robots.txt": ROBOTS, "/a": [server_error(), server_error(502), OK]}) as site:
        assert fetch(site, "/a", policy(backoff=0.1)).status == 200
        t = [h.t for h in site.hits("/a")]
        assert t[1] - t[0] >= 0.1 and t[2] - t[1] >= 0.2  # exponential


def test_403_is_blocked_and_404_is_an_error() -> None:
    with FixtureSite({"/robots.txt": ROBOTS, "/f": Page(b"no", 403)}) as site:
        with pytest.raises(BlockedError):
            fetch(site, "/f", policy())
        with pytest.raises(FetchError) as info:
            fetch(site, "/missing", policy())
        assert getattr(info.value, "status", None) == 404


def test_redirects_followed_and_loops_stopped() -> None:
    pages = {
        "/robots.txt": ROBOTS,
        "/old": redirect("/new", 301),
        "/new": OK,
        "/a": redirect("/b"),
        "/b": redirect("/a"),
    }
    with FixtureSite(pages) as site:
        cap = fetch(site, "/old", policy())
        assert cap.final_url == site.url + "/new" and cap.body == OK.body
        with pytest.raises(TooManyRedirects):
            fetch(site, "/a", policy())


def test_redirect_into_disallowed_path_is_not_followed() -> None:
    with FixtureSite({"/robots.txt": ROBOTS, "/go": redirect("/private/x"), "/private/x": OK}) as site:
        with pytest.raises(RobotsDisallowed):
            fetch(site, "/go", policy())
        assert site.hits("/private/") == []


def test_oversize_body_is_refused() -> None:
    with FixtureSite({"/robots.txt": ROBOTS, "/big": oversize(2_000_000)}) as site:
        with pytest.raises(BodyTooLarge):
            fetch(site, "/big", policy(max_bytes=1_000_000))


def test_gzip_bomb_is_refused_quickly() -> None:
    with FixtureSite({"/robots.txt": ROBOTS, "/bomb": gzip_bomb(50_000_000)}) as site:
        started = time.monotonic()
        with pytest.raises(BodyTooLarge):
            fetch(site, "/bomb", policy(max_bytes=1_000_000))
        assert time.monotonic() - started < 5


def test_gzip_body_is_decoded() -> None:
    import gzip

    page = Page(gzip.compress(OK.body), headers=(("Content-Encoding", "gzip"),))
    with FixtureSite({"/robots.txt": ROBOTS, "/z": page}) as site:
        assert fetch(site, "/z", policy()).body == OK.body


def test_slow_response_times_out() -> None:
    with FixtureSite({"/robots.txt": ROBOTS, "/slow": slow(OK, 2.0)}) as site:
        with pytest.raises(FetchError) as info:
            fetch(site, "/slow", policy(timeout=0.3, max_retries=3))
        assert getattr(info.value, "kind", None) == "timeout"
        assert len(site.hits("/slow")) == 2  # a timeout is retried once, not max_retries times


def test_conditional_request_gets_304() -> None:
    feed = Page(b"<rss/>", etag='"v1"')
    with FixtureSite({"/robots.txt": ROBOTS, "/rss": feed}) as site:
        first = fetch(site, "/rss", policy())
        assert first.status == 200 and first.header("etag") == '"v1"'
        again = fetch(site, "/rss", policy(), Validators(etag='"v1"'))
        assert again.status == 304
        assert site.hits("/rss")[1].header("If-None-Match") == '"v1"'


def test_global_concurrency_limit_across_hosts() -> None:
    page = slow(OK, 0.3)

    async def go(a: FixtureSite, b: FixtureSite) -> None:
        async with Fetcher(policy(concurrency=1)) as f:
            await asyncio.gather(*(f.fetch(f"{s.url}/p{i}") for s in (a, b) for i in range(2)))

    with (
        FixtureSite({"/robots.txt": ROBOTS, "/p0": page, "/p1": page}) as a,
        FixtureSite({"/robots.txt": ROBOTS, "/p0": page, "/p1": page}) as b,
    ):
        asyncio.run(go(a, b))
        slow_hits = sorted(h.t for h in [*a.hits("/p"), *b.hits("/p")])
    assert len(slow_hits) == 4
    # one request at a time overall: each slow request starts after the previous one ended
    assert all(later - earlier >= 0.3 for earlier, later in zip(slow_hits, slow_hits[1:], strict=False))


def test_robots_cached_then_expires() -> None:
    async def go(site: FixtureSite) -> None:
        async with Fetcher(policy(robots_ttl=0.5)) as f:
            await f.fetch(site.url + "/a")
            await f.fetch(site.url + "/a")  # cached
            await asyncio.sleep(0.6)
            await f.fetch(site.url + "/a")  # expired: read again

    with FixtureSite({"/robots.txt": ROBOTS, "/a": OK}) as site:
        asyncio.run(go(site))
        assert [h.path for h in site.log] == ["/robots.txt", "/a", "/a", "/robots.txt", "/a"]
