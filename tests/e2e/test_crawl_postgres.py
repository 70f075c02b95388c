"""`warta crawl --db postgresql://...`: the crawl's frontier, job lock, source health, dedupe and
articles all live in one PostgreSQL database, with the local engine and with fetch workers on Ray.

Real PostgreSQL (``WARTA_TEST_PG``, started by ``.ci/postgres.sh``), a real loopback site of many
hosts that records every request, and, for the distributed crawl, a real local Ray. Under CI a
missing PostgreSQL or Ray fails instead of skipping.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import run_warta
from contract.pg_support import pg_url, reset_pg
from manyhosts import SINCE, UNTIL, ManyHostSite, politeness
from warta.store.backends import open_article_store, open_frontier


def stored(url: str) -> list[str]:
    with open_article_store(url, create=False) as store:
        return sorted(str(s.article.url) for s in store.iter_articles())


def test_local_crawl_into_postgres_then_resume_fetches_nothing_again(workdir: Path) -> None:
    url = pg_url()
    reset_pg(url)
    with ManyHostSite(hosts=3, copies=1) as site:
        args = ("crawl", *site.urls, "--db", url, "--since", SINCE, "--until", UNTIL, "--delay", "0", "--json")
        first = run_warta(*args, cwd=workdir, timeout=240)
        assert first.returncode == 0, first.stderr[-3000:]
        want = sorted(site.in_window)
        seen = len(site.snapshot())
        second = run_warta(*args, cwd=workdir, timeout=240)
        assert second.returncode == 0, second.stderr[-3000:]
        again = {s.host + s.path for s in site.snapshot()[seen:]}
    report = json.loads(first.stdout)
    assert report["stored"] == len(want) > 0
    assert stored(url) == want  # every in-window article, once
    assert json.loads(second.stdout)["stored"] == 0
    # the second run re-reads discovery documents only: no stored article is requested again
    assert again and not again & set(want)
    with open_article_store(url, create=False) as store:
        frontier = open_frontier(store)
        assert frontier.backend == "postgresql"
        counts = {(o.kind, o.outcome): o.n for o in frontier.outcome_counts()}
        assert counts[("article", "stored")] == len(want)
        assert {r["site"] for r in frontier.source_rows()}  # source health recorded in PostgreSQL
    health = run_warta("sites", "health", "--db", url, "--json", cwd=workdir)
    assert health.returncode == 0 and json.loads(health.stdout), health.stderr


def test_four_ray_workers_on_one_postgres_frontier_keep_politeness(workdir: Path) -> None:
    try:
        import ray  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("Ray is not installed but CI is set: install warta[ray]")
        pytest.skip("Ray is not installed (pip install 'warta[ray]')")
    url = pg_url()
    reset_pg(url)
    delay = 0.1
    with ManyHostSite(hosts=6, copies=1, crawl_delays=(None, 0.4)) as site:
        proc = run_warta("crawl", *site.urls, "--db", url, "--since", SINCE, "--until", UNTIL,
                         "--delay", str(delay), "--engine", "ray", "--workers", "4", "--json",
                         cwd=workdir, timeout=300)
        assert proc.returncode == 0, proc.stderr[-3000:]
        spans = site.snapshot()
        want = sorted(site.in_window)
    report = json.loads(proc.stdout)
    assert report["stored"] == len(want) > 0
    assert stored(url) == want
    for host in site.urls:
        p = politeness([s for s in spans if s.host + "/" == host])
        rest = site.crawl_delay(host) or delay
        assert p.max_in_flight == 1, (host, p)
        assert p.min_gap >= rest - 0.01, (host, p, rest)
