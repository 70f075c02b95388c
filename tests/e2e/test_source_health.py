"""Source health end to end: a loopback site that starts blocking mid-crawl (a 403 wall, then a
challenge page served with status 200) is named as blocked by the very poll that met the wall,
`warta sites health` and `warta stats` show it, and nothing already stored is lost."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import export_jsonl, run_warta
from sitefixture import FixtureSite, Page, news_site_pages, sample_articles

CHALLENGE = Page(
    b"<!DOCTYPE html><html><head><title>Just a moment...</title>"
    b"<script>window._cf_chl_opt={cType:'managed'};</script></head>"
    b"<body><h2>Checking if the site connection is secure</h2></body></html>"
)
FORBIDDEN = Page(b"<html><body><h1>403 Forbidden</h1></body></html>", 403)


def poll(site: FixtureSite, db: Path, workdir: Path) -> dict[str, object]:
    args = ["watch", site.url + "/", "--once", "--db", str(db), "--delay", "0", "--workers", "1", "--json"]
    proc = run_warta(*args, cwd=workdir)
    assert proc.returncode == 0, proc.stderr
    report: dict[str, object] = json.loads(proc.stdout)
    return report


def health(db: Path, workdir: Path) -> dict[str, dict[str, object]]:
    proc = run_warta("sites", "health", "--db", str(db), "--json", cwd=workdir)
    assert proc.returncode == 0, proc.stderr
    return {str(h["site"]): h for h in json.loads(proc.stdout)}


def test_site_that_starts_blocking_is_reported_within_one_poll(workdir: Path) -> None:
    db = workdir / "h.db"
    articles = sample_articles()
    first, walled, challenged = articles[:-2], articles[-2], articles[-1]
    with FixtureSite() as site:
        site.mount(news_site_pages(site.url, first))
        one = poll(site, db, workdir)
        assert one["stored"] == len(first) and one["alerts"] == []
        assert health(db, workdir)["127.0.0.1"]["flags"] == []
        before = export_jsonl(db, workdir)

        # mid-crawl: the feed still answers and names a new article, whose page is a 403 wall
        site.mount({**news_site_pages(site.url, [*first, walled]), walled.path: FORBIDDEN})
        two = poll(site, db, workdir)
        assert two["stored"] == 0
        alerts = two["alerts"]
        assert isinstance(alerts, list) and [(a["site"], a["flag"]) for a in alerts] == [("127.0.0.1", "blocked")]
        assert "a 403 wall" in alerts[0]["detail"]
        state = health(db, workdir)["127.0.0.1"]
        assert state["flags"] == ["blocked"] and state["last_block"] == "403"

        # then every page is a challenge page served with status 200
        everything = news_site_pages(site.url, [*first, walled, challenged])
        site.mount({path: CHALLENGE for path in everything})
        three = poll(site, db, workdir)
        assert three["stored"] == 0
        assert [(a["site"], a["flag"]) for a in three["alerts"]] == [("127.0.0.1", "blocked")]  # type: ignore[attr-defined]
        assert "a challenge page" in three["alerts"][0]["detail"]  # type: ignore[index]
        state = health(db, workdir)["127.0.0.1"]
        assert state["flags"] == ["blocked"] and state["last_block"] == "challenge"
        assert state["stored"] == len(first) and state["blocked"] >= 2
        days = state["days"]
        assert isinstance(days, list) and days[-1]["blocked"]["403"] == 1 and days[-1]["blocked"]["challenge"] >= 1

        stats = run_warta("stats", "--db", str(db), cwd=workdir)
        assert "blocked: 127.0.0.1" in stats.stdout, stats.stdout
        summary = json.loads(run_warta("stats", "--db", str(db), "--json", cwd=workdir).stdout)["sources"]
        assert summary["by_flag"] == {"blocked": 1} and summary["flagged"][0]["site"] == "127.0.0.1"
        table = run_warta("sites", "health", "--db", str(db), cwd=workdir)
        assert "127.0.0.1" in table.stdout and "blocked" in table.stdout and "challenge page" in table.stdout

        # nothing already stored was lost
        assert export_jsonl(db, workdir) == before

        # the site lets the crawler in again: the wall's articles are stored, the flag clears
        site.mount(everything)
        four = poll(site, db, workdir)
        assert four["alerts"] == []
        assert health(db, workdir)["127.0.0.1"]["flags"] == []
    urls = {str(r["url"]) for r in export_jsonl(db, workdir)}
    assert {str(r["url"]) for r in before} <= urls


def shell_page(title: str) -> Page:
    """An article page rendered by script: an empty shell whose text is only inside script code
    (not in hydration data such as __NEXT_DATA__, which the extractor reads as a body candidate)."""
    prose = " ".join(["Harga bahan bakar minyak naik mulai pekan depan di seluruh wilayah Indonesia."] * 30)
    code = f"document.getElementById('root').innerHTML = {json.dumps('<p>' + prose + '</p>')};"
    return Page(
        f'<html><head><title>{title}</title></head><body><div id="root">Memuat...</div>'
        f"<script>{code}</script></body></html>".encode()
    )


def test_crawl_report_names_a_script_only_source(workdir: Path) -> None:
    db = workdir / "s.db"
    articles = sample_articles()
    with FixtureSite() as site:
        pages = news_site_pages(site.url, articles)
        site.mount({**pages, **{a.path: shell_page(a.title) for a in articles}})
        proc = run_warta("watch", site.url + "/", "--once", "--db", str(db), "--delay", "0", "--workers", "1",
                         cwd=workdir)
    assert proc.returncode == 0, proc.stderr
    assert "script-only: 127.0.0.1" in proc.stdout, proc.stdout
    assert "article pages in a row had their text only in scripts" in proc.stdout
    (state,) = health(db, workdir).values()
    assert state["flags"] == ["script-only"] and state["script_only"] == len(articles) and state["stored"] == 0
