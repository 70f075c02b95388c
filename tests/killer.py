"""Kill a worker mid-item from a thread: wait for the pid file the item writes, then SIGKILL it."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path


def kill_when_written(marker: Path, times: int = 1, limit: float = 60.0) -> threading.Thread:
    """Start a thread that SIGKILLs the pid written to ``marker``, ``times`` times (new pids only)."""

    def run() -> None:
        killed: set[int] = set()
        end = time.monotonic() + limit
        while len(killed) < times and time.monotonic() < end:
            try:
                pid = int(marker.read_text() or 0)
            except (OSError, ValueError):
                pid = 0
            if pid and pid not in killed:
                time.sleep(0.2)  # let the item get well into its work
                os.kill(pid, signal.SIGKILL)
                killed.add(pid)
            time.sleep(0.05)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread
