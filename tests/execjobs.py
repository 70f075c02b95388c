"""Module-level functions for the executor tests (workers import them by name)."""

from __future__ import annotations

import os
import time
from pathlib import Path


def square(x: int) -> int:
    return x * x


def fail_on_three(x: int) -> int:
    if x == 3:
        raise ValueError("three is not allowed")
    return x


def sleepy(x: float) -> float:
    """Sleeps ``x`` seconds and returns it."""
    time.sleep(x)
    return x


def stall_until_killed(marker: str) -> str:
    """Writes its pid to ``marker`` then stalls the first time; returns at once when it exists."""
    path = Path(marker)
    if path.exists():
        return f"done by {os.getpid()}"
    path.write_text(str(os.getpid()))
    time.sleep(120)
    return "not killed"


def always_stall(marker: str) -> str:
    """Writes its pid to ``marker`` (every attempt) and stalls."""
    Path(marker).write_text(str(os.getpid()))
    time.sleep(120)
    return "not killed"


_STATE: dict[str, object] = {}  # set once per worker by ``remember`` (the executor's initializer)


def remember(value: object, marker: str) -> None:
    """An initializer: keep ``value`` for every item, and count the calls in ``marker``."""
    _STATE["value"] = value
    with open(marker, "a") as fh:
        fh.write(f"{os.getpid()}\n")


def recall(x: int) -> tuple[object, int]:
    """``x`` with the value the initializer kept."""
    return _STATE.get("value"), x


def stamp(x: float) -> float:
    """Sleeps ``x`` seconds and returns the wall time it started at."""
    started = time.time()
    time.sleep(x)
    return started


def echo(data: bytes) -> bytes:
    """Returns its argument (large items and results fill the pipes both ways)."""
    return data


def stall_on_empty(data: bytes) -> int:
    """Stalls for two minutes on ``b""``; else returns the length at once."""
    if not data:
        time.sleep(120)
    return len(data)


def worker_facts(_: object) -> tuple[bool, int]:
    """Whether the fork server preloaded the cleaner's vocabulary here, and this worker's parent."""
    import sys

    return "warta.clean.preload" in sys.modules, os.getppid()


def preloaded_extractor(body: bytes, url: str) -> object:
    """A custom extractor for the crawl's pool: whether the fork server preloaded the extractor here,
    and whether this worker's parent is not the driver (whose pid is the body)."""
    import sys

    from warta.model import Article

    preloaded = "warta.pipeline.preload" in sys.modules and "warta.extract" in sys.modules
    return Article(url=url, title=f"{preloaded} {os.getppid() != int(body)}")
