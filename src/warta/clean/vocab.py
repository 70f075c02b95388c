"""Compiled vocabulary for cleaning: furniture phrases (``furniture.toml``), byline labels
(``warta/lang/*.toml`` plus ``furniture.toml``) and stopword lists (jusText's, per language).

Everything is built once per process by :func:`vocabulary` and then only read.
"""

from __future__ import annotations

import functools
import math
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from itertools import compress, count

from warta import lang

BYLINE_LANGS = ("id", "en")
PHRASE_TOKEN = re.compile(r"\w+|[©@]")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    promo: frozenset[tuple[str, ...]]  # phrases as word tuples
    promo_len: int  # longest phrase in words
    promo_first: frozenset[str]  # first words of the phrases
    heading: re.Pattern[str]
    heading_first: frozenset[str]  # first words of the widget headings ("word*": a prefix)
    heading_prefixes: tuple[str, ...]
    credit_tail: re.Pattern[str]
    credit_paren: re.Pattern[str]
    credit_label: re.Pattern[str]
    credit_only: re.Pattern[str]
    photo_agencies: frozenset[str]
    wire: frozenset[str]
    comment_header: re.Pattern[str]
    comment_verbs: frozenset[str]  # last words of comment headers: a cheap test before the regex
    comment_heading: re.Pattern[str]
    byline: re.Pattern[str]  # groups: label, kind words, rest
    byline_first: frozenset[str]  # first words of byline labels
    byline_kind: dict[str, str]  # label (lower) -> "author" | "editor" | "source"
    date_words: frozenset[str]  # month and day names, time words, zone abbreviations (lower case)
    stopwords: dict[str, frozenset[str]]  # language name -> stopwords (lower case)
    word_langs: dict[str, tuple[str, ...]]  # stopword -> languages that list it
    stoplist_weight: dict[str, float]  # language name -> 1 / log(length of its list + 2)
    month_alias: dict[str, str]  # month name of another language (lower case) -> English month name
    month_alias_re: re.Pattern[str]  # finds those names as whole words
    month_words: frozenset[str]  # month names of every language with data (lower case)
    name_stops: frozenset[str]  # words that end a name on a credit line: month and day names, job titles
    by_words: frozenset[str]  # one-word byline labels of every language ("by", "von", "oleh", "par")


def phrase_hits(words: tuple[str, ...], vocab: Vocabulary) -> int:
    """How many promo phrases (tuples of lower-case words) occur in ``words`` (a line's tokens)."""
    firsts, phrases, longest = vocab.promo_first, vocab.promo, vocab.promo_len
    hits = 0
    for i in compress(count(), map(firsts.__contains__, words)):  # where a phrase may start
        for size in range(1, longest + 1):
            if tuple(words[i : i + size]) in phrases:
                hits += 1
                break
    return hits


def _first_words(patterns: list[str]) -> frozenset[str]:
    """Leading literal words of simple patterns such as ``rekomendasi(?: kami)?`` or ``(?:a|b) c``."""
    words: set[str] = set()
    for pattern in patterns:
        head = pattern.split(" ", 1)[0]
        inner = re.match(r"^\(\?:([^()]*)\)", head)
        for option in inner.group(1).split("|") if inner else [head]:
            word = re.match(r"^[^\W\d_]+", option)
            if not word:
                raise ValueError(f"heading pattern needs a literal first word: {pattern!r}")
            text, rest = word.group(0).lower(), option[word.end() :]
            words.add(text)
            if rest.startswith("?"):
                words.add(text[:-1])
            elif rest[:1] in ("[", "("):
                words.add(text + "*")  # a prefix
    return frozenset(words)


def _alternation(words: list[str]) -> str:
    return "|".join(sorted(set(words), key=len, reverse=True))


def _byline_labels(data: dict[str, list[str]]) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for code in BYLINE_LANGS:
        for kind, words in lang.load(code).get("bylines", {}).items():
            if kind in ("author", "editor", "source"):
                kinds.update({w.lower(): kind for w in words})
    for kind, words in data.items():
        kinds.update({w.lower(): kind for w in words})
    return kinds


_ENGLISH_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                   "october", "november", "december")


def _month_aliases() -> tuple[dict[str, str], re.Pattern[str]]:
    """Month names of the other languages with data (``5. März 2024``, ``30 août 2023``) spelled in
    English, for the date parser that reads Indonesian and English only."""
    known = {n.lower() for code in BYLINE_LANGS for names in lang.load(code)["dates"]["months"] for n in names}
    alias: dict[str, str] = {}
    for code in lang.available():
        for number, names in enumerate(lang.load(code).get("dates", {}).get("months", [])):
            alias.update({n.lower(): _ENGLISH_MONTHS[number] for n in names if n.lower() not in known})
    pattern = re.compile(rf"(?<![^\W\d_])(?:{_alternation([re.escape(a) for a in alias])})(?![^\W\d_])", re.IGNORECASE)
    return alias, pattern


