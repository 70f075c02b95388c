"""The local executor: results, errors and time limits as values; dead workers lose no item."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import execjobs
from killer import kill_when_written
from warta.execute import make_executor
from warta.execute.local import LocalExecutor
from warta.model import Skip, SkipReason

SRC = str(Path(__file__).resolve().parents[2] / "src")


def test_maps_every_item_and_turns_errors_into_skips() -> None:
    with LocalExecutor(2) as ex:
        out = dict(ex.map(execjobs.fail_on_three, ((f"k{i}", i) for i in range(8)), timeout=30))
    assert set(out) == {f"k{i}" for i in range(8)}
    assert [out[f"k{i}"] for i in range(8) if i != 3] == [0, 1, 2, 4, 5, 6, 7]
    skip = out["k3"]
    assert isinstance(skip, Skip) and skip.reason is SkipReason.ERROR and "three is not allowed" in skip.detail


def test_item_past_its_limit_becomes_timeout_skip_and_the_run_goes_on() -> None:
    with LocalExecutor(2) as ex:
        start = time.monotonic()
        out = dict(ex.map(execjobs.sleepy, [("slow", 60.0), ("a", 0.0), ("b", 0.01), ("c", 0.0)], timeout=1.5))
        took = time.monotonic() - start
        assert isinstance(out["slow"], Skip) and out["slow"].reason is SkipReason.TIMEOUT
        assert (out["a"], out["b"], out["c"]) == (0.0, 0.01, 0.0)
        assert took < 20
        # the replaced worker serves the next map
        assert dict(ex.map(execjobs.square, [("x", 4), ("y", 5)], timeout=30)) == {"x": 16, "y": 25}


def test_worker_killed_mid_item_is_replaced_and_the_item_retried(tmp_path: Path) -> None:
    marker = tmp_path / "pid"
    killer = kill_when_written(marker)
    with LocalExecutor(2) as ex:
        items = [("victim", str(marker))] + [(f"k{i}", str(tmp_path / f"other{i}")) for i in range(3)]
        for i in range(3):
            (tmp_path / f"other{i}").write_text("")  # these return at once
        out = dict(ex.map(execjobs.stall_until_killed, items, timeout=60))
    killer.join(5)
    assert set(out) == {"victim", "k0", "k1", "k2"}
    assert isinstance(out["victim"], str) and out["victim"].startswith("done by")
    assert str(marker.read_text()) not in out["victim"]  # a different process finished it


def test_worker_killed_twice_gives_error_skip(tmp_path: Path) -> None:
    marker = tmp_path / "pid"
    killer = kill_when_written(marker, times=2)
    with LocalExecutor(1) as ex:
        out = dict(ex.map(execjobs.always_stall, [("victim", str(marker))], timeout=60))
    killer.join(5)
    assert isinstance(out["victim"], Skip) and out["victim"].reason is SkipReason.ERROR
    assert "died" in out["victim"].detail


def test_a_map_stopped_early_leaves_no_stale_answers() -> None:
    with LocalExecutor(2) as ex:
        results = ex.map(execjobs.sleepy, [("fast", 0.0), ("slow", 2.0), ("later", 0.0)], timeout=30)
        first = next(results)
        results.close()  # "slow" is still running in a worker
        assert first[0] in ("fast", "slow", "later")
        assert dict(ex.map(execjobs.square, [("x", 3), ("y", 4), ("z", 5)], timeout=30)) == {"x": 9, "y": 16, "z": 25}


DRIVER = """
import sys, time, execjobs
from warta.execute.local import LocalExecutor
ex = LocalExecutor(2)
it = ex.map(execjobs.sleepy, [("a", 0.0), ("b", 0.0)], timeout=30)
list(it)
print(" ".join(map(str, ex.pids())), flush=True)
time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for its reaper counts as dead
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False

def _die_with_driver(proc: subprocess.Popen[str], pids: list[int]) -> bool:
    """Kill -9 the driver; True when every one of ``pids`` is gone within 10 s."""
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not any(_alive(p) for p in pids)



