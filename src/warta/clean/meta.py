"""Metadata read from the text of a dump: bylines, captions, dateline, date, title, lead."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from warta.clean.lines import Line
from warta.clean.vocab import Vocabulary, vocabulary
from warta.dates import find_dates
from warta.urls import registered_domain

_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bdan\b|\bund\b|\bet\b)\s*", re.IGNORECASE)
_SOURCE_SPLIT = re.compile(r"\s*[/,;&]\s*|\s+(?:dan|and)\s+", re.IGNORECASE)
_CREDIT_TAIL = re.compile(r"\s+[|/·•–—-]\s+|\s*\(")
_DATE_HINT = re.compile(r"(?<!\d)(?:1[89]|2[01])\d\d(?!\d)")  # a year: nothing to parse without one
YEAR = _DATE_HINT
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
    if not parts:
        return ()
    if not _NAME.match(parts[0]):  # a byline crediting wire services only ("Von dpa") names them
        return tuple(parts) if all(p.upper() in vocab.wire for p in parts) else ()
    # after the first name, a one-word part is a place or an outlet ("Anna Sleegers, Frankfurt")
    names = [parts[0], *(p for p in parts[1:] if _NAME.match(p) and len(p.split()) >= 2 and not p.isupper())]
    return tuple(n for n in map(functools.partial(_before_stops, vocab=vocab), names) if n)


def _before_stops(name: str, vocab: Vocabulary) -> str:
    """``name`` up to a job title or a word that is never part of a name ("Jon King" of "Jon King
    News Reporter", "Vasilisa Stepanenko" of "Vasilisa Stepanenko The Associated Press")."""
    words = name.split()
    for i, word in enumerate(words):
        if word.lower() in vocab.name_stops:
            return " ".join(words[:i])
    return name


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


_CREDIT_SEGMENTS = re.compile(r"\s+[|/·•–—-]\s+|\s*[,;]\s+|\s+(?:and|und|dan|og|och|et|en|y|e|i|mit|with)\s+")
_NAME_MARKS = str.maketrans("", "", ".-'’")  # removed before the letters-only test of a name word
GLUED = re.compile(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ\d])")  # "Jen MillsPublished", "Tobias Mühlbauer24.04.2024"
_PARTICLES = frozenset({"von", "van", "de", "der", "den", "da", "di", "del", "dos", "du", "bin", "binti", "al", "el", "la", "le", "ter", "ten", "zu"})


def credit_names(text: str, vocab: Vocabulary) -> list[str]:
    """Names on a credit line without a label (``Jane Doe``, ``Jane Doe - outlet``, ``Jane Doe /
    OUTLET / Sep 2, 2024``, ``Jane Doe, 26.04.2024 10:00``, ``Kolumne von Jane Doe``, ``Jane Doe and
    John Roe``): each part that is two to four capitalised words, cut where a date, a job title or
    a word glued to the name starts."""
    words = text.lower().split()
    if not vocab.by_words.isdisjoint(words[:-1]):  # "Kolumne von Jane Doe": what follows the by-word
        first = next(i for i, word in enumerate(words) if word in vocab.by_words)
        text = " ".join(text.split()[first + 1 :])
    found: list[str] = []
    for part in _CREDIT_SEGMENTS.split(text):
        name = _name_head(part.strip(" _*"), vocab)
        if name and name not in found:
            found.append(name)
    return found


def _name_head(part: str, vocab: Vocabulary) -> str | None:
    """The name that ``part`` starts with, when it starts with one."""
    kept: list[str] = []
    glued = GLUED.search(part)
    for word in (part[: glued.start()] if glued else part).split():
        low = word.lower().rstrip(".,")
        if low in vocab.name_stops or low in vocab.date_words or not word.translate(_NAME_MARKS).isalpha():
            break
        if low in _PARTICLES and kept:
            kept.append(word)
            continue
        if not word[0].isupper() or len(word) > 2 and word.isupper():
            break
        kept.append(word)
        if len(kept) > 4:
            return None
    while kept and kept[-1].lower() in _PARTICLES:
        kept.pop()
    return " ".join(kept) if len(kept) >= 2 and len(part.split()) <= 2 * len(kept) + 1 else None


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
    """Registered domain of ``url`` (``bisnis.com``, ``detik.co.id``), as the rest of warta reads
    it (:func:`warta.urls.registered_domain`); None when the URL has no host."""
    return registered_domain(url) or None if url else None


