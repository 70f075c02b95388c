"""Crawl-level dedupe: ``warta crawl`` over two fixture sites stores the same story under three URLs
as three articles in one cluster with the right original; exports carry cluster_id/is_original."""

from __future__ import annotations

import html
import json
from pathlib import Path

from conftest import export_jsonl, run_warta
from sitefixture import FixtureSite, SiteArticle, news_site_pages

BENCH = Path(__file__).parents[1] / "fixtures" / "dedupe" / "bench"


def paragraphs(n: int) -> list[str]:
    row = json.loads((BENCH / "indonesian" / "truth.jsonl").read_text("utf-8").splitlines()[n])
    return [p for p in row["body"].split("\n\n") if p.strip()]


def article(path: str, title: str, published: str, paras: list[str], caption: str = "") -> SiteArticle:
    fig = f"<figure><img src='/f.jpg'><figcaption>{html.escape(caption)}</figcaption></figure>" if caption else ""
    ps = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    page = (
        f"<html><head><title>{html.escape(title)}</title>"
        f'<meta property="article:published_time" content="{published}"></head><body>'
        f"<article><h1>{html.escape(title)}</h1>{fig}{ps}</article></body></html>"
    )
    return SiteArticle(path, page.encode(), published, title)


def crawl(db: Path, workdir: Path, *urls: str) -> dict[str, object]:
    proc = run_warta(
        "crawl", *urls, "--db", str(db), "--delay", "0", "--since", "2015-11-01", "--until", "2015-11-30",
        "--workers", "1", "--json", "-q", cwd=workdir,
    )
    assert proc.returncode == 0, proc.stderr
    report: dict[str, object] = json.loads(proc.stdout)
    return report


def test_crawl_clusters_one_story_under_three_urls_on_two_sites(workdir: Path) -> None:
    story, other = paragraphs(0), paragraphs(1)
    body = story[0].split(" - ", 1)[1]
    copy = ["JAKARTA, KOMPAS.com - " + body, *story[1:2], "Baca juga: Bandara Lombok dibuka lagi", *story[2:]]
    db = workdir / "w.db"
    with FixtureSite() as a, FixtureSite() as b:
        a.mount(news_site_pages(a.url, [
            article("/berita/2015/11/05/lombok", "29 penerbangan dibatalkan", "2015-11-05T14:56:43+07:00", story),
            article("/nasional/2015/11/05/lombok-bandara", "Bandara Lombok ditutup", "2015-11-05T18:00:00+07:00", story,
                    "Bandara Internasional Lombok. (ANTARA FOTO/Ahmad Subaidi)"),
        ]))
        b.mount(news_site_pages(b.url, [
            article("/read/2015/11/05/abu-rinjani", "Abu Rinjani tutup bandara", "2015-11-05T15:20:00+07:00", copy),
            article("/read/2015/11/05/pelajar", "Prostitusi pelajar", "2015-11-05T12:00:00+07:00", other),
        ]))
        report = crawl(db, workdir, a.url + "/", b.url + "/")
        assert report["stored"] == 4, json.dumps(report)

    clusters = [json.loads(x) for x in run_warta("clusters", "--json", "--db", str(db), cwd=workdir).stdout.splitlines()]
    assert len(clusters) == 1 and clusters[0]["size"] == 3
    members = {m["url"]: m for m in clusters[0]["members"]}
    original = [u for u, m in members.items() if m["is_original"]]
    assert len(original) == 1 and original[0].endswith("/berita/2015/11/05/lombok")
    assert len({u.split("/")[2] for u in members}) == 2  # two sites

    records = {r["url"]: r for r in export_jsonl(db, workdir)}
    assert len(records) == 4
    lombok = [r for u, r in records.items() if u in members]
    assert len({r["cluster_id"] for r in lombok}) == 1 and sum(bool(r["is_original"]) for r in lombok) == 1
    (loner,) = [r for u, r in records.items() if u not in members]
    assert loner["cluster_id"] != lombok[0]["cluster_id"] and loner["is_original"] is True
