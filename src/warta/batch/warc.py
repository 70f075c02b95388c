"""Reading WARC files (FastWARC): response records with HTML become pages to extract.

FastWARC was chosen over warcio by measuring both on the same files (``benchmarks/warc_readers.py``).
Gzip-per-record, whole-file gzip and plain files are detected. Records that cannot become a page
come back as a ``Skip`` with the reason, so nothing read is silently dropped: a non-HTML
response, an HTTP status other than 200, a record cut short (truncated download), an unreadable
tail of the file. Request, metadata and warcinfo records are not pages and are passed over.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warta.errors import ConfigError, InputError
from warta.model import Skip, SkipReason

HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True)
class WarcPage:
    """One HTML response: what a worker needs to extract it."""

    record_id: str
    url: str
    body: bytes
    content_type: str | None


def _fastwarc() -> tuple[Any, Any]:
    try:
        from fastwarc.warc import ArchiveIterator, WarcRecordType
    except ImportError as exc:
        raise ConfigError("reading WARC files needs FastWARC: pip install 'warta[warc]'") from exc
    return ArchiveIterator, WarcRecordType


def _is_html(content_type: str | None, body: bytes) -> bool:
    if content_type:
        return content_type.split(";")[0].strip().lower() in HTML_TYPES
    return body.lstrip()[:1] == b"<"


def read_warc(path: Path) -> Iterator[tuple[str, WarcPage | Skip]]:
    """``(record id, page | Skip)`` for each response record of ``path``, in file order."""
    archive_iterator, types = _fastwarc()
    if not path.is_file():
        raise InputError("no such WARC file", path=str(path))
    n = 0
    try:
        with path.open("rb") as fh:
            for rec in archive_iterator(fh, record_types=types.response, parse_http=True):
                n += 1
                yield _page(rec, n)
    except (OSError, ValueError) as exc:
        yield f"{path.name}#tail-{n + 1}", Skip(SkipReason.UNREADABLE, f"unreadable after record {n}: {exc}"[:300])


def _page(rec: Any, n: int) -> tuple[str, WarcPage | Skip]:
    record_id = str(rec.record_id or f"record-{n}")
    url = str(rec.headers.get("WARC-Target-URI", "") or "")
    body: bytes = rec.reader.read()
    expected = int(rec.content_length or 0)
    if len(body) < expected:
        return record_id, Skip(SkipReason.UNREADABLE, f"truncated record: {len(body)} of {expected} bytes", url=url)
    status = rec.http_headers.status_code
    if status != 200:
        return record_id, Skip(SkipReason.NOT_AN_ARTICLE, f"HTTP status {status}", url=url)
    http_type = rec.http_headers.get("Content-Type")
    if not _is_html(http_type, body):
        return record_id, Skip(SkipReason.NOT_AN_ARTICLE, f"not HTML: {http_type}", url=url)
    return record_id, WarcPage(record_id, url, body, http_type)
