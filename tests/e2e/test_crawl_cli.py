"""End to end through the CLI, as a user (or a hidden test) drives it:

    warta crawl URL --db X --since D --until D --delay S ; warta export --format jsonl

against a real fixture news site on 127.0.0.1 built from recorded pages, with faults on purpose.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from conftest import export_jsonl, run_warta
from sitefixture import (
    BILLION_LAUGHS,
    FixtureSite,
    Page,
    SiteArticle,
    gzip_bomb,
    min_gap,
    news_site_pages,
    oversize,
    redirect,
    sample_articles,
    server_error,
    slow,
    too_many_requests,
)
from warta.cli.main import cli

SINCE, UNTIL = "2016-02-14", "2016-02-23"
DELAY = 0.2


def _fault_articles(template: SiteArticle) -> dict[str, SiteArticle]:
    """In-window articles whose pages misbehave (their HTML is a recorded in-window page)."""
    names = ["retry-after", "flaky", "slow", "loop", "huge", "bomb"]
    return {
        n: SiteArticle(f"/berita/9990{i}/fault-{n}", template.html, template.published, f"fault {n}")
        for i, n in enumerate(names)
    }


def _build_site(site: FixtureSite) -> tuple[list[SiteArticle], list[SiteArticle], dict[str, SiteArticle]]:
    real = sample_articles()
    inside = [a for a in real if SINCE <= a.day <= UNTIL]
    outside = [a for a in real if not SINCE <= a.day <= UNTIL]
    faults = _fault_articles(inside[0])
    pages = news_site_pages(site.url, [*real, *faults.values()])
    ok = pages[faults["retry-after"].path]
    robots = pages["/robots.txt"].body + f"Sitemap: {site.url}/sitemap-laughs.xml\n".encode()
    pages.update(
        {
            "/robots.txt": Page(robots, headers=(("Content-Type", "text/plain"),)),
            "/sitemap-laughs.xml": Page(BILLION_LAUGHS, headers=(("Content-Type", "application/xml"),)),
            faults["retry-after"].path: [too_many_requests("1"), ok],
            faults["flaky"].path: [server_error(500), server_error(503), ok],
            faults["slow"].path: slow(ok, 0.5),
            faults["loop"].path: redirect(faults["loop"].path + "-b"),
            faults["loop"].path + "-b": redirect(faults["loop"].path),
            faults["huge"].path: oversize(3_000_000),
            faults["bomb"].path: gzip_bomb(20_000_000),
        }
    )
    site.mount(pages)
    return inside, outside, faults


def test_backfill_through_the_cli(workdir: Path) -> None:
    db = workdir / "x.db"
    with FixtureSite() as site, FixtureSite({"/robots.txt": server_error(503)}) as down:
        inside, outside, faults = _build_site(site)
        down.mount(
            {k: v for k, v in news_site_pages(down.url, sample_articles()).items() if k != "/robots.txt"}
        )
        proc = run_warta(
            "crawl",
            site.url + "/",
            down.url + "/",
            "--db",
            str(db),
            "--since",
            SINCE,
            "--until",
            UNTIL,
            "--delay",
            str(DELAY),
            "--json",
            cwd=workdir,
            WARTA_MAX_BYTES="2000000",
        )
        assert proc.returncode == 0, proc.stderr
        report = json.loads(proc.stdout)
        log, down_log = list(site.log), list(down.log)

    stored = {a.path for a in inside} | {faults[n].path for n in ("retry-after", "flaky", "slow")}
    exported = export_jsonl(db, workdir)
    paths = sorted(str(r["url"]).removeprefix(site.url) for r in exported)
    assert paths == sorted(stored)  # exactly the window's articles, each once
    assert len({r["url_key"] for r in exported}) == len(exported)
    assert all(SINCE <= str(r["published"])[:10] <= UNTIL for r in exported)  # every article is dated

    hit_paths = [h.path for h in log]
    assert not [p for p in hit_paths if p.startswith("/private/")]  # robots.txt respected
    assert not {a.path for a in outside} & set(hit_paths)  # known out-of-window dates never fetched
    assert min_gap(log) >= DELAY  # per-host delay between every pair of requests (server's clock)
    retry = [h for h in log if h.path == faults["retry-after"].path]
    assert len(retry) == 2 and retry[1].t - retry[0].t >= 1.0  # Retry-After honoured
    assert [h.path for h in down_log] == ["/robots.txt"]  # robots.txt answering 503: nothing else

    outcomes = {(o["kind"], o["outcome"]): o["n"] for o in report["outcomes"]}
    assert outcomes[("article", "stored")] == len(stored)
    assert outcomes[("article", "out of date range")] >= len(outside)
    assert outcomes[("article", "error:redirects")] == 1
    assert outcomes[("article", "error:too-large")] == 2  # oversize and gzip bomb
    assert outcomes[("sitemap", "error:unparseable")] == 1  # entity-expansion sitemap
    assert outcomes[("robots", "parsed")] == 2


def _cli(*args: str) -> str:
    """Run a command in-process (the real click command; no subprocess start-up cost)."""
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_stats_and_exports_after_crawl(workdir: Path) -> None:
    db = str(workdir / "s.db")
    with FixtureSite() as site:
        site.mount(news_site_pages(site.url, sample_articles()))
        crawl = [
            "crawl",
            site.url,
            "--db",
            db,
            "--since",
            SINCE,
            "--until",
            UNTIL,
            "--delay",
            "0",
            "--workers",
            "1",
            "--allow-private",
        ]
        assert json.loads(_cli(*crawl, "--json"))["stored"] == 6
        assert json.loads(_cli(*crawl, "--json"))["stored"] == 0  # a finished job re-run stores nothing twice
    stats = json.loads(_cli("stats", "--db", db, "--json"))
    assert stats["articles"] == 6
    job = stats["jobs"][0]
    assert {"kind": "article", "outcome": "stored", "n": 6} in job["outcomes"]
    assert stats["runs"][0]["status"] == "finished"
    assert "out of date range" in _cli("stats", "--db", db)
    rows = list(csv.DictReader(io.StringIO(_cli("export", "--format", "csv", "--db", db))))
    assert len(rows) == 6 and all(r["title"] and r["text"] for r in rows)
    pq = workdir / "a.parquet"
    _cli("export", "--format", "parquet", "--out", str(pq), "--db", db)
    import pyarrow.parquet as parquet

    assert parquet.read_table(pq).num_rows == 6
    assert json.loads(_cli("reextract", "--db", db, "--json", "--workers", "1"))["updated"] == 6
