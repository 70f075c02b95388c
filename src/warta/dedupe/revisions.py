"""Revisions: keep each changed version of an article under one URL key, with a readable diff,
and say which stored URLs are due for a revisit on a schedule counted from first_seen.

Version 1 of a stored article is the article row itself until its content changes: a crawl does
not copy every new article's text into ``revisions``. The row is written as version 1 when the
first change is recorded (:func:`record_revision`) or, by the store itself, just before an upsert
overwrites different content (:func:`warta.store.revisions.keep_first_version`), so no version is
ever lost. Storage goes through :class:`warta.store.protocols.ClusterStore`.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from warta.errors import ConfigError
from warta.model import Article
from warta.store.backends import StoreLike, open_cluster_store
from warta.store.protocols import ClusterStore, RevisionRecord
from warta.store.revisions import content_hash, content_lines, keep_first_version, stored_version
from warta.store.sqlite import utcnow


@dataclass(frozen=True, slots=True)
class Revision:
    url_key: str
    version: int
    fetched_at: str
    title: str | None
    text: str
    diff: str  # unified diff against the previous version ('' for the first)

    def to_dict(self) -> dict[str, object]:
        return {
            "url_key": self.url_key, "version": self.version, "fetched_at": self.fetched_at,
            "title": self.title, "text": self.text, "diff": self.diff,
        }


def _revision(rec: RevisionRecord) -> Revision:
    return Revision(rec.url_key, rec.version, rec.fetched_at, rec.title, rec.text, rec.diff)


def has_versions(store: StoreLike, url_key: str) -> bool:
    """True when versions of ``url_key`` were written (else the stored article is version 1)."""
    return open_cluster_store(store).has_revisions(url_key)


def _insert(cs: ClusterStore, rev: Revision) -> None:
    cs.add_revision(RevisionRecord(rev.url_key, rev.version, rev.fetched_at, rev.title, rev.text, rev.diff,
                                   content_hash(rev.title, rev.text)))


def unified_diff(old: Revision, title: str | None, text: str, fetched_at: str) -> str:
    return "\n".join(
        difflib.unified_diff(
            content_lines(old.title, old.text), content_lines(title, text),
            fromfile=f"v{old.version} {old.fetched_at}", tofile=f"v{old.version + 1} {fetched_at}",
            lineterm="", n=1,
        )
    )


def record_revision(
    store: StoreLike, url_key: str, new_article: Article, fetched_at: str | None = None
) -> Revision | None:
    """Record ``new_article`` as the latest content under ``url_key``.

    The first call for a key keeps version 1 (and returns None): the stored article when there
    is one (the same content returns None, a change is version 2), else ``new_article``. Later
    calls return the new
    :class:`Revision` (with its diff) when the title or body changed, else None. Every call also
    counts as a visit for :func:`due_for_revisit`.
    """
    when = fetched_at or utcnow()
    with open_cluster_store(store).transaction() as cs:
        cs.mark_revisited(url_key, when)
        kept = cs.latest_revision(url_key) or keep_first_version(cs, url_key)
        latest = _revision(kept) if kept is not None else None
        title, text = new_article.title, new_article.text
        if latest is None:
            _insert(cs, Revision(url_key, 1, when, title, text, ""))
            return None
        if content_lines(latest.title, latest.text) == content_lines(title, text):
            return None
        rev = Revision(url_key, latest.version + 1, when, title, text, unified_diff(latest, title, text, when))
        _insert(cs, rev)
        return rev


def history(store: StoreLike, url_or_key: str) -> list[Revision]:
    """All versions kept for a URL (or URL key), oldest first."""
    cs = open_cluster_store(store)
    key = cs.find_url_key(url_or_key) or url_or_key
    kept = [_revision(r) for r in cs.revisions(key)]
    if kept:
        return kept
    first = stored_version(cs, key)  # never changed: the stored article is the only version
    return [_revision(first)] if first is not None else []


def mark_revisited(store: StoreLike, url_key: str, when: str | None = None) -> None:
    """Note a revisit (e.g. a 304 Not Modified answer) so the schedule moves on."""
    open_cluster_store(store).mark_revisited(url_key, when or utcnow())


def parse_schedule(spec: str) -> list[timedelta]:
    """``"1h,1d,7d"`` -> timedeltas (units s, m, h, d, w)."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
    out = []
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        num, unit = part[:-1], part[-1:].lower()
        if unit not in units or not num.isdigit():
            raise ConfigError(f"bad revisit interval {part!r} (use e.g. 1h,1d,7d)")
        out.append(timedelta(seconds=int(num) * units[unit]))
    return sorted(out)


def due_for_revisit(store: StoreLike, schedule: Sequence[timedelta], now: datetime | None = None) -> list[str]:
    """URLs whose latest passed schedule point (first_seen + offset) is after their last visit."""
    if not schedule:
        return []
    return open_cluster_store(store).due_for_revisit(schedule, now or datetime.now(UTC))
