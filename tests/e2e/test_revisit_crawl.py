"""Revisions through the crawler: ``warta watch --revisit`` fetches a stored article again when it is due;
a page whose text changed yields two revisions and a diff in ``warta history``; an unchanged page
(answered 304 to the conditional request) adds none. On a SQLite file and on PostgreSQL."""

from __future__ import annotations

import json
import time
from pathlib import Path

from conftest import run_warta
from sitefixture import FixtureSite, SiteArticle, news_site_pages

PARAS = [
    "Jakarta (ANTARA) - Pemerintah provinsi menetapkan status siaga banjir di lima kabupaten setelah hujan "
    "deras mengguyur wilayah itu selama tiga hari berturut-turut, kata kepala badan penanggulangan bencana.",
    "Menurut dia, sebanyak 1.200 warga telah dievakuasi ke tempat pengungsian sementara yang disiapkan di "
    "gedung sekolah dan balai desa, sementara bantuan logistik terus dikirim dari ibu kota provinsi.",
    "Badan meteorologi memperkirakan hujan dengan intensitas sedang hingga lebat masih akan turun hingga "
    "akhir pekan, sehingga warga diminta tetap waspada terhadap kemungkinan banjir susulan dan longsor.",
]


def page(title: str, paras: list[str]) -> SiteArticle:
    body = "".join(f"<p>{p}</p>" for p in paras)
    html = (
        f"<html><head><title>{title}</title>"
        '<meta property="article:published_time" content="2015-11-05T10:00:00+07:00"></head>'
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )
    return SiteArticle("/berita/2015/11/05/banjir", html.encode(), "2015-11-05T10:00:00+07:00", title)


def watch(db: Path | str, workdir: Path, url: str, *extra: str) -> list[dict[str, object]]:
    proc = run_warta(
        "watch", url, "--once", "--db", str(db), "--delay", "0", "--workers", "1", "--json", "-q", *extra,
        cwd=workdir,
    )
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def test_changed_page_fetched_again_yields_two_revisions_and_a_diff(workdir: Path, store_db: Path | str) -> None:
    db = store_db
    with FixtureSite() as site:
        site.mount(news_site_pages(site.url, [page("Banjir di lima kabupaten", PARAS)]))
        first = watch(db, workdir, site.url + "/")
        stored_at = time.monotonic()  # first_seen is at or before this moment
        assert first[0]["stored"] == 1
        article_url = site.url + "/berita/2015/11/05/banjir"

        # not yet due: nothing is fetched again
        before = len(site.hits("/berita/"))
        reports = watch(db, workdir, site.url + "/", "--revisit", "1h")
        assert reports[-1]["revisit"]["checked"] == 0
        assert len(site.hits("/berita/")) == before

        # due, unchanged: a conditional request answered 304, no new revision
        time.sleep(1.2)
        reports = watch(db, workdir, site.url + "/", "--revisit", "1s")
        assert reports[-1]["revisit"] == {
            "checked": 1, "not_modified": 1, "unchanged": 0, "changed": [], "errors": {}
        }
        last = site.hits("/berita/")[-1]
        assert any(k.lower() == "if-none-match" for k, _ in last.headers)

        # the publisher edits the story; at the next schedule point it is fetched again
        edited = [*PARAS[:2], PARAS[2].replace("akhir pekan", "pertengahan pekan depan")]
        site.mount(news_site_pages(site.url, [page("Banjir meluas ke lima kabupaten", edited)]))
        time.sleep(max(0.0, stored_at + 8.5 - time.monotonic()))
        reports = watch(db, workdir, site.url + "/", "--revisit", "1s,8s")
        assert reports[-1]["revisit"]["changed"] == [article_url]

    out = run_warta("history", article_url, "--json", "--db", str(db), cwd=workdir).stdout
    versions = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert [v["version"] for v in versions] == [1, 2]
    diff = versions[1]["diff"]
    assert "-# Banjir di lima kabupaten" in diff and "+# Banjir meluas ke lima kabupaten" in diff
    assert "pertengahan pekan depan" in diff
    # the store now holds the edited article
    exported = run_warta("export", "--format", "jsonl", "--db", str(db), cwd=workdir).stdout
    (record,) = [json.loads(x) for x in exported.splitlines()]
    assert record["title"] == "Banjir meluas ke lima kabupaten"
