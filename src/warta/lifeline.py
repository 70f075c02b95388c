"""Worker processes die with the process that started them, even when it dies by ``kill -9``.

A process pool's workers wait on pipes whose write ends they hold themselves, so the death of the
crawl does not end them; the fork server and the resource tracker then stay too (~170 MB each
time). Every worker and fork server of warta calls :func:`die_with` with the pid of the process
that owns it:

- a watchdog thread waiting on a pidfd of the owner (or polling the parent pid where pidfds are
  missing) ends the process when the owner is gone, which covers a worker whose parent is the
  fork server rather than the owner;
- ``PR_SET_PDEATHSIG`` (Linux, through ``prctl``) in the workers of a fork server: the kernel
  sends SIGKILL when the fork server dies.

When the fork server and the workers are gone, the resource tracker sees the end of its pipe and
exits by itself.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
POLL = 0.5  # seconds between checks where no pidfd is available


def parent_death_signal(sig: int = signal.SIGKILL) -> bool:
    """Ask the kernel to send ``sig`` when this process's parent exits (Linux only)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def die_with(owner: int, parent_signal: bool = False) -> None:
    """End this process (SIGKILL to itself) as soon as process ``owner`` is gone.

    ``parent_signal`` also sets the parent-death signal: only for a parent whose forking thread
    lives as long as it does (a fork server's main loop), since the kernel sends the signal when
    that *thread* ends."""
    if parent_signal:
        parent_death_signal()
    if not _alive(owner):
        _die()
    thread = threading.Thread(target=_watch, args=(owner, os.getppid()), name="warta-lifeline", daemon=True)
    thread.start()


def guard_fork_server() -> None:
    """Called by the fork servers' preload modules: inside a multiprocessing fork server, die
    with the process that started it (elsewhere: nothing)."""
    if any("multiprocessing.forkserver" in arg for arg in getattr(sys, "orig_argv", ())):
        die_with(os.getppid())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _watch(owner: int, parent: int) -> None:
    try:
        fd = os.pidfd_open(owner)
    except (AttributeError, OSError):
        fd = -1
    if fd >= 0:
        select.select([fd], [], [])  # readable once the owner has exited
    else:  # no pidfd: poll (reparenting or a vanished owner both mean it is gone)
        while _alive(owner) and os.getppid() == parent:
            time.sleep(POLL)
    _die()


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)
