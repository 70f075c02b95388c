"""warta: turn news web sites into a clean, deduplicated, searchable collection of articles.

Public API::

    warta.extract(html, url=None) -> Article | Skip     # one HTML page
    warta.clean(text, url=None) -> Article | Skip       # one text dump
    warta.cluster(items) -> dict[str, str]              # (id, body) pairs -> cluster ids
    warta.Store(path)                                   # the SQLite store
"""

from __future__ import annotations

__version__ = "0.1.0"

from warta.clean import clean
from warta.dedupe import cluster
from warta.errors import WartaError
from warta.extract import extract
from warta.model import Article, Block, Candidate, Capture, Image, Skip, SkipReason, Verdict
from warta.store import Store

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
