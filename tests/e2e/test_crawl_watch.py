"""``warta watch --once``: polls feeds and news sitemaps with conditional requests and stores each
new article once."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from conftest import export_jsonl, run_warta
from sitefixture import FixtureSite, news_site_pages, sample_articles


def test_watch_stores_new_articles_once_with_conditional_requests(workdir: Path) -> None:
    db = workdir / "w.db"
    articles = sample_articles()
    first, later = articles[:-1], articles[-1]
    with FixtureSite() as site:
        site.mount(news_site_pages(site.url, first))
        args = ["watch", site.url + "/", "--once", "--db", str(db), "--delay", "0", "--json"]
        one = run_warta(*args, cwd=workdir)
        assert one.returncode == 0, one.stderr
        assert json.loads(one.stdout)["stored"] == len(first)
        mark = len(site.log)

        idle = run_warta(*args, cwd=workdir)  # nothing new: feeds answer 304, no article fetched
        assert json.loads(idle.stdout)["stored"] == 0
        polled = site.log[mark:]
        rss = [h for h in polled if h.path == "/rss.xml"]
        assert rss and rss[0].header("If-None-Match") and rss[0].status == 304
        assert not [h for h in polled if h.path in {a.path for a in first}]
        mark = len(site.log)

        site.mount(news_site_pages(site.url, [*first, later]))  # a new article is published
        two = run_warta(*args, cwd=workdir)
        assert two.returncode == 0, two.stderr
        assert json.loads(two.stdout)["stored"] == 1
        fetched = Counter(h.path for h in site.log[mark:])
        assert fetched[later.path] == 1
        assert not [p for p in fetched if p in {a.path for a in first}]

    urls = Counter(str(r["url"]) for r in export_jsonl(db, workdir))
    assert len(urls) == len(articles) and max(urls.values()) == 1


def test_demo_command_crawls_the_bundled_site(workdir: Path) -> None:
    proc = run_warta("demo", cwd=workdir)
    assert proc.returncode == 0, proc.stderr
    assert "stored" in proc.stdout and "out of date range" in proc.stdout
    assert proc.stdout.count("\n  - ") >= 5  # a few titles
    assert (workdir / "warta.db").exists()
    assert len(export_jsonl(workdir / "warta.db", workdir)) == 6


def test_watch_prints_one_line_per_poll_and_only_the_new_articles(workdir: Path) -> None:
    db = workdir / "w.db"
    articles = sample_articles()
    first, later = articles[:-1], articles[-1]
    with FixtureSite() as site:
        site.mount(news_site_pages(site.url, first))
        args = ["watch", site.url + "/", "--once", "--db", str(db), "--delay", "0"]
        one = run_warta(*args, cwd=workdir)
        assert one.returncode == 0, one.stderr
        lines = one.stdout.splitlines()
        assert f" {len(first)} new articles (" in lines[0]
        assert sorted(line.split("  + ", 1)[1].rsplit("  ", 1)[0] for line in lines[1:]) == sorted(
            a.title for a in first)

        idle = run_warta(*args, cwd=workdir)
        assert idle.returncode == 0, idle.stderr
        assert len(idle.stdout.splitlines()) == 1 and " no new articles (" in idle.stdout  # no cumulative table

        site.mount(news_site_pages(site.url, [*first, later]))
        two = run_warta(*args, cwd=workdir)
        assert two.stdout.splitlines()[1:] == [f"  + {later.title}  {site.url}{later.path}"]
        assert " 1 new article (" in two.stdout


def test_demo_twice_keeps_six_articles_under_their_real_addresses(workdir: Path) -> None:
    for _ in range(2):  # each run replays the recorded sites from a new loopback port
        proc = run_warta("demo", "--db", "demo.db", cwd=workdir)
        assert proc.returncode == 0, proc.stderr
    records = export_jsonl(workdir / "demo.db", workdir)
    assert len(records) == 6
    recorded = {a.source_url: a for a in sample_articles()}
    assert {str(r["url"]) for r in records} <= set(recorded)
    assert Counter(str(r["domain"]) for r in records) == {"antaranews.com": 3, "kapanlagi.com": 2, "liputan6.com": 1}
    assert not [r for r in records if "127.0.0.1" in json.dumps(r)]
    titles = [line[4:] for line in proc.stdout.splitlines() if line.startswith("  - ")]
    assert sorted(titles) == sorted(str(r["title"]) for r in records)  # every title listed (or "+N more")
    assert "6 demo articles in the store" in proc.stdout and "0 new articles" in proc.stdout


def test_demo_listing_sums_up_the_titles_it_does_not_show() -> None:
    from warta.demo.runner import listing

    assert listing(["a", "b"], shown=5) == ["  - a", "  - b"]
    assert listing([str(n) for n in range(7)], shown=5)[-2:] == ["  - 4", "  +2 more"]
