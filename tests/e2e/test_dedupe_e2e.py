"""End to end over loopback HTTP: pages fetched from two real local sites are extracted, stored and
deduplicated; a changed page fetched again yields two revisions and a diff; the CLI shows both."""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

import warta
from warta.dedupe import cluster_info, on_stored
from warta.model import Article, Capture
from warta.store.sqlite import Store, utcnow

BENCH = Path(__file__).parents[1] / "fixtures" / "dedupe" / "bench"
SRC = Path(__file__).parents[2] / "src"


def body_of(n: int) -> list[str]:
    row = json.loads((BENCH / "indonesian" / "truth.jsonl").read_text("utf-8").splitlines()[n])
    return [p for p in row["body"].split("\n\n") if p.strip()]


def page(title: str, published: str, paras: list[str]) -> bytes:
    ps = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return (
        f"<html><head><title>{html.escape(title)}</title>"
        f'<meta property="article:published_time" content="{published}"></head>'
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{html.escape(title)}</h1>{ps}</article>"
        "<footer>Copyright</footer></body></html>"
    ).encode()


class Site:
    """A real HTTP server on 127.0.0.1 serving a dict of pages that tests may change."""

    def __init__(self) -> None:
        pages: dict[str, bytes] = {}
        self.pages = pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                data = pages.get(self.path)
                self.send_response(200 if data else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(data or b"not found")

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, host: str, path: str) -> str:
        return f"http://{host}:{self.server.server_port}{path}"


@pytest.fixture
def sites() -> Iterator[tuple[Site, Site]]:
    a, b = Site(), Site()
    yield a, b
    a.server.shutdown()
    b.server.shutdown()


def crawl(store: Store, url: str) -> tuple[int, Article]:
    """Fetch, keep the capture, extract, store and deduplicate one URL (what the pipeline does)."""
    resp = httpx.get(url, timeout=10)
    cap = Capture(url, str(resp.url), resp.status_code, tuple(resp.headers.items()), resp.content, utcnow())
    cap_id = store.add_capture(url, cap)
    art = warta.extract(resp.text, url=url)
    assert isinstance(art, Article), art
    aid, _ = store.upsert_article(url, art, cap_id)
    on_stored(store, aid, art)
    return aid, art


def cli(db: Path, *args: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    cmd = [sys.executable, "-c", "from warta.cli.main import main; main()", *args, "--db", str(db)]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, check=True, timeout=60).stdout


def test_same_story_three_urls_two_sites_one_cluster(sites: tuple[Site, Site], tmp_path: Path) -> None:
    a, b = sites
    story, other = body_of(0), body_of(1)
    copy = ["JAKARTA, KOMPAS.com - " + story[0].split(" - ", 1)[1], *story[1:3],
            "Baca juga: Bandara Lombok kembali dibuka", *story[3:]]
    a.pages["/berita/1"] = page("29 penerbangan dibatalkan", "2015-11-05T14:56:43+07:00", story)
    a.pages["/amp/berita/1"] = page("29 penerbangan dibatalkan", "2015-11-05T15:10:00+07:00", story)
    b.pages["/read/777"] = page("Abu Rinjani, bandara ditutup", "2015-11-05T16:00:00+07:00", copy)
    b.pages["/read/778"] = page("Prostitusi pelajar", "2015-11-05T13:00:00+07:00", other)
    db = tmp_path / "w.db"
    with Store(db) as store:
        # stored in a different order than published: the copy first, the original last
        ids = {p: crawl(store, b.url("localhost", p))[0] for p in ("/read/777", "/read/778")}
        ids |= {p: crawl(store, a.url("127.0.0.1", p))[0] for p in ("/amp/berita/1", "/berita/1")}
        info = cluster_info(store, list(ids.values()))
    assert info[ids["/read/777"]][0] == info[ids["/amp/berita/1"]][0] == info[ids["/berita/1"]][0]
    assert info[ids["/read/778"]][0] != info[ids["/berita/1"]][0]
    originals = [p for p, i in ids.items() if info[i][1] and p != "/read/778"]
    assert originals == ["/berita/1"]
    (listed,) = [json.loads(line) for line in cli(db, "clusters", "--json").splitlines()]
    assert listed["size"] == 3 and listed["original"] == ids["/berita/1"]
    assert {m["url"].split("/")[2].split(":")[0] for m in listed["members"]} == {"127.0.0.1", "localhost"}
    assert "original: " in cli(db, "clusters")


def test_changed_page_fetched_again_yields_two_revisions_and_a_diff(
    sites: tuple[Site, Site], tmp_path: Path
) -> None:
    a, _ = sites
    story = body_of(0)
    url = a.url("127.0.0.1", "/berita/1")
    a.pages["/berita/1"] = page("29 penerbangan dibatalkan", "2015-11-05T14:56:43+07:00", story)
    db = tmp_path / "w.db"
    with Store(db) as store:
        first, _ = crawl(store, url)
        crawl(store, url)  # unchanged: no new version
        a.pages["/berita/1"] = page(
            "31 penerbangan dibatalkan", "2015-11-05T14:56:43+07:00",
            [story[0].replace("Sebanyak 29", "Sebanyak 31"), *story[1:]],
        )
        again, _ = crawl(store, url)
        assert again == first
    versions = [json.loads(line) for line in cli(db, "history", url, "--json").splitlines()]
    assert [v["version"] for v in versions] == [1, 2]
    diff = versions[1]["diff"]
    assert "-# 29 penerbangan dibatalkan" in diff and "+# 31 penerbangan dibatalkan" in diff
    assert any(line.startswith("+") and "Sebanyak 31" in line for line in diff.splitlines())
    text = cli(db, "history", url)
    assert "version 2" in text and "Sebanyak 29" in text
