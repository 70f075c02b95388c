"""Publication and modification dates: JSON-LD, then ``<meta>``, then visible text, then the URL.

The page's own UTC offset is kept (never converted); a date without a time stays a date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from warta.dates import ParsedDate, parse_date
from warta.extract.meta_dom import DomFacts, first_dated
from warta.extract.meta_jsonld import JsonLd
from warta.extract.meta_tags import HeadFacts

PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time", "article:published",
    "datepublished", "parsely-pub-date", "sailthru.date", "dc.date.issued", "dc.date", "dcterms.issued",
    "dcterms.date", "dcterms.created", "publishdate", "publish-date", "publish_date", "pubdate",
    "article.published", "original-publish-date", "date", "datecreated", "created", "article_date_original",
)
MODIFIED_META = (
    "article:modified_time", "og:updated_time", "og:article:modified_time", "datemodified",
    "dc.date.modified", "dcterms.modified", "last-modified", "lastmod", "article.updated", "revised",
)
_URL_MONTH = re.compile(r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>0[1-9]|1[0-2])(?:/|$)")
_DATE_LINE_CHARS = 80  # a date line moved out of the body is at most this long
# a date in the path: ``/2016/10/05/``, ``/2016-10-05-slug``, ``/2023-11/17/``, ``/20161005``; the day must
# end the date (``/2021/09/10-things-to-know`` is a month and a slug, not the tenth)
_URL_DATES = (
    re.compile(
        r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>0[1-9]|1[0-2])[/-](?P<d>0[1-9]|[12]\d|3[01])"
        r"(?:(?<=-\d\d)(?=[-_/.?#]|$)|(?<=/\d\d)(?=[/.?#_]|$))"
    ),
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"),
)


@dataclass(frozen=True, slots=True)
class Dates:
    published: str | None = None
    published_source: str | None = None
    modified: str | None = None
    modified_source: str | None = None

    def provenance_items(self) -> dict[str, tuple[object, str | None]]:
        return {
            "published": (self.published, self.published_source),
            "modified": (self.modified, self.modified_source),
        }


def _parse(value: str | None, *, fallback: bool = True) -> ParsedDate | None:
    if not value or len(value) > 200:
        return None
    return parse_date(value, fallback=fallback)


def url_date(url: str | None) -> str | None:
    """``/2016/10/05/`` or ``/20161005`` in the URL path, as a date alone."""
    if not url:
        return None
    match = next((m for m in (pattern.search(url) for pattern in _URL_DATES) if m), None)
    if not match:
        return None
    parsed = parse_date(f"{match['y']}-{match['m']}-{match['d']}", fallback=False)
    return parsed.isoformat() if parsed else None


def _first(values: tuple[str | None, ...]) -> ParsedDate | None:
    for value in values:
        parsed = _parse(value)
        if parsed:
            return parsed
    return None


def _visible_twin(found: ParsedDate, dom: DomFacts) -> ParsedDate | None:
    """The visible date for the same moment, when metadata lost the time or gave it in UTC only
    (``2016-02-16T02:10:56Z`` shown as ``16 Feb 2016 09:10 WIB``): it carries the page's own offset."""
    value = found.value
    if isinstance(value, dt.datetime) and value.utcoffset() != dt.timedelta(0):
        return None
    shown = dom.first_date()
    if shown is None or not isinstance(shown.value, dt.datetime):
        return None
    if shown.value.tzinfo is None:
        return _shown_offset(value, shown.value)
    if isinstance(value, dt.datetime):
        same = abs((shown.value - value).total_seconds()) < 120
    else:
        same = shown.value.date() == value
    return shown if same else None


_OFFSETS = (-11 * 3600, 14 * 3600)  # seconds: the UTC offsets in use
_ZONE_STEP = 1800  # seconds: offsets are whole hours, or half hours east of UTC (India, Iran, Australia)
_CLOCK_SLACK = 60  # seconds a shown time may differ from the stamp (minutes shown, seconds dropped)


def _shown_offset(value: dt.datetime | dt.date, shown: dt.datetime) -> ParsedDate | None:
    """A UTC stamp (``2016-02-16T02:10:56Z``) whose moment the page shows as a local clock time without a
    zone (``16 Feb 2016 09:10``): the difference is a whole time-zone offset, so the stamp is given in it
    (``2016-02-16T09:10:56+07:00``) and the page's own day is kept."""
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        return None
    delta = (shown - value.astimezone(dt.UTC).replace(tzinfo=None)).total_seconds()
    step = round(delta / _ZONE_STEP) * _ZONE_STEP
    if not step or abs(delta - step) > _CLOCK_SLACK or not _OFFSETS[0] <= step <= _OFFSETS[1]:
        return None
    if step % 3600 and step < 0:
        return None
    return ParsedDate(value.astimezone(dt.timezone(dt.timedelta(seconds=step))))


