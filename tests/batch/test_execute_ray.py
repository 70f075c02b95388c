"""The Ray executor on a real local Ray (2 CPUs, started by the test). In CI (CI set) a missing Ray fails."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import execjobs
import warcfiles
from killer import kill_when_written
from warta.batch.run import run_batch
from warta.execute.local import LocalExecutor
from warta.model import Skip, SkipReason
from warta.store.sqlite import Store


@pytest.fixture(scope="module")
def ray_executor() -> Iterator[object]:
    try:
        import ray
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("Ray is not installed but CI is set: install warta[ray]")
        pytest.skip("Ray is not installed (pip install 'warta[ray]'); CI fails here instead")
    import execjobs as jobs

    ray.cloudpickle.register_pickle_by_value(jobs)  # workers need not find the tests directory
    from warta.execute.ray_engine import RayExecutor

    with RayExecutor(2) as ex:
        yield ex
    assert not ray.is_initialized()


def test_ray_maps_items_and_errors(ray_executor: object) -> None:
    out = dict(ray_executor.map(execjobs.fail_on_three, ((f"k{i}", i) for i in range(21)), timeout=30))  # type: ignore[attr-defined]
    assert len(out) == 21  # chunks of 1, 1, 2, 2, 4, 4 and 7 items
    assert [out[f"k{i}"] for i in range(21) if i != 3] == [i for i in range(21) if i != 3]
    assert isinstance(out["k3"], Skip) and out["k3"].reason is SkipReason.ERROR


def test_ray_task_past_its_limit_is_cancelled_as_timeout(ray_executor: object) -> None:
    items = [("slow", 60.0), ("a", 0.0), ("b", 0.01)]
    out = dict(ray_executor.map(execjobs.sleepy, items, timeout=3))  # type: ignore[attr-defined]
    assert isinstance(out["slow"], Skip) and out["slow"].reason is SkipReason.TIMEOUT
    assert (out["a"], out["b"]) == (0.0, 0.01)


def test_ray_task_queued_behind_a_slow_one_gets_its_whole_limit(ray_executor: object) -> None:
    # Two CPUs, two tasks each in flight: q1 and q2 wait 2.5 s behind s1 and s2, then run 1 s.
    # Timed from their submission they would be cancelled at 3 s; from their latest start they have 3 s.
    items = [("s1", 2.5), ("s2", 2.5), ("q1", 1.0), ("q2", 1.0)]
    out = dict(ray_executor.map(execjobs.sleepy, items, timeout=3))  # type: ignore[attr-defined]
    assert out == dict(items)


def test_ray_worker_killed_mid_task_loses_no_item(ray_executor: object, tmp_path: Path) -> None:
    marker = tmp_path / "pid"
    killer = kill_when_written(marker)
    others = [(f"k{i}", str(tmp_path / f"o{i}")) for i in range(3)]
    for _, path in others:
        Path(path).write_text("")
    out = dict(ray_executor.map(execjobs.stall_until_killed, [("victim", str(marker)), *others], timeout=60))  # type: ignore[attr-defined]
    killer.join(5)
    assert set(out) == {"victim", "k0", "k1", "k2"}
    assert isinstance(out["victim"], str) and out["victim"].startswith("done by")


def test_ray_batch_gives_the_same_articles_as_local(ray_executor: object, tmp_path: Path) -> None:
    warcfiles.write_warc(tmp_path / "a.warc.gz", list(warcfiles.many_pages(6)), odd=True, truncate=True)
    warcfiles.write_warc(tmp_path / "b.warc.gz", list(warcfiles.many_pages(6, "other.example.id")))
    inputs = [str(tmp_path / "a.warc.gz"), str(tmp_path / "b.warc.gz")]
    ray_report = run_batch(inputs, ray_executor, db=tmp_path / "ray.db", timeout=30)  # type: ignore[arg-type]
    with LocalExecutor(1) as local:
        local_report = run_batch(inputs, local, db=tmp_path / "local.db", timeout=30)
    assert ray_report.articles == local_report.articles == 13
    assert ray_report.skips == local_report.skips
    with Store(tmp_path / "ray.db") as a, Store(tmp_path / "local.db") as b:
        assert {s.url_key: s.article for s in a.iter_articles()} == {s.url_key: s.article for s in b.iter_articles()}
