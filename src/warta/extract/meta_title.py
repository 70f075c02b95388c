"""The headline as displayed: agree the ``<h1>`` with og:title / JSON-LD / ``<title>``, strip site suffixes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# separators between a headline and a site name / section in <title> and og:title
_SEPARATOR = re.compile(r"\s+[|\-–—:·•»/~]{1,2}\s+|\s*[|ㅣ｜]\s*|\s+::\s+")
_SITE_PREFIX = re.compile(r"^(?P<site>[^:|]{2,40}?)\s*:\s+")
_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class TitleChoice:
    title: str | None
    source: str  # jsonld / meta / dom


def _norm(text: str) -> str:
    return _ALNUM.sub("", text.casefold())


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _is_site(segment: str, sites: Sequence[str]) -> bool:
    seg = _norm(segment)
    if not seg:
        return True
    for site in sites:
        name = _norm(site)
        if len(name) < 3:
            continue
        if seg == name or (len(seg) >= 3 and seg in name) or (name in seg and len(seg) <= len(name) + 6):
            return True
    return False


def strip_site(title: str, sites: Sequence[str]) -> str:
    """Drop leading/trailing segments that name the site (``... - Kompas.com``, ``Tempo | ...``)."""
    lead = _SITE_PREFIX.match(title)
    if lead and _is_site(lead["site"], sites):
        title = title[lead.end():]
    parts = _SEPARATOR.split(title)
    seps = _SEPARATOR.findall(title)
    if len(parts) < 2:
        return title.strip()
    start, end = 0, len(parts)
    while end - start > 1 and _is_site(parts[end - 1], sites):
        end -= 1
    while end - start > 1 and _is_site(parts[start], sites):
        start += 1
    if (start, end) == (0, len(parts)):
        return title.strip()
    kept = parts[start]
    for index in range(start + 1, end):
        kept += seps[index - 1] + parts[index]
    return kept.strip()


def _matches(h1: str, candidates: Iterable[str]) -> bool:
    folded = _fold(h1)
    norm = _norm(h1)
    for cand in candidates:
        if _fold(cand) == folded or (norm and _norm(cand) == norm):
            return True
    return False


def _with_punctuation(h1: str, metas: Sequence[tuple[str | None, str]], sites: Sequence[str]) -> TitleChoice:
    """The confirmed ``<h1>``; its metadata twin when they differ only in punctuation or spacing, because
    markup often drops the separator between a kicker and the headline (``Kicker<span>Headline``)."""
    norm = _norm(h1)
    for value, source in metas:
        if value:
            text = strip_site(value, sites)
            if _norm(text) == norm:
                return TitleChoice(text, source)
    return TitleChoice(h1, "dom")


def choose_title(
    jsonld: str | None,
    og: str | None,
    twitter: str | None,
    html_title: str | None,
    h1s: Sequence[str],
    sites: Sequence[str],
) -> TitleChoice:
    """The JSON-LD headline (the publisher's own structured statement of it) when there is one; else the
    displayed ``<h1>`` when og:title / twitter:title / ``<title>`` confirm it; else the cleanest of those."""
    if jsonld and _norm(jsonld) not in {_norm(site) for site in sites}:
        return TitleChoice(strip_site(jsonld, sites), "jsonld")
    metas = [t for t in (jsonld, og, twitter) if t]
    stripped = [strip_site(t, sites) for t in (*metas, html_title) if t]
    headings = [h for h in h1s if 0 < len(h) <= 400]
    for h1 in headings:
        if _matches(h1, [*metas, *stripped]):
            return _with_punctuation(h1, [(jsonld, "jsonld"), (og, "meta"), (twitter, "meta")], sites)
    if jsonld:
        return TitleChoice(strip_site(jsonld, sites), "jsonld")
    for value in (og, twitter, html_title):
        if value:
            return TitleChoice(strip_site(value, sites), "meta")
    return TitleChoice(headings[0] if headings else None, "dom")