_DIGIT = re.compile(r"\d")
NUMERIC_DATE = re.compile(r"\d[./-]\d|年")  # 05/11/2015, 28.04.2023, 2024-05-01, 2025年: may hold a numeric date
GLUED_MONTH = re.compile(r"(?<=[a-zà-ÿ])[A-ZÀ-Þ][a-zà-ÿ]{2,}\.? \d")  # "Associated PressApril 28, 2023"
_YMD_DOTS = re.compile(r"(?<![\d.])((?:19|20)\d\d)\.(\d{1,2})\.(\d{1,2})(?!\d)")  # 2025.05.15
_CJK_DATE = re.compile(r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日\s*(?:(\d{1,2})[時:](\d\d))?")  # 2025年1月14日 01時28分
_DAY_DOT = re.compile(r"(?<!\d)(\d{1,2})\.\s*(?=[^\W\d_])")  # 28. April
_SHORT_YEAR = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d\d)(?![\d.])")  # 27.04.24
_URL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)([/-])(0?[1-9]|1[0-2])\2(0?[1-9]|[12]\d|3[01])(?!\d)"  # /2023/08/30/, 2023-04-25
    r"|(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[01]\d|2[0-3])?(?:[0-5]\d){0,2}(?!\d)"  # 20260425145127
)


def date_text(text: str) -> str | None:
    """``text`` spelled so that the date parser reads its date (None when it shows no year):
    markdown escapes dropped (``28\\. April``), ``28. April`` as ``28 April``, ``2025.05.15``
    and ``2025年1月14日`` as ISO, ``27.04.24`` with its century."""
    if not _DIGIT.search(text):
        return None
    if "\\" in text:
        text = text.replace("\\", "")
    if "年" in text:
        text = _CJK_DATE.sub(lambda m: f"{m[1]}-{m[2]}-{m[3]}" + (f" {m[4]}:{m[5]}" if m[4] else ""), text)
    if not _DATE_HINT.search(text):
        if "." not in text:
            return None
        text = _SHORT_YEAR.sub(r"\1.\2.20\3", text)
        return text if _DATE_HINT.search(text) else None
    if "." in text:
        text = _DAY_DOT.sub(r"\1 ", _YMD_DOTS.sub(r"\1-\2-\3", text))
    return text


def _english_months(text: str, vocab: Vocabulary) -> str | None:
    """``text`` with month names of other languages in English (None when it has none)."""
    spelled = vocab.month_alias_re.sub(lambda m: vocab.month_alias[m.group(0).lower()], text)
    return spelled if spelled != text else None


def _url_path(url: str) -> str:
    """The path of ``url`` (no host, query or fragment): string splits, cheaper than ``urlsplit``."""
    rest = url.split("://", 1)[1] if "://" in url else url
    path = rest.partition("/")[2]
    return "/" + path.split("?", 1)[0].split("#", 1)[0]


def url_day(url: str | None) -> str | None:
    """The publication day spelled in a URL path (``/2023/08/30/``, ``-2023-04-25/``, ``20260425145127``)."""
    if not url:
        return None
    m = _URL_DATE.search(_url_path(url))
    if not m:
        return None
    year, month, day = (int(g) for g in ((m[1], m[3], m[4]) if m[1] else (m[5], m[6], m[7])))
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:  # 2024/02/30: not a day
        return None


