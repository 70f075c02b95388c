"""Boilerplate knowledge (class/id hints, furniture line patterns), loaded from ``lang/furniture.toml``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from warta.errors import ConfigError

_SPLIT = re.compile(r"[\s\-_]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_MARKUP = re.compile(r"^<[a-zA-Z!/][^>]*>")
_LETTER = re.compile(r"[^\W\d_]")


def _date_line(months: list[str]) -> re.Pattern[str]:
    """A line made only of a date (a month name and a year or time), with a few filler words."""
    month = "|".join(sorted({re.escape(m) for m in months}, key=len, reverse=True))
    date = rf"(?:\d{{1,2}}\.?\s*(?:{month})\.?,?\s*\d{{4}}|(?:{month})\.?\s+\d{{1,2}},?\s*\d{{4}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}})"
    return re.compile(rf"^\W*(?:[^\W\d_]+\W+|\d{{1,2}}[:.]\d{{2}}\W*){{0,5}}{date}(?:[\W\d]|[ap]\.?m\.?|[A-Z]{{2,4}}\b|et|wib|wita|wit|uhr)*(?:[|•·][^|]{{0,45}})*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Furniture:
    """Compiled boilerplate rules. Build with :func:`load_furniture`."""

    negative: frozenset[str]
    negative_substrings: re.Pattern[str]  # one alternation of the substrings that mark furniture
    positive: frozenset[str]
    hidden_classes: frozenset[str]
    byline: re.Pattern[str]
    promo: re.Pattern[str]
    trailer: re.Pattern[str]
    stop: re.Pattern[str]
    date_line: re.Pattern[str]
    thread: re.Pattern[str] = re.compile(r"(?!)")
    _hints: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)  # attr -> hint
    _lines: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)  # line -> kind

    def words(self, attr: str) -> frozenset[str]:
        """The words of a class/id value (``detail__body-text`` -> detail, body, text)."""
        return _attr_words(attr)

    def hint(self, attr: str) -> str | None:
        """``negative`` if the class/id marks furniture (``mixed`` if it also names article content).
        Remembered per value: pages and sites repeat a few hundred class names."""
        if not attr:
            return None
        found = self._hints.get(attr, "")
        if found == "":
            words = self.words(attr)
            if not (words & self.negative or self.negative_substrings.search(attr.lower())):
                found = None
            else:
                found = "mixed" if words & self.positive else "negative"
            if len(self._hints) < HINTS_REMEMBERED:
                self._hints[attr] = found
        return found

    def is_hidden_class(self, cls: str) -> bool:
        """True if one of the element's class names hides it (``hidden``, ``sr-only``, ...)."""
        return bool(cls) and not self.hidden_classes.isdisjoint(cls.lower().split())

    def is_negative(self, attr: str) -> bool:
        """True if the class/id marks furniture and nothing in it marks article content."""
        return self.hint(attr) == "negative"

    def line_kind(self, line: str) -> str | None:
        """``byline``, ``promo`` or ``trailer`` when a body line is furniture, else None. Remembered for
        a while: every reading of a page asks again about the same lines."""
        if len(line) > 400:
            return None
        found = self._lines.get(line, "")
        if found == "":
            if len(self._lines) >= LINES_REMEMBERED:
                self._lines.clear()
            found = self._lines[line] = self._line_kind(line)
        return found

    def _line_kind(self, line: str) -> str | None:
        if _MARKUP.match(line) or not _LETTER.search(line):
            return "markup"
        if len(line) <= 80 and self.date_line.search(line):
            return "date"
        for kind in ("trailer", "byline", "promo"):
            pattern: re.Pattern[str] = getattr(self, kind)
            if pattern.search(line):
                return kind
        return None


    def is_thread(self, line: str) -> bool:
        """True for a short line that opens the readers' comments by counting them (``Comments (186)``); a
        sentence that counts comments ends in a full stop."""
        return len(line) <= 80 and not line.rstrip().endswith(".") and bool(self.thread.search(line))

    def is_stop(self, line: str) -> bool:
        """True for a short line that starts the related-content tail (``You may also like``)."""
        return len(line) <= 60 and bool(self.stop.search(line))


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    """One regex for many patterns; the anchored ones are tried at the start only (much faster)."""
    anchored = [p[1:] for p in patterns if p.startswith("^")]
    floating = [p for p in patterns if not p.startswith("^")]
    parts = []
    if anchored:
        parts.append("^(?:" + "|".join(f"(?:{p})" for p in anchored) + ")")
    if floating:
        parts.append("(?:" + "|".join(f"(?:{p})" for p in floating) + ")")
    return re.compile("|".join(parts) or r"(?!)", re.IGNORECASE)


HINTS_REMEMBERED = 1 << 16  # class/id values whose hint is remembered (a long crawl meets many)
LINES_REMEMBERED = 1 << 14  # body lines whose kind is remembered (forgotten all at once when full)


@lru_cache(maxsize=HINTS_REMEMBERED)
def _attr_words(attr: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _SPLIT.split(_CAMEL.sub(" ", attr)) if w)


@cache
def load_furniture() -> Furniture:
    """Load and compile ``warta/lang/furniture.toml`` (cached: the data is immutable)."""
    try:
        text = resources.files("warta.lang").joinpath("furniture.toml").read_text("utf8")
        data = tomllib.loads(text)
        hints, lines = data["hints"], data["lines"]
        return Furniture(
            negative=frozenset(w.lower() for w in hints["negative"]),
            negative_substrings=re.compile("|".join(re.escape(s.lower()) for s in hints["negative_substrings"]) or r"(?!)"),
            positive=frozenset(w.lower() for w in hints["positive"]),
            hidden_classes=frozenset(w.lower() for w in hints["hidden_classes"]),
            byline=_alternation(lines["byline"]),
            promo=_alternation(lines["promo"]),
            trailer=_alternation(lines["trailer"]),
            stop=_alternation(lines["stop"]),
            date_line=_date_line(lines["months"]),
            thread=_alternation(lines.get("thread", [])),
        )
    except (OSError, KeyError, tomllib.TOMLDecodeError, re.error) as exc:
        raise ConfigError(f"bad furniture data: {exc}", path="warta/lang/furniture.toml") from exc