@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux-only")
def test_workers_die_with_their_driver() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, str(Path(__file__).resolve().parents[1])])}
    proc = subprocess.Popen([sys.executable, "-c", DRIVER], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    pids = [int(p) for p in proc.stdout.readline().split()]
    assert len(pids) == 2 and all(_alive(p) for p in pids)
    assert _die_with_driver(proc, pids)


def test_importing_warta_never_imports_ray() -> None:
    code = (
        "import sys, warta, warta.execute, warta.batch.run, warta.batch.clusters, warta.cli.main\n"
        "from warta.execute import make_executor\n"
        "make_executor('local', 1).close()\n"
        "print('ray' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": SRC}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "False"


def test_unknown_engine_and_address_without_ray_are_config_errors() -> None:
    from warta.errors import ConfigError

    with pytest.raises(ConfigError):
        make_executor("spark")
    with pytest.raises(ConfigError):
        make_executor("local", 1, address="ray://x:10001")


def test_chunks_keep_a_limit_per_item_not_per_chunk() -> None:
    with LocalExecutor(1, chunk=4) as ex:
        ex.start()
        out = dict(ex.map(execjobs.sleepy, [(f"k{i}", 0.6) for i in range(4)], timeout=1.5))
    assert out == {f"k{i}": 0.6 for i in range(4)}  # 2.4 s for the chunk, 0.6 s for each item


def test_an_item_past_its_limit_in_a_chunk_resends_the_rest() -> None:
    with LocalExecutor(1, chunk=4) as ex:
        out = dict(ex.map(execjobs.sleepy, [("a", 0.0), ("slow", 60.0), ("b", 0.0), ("c", 0.01)], timeout=1.5))
    assert isinstance(out["slow"], Skip) and out["slow"].reason is SkipReason.TIMEOUT
    assert (out["a"], out["b"], out["c"]) == (0.0, 0.0, 0.01)


def test_worker_killed_mid_chunk_loses_no_item(tmp_path: Path) -> None:
    marker = tmp_path / "pid"
    killer = kill_when_written(marker)
    for i in range(3):
        (tmp_path / f"other{i}").write_text("")
    items = [("k0", str(tmp_path / "other0")), ("victim", str(marker))] + [
        (f"k{i}", str(tmp_path / f"other{i}")) for i in (1, 2)
    ]
    with LocalExecutor(1, chunk=4) as ex:
        out = dict(ex.map(execjobs.stall_until_killed, items, timeout=60))
    killer.join(5)
    assert set(out) == {"victim", "k0", "k1", "k2"}
    assert all(isinstance(v, str) and v.startswith("done by") for v in out.values())


def test_ordered_results_come_in_input_order_with_a_bounded_window() -> None:
    pulled: list[int] = []

    def items() -> Iterator[tuple[int, float]]:
        for i in range(200):
            pulled.append(i)
            yield i, (1.5 if i == 0 else 0.0)

    with LocalExecutor(2, chunk=2) as ex:
        ex.start()
        results = ex.map(execjobs.sleepy, items(), timeout=30, ordered=True)
        first = next(results)
        ahead = len(pulled)  # item 0 took 1.5 s: the other worker ran ahead only so far
        rest = list(results)
    assert first == (0, 1.5)
    assert [k for k, _ in rest] == list(range(1, 200)) and all(v == 0.0 for _, v in rest)
    assert ahead <= 2 * 2 * 2 * 2 + 2, ahead  # window: 2 x ahead (2) x workers x chunk, + one chunk


def test_initializer_runs_once_per_worker(tmp_path: Path) -> None:
    marker = tmp_path / "inits"
    with LocalExecutor(2, chunk=3, initializer=execjobs.remember, initargs=("stats", str(marker))) as ex:
        out = dict(ex.map(execjobs.recall, ((i, i) for i in range(30)), timeout=30))
    assert out == {i: ("stats", i) for i in range(30)}
    assert len(marker.read_text().split()) == 2  # two workers, once each (not per item or chunk)



def test_a_worker_has_its_next_item_while_the_caller_is_busy() -> None:
    """Pipelining: the next item is already in the worker when it finishes one, so it never waits
    for the driver (here: a caller that takes 1.5 s over each result)."""
    with LocalExecutor(1) as ex:
        ex.start()
        results = ex.map(execjobs.stamp, [("a", 0.2), ("b", 0.0)], timeout=30)
        assert next(results)[0] == "a"
        time.sleep(1.5)  # the caller is busy: no driver code runs meanwhile
        resumed = time.time()
        ((key, started),) = list(results)
    assert key == "b" and isinstance(started, float)
    assert started < resumed - 1.0  # "b" started while the caller slept


@pytest.mark.timeout(120)
def test_large_items_and_results_both_ways_do_not_deadlock() -> None:
    """Items and results each far larger than a pipe, two in flight per worker: the driver never
    blocks writing to a worker that is itself blocked writing its result."""
    big = [(i, bytes([i]) * (6 << 20)) for i in range(8)]
    with LocalExecutor(2) as ex:
        out = dict(ex.map(execjobs.echo, big, timeout=60))
    assert out == dict(big)


@pytest.mark.timeout(120)
def test_a_stuck_worker_with_a_large_item_queued_does_not_hold_the_others() -> None:
    """The item queued behind a stuck worker is larger than its pipe: the driver writes what fits
    and goes on, the stuck item times out on time and the queued one runs on a fresh worker."""
    items = [("stuck", b""), ("queued", b"q" * (6 << 20))] + [(f"k{i}", b"x" * (i + 1)) for i in range(6)]
    with LocalExecutor(2, ahead=2) as ex:
        ex.start()
        start = time.monotonic()
        out = dict(ex.map(execjobs.stall_on_empty, items, timeout=2.0))
        took = time.monotonic() - start
    assert isinstance(out["stuck"], Skip) and out["stuck"].reason is SkipReason.TIMEOUT
    assert out["queued"] == 6 << 20 and [out[f"k{i}"] for i in range(6)] == [1, 2, 3, 4, 5, 6]
    assert took < 30


FORKSERVER = """
import os, sys, execjobs
from warta.execute.local import LocalExecutor
ex = LocalExecutor(2, start="forkserver", preload=("warta.clean.preload",))
facts = [r for _, r in ex.map(execjobs.worker_facts, [(0, 0), (1, 1)], timeout=60)]
print(ex.start_method, all(pre for pre, _ in facts), all(parent != os.getpid() for _, parent in facts), flush=True)
print(" ".join(map(str, ex.pids())), "|", " ".join(str(parent) for _, parent in facts), flush=True)
import time; time.sleep(120)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork server and parent-death signal")
def test_forkserver_workers_inherit_the_preload_and_die_with_their_driver() -> None:
    """A fresh process (the fork server is one per process): workers are forked from a server that
    imported the preload; kill -9 of the driver ends the workers and the fork server."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, str(Path(__file__).resolve().parents[1])])}
    proc = subprocess.Popen([sys.executable, "-c", FORKSERVER], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    try:
        assert proc.stdout.readline().split() == ["forkserver", "True", "True"]
        workers, servers = (part.split() for part in proc.stdout.readline().split("|"))
        pids = [int(p) for p in workers] + sorted({int(p) for p in servers})
        assert len(pids) == 3 and all(_alive(p) for p in pids)  # two workers, one fork server
        assert _die_with_driver(proc, pids)
    finally:
        if proc.poll() is None:
            proc.kill()
