"""Cleaning many documents: single-document mode, or corpus mode (learn site furniture in a
first pass, clean in a second)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from warta.clean.article import Cleaner
from warta.clean.corpus import LineStats, site_key
from warta.clean.io import Document
from warta.model import Article, Skip


def learn(docs: Iterable[Document], stats: LineStats | None = None) -> LineStats:
    """First pass of corpus mode: count each document's lines per site (fixed memory)."""
    stats = stats if stats is not None else LineStats()
    for doc in docs:
        stats.add_text(site_key(doc.url, doc.id), doc.text)
    return stats


def clean_documents(
    docs: Iterable[Document], stats: LineStats | None = None
) -> Iterator[tuple[Document, Article | Skip]]:
    """Clean each document; with ``stats`` (from :func:`learn`) site-wide repeated lines are furniture."""
    cleaner = Cleaner(boilerplate=stats.boilerplate if stats is not None else None)
    for doc in docs:
        yield doc, cleaner.clean(doc.text, doc.url, site_key(doc.url, doc.id))
