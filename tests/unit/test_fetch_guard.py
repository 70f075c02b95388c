"""Hostile servers against the fetcher (issue 13): SSRF through redirects and DNS, a per-request
deadline, robots.txt over the cap, Crawl-delay on the first request. Real servers on loopback;
nothing leaves the machine (refused addresses are refused before any connection)."""

from __future__ import annotations

import asyncio
import gzip
import ipaddress
import socket
import time
from collections.abc import Callable

import pytest

from sitefixture import FixtureSite, Page, min_gap, redirect
from warta.demo.server import ipv6_recorder
from warta.errors import DeadlineExceeded, FetchError, HostNotFound, RedirectOutOfScope, UnsafeAddress
from warta.fetch import Fetcher, FetchPolicy
from warta.fetch.guard import GuardedBackend, embedded_ipv4, is_public, resolve
from warta.pipeline.runner import outcome_for
from warta.urls import host_of

UA = "warta-test/1.0"
TEXT = (("Content-Type", "text/plain"),)
ROBOTS = Page(b"User-agent: *\nDisallow: /private/\n", headers=TEXT)
OK = Page(b"<html><body><p>hello</p></body></html>")


def policy(**kw: object) -> FetchPolicy:
    base: dict[str, object] = {"user_agent": UA, "delay": 0.0, "timeout": 5.0, "backoff": 0.05}
    base.update(kw)
    return FetchPolicy(**base)  # type: ignore[arg-type]


def run_fetch(url: str, pol: FetchPolicy, in_scope: Callable[[str], bool] | None = None) -> tuple[object, Fetcher]:
    """(Capture or the raised FetchError, the fetcher) for one fetch."""

    async def go() -> tuple[object, Fetcher]:
        async with Fetcher(pol) as f:
            try:
                return await f.fetch(url, in_scope=in_scope), f
            except FetchError as exc:
                return exc, f

    return asyncio.run(go())


def same_host(seed: str) -> Callable[[str], bool]:
    return lambda u: host_of(u) == host_of(seed)


# -- address checks ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.0.0.1", "172.16.3.4", "192.168.1.1", "169.254.169.254", "0.0.0.0",
        "100.64.0.1", "224.0.0.1", "240.0.0.1", "255.255.255.255", "::1", "::", "fe80::1",
        "fc00::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1",  # IPv4-mapped
        "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b::a00:1",  # NAT64 of loopback, metadata, 10/8
        "2002:7f00:1::1", "2002:a9fe:a9fe::", "2002:a00:1::",  # 6to4 of the same
    ],
)  # fmt: skip
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public(address)
    with pytest.raises(UnsafeAddress):
        asyncio.run(resolve(address, 80, allow_private=False))
    assert asyncio.run(resolve(address, 80, allow_private=True)) == [str(ipaddress.ip_address(address))]


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808"])
def test_public_addresses_pass(address: str) -> None:
    assert is_public(address)


def test_embedded_ipv4_forms() -> None:
    v6 = ipaddress.IPv6Address
    assert str(embedded_ipv4(v6("::ffff:127.0.0.1"))) == "127.0.0.1"
    assert str(embedded_ipv4(v6("64:ff9b::a9fe:a9fe"))) == "169.254.169.254"
    assert str(embedded_ipv4(v6("2002:a00:1::"))) == "10.0.0.1"
    assert embedded_ipv4(v6("2001:4860:4860::8888")) is None


def test_names_are_checked_after_resolution_and_dns_failures_say_so() -> None:
    with pytest.raises(UnsafeAddress):
        asyncio.run(resolve("localhost", 80, allow_private=False))
    with pytest.raises(HostNotFound) as err:
        asyncio.run(resolve("nohost.invalid", 80, allow_private=True))
    assert err.value.kind == "dns"


def test_guarded_backend_never_dials_a_refused_address() -> None:
    backend = GuardedBackend(allow_private=False)
    for host in ("169.254.169.254", "10.0.0.1", "::ffff:127.0.0.1", "localhost"):
        with pytest.raises(UnsafeAddress):
            asyncio.run(backend.connect_tcp(host, 80))
    assert not backend.connects


