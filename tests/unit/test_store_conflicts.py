"""retrying: a unit of writes that collided with another writer's is run again, and only then."""

from __future__ import annotations

import pytest

from warta.errors import StoreConflict, StoreError
from warta.store.conflicts import retrying


def test_a_conflict_is_run_again_until_the_unit_succeeds() -> None:
    calls: list[int] = []

    def unit() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise StoreConflict("write failed: deadlock detected")
        return "done"

    assert retrying(unit) == "done" and len(calls) == 3


def test_the_last_conflict_is_raised_after_the_tries() -> None:
    calls: list[int] = []

    def unit() -> None:
        calls.append(1)
        raise StoreConflict("write failed: deadlock detected")

    with pytest.raises(StoreConflict):
        retrying(unit, tries=2)
    assert len(calls) == 2


def test_other_store_errors_are_not_retried() -> None:
    calls: list[int] = []

    def unit() -> None:
        calls.append(1)
        raise StoreError("write failed: disk full")

    with pytest.raises(StoreError):
        retrying(unit)
    assert len(calls) == 1