def _local_twin(found: ParsedDate, values: tuple[str | None, ...]) -> ParsedDate | None:
    """Another stated publication time for the same moment with a local UTC offset, when ``found`` is in
    UTC (JSON-LD ``...Z`` beside ``article:published_time`` ``...-08:00``), or without one but a whole
    time-zone offset away (``publishdate`` ``2024/01/06 06:30:00``): the page's own offset."""
    value = found.value
    if not isinstance(value, dt.datetime) or value.utcoffset() != dt.timedelta(0):
        return None
    for other in values[:20]:
        parsed = _parse(other, fallback=False)
        if parsed is None or not isinstance(parsed.value, dt.datetime):
            continue
        if parsed.value.tzinfo is None:  # "2024/01/06 06:30:00" beside "2024-01-05T23:30:00Z": local time
            shifted = _shown_offset(value, parsed.value)
            if shifted:
                return shifted
            continue
        if parsed.value.utcoffset() and abs((parsed.value - value).total_seconds()) < 120:
            return parsed
    return None


def _url_agrees(found: ParsedDate, url: str | None) -> ParsedDate:
    """A date read from text with day and month both under 13 (``9/03/2012``) is ambiguous; when the URL
    names a year and month (``/2012/09/``) that the reading contradicts and the other reading matches,
    the other reading is the one the page meant."""
    match = _URL_MONTH.search(url or "")
    value = found.value
    if match is None or value.day > 12 or value.day == value.month:
        return found
    year, month = int(match["y"]), int(match["m"])
    if (value.year, value.month) == (year, month) or (value.year, value.day) != (year, month):
        return found
    try:
        swapped = value.replace(month=value.day, day=value.month)
    except ValueError:
        return found
    return dataclasses.replace(found, value=swapped)


def _published(
    head: HeadFacts, ld: JsonLd, dom: DomFacts, url: str | None, furniture: tuple[str, ...] = ()
) -> tuple[ParsedDate | None, str | None]:
    stated = (ld.published, *head.all(*PUBLISHED_META))
    for found, source in ((_parse(ld.published), "jsonld"), (_first(tuple(head.all(*PUBLISHED_META))), "meta")):
        if found:
            twin = _visible_twin(found, dom)
            if twin:
                return twin, "dom"
            local = _local_twin(found, stated)
            return (local, "meta") if local else (found, source)
    found = dom.first_date()
    if found:
        return _url_agrees(found, url), "dom"
    found = first_dated(tuple(line for line in furniture if len(line) <= _DATE_LINE_CHARS))
    if found:
        return _url_agrees(found, url), "text"  # a date line the body walk set aside ("Thursday August 9, 2012")
    from_url = url_date(url)
    return (_parse(from_url), "url") if from_url else (None, None)


def _page_zone(head: HeadFacts, ld: JsonLd, dom: DomFacts) -> dt.tzinfo | None:
    """A local UTC offset the page states elsewhere (``+07:00``, ``WIB``); UTC itself is not borrowed,
    because CMSs often stamp local times with a wrong ``Z``."""
    values = (ld.published, ld.modified, *head.all(*PUBLISHED_META, *MODIFIED_META), *dom.date_texts)
    for value in values[:40]:
        parsed = _parse(value, fallback=False)
        if parsed and isinstance(parsed.value, dt.datetime) and parsed.value.tzinfo is not None:
            offset = parsed.value.utcoffset()
            if offset:
                return parsed.value.tzinfo
    return None


def _with_zone(found: ParsedDate | None, zone: dt.tzinfo | None) -> str | None:
    if found is None:
        return None
    value = found.value
    if isinstance(value, dt.datetime) and value.tzinfo is None and zone is not None:
        return value.replace(tzinfo=zone).isoformat()
    return found.isoformat()


def pick_dates(
    head: HeadFacts, ld: JsonLd, dom: DomFacts, url: str | None, furniture: tuple[str, ...] = ()
) -> Dates:
    """``furniture``: the lines body extraction set aside inside the article container (a date line
    among them is the last resort before the URL)."""
    found, pub_src = _published(head, ld, dom, url, furniture)
    mod_src: str | None = None
    changed = _parse(ld.modified)
    if changed:
        mod_src = "jsonld"
    else:
        changed = _first(tuple(head.all(*MODIFIED_META)))
        mod_src = "meta" if changed else None
    naive = [d for d in (found, changed) if d and isinstance(d.value, dt.datetime) and d.value.tzinfo is None]
    zone = _page_zone(head, ld, dom) if naive else None
    return Dates(_with_zone(found, zone), pub_src, _with_zone(changed, zone), mod_src)
