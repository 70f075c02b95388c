"""Fetchers that share a host gate in the database keep politeness together: robots.txt requests
go through the gate too, and a Crawl-delay one fetcher learned holds for the others."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sitefixture import FixtureSite, Page, slow
from warta.fetch import Fetcher, FetchPolicy
from warta.store.hosts import SqliteHostGate

UA = "warta-test/1.0 (+https://example.invalid/bot)"
TEXT = (("Content-Type", "text/plain"),)
OK = Page(b"<html><body><p>hello</p></body></html>")


def test_four_fetchers_sharing_a_gate_send_one_request_at_a_time_with_the_crawl_delay(tmp_path: Path) -> None:
    robots = Page(b"User-agent: *\nCrawl-delay: 0.25\nDisallow:\n", headers=TEXT)
    pages = {f"/p{i}": slow(OK, 0.05) for i in range(8)}
    policy = FetchPolicy(UA, delay=0.05, timeout=5.0, allow_private=True)

    async def worker(site: FixtureSite, gate: SqliteHostGate, paths: list[str]) -> None:
        async with Fetcher(policy, gate) as f:  # each its own fetcher: its own robots.txt cache
            for path in paths:
                await f.fetch(site.url + path)

    async def run(site: FixtureSite) -> None:
        gates = [SqliteHostGate(tmp_path / "hosts.db") for _ in range(4)]
        paths = sorted(pages)
        try:
            await asyncio.gather(*(worker(site, g, paths[i::4]) for i, g in enumerate(gates)))
        finally:
            for g in gates:
                g.close()

    with FixtureSite({"/robots.txt": robots, **pages}) as site:
        asyncio.run(run(site))
        starts = sorted(h.t for h in site.log)
    assert len([h for h in site.log if h.path == "/robots.txt"]) == 4  # one per fetcher, through the gate
    assert len(starts) == 12
    # the host rests the Crawl-delay (0.25 s > delay) after every request, robots.txt ones included:
    # each fetcher's robots.txt request releases the host with the delay it just read
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 0.25 - 0.005, gaps