def _credit_words() -> tuple[frozenset[str], frozenset[str]]:
    """(words that end a name on a credit line, one-word "by" words), from every language's data."""
    stops: set[str] = set()
    by: set[str] = set()
    for code in lang.available():
        table = lang.load(code)
        for names in [*table.get("dates", {}).get("months", []), *table.get("dates", {}).get("days", [])]:
            stops.update(n.lower() for n in names)
        credits = table.get("credits", {})
        stops.update(w.lower() for w in [*credits.get("roles", []), *credits.get("not_names", [])])
        by.update(w.lower() for w in table.get("bylines", {}).get("by", []) if " " not in w)
    return frozenset(stops), frozenset(by)


def _stoplists() -> tuple[dict[str, frozenset[str]], dict[str, tuple[str, ...]]]:
    import justext  # the stoplists only; loaded once

    lists: dict[str, frozenset[str]] = {}
    index: dict[str, list[str]] = {}
    for name in sorted(justext.get_stoplists()):
        words = frozenset(w.lower() for w in justext.get_stoplist(name))
        lists[name] = words
        for word in words:
            index.setdefault(word, []).append(name)
    return lists, {w: tuple(langs) for w, langs in index.items()}


@functools.cache
def vocabulary() -> Vocabulary:
    data = tomllib.loads(resources.files("warta.clean").joinpath("furniture.toml").read_text("utf8"))
    caps = data["captions"]
    verbs: list[str] = data["comments"]["header_verbs"]
    labels = _byline_labels(data["bylines"])
    label_re = _alternation([re.escape(k).replace("\\ ", "\\s+") for k in labels])
    byline = re.compile(rf"^(?P<label>{label_re})\b\s*[:：]?\s*(?P<rest>\S.{{0,150}})$", re.IGNORECASE)
    stop, word_langs = _stoplists()
    month_alias, month_alias_re = _month_aliases()
    name_stops, by_words = _credit_words()
    date_words: set[str] = set()
    for code in BYLINE_LANGS:
        table = lang.load(code)
        for names in [*table["dates"]["months"], *table["dates"]["days"]]:
            date_words.update(n.lower() for n in names)
        date_words.update(w.lower() for w in table["dates"].get("time_words", []))
        date_words.update(z.lower() for z in table.get("timezones", {}))
    return Vocabulary(
        promo=frozenset(tuple(PHRASE_TOKEN.findall(p.lower())) for p in data["promo"]["phrases"]),
        promo_len=max(len(PHRASE_TOKEN.findall(p)) for p in data["promo"]["phrases"]),
        promo_first=frozenset(PHRASE_TOKEN.findall(p.lower())[0] for p in data["promo"]["phrases"]),
        heading_first=_first_words(data["headings"]["lines"]),
        heading_prefixes=tuple(w[:-1] for w in _first_words(data["headings"]["lines"]) if w.endswith("*")),
        heading=re.compile(rf"^(?:{'|'.join(data['headings']['lines'])})\s*[:»›>]?$", re.IGNORECASE),
        credit_tail=re.compile(caps["credit_tail"]),
        credit_paren=re.compile(caps["credit_paren"], re.IGNORECASE),
        credit_label=re.compile(caps["credit_label"], re.IGNORECASE),
        credit_only=re.compile(caps["credit_only"]),
        photo_agencies=frozenset(a.lower() for a in caps["agencies"]),
        wire=frozenset(a.upper() for a in data["wire"]["agencies"]),
        comment_header=re.compile(
            rf"^.{{2,60}}\b(?:{_alternation([re.escape(v) for v in verbs])})\s*:?$", re.IGNORECASE
        ),
        comment_verbs=frozenset(v.split()[-1].lower() for v in verbs),
        comment_heading=re.compile(rf"^(?:{'|'.join(data['comments']['headings'])})$", re.IGNORECASE),
        byline=byline,
        byline_kind=labels,
        byline_first=frozenset(k.split()[0] for k in labels),
        date_words=frozenset(date_words | {"am", "pm", "utc", "gmt", "at", "on", "updated", "published", "diperbarui", "diterbitkan"}),
        stopwords=stop,
        word_langs=word_langs,
        stoplist_weight={name: 1.0 / math.log(len(words) + 2) for name, words in stop.items()},
        month_alias=month_alias,
        month_alias_re=month_alias_re,
        month_words=frozenset(month_alias) | frozenset(
            n.lower() for code in BYLINE_LANGS for names in lang.load(code)["dates"]["months"] for n in names
        ),
        name_stops=name_stops,
        by_words=by_words,
    )
