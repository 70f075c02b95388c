"""BatchExtractor on the local executor: a worker killed mid-document costs the document nothing."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from warta.extract.batch import BatchExtractor
from warta.model import Article, Skip, SkipReason

# ~2 MB of article paragraphs: well over a second of extraction
PAGE = b"<html><body><article>" + b"<p>Harga emas naik hari ini di Jakarta, kata pedagang <a href=/x>x</a>.</p>" * 30000 + b"</article></body></html>"


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _kill_when_busy(pid: int) -> threading.Thread:
    """Kill ``pid`` once it has used 0.2 s of CPU more than now (it is extracting)."""
    start = _cpu_ticks(pid)
    tick = os.sysconf("SC_CLK_TCK")

    def run() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _cpu_ticks(pid) - start < 0.2 * tick:
            time.sleep(0.02)
        os.kill(pid, signal.SIGKILL)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads CPU time from /proc")
def test_worker_killed_mid_document_is_replaced_and_the_document_extracted_again() -> None:
    with BatchExtractor(workers=1, timeout=120.0) as batch:
        batch.start()
        (victim,) = batch.pids()
        killer = _kill_when_busy(victim)
        ((key, result),) = list(batch.extract_many([("page", PAGE, "https://a.test/x")]))
        killer.join(5)
        assert key == "page" and isinstance(result, Article) and result.url == "https://a.test/x"
        (fresh,) = batch.pids()
        assert fresh != victim


def test_skips_carry_the_url_and_repeated_keys_each_get_a_result() -> None:
    small = b"<html><body><article><p>" + b"Warga menyambut baik jembatan baru itu, kata kepala desa. " * 8 + b"</p></article></body></html>"
    docs: list[tuple[str, str | bytes, str | None]] = [
        ("slow", PAGE, "https://a.test/slow"),
        ("big", PAGE * 2, "https://a.test/big"),
        ("dup", small, "https://a.test/d1"),
        ("dup", small, "https://a.test/d2"),
    ]
    with BatchExtractor(workers=1, timeout=0.05, max_bytes=3_000_000) as batch:
        batch.start()
        out = list(batch.extract_many(docs))
    assert sorted(key for key, _ in out) == ["big", "dup", "dup", "slow"]
    by_url = {result.url: result for _, result in out}
    slow, big = by_url["https://a.test/slow"], by_url["https://a.test/big"]
    assert isinstance(slow, Skip) and slow.reason is SkipReason.TIMEOUT
    assert isinstance(big, Skip) and big.reason is SkipReason.TOO_LARGE
    assert {"https://a.test/d1", "https://a.test/d2"} <= set(by_url)