def find_published(texts: Iterable[str], vocab: Vocabulary | None = None, day: str | None = None) -> str | None:
    """The first date in the given texts (header lines, then the first paragraph). With ``day``
    (the URL's date) the first date must fall on it, else ``day`` itself is the answer."""
    vocab = vocab or vocabulary()
    for raw in texts:
        text = date_text(raw)
        if text is None:
            continue
        dates = find_dates(text)
        if not dates and (english := _english_months(text, vocab)):
            dates = find_dates(english)
        if dates and 1990 <= dates[0].day.year <= 2100:
            found = dates[0].isoformat()
            return found if day is None or found.startswith(day) else day
    return day


def is_date_line(line: Line, vocab: Vocabulary) -> bool:
    """A short line that is mostly a date (``Rabu, 5 Oktober 2016 14:30 WIB``): a cheap token test,
    no date parsing."""
    other = sum(1 for t in line.tokens if not t.isdigit() and t not in vocab.date_words)
    return other <= max(1, len(line.tokens) // 4)


def paraphrases(lead: Iterable[str], first: Iterable[str]) -> bool:
    """The lead repeats the first body paragraph in other words (a summary line): compared on the
    two lines' lower-case word tokens (``Line.tokens``)."""
    a = set(lead)
    return len(a) >= 8 and len(a.intersection(first)) >= 0.6 * len(a)


def slug_tokens(url: str | None) -> set[str]:
    if not url:
        return set()
    path = urlsplit(url).path
    return {t for t in re.split(r"[^a-z0-9]+", path.lower()) if len(t) > 2 and not t.isdigit()}


TIME_OR_DATE = re.compile(
    r"(?<!\d)\d{1,2}[:.]\d\d(?!\d)|(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?!\d)|\d{4}-\d\d-\d\d|\d年\d{1,2}月|\d時\d{1,2}分"
)
_GERMAN_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def headline_slug(url: str | None) -> frozenset[str]:
    """Words of the URL path segment that spells the headline: the segment with the most words
    (``/news/world/gaza-ceasefire-talks-resume-1.72`` -> gaza, ceasefire, talks, resume), percent
    escapes decoded, file extension dropped; empty when fewer than two words. Section names and ids
    in other segments do not count."""
    if not url:
        return frozenset()
    segment = max(_url_path(url).split("/"), key=lambda s: s.count("-") + s.count("_"))
    stem, dot, suffix = segment.rpartition(".")
    if dot and suffix.isalpha() and len(suffix) <= 5:  # .html, .php, .shtml, .cms
        segment = stem
    if "%" in segment:
        segment = unquote(segment)
    words = frozenset(w for w in _SLUG_SPLIT.split(segment.lower()) if len(w) > 2 and not w.isdigit())
    return words if len(words) >= 2 else frozenset()  # one word says nothing about the headline


def slug_share(tokens: tuple[str, ...], slug: frozenset[str], ascii_only: bool = False) -> float:
    """Share of the slug's words that the line spells, also with accents dropped (``försvunnen``
    in a ``forsvunnen`` slug) or German umlauts spelled out (``Rückbau`` in ``rueckbau``);
    ``ascii_only`` says the tokens are ASCII already (nothing to fold)."""
    if len(slug) < 2:
        return 0.0
    found = slug.intersection(tokens)
    if len(found) < len(slug) and not ascii_only:
        plain = [t for t in tokens if not t.isascii()]
        if plain:
            found = found.union(slug.intersection(
                [unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode() for t in plain]
                + [t.translate(_GERMAN_FOLD) for t in plain]
            ))
    return len(found) / len(slug)


def is_time_line(line: Line) -> bool:
    """A short line showing a clock time or a numeric date (``Stand: 08.07.2026 05:00 Uhr``,
    ``2025年1月14日 01時28分``): a date stamp, whatever words surround it."""
    if line.words >= 12 or "".join(line.tokens).isalpha():  # no digit: one C call rules most lines out
        return False
    return bool(TIME_OR_DATE.search(line.text))
