"""warta: turn news web sites into a clean, deduplicated, searchable collection of articles.

Public API::

    warta.extract(html, url=None) -> Article | Skip     # one HTML page
    warta.clean(text, url=None) -> Article | Skip       # one text dump
    warta.cluster(items) -> dict[str, str]              # (id, body) pairs -> cluster ids
    warta.Store(path)                                   # the SQLite store
"""

from __future__ import annotations

__version__ = "0.1.0"

import sys as _sys

from warta.clean import clean
from warta.dedupe import cluster
from warta.errors import WartaError
from warta.extract import extract
from warta.model import Article, Block, Candidate, Capture, Image, Skip, SkipReason, Verdict
from warta.store import Store

# ``warta.extract`` and ``warta.clean`` are the packages themselves, made callable (see their
# ``__init__``): the documented module paths (``warta.extract.html.parse_html``) and the calls
# (``warta.extract(html, url)``) both work. Type checkers see the functions imported above.
globals().update(extract=_sys.modules["warta.extract"], clean=_sys.modules["warta.clean"])

__all__ = [
    "__version__",
    "extract",
    "clean",
    "cluster",
    "Article",
    "Block",
    "Image",
    "Skip",
    "SkipReason",
    "Candidate",
    "Capture",
    "Verdict",
    "Store",
    "WartaError",
]
