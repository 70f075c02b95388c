"""Pages that are not the publisher's article: walls (challenge pages) and script-only shells.

Both are recognised by their shape, with the thresholds and markers kept as data in
``pages.toml`` beside this module:

- :func:`challenge_marker`: a small page whose raw HTML holds a known challenge marker
  (``cf-chl``, ``Just a moment``, ``captcha`` ...) while it shows almost no visible text. Served
  with any status, 200 included; a 403 or 429 answer is already a wall for the fetcher.
- :func:`script_only`: a page shell whose visible text is under a threshold while the string
  literals of its scripts hold the prose (an article rendered by JavaScript). Asked only about a
  page the extractor found no article in.

Both are pure functions of the bytes; they use regular expressions rather than a parser, so a
hostile page cannot stall the crawl's main process (bodies over a cap are never examined).
"""

from __future__ import annotations

import functools
import html
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from warta.model import Article, Skip, SkipReason

__all__ = ["PageRules", "challenge_marker", "load_page_rules", "script_only", "shell_page", "visible_text"]

_HIDDEN_OPEN = re.compile(rb"<(script|style|noscript|template|svg)\b|<!--", re.IGNORECASE)
_TAG = re.compile(rb"<[^<>]*>")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True, slots=True)
class PageRules:
    """Thresholds and markers of ``pages.toml``."""

    challenge_max_bytes: int
    challenge_max_visible: int
    markers: tuple[str, ...]
    shell_max_visible: int
    shell_min_words: int
    shell_min_literal: int
    shell_max_bytes: int


@functools.cache
def load_page_rules() -> PageRules:
    """The bundled rules (read once; the result is immutable)."""
    text = (resources.files("warta.health") / "pages.toml").read_text(encoding="utf-8")
    data: dict[str, Any] = tomllib.loads(text)
    ch, sh = data["challenge"], data["script_only"]
    return PageRules(
        challenge_max_bytes=int(ch["max_bytes"]),
        challenge_max_visible=int(ch["max_visible_chars"]),
        markers=tuple(str(m).lower() for m in ch["markers"]),
        shell_max_visible=int(sh["max_visible_chars"]),
        shell_min_words=int(sh["min_script_words"]),
        shell_min_literal=int(sh["min_literal_chars"]),
        shell_max_bytes=int(sh["max_bytes"]),
    )


def _split(body: bytes) -> tuple[bytes, list[bytes]]:
    """(the page without scripts, styles, comments ...; the text of its scripts), in one linear
    pass (an unclosed element hides the rest of the page, as it does in a browser)."""
    low = body.lower()
    shown: list[bytes] = []
    scripts: list[bytes] = []
    pos = 0
    while (m := _HIDDEN_OPEN.search(body, pos)) is not None:
        shown.append(body[pos : m.start()])
        name = m.group(1)
        if name is None:  # a comment
            end = low.find(b"-->", m.end())
            pos = len(body) if end < 0 else end + 3
            continue
        start = body.find(b">", m.end())
        end = low.find(b"</" + name.lower(), m.end())
        if start < 0 or end < 0:
            pos = len(body)
            break
        if name.lower() == b"script" and start < end:
            scripts.append(body[start + 1 : end])
        close = body.find(b">", end)
        pos = len(body) if close < 0 else close + 1
    shown.append(body[pos:])
    return b" ".join(shown), scripts


def visible_text(body: bytes) -> str:
    """The text a reader would see: no scripts, styles, comments or tags; whitespace collapsed."""
    return _visible(_split(body)[0])


def _visible(shown: bytes) -> str:
    stripped = _TAG.sub(b" ", shown)
    return _SPACE.sub(" ", html.unescape(stripped.decode("utf-8", "replace"))).strip()


def challenge_marker(body: bytes, rules: PageRules | None = None) -> str | None:
    """The marker naming the wall when ``body`` is a challenge page, else None."""
    r = rules or load_page_rules()
    if len(body) > r.challenge_max_bytes:
        return None
    low = body.lower()
    marker = next((m for m in r.markers if m.encode() in low), None)
    if marker is None or len(visible_text(body)) >= r.challenge_max_visible:
        return None
    return marker


def script_only(body: bytes, rules: PageRules | None = None) -> str | None:
    """A description when ``body`` is a script-only shell (article text only in its scripts)."""
    r = rules or load_page_rules()
    if len(body) > r.shell_max_bytes:
        return None
    page, scripts = _split(body)
    shown = len(_visible(page))
    if shown >= r.shell_max_visible:
        return None
    literal = re.compile(r'"((?:[^"\\]|\\.){' + str(r.shell_min_literal) + r',})"')
    words = 0
    for script in scripts:
        for text in literal.findall(script.decode("utf-8", "replace")):
            if " " in text:  # prose has spaces; tokens, URLs and base64 do not
                words += len(_WORD.findall(text))
    if words < r.shell_min_words:
        return None
    return f"{shown} visible characters, {words} words of text in its scripts"


def shell_page(result: Article | Skip, body: bytes, rules: PageRules | None = None) -> str | None:
    """:func:`script_only` for a page whose extraction found no text (not an article, or an article
    with a title and a date but an empty body), else None."""
    if isinstance(result, Skip):
        return script_only(body, rules) if result.reason is SkipReason.NOT_AN_ARTICLE else None
    return None if result.text.strip() else script_only(body, rules)
