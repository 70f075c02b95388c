"""The distributed crawl (``--engine ray``) on a real local Ray against a loopback site of many hosts.

Politeness is read from the servers' own record of every request (start and end, per host): with
four workers no two requests to one host overlap and no rest between two is shorter than the
delay, or the host's Crawl-delay. Killing a worker and then the driver with kill -9 loses nothing (on a SQLite file and on one
PostgreSQL database):
after a restart every in-window article is stored exactly once, and no URL decided before a kill
is requested again after it. In CI (``CI`` set) a missing Ray fails instead of skipping.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_warta, warta_cmd, warta_env
from manyhosts import SINCE, UNTIL, ManyHostSite, Span, politeness
from proctree import descendants, kill_all, survivors
from warta.store.backends import open_article_store, open_frontier


@pytest.fixture(autouse=True)
def need_ray() -> None:
    try:
        import ray  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("Ray is not installed but CI is set: install warta[ray]")
        pytest.skip("Ray is not installed (pip install 'warta[ray]'); CI fails here instead")


def stored_urls(db: Path | str) -> list[str]:
    with open_article_store(db, create=False) as store:
        return [str(s.article.url) for s in store.iter_articles()]


def decided(db: Path | str) -> set[str]:
    """URLs whose outcome is recorded, or whose page is kept: never to be requested again."""
    with open_article_store(db, create=False) as store:
        rows = open_frontier(store).export_rows("frontier")
        return {str(r["url"]) for r in rows if r["state"] == "done" or r["capture_id"] is not None}


def frontier_state(db: Path | str) -> tuple[int, list[str]]:
    """(rows not done, run statuses oldest first)."""
    with open_article_store(db, create=False) as store:
        frontier = open_frontier(store)
        open_rows = sum(r["state"] != "done" for r in frontier.export_rows("frontier"))
        return open_rows, [str(r["status"]) for r in reversed(frontier.runs())]


def requested_after(spans: list[Span], t: float) -> set[str]:
    """Pages requested after ``t`` (robots.txt aside: every new worker reads it, as any new crawl
    process does; it is not a page the frontier decides)."""
    return {s.host + s.path for s in spans if s.start > t and s.path != "/robots.txt"}


def test_four_workers_never_overlap_on_a_host_and_keep_delay_and_crawl_delay(workdir: Path) -> None:
    delay = 0.1
    with ManyHostSite(hosts=6, copies=1, crawl_delays=(None, 0.4)) as site:
        db = workdir / "d.db"
        proc = run_warta("crawl", *site.urls, "--db", str(db), "--since", SINCE, "--until", UNTIL,
                         "--delay", str(delay), "--engine", "ray", "--workers", "4", "--json",
                         cwd=workdir, timeout=240)
        assert proc.returncode == 0, proc.stderr[-3000:]
        spans = site.snapshot()
        want = site.in_window
    report = json.loads(proc.stdout)
    assert report["stored"] == len(want) > 0
    assert sorted(stored_urls(db)) == sorted(want)  # every in-window article, once
    for host in site.urls:
        mine = [s for s in spans if s.host + "/" == host]
        p = politeness(mine)
        rest = site.crawl_delay(host) or delay
        assert p.max_in_flight == 1, (host, p)
        assert p.min_gap >= rest - 0.01, (host, p, rest)
    assert politeness(spans).requests == report["requests"]  # every request the workers made was seen


DRIVER = """
import sys
from warta.config import load_settings
from warta.pipeline.distributed import crawl_distributed
from warta.pipeline.runner import CrawlSpec
db, since, until, *sites = sys.argv[1:]
settings = load_settings({"delay": 0.3, "allow_private": True})
report = crawl_distributed(db, settings, CrawlSpec(tuple(sites), since, until), workers=3, heartbeat=0.5, stale=3,
                           progress=True)
