"""Revisions: keep each changed version of an article under one URL key, with a readable diff,
and say which stored URLs are due for a revisit on a schedule counted from first_seen.

Version 1 of a stored article is the article row itself until its content changes: a crawl does
not copy every new article's text into ``revisions``. The row is written as version 1 when the
first change is recorded (:func:`record_revision`) or just before an upsert overwrites different
content (:func:`keep_first_version`, called by the store), so no version is ever lost.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import xxhash

from warta.dedupe.normalize import unify
from warta.errors import ConfigError
from warta.model import Article
from warta.store import clusters as db
from warta.store.sqlite import Store, utcnow


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


def _lines(title: str | None, text: str) -> list[str]:
    paras = [unify(p) for p in text.split("\n\n")]
    return [f"# {unify(title or '')}", *[p for p in paras if p]]


def _content_hash(title: str | None, text: str) -> int:
    return db.signed_one(xxhash.xxh3_64_intdigest("\n".join(_lines(title, text)).encode()))


def _latest(store: Store, url_key: str) -> Revision | None:
    row = store.conn.execute(
        "SELECT * FROM revisions WHERE url_key=? ORDER BY version DESC LIMIT 1", (url_key,)
    ).fetchone()
    if row is None:
        return None
    return Revision(url_key, int(row["version"]), str(row["fetched_at"]), row["title"],
                    db.decompress(row["body"]), str(row["diff"]))


def _stored_version(store: Store, url_key: str) -> Revision | None:
    """The stored article under ``url_key`` as version 1 (seen first at its ``first_seen``)."""
    row = store.conn.execute(
        "SELECT title, text, first_seen FROM articles WHERE url_key=?", (url_key,)
    ).fetchone()
    if row is None:
        return None
    return Revision(url_key, 1, str(row["first_seen"]), row["title"], str(row["text"]), "")


def has_versions(store: Store, url_key: str) -> bool:
    """True when versions of ``url_key`` were written (else the stored article is version 1)."""
    row = store.conn.execute("SELECT 1 FROM revisions WHERE url_key=? LIMIT 1", (url_key,)).fetchone()
    return row is not None


def keep_first_version(store: Store, url_key: str) -> Revision | None:
    """Write the stored article as version 1 unless versions exist; returns what was written."""
    if has_versions(store, url_key):
        return None
    first = _stored_version(store, url_key)
    if first is not None:
        _insert(store, first)
    return first


def _insert(store: Store, rev: Revision) -> None:
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO revisions(url_key, version, fetched_at, text_hash, title, body, diff)"
            " VALUES (?,?,?,?,?,?,?)",
            (rev.url_key, rev.version, rev.fetched_at, _content_hash(rev.title, rev.text), rev.title,
             db.compress(rev.text), rev.diff),
        )


def unified_diff(old: Revision, title: str | None, text: str, fetched_at: str) -> str:
    return "\n".join(
        difflib.unified_diff(
            _lines(old.title, old.text), _lines(title, text),
            fromfile=f"v{old.version} {old.fetched_at}", tofile=f"v{old.version + 1} {fetched_at}",
            lineterm="", n=1,
        )
    )


def record_revision(
    store: Store, url_key: str, new_article: Article, fetched_at: str | None = None
) -> Revision | None:
    """Record ``new_article`` as the latest content under ``url_key``.

    The first call for a key keeps version 1 (and returns None): the stored article when there
    is one (the same content returns None, a change is version 2), else ``new_article``. Later
    calls return the new
    :class:`Revision` (with its diff) when the title or body changed, else None. Every call also
    counts as a visit for :func:`due_for_revisit`.
    """
    when = fetched_at or utcnow()
    mark_revisited(store, url_key, when)
    latest = _latest(store, url_key) or keep_first_version(store, url_key)
    title, text = new_article.title, new_article.text
    if latest is None:
        _insert(store, Revision(url_key, 1, when, title, text, ""))
        return None
    if _lines(latest.title, latest.text) == _lines(title, text):
        return None
    rev = Revision(url_key, latest.version + 1, when, title, text, unified_diff(latest, title, text, when))
    _insert(store, rev)
    return rev


def history(store: Store, url_or_key: str) -> list[Revision]:
    """All versions kept for a URL (or URL key), oldest first."""
    row = store.conn.execute(
        "SELECT url_key FROM articles WHERE url_key=? OR url=? OR json_extract(data, '$.canonical_url')=?"
        " LIMIT 1",
        (url_or_key, url_or_key, url_or_key),
    ).fetchone()
    key = str(row[0]) if row else url_or_key
    rows = store.conn.execute("SELECT * FROM revisions WHERE url_key=? ORDER BY version", (key,))
    kept = [
        Revision(key, int(r["version"]), str(r["fetched_at"]), r["title"], db.decompress(r["body"]),
                 str(r["diff"]))
        for r in rows
    ]
    if kept:
        return kept
    first = _stored_version(store, key)  # never changed: the stored article is the only version
    return [first] if first is not None else []


def mark_revisited(store: Store, url_key: str, when: str | None = None) -> None:
    """Note a revisit (e.g. a 304 Not Modified answer) so the schedule moves on."""
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO revisits(url_key, last_visit) VALUES (?,?)"
            " ON CONFLICT(url_key) DO UPDATE SET last_visit=MAX(last_visit, excluded.last_visit)",
            (url_key, when or utcnow()),
        )


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


def due_for_revisit(store: Store, schedule: Sequence[timedelta], now: datetime | None = None) -> list[str]:
    """URLs whose latest passed schedule point (first_seen + offset) is after their last visit."""
    now = now or datetime.now(UTC)
    now_s = now.astimezone(UTC).isoformat(timespec="seconds")
    clauses, params = [], []
    for off in schedule:
        days = off.total_seconds() / 86400
        clauses.append("(julianday(a.first_seen) + ? <= julianday(?) AND julianday(MAX(a.updated_at,"
                       " COALESCE(v.last_visit, a.updated_at))) < julianday(a.first_seen) + ?)")
        params += [days, now_s, days]
    if not clauses:
        return []
    sql = (
        "SELECT COALESCE(a.url, a.url_key) FROM articles a LEFT JOIN revisits v ON v.url_key=a.url_key"
        f" WHERE {' OR '.join(clauses)} ORDER BY a.first_seen, a.id"
    )
    return [str(r[0]) for r in store.conn.execute(sql, params)]
