"""Running a unit of writes again when it collided with another writer's.

On a shared PostgreSQL database two workers can deadlock (or fail serialization); PostgreSQL rolls
one transaction back whole and warta raises :class:`warta.errors.StoreConflict`. A caller that can
run the whole unit again (it holds everything it writes in memory) passes it to :func:`retrying`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from warta.errors import StoreConflict

T = TypeVar("T")

CONFLICT_TRIES = 5  # a unit of writes that collides with another writer's is run again up to this often


def retrying(unit: Callable[[], T], *, tries: int = CONFLICT_TRIES) -> T:
    """``unit()``, run again after a short random pause (longer each time) when it raises
    :class:`StoreConflict`; the last try's conflict is raised."""
    for attempt in range(1, tries):
        try:
            return unit()
        except StoreConflict:
            time.sleep(random.uniform(0.02, 0.2) * attempt)
    return unit()


__all__ = ["CONFLICT_TRIES", "retrying"]
