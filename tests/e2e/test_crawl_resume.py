"""A crawl killed with SIGKILL several times and restarted with the same command stores every
article exactly once, and re-fetches nothing but what was in flight at each kill."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

from conftest import export_jsonl, run_warta, warta_cmd, warta_env
from sitefixture import FixtureSite, SiteArticle, news_site_pages, sample_articles

SINCE, UNTIL = "2016-02-14", "2016-02-23"
# Kill when the server has seen this many requests for window articles (0: during discovery),
# plus a little jitter so kills land in fetches, extraction and store writes alike.
KILLS = ((0, 0.05), (3, 0.0), (6, 0.07), (9, 0.13), (12, 0.03))


def _wait_for(site: FixtureSite, inside: set[str], n: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        hits = (
            [h for h in site.log if h.path in inside] if n else [h for h in site.log if "sitemap" in h.path]
        )
        if len(hits) >= max(n, 1):
            return
        time.sleep(0.01)
    raise AssertionError(f"crawl did not reach {n} article requests")


def _many_articles(copies: int) -> list[SiteArticle]:
    return [
        SiteArticle(f"{a.path}-v{i}", a.html, a.published, f"{a.title} ({i})")
        for i in range(copies)
        for a in sample_articles()
    ]


def test_sigkill_and_resume_stores_each_article_once(workdir: Path) -> None:
    db = workdir / "k.db"
    articles = _many_articles(4)
    inside = {a.path for a in articles if SINCE <= a.day <= UNTIL}
    with FixtureSite() as site:
        site.mount(news_site_pages(site.url, articles, per_page=5))
        args = [
            "crawl",
            site.url + "/",
            "--db",
            str(db),
            "--since",
            SINCE,
            "--until",
            UNTIL,
            "--delay",
            "0.1",
            "--quiet",
        ]
        for n, jitter in KILLS:
            proc = subprocess.Popen(
                warta_cmd(*args),
                cwd=workdir,
                env=warta_env(),
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            _wait_for(site, inside, n)
            time.sleep(jitter)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        before_final = {h.path for h in site.log} & inside
        final = run_warta(*args, cwd=workdir)
        assert final.returncode == 0, final.stderr
        log = list(site.log)

    assert before_final, "the killed runs made no progress; the test proves nothing"
    assert len(before_final) < len(inside), "the crawl finished before the last kill"
    exported = export_jsonl(db, workdir)
    paths = Counter(str(r["url"]).removeprefix(site.url) for r in exported)
    assert set(paths) == inside and max(paths.values()) == 1
    hits = Counter(h.path for h in log if h.path != "/robots.txt")
    refetched = sum(n - 1 for n in hits.values())
    assert refetched <= len(KILLS)  # one connection per host: at most one request in flight per kill