# -- the fetcher ------------------------------------------------------------------------------
def test_loopback_target_refused_unless_allowed() -> None:
    with FixtureSite({"/robots.txt": ROBOTS, "/a": OK}) as site:
        result, f = run_fetch(site.url + "/a", policy())
        assert isinstance(result, FetchError) and result.kind == "private-address"
        assert "127.0.0.1" in str(result)
        assert site.log == [] and not f.backend.connects  # not even robots.txt was asked for
        result, _ = run_fetch(site.url + "/a", policy(allow_private=True))
        assert not isinstance(result, FetchError)


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/x"])
def test_redirect_to_metadata_or_private_address_is_not_attempted(target: str) -> None:
    with FixtureSite({"/robots.txt": ROBOTS, "/go": redirect(target)}) as site:
        started = time.monotonic()
        result, f = run_fetch(site.url + "/go", policy(allow_private=True), same_host(site.url))
        assert isinstance(result, RedirectOutOfScope) and target[:30] in str(result)
        assert time.monotonic() - started < 3  # refused at once, not a connect attempt timing out
        assert {addr for _, addr, _ in f.backend.connects} == {"127.0.0.1"}  # nothing else dialled


def test_redirect_to_ipv6_loopback_or_localhost_is_out_of_scope() -> None:
    with ipv6_recorder() as (v6, v6hits), FixtureSite({"/robots.txt": ROBOTS}) as site:
        port = site.url.rsplit(":", 1)[1]
        site.mount(
            {
                "/v6": redirect(v6 + "/stolen"),
                "/lh": redirect(f"http://localhost:{port}/stolen"),
                "/stolen": OK,
            }
        )
        for path in ("/v6", "/lh"):
            result, _ = run_fetch(site.url + path, policy(allow_private=True), same_host(site.url))
            assert isinstance(result, RedirectOutOfScope), result
        assert v6hits == []  # the [::1] server got no request at all
        assert site.hits("/stolen") == []
        # the same [::1] server is reachable when fetched directly and allowed: the test can see a hit
        result, _ = run_fetch(v6 + "/direct", policy(allow_private=True))
        assert v6hits == ["/robots.txt", "/direct"]


def test_in_scope_redirect_is_followed_hop_by_hop_with_robots() -> None:
    pages = {"/robots.txt": ROBOTS, "/old": redirect("/mid"), "/mid": redirect("/new"), "/new": OK}
    with FixtureSite(pages) as site:
        result, _ = run_fetch(site.url + "/old", policy(allow_private=True), same_host(site.url))
        assert not isinstance(result, FetchError)
        assert [h.path for h in site.log] == ["/robots.txt", "/old", "/mid", "/new"]


def test_deadline_stops_a_dripping_server() -> None:
    """One byte every 0.2 s: every read succeeds, only the total deadline ends it (not retried)."""
    drip = Page(b"<html><body>" + b"x" * 500 + b"</body></html>", drip=0.2)
    with FixtureSite({"/robots.txt": ROBOTS, "/drip": drip}) as site:
        started = time.monotonic()
        result, _ = run_fetch(site.url + "/drip", policy(allow_private=True, timeout=5.0, deadline=1.0))
        took = time.monotonic() - started
        assert isinstance(result, DeadlineExceeded) and result.kind == "timeout"
        assert outcome_for(result) == "error:timeout"  # the outcome a crawl records
        assert "1s deadline" in str(result)
        assert took < 3.0
        assert len(site.hits("/drip")) == 1  # a missed deadline is not retried


