"""The one revision the store writes itself: the version an upsert is about to replace.

Version 1 of a stored article is the article row itself until its content changes. When an upsert
is about to overwrite the row with a different title or text, the store first writes the row as
version 1 (:func:`keep_first_version`), so no version is ever lost whoever writes the article (a
crawl, ``warta reextract``, a batch job). Every later version, its diff and the revisit schedule
are the dedupe stage's (:mod:`warta.dedupe.revisions`), which compares content as
:func:`content_lines` reads it, so both hash a version alike (:func:`content_hash`).
"""

from __future__ import annotations

import xxhash

from warta.store.clusters import signed_one
from warta.store.protocols import ClusterStore, RevisionRecord
from warta.textnorm import unify

__all__ = ["content_hash", "content_lines", "keep_first_version", "stored_version"]


def content_lines(title: str | None, text: str) -> list[str]:
    """The title and the paragraphs of a version, unified (what a revision compares and diffs)."""
    paras = [unify(p) for p in text.split("\n\n")]
    return [f"# {unify(title or '')}", *[p for p in paras if p]]


def content_hash(title: str | None, text: str) -> int:
    """The signed 64-bit hash of a version's :func:`content_lines` (``revisions.text_hash``)."""
    return signed_one(xxhash.xxh3_64_intdigest("\n".join(content_lines(title, text)).encode()))


def stored_version(cs: ClusterStore, url_key: str) -> RevisionRecord | None:
    """The stored article under ``url_key`` as version 1 (seen first at its ``first_seen``)."""
    found = cs.article_content(url_key=url_key)
    if found is None:
        return None
    return RevisionRecord(url_key, 1, found.first_seen, found.title, found.text, "",
                          content_hash(found.title, found.text))


def keep_first_version(cs: ClusterStore, url_key: str) -> RevisionRecord | None:
    """Write the stored article as version 1 unless versions exist; returns what was written."""
    if cs.has_revisions(url_key):
        return None
    first = stored_version(cs, url_key)
    if first is not None:
        cs.add_revision(first)
    return first
