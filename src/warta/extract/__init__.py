"""HTML extraction: one news page -> Article | Skip.

The generic extractor is pure: ``extract(html, url)`` does no I/O. Stages:

- ``warta.extract.html``: decode bytes robustly, guard sizes, parse to an lxml tree
- ``warta.extract.body``: find the article body (blocks, in-body images, removed furniture lines)
- ``warta.extract.metadata``: title, authors, dates, site, tags, ... from JSON-LD, meta, DOM, text
"""

from __future__ import annotations

from warta.extract.core import extract

__all__ = ["extract"]
