"""Property tests: the cleaner's fast paths (one regex pass over the lines, ASCII shortcuts) and
its smoothing agree with plain line-by-line definitions."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from warta.clean.classify import BAD, GOOD, NEAR, SHORT, Label, smooth
from warta.clean.lines import markdown_text, split_lines
from warta.clean.vocab import vocabulary

PIECES = st.sampled_from(
    ["Berita", "terkini", "the", "Council", "said", "2016", "5/10/2016", "|", "/", "·", "»", "*", "**", "_", "#",
     "##", ">", "-", "1.", "12)", "---", "* * *", "![img](x.png)", "[link](http://a.b)", "©", "Ünïcødé", "日本語",
     "\u00a0", "\t", "  ", "\u200b", "\u00ad", "\x1f", "\r", "\r\n", "\x0b", "\x0c", "\x85", "\u2028", ".", ",", ":",
     "\u212a", "İstanbul", "ß", "_x_", "a_b", "kata-kata"]
)
LINE = st.lists(PIECES, max_size=12).map(" ".join) | st.lists(PIECES, max_size=6).map("".join)
DUMP = st.lists(st.one_of(LINE, st.just(""), st.text(max_size=40)), max_size=30).map("\n".join)

TOKEN = re.compile(r"\w+")
SEPARATOR_MARKS = (" | ", " • ", " · ", " » ", " › ", " / ")
TERMINAL = frozenset(".!?…。！？:;\"'”’»)]")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")  # Chinese and Japanese script (Korean spaces its words)
RULE = re.compile(r"^[-=_*~#.\s]{3,}$")


def reference(text: str) -> list[tuple[object, ...]]:
    """The features of each line, line by line with the plainest code (str.splitlines, strip)."""
    out: list[tuple[object, ...]] = []
    for raw in text.replace("\u200b", " ").replace("\ufeff", " ").replace("\u00ad", "").splitlines():
        stripped = raw.strip()
        if not stripped or RULE.match(stripped):
            continue
        clean = markdown_text(stripped)
        if not clean:
            continue
        tokens = tuple(TOKEN.findall(clean.lower()))
        cjk = len(CJK.findall(clean))
        separators = sum(clean.count(m) for m in SEPARATOR_MARKS) if len(tokens) < 60 else 0
        indent = len(raw) - len(raw.lstrip())
        out.append((stripped, clean, len(tokens) + cjk // 2, tokens, clean[-1] in TERMINAL, separators, indent))
    return out


@settings(max_examples=300, deadline=None)
@given(DUMP)
def test_fast_line_parser_matches_the_line_by_line_definition(text: str) -> None:
    import unicodedata

    text = unicodedata.normalize("NFC", text)
    lines = split_lines(text, vocabulary())
    got = [(ln.raw, ln.text, ln.words, ln.tokens, ln.terminal, ln.separators, ln.indent) for ln in lines]
    assert got == reference(text)
    assert [ln.pos for ln in lines] == list(range(len(lines)))


def _nearest(classes: list[str], side: list[str]) -> str:
    return next((c for c in side if c in (GOOD, BAD)), BAD)


def reference_smooth(classes: list[str]) -> list[str]:
    """jusText-style smoothing: near lines join a good neighbour, short lines need two."""
    first = [
        (GOOD if GOOD in (_nearest(classes, classes[:i][::-1]), _nearest(classes, classes[i + 1 :])) else BAD)
        if cls == NEAR else cls
        for i, cls in enumerate(classes)
    ]
    return [
        (GOOD if _nearest(first, first[:i][::-1]) == GOOD == _nearest(first, first[i + 1 :]) else BAD)
        if cls == SHORT else cls
        for i, cls in enumerate(first)
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([GOOD, BAD, NEAR, SHORT]), max_size=60))
def test_smoothing_matches_its_definition(classes: list[str]) -> None:
    labels = [Label(cls, "test") for cls in classes]
    assert smooth(labels) == reference_smooth(classes)
