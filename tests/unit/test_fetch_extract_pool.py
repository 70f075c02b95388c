"""Extraction in worker processes: a document that overruns its timeout is skipped and its
stuck worker replaced, without losing the documents around it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

from warta.model import Article, Skip, SkipReason
from warta.pipeline.extraction import ExtractPool


def slow_or_fast(body: bytes, url: str) -> Article | Skip:
    if body == b"stall":
        time.sleep(60)  # a page that stalls the parser
    return Article(url=url, title=body.decode())


def test_timeout_skips_the_document_and_replaces_the_pool() -> None:
    async def go() -> list[Article | Skip]:
        with ExtractPool(workers=2, timeout=2.0, func=slow_or_fast) as pool:
            first = await asyncio.gather(pool.extract(b"stall", "u0"), pool.extract(b"ok-1", "u1"))
            after = await pool.extract(b"ok-2", "u2")  # a fresh pool serves the next document
            return [*first, after]

    started = time.monotonic()
    stalled, ok1, ok2 = asyncio.run(go())
    assert isinstance(stalled, Skip) and stalled.reason is SkipReason.TIMEOUT
    assert isinstance(ok1, Article) and ok1.title == "ok-1"
    assert isinstance(ok2, Article) and ok2.title == "ok-2"
    assert time.monotonic() - started < 30


def test_default_extractor_runs_in_workers() -> None:
    html = (
        b"<html><head><title>T</title></head><body><article>"
        + b"<p>Kalimat berita yang cukup panjang. </p>" * 20
    )
    html += b"</article></body></html>"

    async def go() -> Article | Skip:
        with ExtractPool(workers=1, timeout=30) as pool:
            return await pool.extract(html, "http://127.0.0.1/a")

    result = asyncio.run(go())
    assert isinstance(result, Article) and "Kalimat berita" in result.text


PRELOADED = """
import asyncio, os, execjobs
from warta.pipeline.extraction import ExtractPool

async def go():
    with ExtractPool(workers=1, timeout=30, func=execjobs.preloaded_extractor) as pool:
        pool.start()  # blocking start-up, as a crawl runs it in a helper thread
        return await pool.extract(str(os.getpid()).encode(), "u")

print(asyncio.run(go()).title)
"""


def test_workers_fork_from_a_server_that_preloaded_the_extractor() -> None:
    """In a fresh process: the fork server is one per process, and the first pool to start it
    chooses its preload."""
    tests = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tests.parent / "src"), str(tests)])}
    out = subprocess.run([sys.executable, "-c", PRELOADED], env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["True", "True"], out.stderr


def test_extract_linked_gives_the_article_and_its_links_from_one_worker_call() -> None:
    html = (
        b"<html><head><title>T</title></head><body><article>"
        + b"<p>Kalimat berita yang cukup panjang. </p>" * 20
        + b'<a href="/2024/01/02/berita-lain#top">lain</a><a href="https://other.example/x">luar</a>'
        + b"</article></body></html>"
    )

    async def go() -> tuple[tuple[Article | Skip, list[str]], tuple[Article | Skip, list[str]]]:
        with ExtractPool(workers=1, timeout=30) as pool, ExtractPool(workers=1, timeout=30, func=slow_or_fast) as own:
            return await pool.extract_linked(html, "http://127.0.0.1/a"), await own.extract_linked(html, "u://x")

    (article, links), (custom, _) = asyncio.run(go())
    assert isinstance(article, Article) and "Kalimat berita" in article.text
    assert links == ["http://127.0.0.1/2024/01/02/berita-lain"]  # same site only, fragment dropped
    assert isinstance(custom, Article) and custom.title == html.decode()  # a custom extractor is kept


def raises_on_boom(body: bytes, url: str) -> Article | Skip:
    if body == b"boom":
        raise ValueError("a bug in the extractor")
    return Article(url=url, title=body.decode())


def test_an_extractor_that_raises_gives_an_error_skip_and_the_crawl_goes_on() -> None:
    async def go() -> list[Article | Skip]:
        with ExtractPool(workers=1, timeout=30, func=raises_on_boom) as pool:
            return list(await asyncio.gather(pool.extract(b"boom", "u0"), pool.extract(b"ok", "u1")))

    boom, ok = asyncio.run(go())
    assert isinstance(boom, Skip) and boom.reason is SkipReason.ERROR and boom.url == "u0"
    assert "a bug in the extractor" in boom.detail
    assert isinstance(ok, Article) and ok.title == "ok"
