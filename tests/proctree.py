"""Which processes are left under a root process, read from /proc (Linux): for the kill -9 tests and
``benchmarks/reliability.py``."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path


def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, session id) of a live process, None if it is gone or a zombie."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    if fields[0] == "Z":
        return None
    return int(fields[1]), int(fields[3])


def alive(pid: int) -> bool:
    return _stat(pid) is not None


def descendants(root: int) -> set[int]:
    """Live processes below ``root`` by parent links, or in its session (reparented ones)."""
    procs = {int(p): st for p in os.listdir("/proc") if p.isdigit() and (st := _stat(int(p))) is not None}
    found = {pid for pid, (_, sid) in procs.items() if sid == root and pid != root}
    grew = True
    while grew:
        grew = False
        for pid, (ppid, _) in procs.items():
            if pid not in found and (ppid == root or ppid in found):
                found.add(pid)
                grew = True
    return found


def survivors(children: set[int], root: int, wait: float) -> set[int]:
    """The processes of ``children`` or below ``root`` still alive after up to ``wait`` seconds."""
    until = time.monotonic() + wait
    while True:
        left = {pid for pid in children if alive(pid)} | descendants(root)
        if not left or time.monotonic() >= until:
            return left
        time.sleep(0.1)


def kill_all(pids: set[int]) -> None:
    """SIGKILL each of ``pids`` that is still there (cleaning up after a failure)."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