def test_robots_over_the_cap_is_parsed_up_to_500_kib() -> None:
    filler = b"".join(b"Disallow: /junk%d/\n" % i for i in range(60_000))  # ~1 MB of rules
    body = b"User-agent: *\nDisallow: /private/\n" + filler + b"Disallow: /beyond-the-cap/\n"
    assert len(body) > 1_000_000

    async def go(site: FixtureSite) -> tuple[object, bool, bool, bool]:
        async with Fetcher(policy(allow_private=True, max_bytes=200_000)) as f:
            rules = await f.robots(site.url + "/")
            return rules, rules.allowed(site.url + "/a"), rules.allowed(site.url + "/private/x"), rules.allowed(
                site.url + "/beyond-the-cap/x"
            )

    for page in (
        Page(body, headers=TEXT),
        Page(gzip.compress(body), headers=(*TEXT, ("Content-Encoding", "gzip"))),
    ):
        with FixtureSite({"/robots.txt": page}) as site:
            rules, plain, private, beyond = asyncio.run(go(site))
            assert rules.mode == "rules" and rules.truncated  # type: ignore[attr-defined]
            assert rules.state == "rules, truncated at 500 KiB"  # type: ignore[attr-defined]
            assert plain and not private  # the site is not blocked; rules in the prefix apply
            assert beyond  # a rule past 500 KiB is not read


def test_unreachable_robots_says_why() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound but not listening: connection refused
        result, _ = run_fetch(f"http://127.0.0.1:{port}/a", policy(allow_private=True))
    assert isinstance(result, FetchError) and result.kind == "network"
    assert "robots.txt could not be fetched" in str(result)
    result, _ = run_fetch("http://nohost.invalid/a", policy())
    assert isinstance(result, FetchError) and result.kind == "dns"
    assert "robots.txt could not be fetched: DNS lookup failed for nohost.invalid" in str(result)


def test_first_request_after_robots_keeps_the_crawl_delay() -> None:
    robots = Page(b"User-agent: *\nCrawl-delay: 0.6\n", headers=TEXT)
    with FixtureSite({"/robots.txt": robots, "/a": OK}) as site:
        result, _ = run_fetch(site.url + "/a", policy(allow_private=True))
        assert not isinstance(result, FetchError)
        assert [h.path for h in site.log] == ["/robots.txt", "/a"]
        assert min_gap(site.log) >= 0.6


def test_live_site_probe_shares_the_guard() -> None:
    """``warta sites check --live`` fetches through the crawler's Fetcher: the same targets are refused."""
    from warta.health.live import check_live
    from warta.sites import Recipe

    with FixtureSite({"/robots.txt": ROBOTS, "/a": OK}) as site:
        port = site.url.rsplit(":", 1)[1]
        site.mount(
            {
                "/out": redirect(f"http://localhost:{port}/a"),
                "/meta": redirect("http://169.254.169.254/latest/meta-data/"),
                "/drip": Page(b"x" * 200, drip=0.2),
            }
        )
        pages = tuple(site.url + p for p in ("/a", "/out", "/meta", "/drip"))
        recipe = Recipe("lokal", "Lokal", ("127.0.0.1",), index_pages=pages)
        (refused,) = check_live([recipe], policy())
        assert all(p.outcome == "error" for p in refused.probes)
        assert "non-public address 127.0.0.1" in refused.probes[0].detail
        assert site.log == []
        (report,) = check_live([recipe], policy(allow_private=True, deadline=1.0))
        outcome = {p.url.rsplit("/", 1)[1]: p for p in report.probes}
        assert outcome["a"].outcome == "empty" and outcome["a"].status == 200
        for path in ("out", "meta"):
            assert outcome[path].outcome == "error" and outcome[path].detail.startswith("RedirectOutOfScope")
        assert outcome["drip"].outcome == "error" and outcome["drip"].detail.startswith("DeadlineExceeded")
        assert [h.path for h in site.log] == ["/robots.txt", "/a", "/out", "/meta", "/drip"]


def test_allow_private_is_a_layered_setting(tmp_path: object) -> None:
    from pathlib import Path

    from warta.config import load_settings

    assert load_settings(environ={}).allow_private is False  # refused by default
    assert load_settings(environ={"WARTA_ALLOW_PRIVATE": "1"}).allow_private is True
    cfg = Path(str(tmp_path)) / "warta.toml"
    cfg.write_text("[warta]\nallow_private = true\ndeadline = 30\n", "utf8")
    s = load_settings(config_path=cfg, environ={})
    assert s.allow_private is True and s.deadline == 30.0
    assert load_settings({"allow_private": None}, config_path=cfg, environ={}).allow_private is True
    assert FetchPolicy.from_settings(s).allow_private is True and FetchPolicy.from_settings(s).deadline == 30.0
