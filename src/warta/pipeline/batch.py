"""Article writes grouped into one transaction per batch (one SQLite commit for several articles).

A commit rewrites every B-tree page its writes touched (articles, full-text index, dedupe bands,
frontier), so committing a batch costs little more than committing one article. Crash safety
does not change: each article is written with its URL's outcome in one atomic unit, and its raw
capture was committed before extraction, so a SIGKILL loses only articles waiting in the batch;
the next run re-extracts them from their captures (they are not fetched again).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from warta.model import Article
from warta.store.frontier import Entry, Pending

BATCH_SIZE = 8  # articles per commit
BATCH_WAIT = 0.5  # seconds an article may wait for its batch (a slow, polite crawl still commits)


@dataclass(frozen=True, slots=True)
class ArticleWrite:
    """An extracted article waiting to be stored, with its URL's outcome and the links it gave."""

    entry: Entry
    article: Article
    capture_id: int | None
    outcome: str
    links: tuple[Pending, ...]


class WriteBatch:
    """Pending article writes; :meth:`due` says when to commit them."""

    def __init__(self, size: int = BATCH_SIZE, wait: float = BATCH_WAIT) -> None:
        self.size = max(1, size)
        self.wait = wait
        self._items: list[ArticleWrite] = []
        self._since = 0.0

    def __len__(self) -> int:
        return len(self._items)

    def add(self, item: ArticleWrite) -> None:
        if not self._items:
            self._since = time.monotonic()
        self._items.append(item)

    def due(self) -> bool:
        """True when the batch is full or its oldest article has waited long enough."""
        if not self._items:
            return False
        return len(self._items) >= self.size or time.monotonic() - self._since >= self.wait

    def take(self) -> list[ArticleWrite]:
        items, self._items = self._items, []
        return items
