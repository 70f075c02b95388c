"""``kill -9`` of a crawl leaves no process behind: its fork server, extraction workers and the
multiprocessing resource tracker all end within a few seconds (issue 13.3)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import warta_cmd, warta_env
from proctree import descendants, kill_all, survivors
from sitefixture import FixtureSite, SiteArticle, news_site_pages, sample_articles

SINCE, UNTIL = "2016-02-14", "2016-02-23"


def test_sigkill_leaves_no_process_behind(workdir: Path) -> None:
    articles = [
        SiteArticle(f"{a.path}-v{i}", a.html, a.published, f"{a.title} ({i})")
        for i in range(6)
        for a in sample_articles()
    ]
    with FixtureSite() as site:
        site.mount(news_site_pages(site.url, articles, per_page=5))
        args = ["crawl", site.url + "/", "--db", str(workdir / "k.db"), "--since", SINCE, "--until", UNTIL]
        proc = subprocess.Popen(
            warta_cmd(*args, "--delay", "0.3", "--workers", "2", "--quiet"),
            cwd=workdir,
            env=warta_env(),
            start_new_session=True,  # its own session: every process it starts carries its id
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            # wait for the fork server, both workers and the resource tracker (4 descendants)
            deadline = time.monotonic() + 90
            children: set[int] = set()
            while time.monotonic() < deadline and (len(children) < 4 or len(site.log) < 3):
                assert proc.poll() is None, "the crawl ended before it could be killed"
                children |= descendants(proc.pid)
                time.sleep(0.1)
            children |= descendants(proc.pid)
            assert len(children) >= 4, children
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
            left = survivors(children, proc.pid, wait=5)
            assert not left, {pid: Path(f"/proc/{pid}/cmdline").read_bytes()[:200] for pid in left}
        finally:
            if proc.poll() is None:
                proc.kill()
            kill_all(descendants(proc.pid))  # on failure: clean up what the crawl left


POOLS = {
    "clean": (
        "from warta.clean.io import Document\n"
        "from warta.clean.run import clean_documents\n"
        "docs = (Document(str(i), 'Jakarta - Harga emas naik hari ini. ' * 40) for i in range(10**9))\n"
        "for _ in clean_documents(docs, workers=2):\n"
        "    pass\n"
    ),
    "extract-batch": (
        "from warta.extract.batch import BatchExtractor\n"
        # ~9 MB: several seconds per page, so the workers are busy when the owner is killed
        "p = b'<p>Harga emas naik hari ini di Jakarta, kata pedagang <a href=/x>x</a>.</p>' * 120000\n"
        "page = b'<html><body><article>' + p + b'</article></body></html>'\n"
        "with BatchExtractor(workers=2, timeout=300) as batch:\n"
        "    for _ in batch.extract_many((i, page, 'https://a.test/x') for i in range(10**9)):\n"
        "        pass\n"
    ),
}


@pytest.mark.parametrize("name", sorted(POOLS))
def test_sigkill_of_a_clean_or_batch_extraction_leaves_no_process_behind(workdir: Path, name: str) -> None:
    script = POOLS[name]
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=workdir,
        env=warta_env(),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        children: set[int] = set()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(children) < 2:
            assert proc.poll() is None, (name, proc.stderr.read() if proc.stderr else "")
            children |= descendants(proc.pid)
            time.sleep(0.1)
        time.sleep(1.0)  # let the workers get busy
        children |= descendants(proc.pid)
        assert len(children) >= 2, (name, children)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        left = survivors(children, proc.pid, wait=5)
        assert not left, (name, {pid: Path(f"/proc/{pid}/cmdline").read_bytes()[:200] for pid in left})
    finally:
        if proc.poll() is None:
            proc.kill()
        kill_all(descendants(proc.pid))
