"""Dates found in sitemaps and feeds, normalised to ISO 8601 before any fetch.

Sitemaps give W3C datetimes (``2016-10-05``, ``2016-10-05T14:56:43+07:00``); RSS gives RFC 822
(``Thu, 05 Nov 2015 14:56:43 +0700``, sometimes with a two-digit year); Atom and Dublin Core give
ISO 8601. :func:`iso_date` turns each into ISO 8601, keeping the publisher's own UTC offset, and
returns None for text it cannot read.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re

__all__ = ["iso_date", "date_of"]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def iso_date(text: str | None) -> str | None:
    """ISO 8601 for a sitemap/feed date string (a date alone stays a date alone)."""
    if not text:
        return None
    value = text.strip()
    if _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    if _ISO_DATETIME.match(value):
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
        except ValueError:
            return None
    return _rfc822(value)


def _rfc822(value: str) -> str | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:
        return None
    return parsed.isoformat()


def date_of(iso: str | None) -> dt.date | None:
    """The calendar day written at the start of an ISO 8601 string (the publisher's local day)."""
    if not iso or len(iso) < 10:
        return None
    try:
        return dt.date.fromisoformat(iso[:10])
    except ValueError:
        return None
