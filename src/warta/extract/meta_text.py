"""Metadata printed in the article text: the dateline, wire credits and closing signatures.

Dateline shapes (generic; the words they contain are data):

- ``Jakarta (ANTARA) -`` / ``Mataram, NTB (ANTARA News) -`` / ``BERLIN (dpa) -``: city, agency
- ``Bisnis.com, MOSKOW -`` / ``TEMPO.CO, Jakarta -``: site, then city
- ``JAKARTA, KOMPAS.com -``: city, then site
- ``Jakarta -`` / ``MATARAM, NTB -``: city alone
- ``ISTANBUL, 23 Februari 2016 /PRNewswire/ --`` or ``(Antara/PRNewswire) --``: city, date, wire
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from warta.extract.meta_authors import agency_name

_DASH = r"\s*(?:--|[-–—])\s*"
_WORD = r"[^\W\d_][\w'’.]*"
_CITY = rf"(?P<city>{_WORD}(?:[ -]{_WORD}){{0,2}})"
_REGION = rf"(?:\s*,\s*(?P<region>{_WORD}(?:\s{_WORD}){{0,2}}))?"
_SITE = r"(?P<site>[\w-]+(?:\.[\w-]+)*\.(?i:com|co|id|net|org|news|tv)(?:\.(?i:[a-z]{2}))?)"
_WIRE = r"\(\s*(?P<wire>[^()]{2,40}?)\s*\)"
_DATE = r"(?:\s*,\s*[^()/\-–—]{4,40}?)?"
_SHAPES = (
    re.compile(rf"^{_CITY}{_REGION}{_DATE}\s*{_WIRE}{_DASH}"),
    re.compile(rf"^{_CITY}{_REGION}{_DATE}\s*/(?P<wire>[^/]{{2,40}})/{_DASH}"),
    re.compile(rf"^{_SITE}\s*,\s*{_CITY}{_DASH}"),
    re.compile(rf"^{_CITY}\s*,\s*{_SITE}{_DASH}"),
    re.compile(rf"^{_CITY}{_REGION}\s+(?:--|[-–—])\s+"),
)
_SIGNATURE = re.compile(r"^[\W\d_]*(?P<sig>[^\W\d_][^\W\d_'’.\s-]*(?:[\s.'’-]+[^\W\d_]+){0,3})[\W\d_]*$")
_TAIL_SIGNATURE = re.compile(r"[.!?\"”’)]\s+(?P<sig>[A-Z][A-Z'’.-]+(?:\s[A-Z][A-Z'’.-]+){0,3})\s*$")
_CALL_MARKS = ("!", "?", ":")
_TRAILER = re.compile(r"\(\s*[a-z0-9]{2,6}(?:\s*/\s*[a-z0-9]{2,6})+\s*\)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Dateline:
    city: str | None
    wires: tuple[str, ...] = ()


def _city_ok(city: str, sites: Sequence[str]) -> bool:
    words = city.split()
    if not all(w[0].isupper() for w in words):
        return False
    folded = re.sub(r"\W+", "", city.casefold())
    return not any(folded and folded in re.sub(r"\W+", "", s.casefold()) for s in sites if len(s) >= 3)


def wires_in(text: str) -> tuple[str, ...]:
    """Agencies named in ``ANTARA/REUTERS`` or ``Antara News/PRNewswire``; the originating wire first."""
    names: list[str] = []
    for part in reversed(re.split(r"\s*[/,;&]\s*|\s+-\s+", text)):
        name = agency_name(part) or (part.strip() if part.strip().isupper() and 2 <= len(part.strip()) <= 12 else None)
        if name is None and "newswire" in part.lower():
            name = part.strip()
        if name and name not in names:
            names.append(name)
    return tuple(names)


def find_dateline(first_paragraph: str, sites: Sequence[str]) -> Dateline | None:
    """The dateline at the start of the first paragraph, with any wire credited in it."""
    head = first_paragraph[:160]
    for shape in _SHAPES:
        match = shape.match(head)
        if not match:
            continue
        city = match["city"]
        if not _city_ok(city, sites):
            continue
        wire = match.groupdict().get("wire")
        return Dateline(city, wires_in(wire) if wire else ())
    return None


def signature(lines: Sequence[str]) -> str | None:
    """A closing signature line (``DINI TEJA``, ``ANTARA``): all capitals, one to four words."""
    for line in reversed(lines[-3:]):
        text = _TRAILER.sub("", " ".join(line.split())).strip()
        tail = _TAIL_SIGNATURE.search(text[-60:])
        if tail and len(tail["sig"]) >= 4:
            return tail["sig"]
        if not text or len(text) > 40:
            continue
        match = _SIGNATURE.match(text)
        if text.endswith(_CALL_MARKS):
            continue  # "JANGAN LEWATKAN!!!", "READ MORE:": a heading calling the reader, not a name
        if match and match["sig"].isupper() and len(match["sig"]) >= 3:
            return match["sig"]
    return None
