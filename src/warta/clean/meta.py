"""Metadata read from the text of a dump: bylines, captions, dateline, date, title, lead."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from warta.clean.lines import Line
from warta.clean.vocab import Vocabulary
from warta.dates import find_dates

_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bdan\b|\bund\b|\bet\b)\s*", re.IGNORECASE)
_SOURCE_SPLIT = re.compile(r"\s*[/,;&]\s*|\s+(?:dan|and)\s+", re.IGNORECASE)
_CREDIT_TAIL = re.compile(r"\s+[|/·•–—-]\s+|\s*\(")
_DATE_HINT = re.compile(r"(?<!\d)(?:1[89]|2[01])\d\d(?!\d)")  # a year: nothing to parse without one
_SEGMENTS = re.compile(r"\s+[|•·]\s+|\s{2,}")
_NAME = re.compile(r"^[A-Z\u00C0-\u024F][\w.'’\-]*(?:\s+(?:[A-Z\u00C0-\u024F][\w.'’\-]*|bin|binti|van|von|de|der|da|di|al|el|la|le)){0,5}$")
_DATELINE = re.compile(
    r"^(?:(?P<outlet>[A-Z][\w-]*(?:\.(?:[a-z]{2,4}|[A-Z]{2,4})){1,2})\s*,\s*)?"
    r"(?P<city>[A-Z][\w'’.]*(?:[ -][A-Z][\w'’.]*){0,3})"
    r"(?:\s*,\s*(?:[A-Z][\w.]*(?:\s[A-Z][\w.]*)?|\d{1,2}\s\w+\s\d{4}))?"
    r"\s*(?:\((?P<paren>[^()]{2,40})\))?\s*(?:[-–—]{1,2}|:)\s"
)
_DOMAIN_LIKE = re.compile(r"\.(?:[a-z]{2,4}|[A-Z]{2,4})$")
_CITY_STOP = frozenset({"the", "a", "an", "in", "on", "it", "this", "dan", "yang", "di", "ini"})
_SECOND_LEVEL = frozenset({"co", "ac", "go", "or", "com", "net", "org", "gov", "edu", "web", "my", "sch", "mil", "ne"})
_WORD = re.compile(r"\w+")
_SLUG_SPLIT = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class Byline:
    kind: str  # "author" | "editor" | "source"
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Dateline:
    city: str
    outlet: str | None
    agency: str | None


def _names(rest: str, kind: str, vocab: Vocabulary) -> tuple[str, ...]:
    rest = rest.strip(" :-–—|").rstrip(".")
    if kind == "source":
        parts = [p.strip() for p in _SOURCE_SPLIT.split(rest) if p.strip()]
        ok = all(len(p.split()) <= 4 for p in parts)
        return tuple(p.upper() if p.upper() in vocab.wire else p for p in parts) if ok else ()
    rest = _trim_credit_tail(rest, vocab)
    parts = [p.strip() for p in _NAME_SPLIT.split(rest) if p.strip()]
    if not parts or not _NAME.match(parts[0]):
        return ()
    # after the first name, a one-word part is a place or an outlet ("Anna Sleegers, Frankfurt")
    names = [parts[0], *(p for p in parts[1:] if _NAME.match(p) and len(p.split()) >= 2 and not p.isupper())]
    return tuple(names)


def _trim_credit_tail(rest: str, vocab: Vocabulary) -> str:
    """Drop what follows the names on a credit line: a date, ``| outlet``, ``/ outlet``, ``- outlet``."""
    rest = _CREDIT_TAIL.split(rest, maxsplit=1)[0]
    words = rest.split()
    for i, word in enumerate(words):
        if i and (word.lower().rstrip(".,") in vocab.date_words or word[:1].isdigit()):
            return " ".join(words[:i]).rstrip(" ,")
    return rest


def parse_byline(text: str, vocab: Vocabulary) -> list[Byline]:
    """Credit lines such as ``Penulis : Martin Sihombing``, ``Sumber : ANTARA/REUTERS``, ``By Jane Doe``."""
    found: list[Byline] = []
    for segment in _SEGMENTS.split(text):
        m = vocab.byline.match(segment.strip())
        if not m:
            continue
        kind = vocab.byline_kind.get(" ".join(m["label"].lower().split()), "author")
        names = _names(m["rest"], kind, vocab)
        if names:
            found.append(Byline(kind, names))
    return found


def parse_caption(text: str, vocab: Vocabulary) -> tuple[str | None, str | None]:
    """(caption, credit) of a caption line; credit alone for a bare credit line."""
    if vocab.credit_only.match(text):
        return None, text
    if m := vocab.credit_label.search(text):
        return text[: m.start()].strip() or None, m["credit"].strip()
    for pattern in (vocab.credit_paren, vocab.credit_tail):
        if m := pattern.search(text):
            caption = text[: m.start()].rstrip(" /")
            tail = m.group(0)
            if tail[:1] in ".!?\"”)":
                caption += tail[0]
            return caption or None, m["credit"].strip()
    return text, None


def parse_dateline(text: str, vocab: Vocabulary) -> Dateline | None:
    """``Bisnis.com, MOSKOW -``, ``Mataram, NTB (ANTARA News) -``, ``WASHINGTON (Reuters) -``."""
    m = _DATELINE.match(text)
    if not m or m.end() > 80:
        return None
    city = m["city"].strip()
    if city.lower() in _CITY_STOP or len(city) < 3 or _DOMAIN_LIKE.search(city):
        return None
    paren = (m["paren"] or "").strip() or None
    words = re.split(r"[\s/]+", paren.upper()) if paren else []
    agency = words[0] if words and words[0] in vocab.wire else None
    outlet = m["outlet"] or (paren if paren and not agency else None)
    if outlet is None and paren is None and not city.isupper():
        return None  # "Word -" alone is too weak unless printed in capitals
    return Dateline(city, outlet, agency)


def domain_of(url: str | None) -> str | None:
    """Registered domain of ``url`` (``bisnis.com``, ``detik.co.id``); a light public-suffix rule."""
    if not url:
        return None
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower().rstrip(".")
    parts = host.split(".")
    if len(parts) < 2:
        return host or None
    keep = 3 if len(parts) >= 3 and parts[-2] in _SECOND_LEVEL and len(parts[-1]) == 2 else 2
    return ".".join(parts[-keep:])


def find_published(texts: list[str]) -> str | None:
    """The first date in the given texts (header lines, then the first paragraph)."""
    for text in texts:
        if not _DATE_HINT.search(text):
            continue
        dates = find_dates(text)
        if dates and 1990 <= dates[0].day.year <= 2100:
            return dates[0].isoformat()
    return None


def is_date_line(line: Line, vocab: Vocabulary) -> bool:
    """A short line that is mostly a date (``Rabu, 5 Oktober 2016 14:30 WIB``): a cheap token test,
    no date parsing."""
    other = sum(1 for t in line.tokens if not t.isdigit() and t not in vocab.date_words)
    return other <= max(1, len(line.tokens) // 4)


def _tokens(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def is_paraphrase(lead: str, first: str) -> bool:
    """The lead repeats the first body paragraph in other words (a summary line)."""
    a, b = _tokens(lead), _tokens(first)
    return len(a) >= 8 and len(a & b) >= 0.6 * len(a)


def slug_tokens(url: str | None) -> set[str]:
    if not url:
        return set()
    path = urlsplit(url).path
    return {t for t in re.split(r"[^a-z0-9]+", path.lower()) if len(t) > 2 and not t.isdigit()}


_TIME_OR_DATE = re.compile(
    r"(?<!\d)\d{1,2}[:.]\d\d(?!\d)|(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?!\d)|\d{4}-\d\d-\d\d|\d年\d{1,2}月|\d時\d{1,2}分"
)
_GERMAN_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def headline_slug(url: str | None) -> frozenset[str]:
    """Words of the URL path segment that spells the headline: the segment with the most words
    (``/news/world/gaza-ceasefire-talks-resume-1.72`` -> gaza, ceasefire, talks, resume), percent
    escapes decoded. Section names and ids in other segments do not count."""
    if not url:
        return frozenset()
    best: set[str] = set()
    for segment in unquote(urlsplit(url).path).lower().split("/"):
        words = {w for w in _SLUG_SPLIT.split(segment) if len(w) > 2 and not w.isdigit()}
        if len(words) > len(best):
            best = words
    return frozenset(best)


def slug_share(tokens: tuple[str, ...], slug: frozenset[str]) -> float:
    """Share of the slug's words that the line spells, also with accents dropped (``försvunnen``
    in a ``forsvunnen`` slug) or German umlauts spelled out (``Rückbau`` in ``rueckbau``)."""
    if len(slug) < 2:
        return 0.0
    found = set(slug.intersection(tokens))
    if len(found) < len(slug):
        for token in tokens:
            if not token.isascii():
                plain = unicodedata.normalize("NFKD", token).encode("ascii", "ignore").decode()
                found.update(slug.intersection((plain, token.translate(_GERMAN_FOLD))))
    return len(found) / len(slug)


def is_time_line(line: Line) -> bool:
    """A short line showing a clock time or a numeric date (``Stand: 08.07.2026 05:00 Uhr``,
    ``2025年1月14日 01時28分``): a date stamp, whatever words surround it."""
    return line.words < 12 and bool(_TIME_OR_DATE.search(line.text))
