"""Reliability against hostile servers, and kill -9 of a running crawl (issue 13). Loopback only.

    PYTHONPATH=src python benchmarks/reliability.py [--kills 10] [--copies 8] [--seed 1] [--web]

1. Hostile-server battery: each case is a real server on 127.0.0.1 (or [::1]) doing one nasty
   thing; the table shows the outcome warta records, the time it took and whether that is the
   expected, safe result (SSRF redirects, private targets, slow drip, gzip bomb, redirect loop,
   10 MB robots.txt, unreachable hosts, deep nesting, Crawl-delay...).
2. kill -9 loop: ``warta crawl`` of a fixture site (its own session) is killed N times at random
   moments and restarted with the same command, then run to the end; the table counts articles
   stored, duplicates, pages fetched more than once, SQLite's integrity check and processes left
   behind after each kill.
3. ``--web``: also runs ``benchmarks/reliability_web.py`` (request fuzz against the web app:
   5xx count, p99 latency) when that script is present.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import importlib.util
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from proctree import descendants, kill_all, survivors  # noqa: E402
from warta.demo.newssite import SiteArticle, news_site_pages, sample_articles
from warta.demo.server import FixtureSite, Page, ipv6_recorder
from warta.errors import ConfigError, FetchError
from warta.extract.core import extract
from warta.fetch import Fetcher, FetchPolicy
from warta.model import Article
from warta.pipeline.runner import check_sites, outcome_for
from warta.urls import host_of

UA = "warta-reliability/1.0"
TEXT = (("Content-Type", "text/plain"),)
OK = Page(b"<html><body><p>fine</p></body></html>")
ROBOTS = Page(b"User-agent: *\nDisallow: /private/\n", headers=TEXT)
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Row:
    case: str
    expected: str
    outcome: str
    seconds: float
    ok: bool


def policy(**kw: object) -> FetchPolicy:
    base: dict[str, object] = {"user_agent": UA, "delay": 0.0, "timeout": 5.0, "backoff": 0.05}
    base.update(kw)
    return FetchPolicy(**base)  # type: ignore[arg-type]


def fetch_outcome(url: str, pol: FetchPolicy, scope_of: str | None = None) -> tuple[str, Fetcher]:
    """The outcome a crawl records for ``url`` ("fetched 200" when it succeeds)."""

    async def go() -> tuple[str, Fetcher]:
        in_scope = (lambda u: host_of(u) == host_of(scope_of)) if scope_of else None
        async with Fetcher(pol) as f:
            try:
                cap = await f.fetch(url, in_scope=in_scope)
            except FetchError as exc:
                return f"{outcome_for(exc)} ({str(exc.args[0])[:60]})", f
            return f"fetched {cap.status}", f

    return asyncio.run(go())


def timed(case: str, expected: str, run: Callable[[], tuple[str, bool]]) -> Row:
    started = time.monotonic()
    try:
        outcome, ok = run()
    except Exception as exc:  # noqa: BLE001 - a crash is a failed case, shown in the table
        outcome, ok = f"crashed: {type(exc).__name__}: {exc}"[:90], False
    return Row(case, expected, outcome, time.monotonic() - started, ok)


def battery() -> list[Row]:
    rows: list[Row] = []
    allow = policy(allow_private=True)
    with FixtureSite({"/robots.txt": ROBOTS, "/ok": OK}) as site, ipv6_recorder() as (v6, v6hits):
        port = site.url.rsplit(":", 1)[1]
        site.mount(
            {
                "/to-v6": Page(b"", 302, (("Location", v6 + "/stolen"),)),
                "/to-localhost": Page(b"", 302, (("Location", f"http://localhost:{port}/stolen"),)),
                "/to-metadata": Page(b"", 302, (("Location", "http://169.254.169.254/latest/meta-data/"),)),
                "/to-private": Page(b"", 302, (("Location", "http://10.0.0.1/admin"),)),
                "/stolen": OK,
                "/loop-a": Page(b"", 302, (("Location", "/loop-b"),)),
                "/loop-b": Page(b"", 302, (("Location", "/loop-a"),)),
                "/bomb": Page(
                    gzip.compress(b"\0" * 50_000_000, 9),
                    headers=(("Content-Type", "text/html"), ("Content-Encoding", "gzip")),
                ),
                "/drip": Page(b"<p>" + b"x" * 2000 + b"</p>", drip=0.2),
            }
        )

        def redirect_case(path: str, forbidden: Callable[[], bool]) -> Callable[[], tuple[str, bool]]:
            def run() -> tuple[str, bool]:
                outcome, f = fetch_outcome(site.url + path, allow, site.url)
                dialled = {addr for _, addr, _ in f.backend.connects}
                return outcome, outcome.startswith("redirect-out-of-scope") and dialled == {"127.0.0.1"} and not forbidden()

            return run

        no_stolen = lambda: bool(site.hits("/stolen"))  # noqa: E731
        rows.append(timed("redirect to http://[::1]:PORT/", "redirect-out-of-scope, [::1] not asked",
                          redirect_case("/to-v6", lambda: bool(v6hits))))  # fmt: skip
        rows.append(timed("redirect to http://localhost:PORT/", "redirect-out-of-scope, not fetched",
                          redirect_case("/to-localhost", no_stolen)))  # fmt: skip
        rows.append(timed("redirect to 169.254.169.254 (metadata)", "redirect-out-of-scope, no connect",
                          redirect_case("/to-metadata", lambda: False)))  # fmt: skip
        rows.append(timed("redirect to 10.0.0.1", "redirect-out-of-scope, no connect",
                          redirect_case("/to-private", lambda: False)))  # fmt: skip

        def private_literal(host: str) -> Callable[[], tuple[str, bool]]:
            def run() -> tuple[str, bool]:
                before = len(site.log)
                outcome, f = fetch_outcome(f"http://{host}:{port}/ok", policy())
                return outcome, outcome.startswith("error:private-address") and len(site.log) == before and not f.backend.connects

            return run

        for host in ("127.0.0.1", "localhost", "[::ffff:127.0.0.1]", "[64:ff9b::7f00:1]", "[2002:7f00:1::1]"):
            rows.append(timed(f"target {host} without --allow-private", "error:private-address, no connect",
                              private_literal(host)))  # fmt: skip

        def simple(path: str, want: str, pol: FetchPolicy = allow) -> Callable[[], tuple[str, bool]]:
            def run() -> tuple[str, bool]:
                outcome, _ = fetch_outcome(site.url + path, pol, site.url)
                return outcome, outcome.startswith(want)

            return run

        rows.append(timed("slowloris: 1 byte / 0.2 s, deadline 2 s", "error:timeout in ~2 s",
                          simple("/drip", "error:timeout", policy(allow_private=True, deadline=2.0))))  # fmt: skip
        rows.append(timed("gzip bomb (50 MB of zeros)", "error:too-large", simple("/bomb", "error:too-large")))
        rows.append(timed("redirect loop", "error:redirects", simple("/loop-a", "error:redirects")))
    rows += [big_robots(), closed_port(), dns_failure(), crawl_delay(), deep_page(), not_a_url()]
    return rows


def big_robots() -> Row:
    body = b"User-agent: *\nDisallow: /private/\n" + b"Disallow: /junk/x\n" * 600_000  # ~10.8 MB

    def run() -> tuple[str, bool]:
        with FixtureSite({"/robots.txt": Page(body, headers=TEXT), "/ok": OK}) as site:
            async def go() -> tuple[str, bool]:
                async with Fetcher(policy(allow_private=True)) as f:
                    rules = await f.robots(site.url + "/")
                    cap = await f.fetch(site.url + "/ok")
                    return f"robots {rules.state}; page {cap.status}", rules.truncated and cap.status == 200

            return asyncio.run(go())

    return timed("10 MB robots.txt", "parsed first 500 KiB, site not blocked", run)


def closed_port() -> Row:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    def run() -> tuple[str, bool]:
        outcome, _ = fetch_outcome(f"http://127.0.0.1:{port}/", policy(allow_private=True))
        return outcome, outcome.startswith("error:network") and "robots.txt could not be fetched" in outcome

    return timed("connection refused", "error:network, robots.txt not fetched", run)


def dns_failure() -> Row:
    def run() -> tuple[str, bool]:
        outcome, _ = fetch_outcome("http://no-such-host.invalid/", policy())
        return outcome, outcome.startswith("error:dns")

    return timed("DNS failure (.invalid)", "error:dns", run)


def crawl_delay() -> Row:
    robots = Page(b"User-agent: *\nCrawl-delay: 1\n", headers=TEXT)

    def run() -> tuple[str, bool]:
        with FixtureSite({"/robots.txt": robots, "/ok": OK}) as site:
            fetch_outcome(site.url + "/ok", policy(allow_private=True))
            gap = site.log[1].t - site.log[0].t
        return f"first request {gap:.2f}s after robots.txt", gap >= 1.0

    return timed("Crawl-delay: 1, first request", "waits >= 1 s", run)


def deep_page() -> Row:
    paras = "".join(f"<p>Paragraf {i}: harga emas naik hari ini di pasar Jakarta, kata pedagang.</p>" for i in range(6))
    html = ("<html><body>" + "<div>" * 10_000 + "x" + "</div>" * 10_000 + f"<article>{paras}</article></body></html>").encode()

    def run() -> tuple[str, bool]:
        result = extract(html, "https://a.test/2024/03/05/emas")
        n = len(result.body) if isinstance(result, Article) else 0
        return (f"article, {n} paragraphs" if isinstance(result, Article) else str(result)), n == 6

    return timed("10,000 nested divs, then paragraphs", "article with all 6 paragraphs", run)


def not_a_url() -> Row:
    def run() -> tuple[str, bool]:
        try:
            check_sites(("not-a-url",))
        except ConfigError as exc:
            return f"error: {str(exc.args[0])[:60]}", True
        return "accepted", False

    return timed("warta crawl not-a-url", "an error naming the cause", run)


# -- kill -9 loop -------------------------------------------------------------------------------
def kill_loop(kills: int, copies: int, seed: int) -> dict[str, object]:
    rng = random.Random(seed)
    since, until = "2016-02-14", "2016-02-23"
    arts = [
        SiteArticle(f"{a.path}-v{i}", a.html, a.published, f"{a.title} ({i})")
        for i in range(copies)
        for a in sample_articles()
    ]
    inside = {a.path for a in arts if since <= a.day <= until}
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARTA_")}
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env["WARTA_CONFIG"] = os.devnull + ".absent"
    leftovers: list[int] = []
    with tempfile.TemporaryDirectory() as tmp, FixtureSite() as site:
        site.mount(news_site_pages(site.url, arts, per_page=5))
        db = Path(tmp) / "kill.db"
        cmd = [sys.executable, "-c", "from warta.cli.main import main; main()", "crawl", site.url + "/",
               "--db", str(db), "--since", since, "--until", until, "--delay", "0.05", "--workers", "2",
               "--allow-private", "--quiet"]  # fmt: skip
        started = time.monotonic()
        for _ in range(kills):
            proc = subprocess.Popen(cmd, env=env, cwd=tmp, start_new_session=True,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
            time.sleep(rng.uniform(0.5, 3.0))
            children = descendants(proc.pid)
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            left = survivors(children, proc.pid, wait=3.0)  # the time a child is given to notice
            leftovers.append(len(left))
            kill_all(left)  # clean up, so one failure does not pile up
        final = subprocess.run(cmd, env=env, cwd=tmp, capture_output=True, text=True, timeout=600)
        fetched = Counter(h.path for h in site.log if h.path in inside)
        conn = sqlite3.connect(db)
        stored, distinct = conn.execute("SELECT COUNT(*), COUNT(DISTINCT url_key) FROM articles").fetchone()
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        conn.close()
    return {
        "kills": kills,
        "window articles": len(inside),
        "stored": stored,
        "duplicates": stored - distinct,
        "pages fetched more than once": sum(1 for n in fetched.values() if n > 1),
        "integrity_check": integrity,
        "leftover processes after each kill": leftovers,
        "final run exit": final.returncode,
        "seconds": round(time.monotonic() - started, 1),
        "pass": stored == distinct == len(inside) and integrity == "ok" and not any(leftovers)
        and final.returncode == 0,
    }


def print_table(rows: list[Row]) -> None:
    w = max(len(r.case) for r in rows)
    print(f"{'case':<{w}}  {'outcome':<70}  {'time':>6}  result")
    for r in rows:
        print(f"{r.case:<{w}}  {r.outcome[:70]:<70}  {r.seconds:>5.2f}s  {'pass' if r.ok else 'FAIL'}")


def run_web() -> None:
    path = Path(__file__).with_name("reliability_web.py")
    if not path.exists():
        print("\n(--web: benchmarks/reliability_web.py is not present; skipped)")
        return
    spec = importlib.util.spec_from_file_location("reliability_web", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.argv = [str(path)]
    module.main()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=10, help="kill -9 count (0: skip the kill loop)")
    ap.add_argument("--copies", type=int, default=8, help="copies of the 11 sample pages on the site")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--web", action="store_true", help="also run benchmarks/reliability_web.py")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args()
    rows = battery()
    loop = kill_loop(args.kills, args.copies, args.seed) if args.kills else None
    if args.json:
        print(json.dumps({"battery": [r.__dict__ for r in rows], "kill_loop": loop}, indent=1))
    else:
        print_table(rows)
        if loop is not None:
            print()
            for key, value in loop.items():
                print(f"{key:<36} {value}")
    if args.web:
        run_web()
    if not all(r.ok for r in rows) or (loop is not None and not loop["pass"]):
        sys.exit(1)


if __name__ == "__main__":
    main()
