"""Ctrl-C on a long command: one line saying what was kept and how to go on, exit status 130,
and no traceback from any process (a terminal sends SIGINT to the whole process group)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from conftest import warta_cmd, warta_env
from sitefixture import FixtureSite, news_site_pages, sample_articles, slow

SINCE, UNTIL = "2016-02-14", "2016-02-23"


def _interrupt(args: list[str], cwd: Path, ready: object, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run warta in its own process group, wait for ``ready()``, then Ctrl-C the whole group."""
    proc = subprocess.Popen(
        warta_cmd(*args), cwd=cwd, env=warta_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    while not ready() and proc.poll() is None:  # type: ignore[operator]
        assert time.monotonic() < deadline, "the command never reached the point to interrupt"
        time.sleep(0.05)
    assert proc.poll() is None, "the command ended before it could be interrupted"
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_ctrl_c_on_crawl_says_what_was_kept_and_resumes(tmp_path: Path) -> None:
    arts = sample_articles()
    with FixtureSite() as site:
        pages = news_site_pages(site.url, arts)
        for a in arts:  # every article answers slowly: the crawl is surely mid-run when stopped
            pages[a.path] = slow(pages[a.path], 0.4)  # type: ignore[arg-type]
        site.mount(pages)
        db = tmp_path / "w.db"
        args = ["crawl", site.url + "/", "--since", SINCE, "--until", UNTIL, "--db", str(db),
                "--delay", "0.3", "--workers", "2"]
        proc = _interrupt(args, tmp_path, lambda: _stored(db) >= 1)
        assert proc.returncode == 130, proc.stderr
        assert "Traceback" not in proc.stderr and "KeyboardInterrupt" not in proc.stderr, proc.stderr
        assert "Aborted!" not in proc.stderr
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, proc.stderr
        kept = _stored(db)
        assert f"{kept} new article" in lines[0] and "same command" in lines[0] and "resume" in lines[0], lines

        # the same command again finishes the job: all six in-window articles, none twice
        done = subprocess.run(warta_cmd(*args[:-4], "--delay", "0", "--json"), cwd=tmp_path, env=warta_env(),
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["resumed"] is True
        assert _stored(db) == 6


def test_ctrl_c_on_clean_with_workers(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    para = "Jakarta - Pemerintah menyiapkan anggaran baru untuk perbaikan jalan di daerah. " * 6
    with corpus.open("w", encoding="utf8") as fh:
        for n in range(20_000):
            fh.write(json.dumps({"id": str(n), "text": f"Judul berita nomor {n}\n\n{para}\n\n{para}"}) + "\n")
    out = tmp_path / "out.jsonl"

    def started() -> bool:
        return out.exists() and out.stat().st_size > 0

    proc = _interrupt(["clean", str(corpus), "-o", str(out), "--workers", "2", "--quiet"], tmp_path, started)
    assert proc.returncode == 130, proc.stderr
    assert "Traceback" not in proc.stderr and "KeyboardInterrupt" not in proc.stderr, proc.stderr
    assert "Aborted!" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    written = len(out.read_text("utf8").splitlines())
    assert 0 < written < 20_000
    assert f"{written} documents" in lines[0] and str(out) in lines[0], lines


def test_ctrl_c_on_watch_while_it_waits(tmp_path: Path) -> None:
    arts = sample_articles()
    with FixtureSite() as site:
        site.mount(news_site_pages(site.url, arts))
        db = tmp_path / "w.db"
        out = tmp_path / "out.txt"
        args = ["watch", site.url + "/", "--every", "10m", "--db", str(db), "--delay", "0", "--workers", "1"]
        proc = subprocess.Popen(warta_cmd(*args), cwd=tmp_path, env=warta_env(), stdout=out.open("w"),
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        deadline = time.monotonic() + 90
        while "new article" not in out.read_text("utf8"):  # the first poll is done: it sleeps now
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, "the first poll never finished"
            time.sleep(0.1)
        time.sleep(0.5)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "Aborted!" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    kept = _stored(db)
    assert kept > 0 and len(lines) == 1, err
    assert f"{kept} new articles were saved to {db}" in lines[0] and "same command again" in lines[0], lines
