"""Two different jobs on one database at the same time (issue 13.8): no page is fetched twice,
no article is stored twice, and each run's reported count is its outcome table's."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections import Counter
from pathlib import Path

from conftest import warta_cmd, warta_env
from sitefixture import FixtureSite, SiteArticle, news_site_pages, sample_articles

WINDOWS = (("2016-02-14", "2016-02-23"), ("2016-02-16", "2016-02-28"))  # overlapping


def test_two_jobs_at_once_fetch_and_store_each_page_once(workdir: Path) -> None:
    db = workdir / "two.db"
    articles = [
        SiteArticle(f"{a.path}-v{i}", a.html, a.published, f"{a.title} ({i})")
        for i in range(3)
        for a in sample_articles()
    ]
    article_paths = {a.path for a in articles}
    with FixtureSite() as site:
        site.mount(news_site_pages(site.url, articles, per_page=4))
        procs = [
            subprocess.Popen(
                warta_cmd(
                    "crawl", site.url + "/", "--db", str(db), "--since", since, "--until", until,
                    "--delay", "0.02", "--workers", "1", "--json",
                ),  # fmt: skip
                cwd=workdir,
                env=warta_env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for since, until in WINDOWS
        ]
        outs = [p.communicate(timeout=240) for p in procs]
        fetched = Counter(h.path for h in site.log if h.path in article_paths)
    for proc, (_out, err) in zip(procs, outs, strict=True):
        assert proc.returncode == 0, err
    reports = [json.loads(out) for out, _ in outs]

    assert fetched and max(fetched.values()) == 1, [p for p, n in fetched.items() if n > 1]
    conn = sqlite3.connect(db)
    stored_rows = conn.execute("SELECT COUNT(*), COUNT(DISTINCT url_key) FROM articles").fetchone()
    assert stored_rows[0] == stored_rows[1]
    table = dict(
        conn.execute("SELECT job_id, COUNT(*) FROM frontier WHERE outcome='stored' GROUP BY job_id").fetchall()
    )
    for report in reports:
        job_table = {(o["kind"], o["outcome"]): o["n"] for o in report["outcomes"]}
        assert report["stored"] == job_table.get(("article", "stored"), 0) == table.get(report["job_id"], 0)
    # every article of either window is stored once, by one of the jobs
    in_windows = {a.path for a in articles if any(s <= a.day <= u for s, u in WINDOWS)}
    assert stored_rows[0] == len(in_windows) == sum(r["stored"] for r in reports)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
