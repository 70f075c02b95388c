"""Compiled vocabulary for cleaning: furniture phrases (``furniture.toml``), byline labels
(``warta/lang/*.toml`` plus ``furniture.toml``) and stopword lists (jusText's, per language).

Everything is built once per process by :func:`vocabulary` and then only read.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources

from warta import lang

BYLINE_LANGS = ("id", "en")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    promo: re.Pattern[str]
    heading: re.Pattern[str]
    credit_tail: re.Pattern[str]
    credit_paren: re.Pattern[str]
    credit_label: re.Pattern[str]
    credit_only: re.Pattern[str]
    photo_agencies: frozenset[str]
    wire: frozenset[str]
    byline: re.Pattern[str]  # groups: label, kind words, rest
    byline_kind: dict[str, str]  # label (lower) -> "author" | "editor" | "source"
    stopwords: dict[str, frozenset[str]]  # language name -> stopwords (lower case)
    word_langs: dict[str, tuple[str, ...]]  # stopword -> languages that list it


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
    labels = _byline_labels(data["bylines"])
    label_re = _alternation([re.escape(k).replace("\\ ", "\\s+") for k in labels])
    byline = re.compile(rf"^(?P<label>{label_re})\b\s*[:：]?\s*(?P<rest>\S.{{0,150}})$", re.IGNORECASE)
    stop, word_langs = _stoplists()
    return Vocabulary(
        promo=re.compile("|".join(f"(?:{p})" for p in data["promo"]["patterns"]), re.IGNORECASE),
        heading=re.compile(rf"^(?:{'|'.join(data['headings']['lines'])})\s*[:»›>]?$", re.IGNORECASE),
        credit_tail=re.compile(caps["credit_tail"]),
        credit_paren=re.compile(caps["credit_paren"], re.IGNORECASE),
        credit_label=re.compile(caps["credit_label"], re.IGNORECASE),
        credit_only=re.compile(caps["credit_only"]),
        photo_agencies=frozenset(a.lower() for a in caps["agencies"]),
        wire=frozenset(a.upper() for a in data["wire"]["agencies"]),
        byline=byline,
        byline_kind=labels,
        stopwords=stop,
        word_langs=word_langs,
    )
