"""HTML extraction: one news page -> Article | Skip.

The generic extractor is pure: ``extract(html, url)`` does no I/O. Stages:

- ``warta.extract.html``: decode bytes robustly, guard sizes, parse to an lxml tree
- ``warta.extract.body``: find the article body (blocks, in-body images, removed furniture lines)
- ``warta.extract.metadata``: title, authors, dates, site, tags, ... from JSON-LD, meta, DOM, text
"""

from __future__ import annotations

import sys
import types
from typing import Any

from warta.extract.core import extract


class _CallableModule(types.ModuleType):
    """``warta.extract`` is this package *and* callable: ``warta.extract(html, url)`` runs
    :func:`extract`, while ``warta.extract.html.parse_html`` and the other modules stay reachable."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return extract(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

__all__ = ["extract"]
