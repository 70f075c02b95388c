"""Text-dump cleaning: plain or markdown-ish text (scraper output, crawl text, CSV/JSONL corpora)
into the same :class:`~warta.model.Article` that HTML extraction produces.

    >>> from warta.clean import clean
    >>> article = clean(open("dump.txt").read(), url="https://example.com/a")

Each non-empty line is classified as content or furniture from its own signals (repeats inside the
document, promotional and call-to-action phrases, widget headings, bylines, captions and credits,
navigation shape, size, punctuation and stopword density), then smoothed with its neighbours, and the
main run of content is kept. In corpus mode (:mod:`warta.clean.corpus`) lines repeated across many
documents of the same site are furniture too. Metadata (title, lead, dateline, date, bylines,
captions) is read from the same lines.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from warta.clean.article import Cleaner
from warta.model import Article, Skip


def clean(text: str, url: str | None = None) -> Article | Skip:
    """One text dump into an :class:`Article`, or a :class:`Skip` saying why not."""
    return Cleaner().clean(text, url)


class _CallableModule(types.ModuleType):
    """``warta.clean`` is this package *and* callable: ``warta.clean(text, url)`` runs :func:`clean`,
    while ``warta.clean.io`` and the other modules stay reachable."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return clean(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

__all__ = ["clean", "Cleaner"]