print(report.stored, report.requests)
"""


def start_driver(db: Path | str, site: ManyHostSite, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(db), SINCE, UNTIL, *site.urls],
        cwd=cwd, env=warta_env(), start_new_session=True, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def crawl_workers(root: int) -> list[int]:
    """The Ray worker processes running a crawl worker under ``root``."""
    found = []
    for pid in descendants(root):
        try:
            title = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if title.startswith(b"ray::crawl_worker"):
            found.append(pid)
    return found


def wait_for(what: str, proc: subprocess.Popen[str], ready: object, limit: float = 90) -> None:
    end = time.monotonic() + limit
    while not ready():  # type: ignore[operator]
        assert proc.poll() is None, (what, proc.stderr.read() if proc.stderr else "")
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_kill_a_worker_then_the_driver_and_resume_stores_each_article_once(workdir: Path, store_db: Path | str) -> None:
    db = store_db
    with ManyHostSite(hosts=4, copies=3, slow=0.05) as site:
        proc = start_driver(db, site, workdir)
        try:
            articles = lambda: sum(s.path.startswith(("/read", "/berita", "/showbiz")) for s in site.snapshot())  # noqa: E731
            wait_for("three crawl workers fetching articles", proc,
                     lambda: len(crawl_workers(proc.pid)) >= 3 and articles() >= 3)
            os.kill(crawl_workers(proc.pid)[0], signal.SIGKILL)
            t_worker = time.monotonic()
            after_worker = decided(db)
            # the replacement works on; the dead worker's claims come back after 3 s untouched
            done_then = articles()
            wait_for("the crawl to go on after the worker's death", proc, lambda: articles() >= done_then + 4)
            time.sleep(3.5)
            children = descendants(proc.pid)
            os.kill(proc.pid, signal.SIGKILL)
            t_driver = time.monotonic()
            proc.wait(10)
            first_bar = proc.stderr.read() if proc.stderr else ""
            after_driver = decided(db)
            # the crawl workers end with the driver (Ray's raylet shares its fate; its agents may
            # linger a while, they hold no claim and fetch nothing)
            left = survivors(set(crawl_workers(proc.pid)) & children, proc.pid, wait=10)
            assert not [pid for pid in left if pid in children and Path(f"/proc/{pid}/cmdline").exists()
                        and Path(f"/proc/{pid}/cmdline").read_bytes().startswith(b"ray::crawl_worker")]
        finally:
            if proc.poll() is None:
                proc.kill()
            kill_all(descendants(proc.pid))
        assert len(stored_urls(db)) < len(site.in_window), "the crawl finished before it could be killed"
        t_restart = time.monotonic()
        again = start_driver(db, site, workdir)
        out, err = again.communicate(timeout=180)
        assert again.returncode == 0, err[-3000:]
        spans = site.snapshot()
    urls = stored_urls(db)
    assert len(urls) == len(set(urls)) and set(urls) == site.in_window  # each in-window article once
    assert not after_worker & requested_after(spans, t_worker), after_worker & requested_after(spans, t_worker)
    assert not after_driver & requested_after(spans, t_driver), after_driver & requested_after(spans, t_driver)
    assert frontier_state(db) == (0, ["interrupted", "finished"])
    # requests are counted in the database by each worker as it goes: the killed run keeps its count
    # (all but the killed worker's last heartbeat's worth), the resumed run's is exact
    with open_article_store(db, create=False) as store:
        killed, resumed = sorted(open_frontier(store).runs(), key=lambda r: int(str(r["id"])))
    assert 0 < int(str(killed["requests"])) <= sum(s.start < t_restart for s in spans)  # workers outlive a killed driver a moment
    assert int(str(resumed["requests"])) == sum(s.start > t_restart for s in spans) == int(out.split()[1])
    # the progress bar, read from the database: the death was shown, the resumed run ended complete
    assert "died=1" in first_bar, first_bar[-2000:]
    ends = re.findall(r"crawl: 100%\|[^|]*\| (\d+)/(\d+) ", err)
    assert ends and ends[-1][0] == ends[-1][1] and int(ends[-1][0]) > 0, err[-2000:]


def test_ctrl_c_stops_a_distributed_crawl_cleanly_and_the_same_command_resumes(workdir: Path) -> None:
    db = workdir / "c.db"
    with ManyHostSite(hosts=2, copies=2, slow=0.05) as site:
        args = ["crawl", *site.urls, "--db", str(db), "--since", SINCE, "--until", UNTIL, "--delay", "0.3",
                "--engine", "ray", "--workers", "2"]
        proc = subprocess.Popen(warta_cmd(*args), cwd=workdir, env=warta_env(), start_new_session=True,
                                text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            wait_for("the workers to fetch articles", proc,
                     lambda: sum(s.path.startswith(("/read", "/berita")) for s in site.snapshot()) >= 2)
            os.killpg(proc.pid, signal.SIGINT)  # a terminal's Ctrl-C reaches the whole group
            _, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
            kill_all(descendants(proc.pid))
        assert proc.returncode == 130, err[-2000:]
        assert "run the same command again to resume" in err and "Traceback" not in err, err[-2000:]
        done = run_warta(*args, cwd=workdir, timeout=180)
        assert done.returncode == 0, done.stderr[-2000:]
    urls = stored_urls(db)
    assert len(urls) == len(set(urls)) and set(urls) == site.in_window
    assert frontier_state(db)[1] == ["interrupted", "finished"]
