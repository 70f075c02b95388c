"""Line classification: content or furniture, decided per line from its own signals and then
smoothed with its context (content comes in runs)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from warta.clean.lines import Line, stop_density
from warta.clean.vocab import Vocabulary, phrase_hits

GOOD, NEAR, SHORT, BAD = "good", "near", "short", "bad"
_HAS_LETTER = re.compile(r"[^\W\d_]")
_DATEISH = re.compile(r"\d{4}|\d[/.-]\d")


@dataclass(frozen=True, slots=True)
class Label:
    """The decision for one line: ``cls`` is good/near/short/bad, ``why`` names the signal."""

    cls: str
    why: str


# Labels are immutable: one instance of each, shared.
_NO_LETTERS = Label(BAD, "no-letters")
_PROMO = Label(BAD, "promo")
_WIDGET_HEADING = Label(BAD, "widget-heading")
_BYLINE = Label(BAD, "byline")
_CAPTION = Label(BAD, "caption")
_REPEATED = Label(BAD, "repeated")
_NAVIGATION = Label(BAD, "navigation")
_DATE = Label(BAD, "date")
_SHORT = Label(SHORT, "short")
_PROSE = Label(GOOD, "prose")
_LONG = Label(GOOD, "long")
_MEDIUM = Label(NEAR, "medium")
_CORPUS = Label(BAD, "corpus")
_LINK_LIST = Label(BAD, "link-list")
_COMMENTS = Label(BAD, "comments")


def _repeats(keys: list[str]) -> Counter[str]:
    return Counter(keys)


def _nav_runs(lines: list[Line]) -> set[int]:
    """Menus, link lists, tag clouds (runs of at least 4 items of <= 6 words) and headline lists
    (runs of at least 3 items of <= 30 words); an item does not end like a sentence and is no heading."""
    flagged: set[int] = set()
    nav: list[int] = []
    teaser: list[int] = []
    for line in lines:
        if line.words <= 30 and not line.terminal and line.kind != "heading":
            teaser.append(line.pos)
            if line.words <= 6:
                nav.append(line.pos)
                continue
        else:
            if len(teaser) >= 3:
                flagged.update(teaser)
            teaser = []
        if len(nav) >= 4:
            flagged.update(nav)
        nav = []
    if len(teaser) >= 3:
        flagged.update(teaser)
    if len(nav) >= 4:
        flagged.update(nav)
    return flagged


def _comments_start(lines: list[Line], labels: list[Label], vocab: Vocabulary) -> int:
    """Index where a readers' comment section starts after some content (len(lines) when none)."""
    verbs, header = vocab.comment_verbs, vocab.comment_header
    first = next(
        (ln.pos for ln in lines if ln.words <= 15 and ln.tokens and ln.tokens[-1] in verbs and header.match(ln.text)),
        -1,
    )
    if first < 0:
        return len(lines)
    seen_content = False
    for line, label in zip(lines, labels, strict=True):
        if seen_content and line.pos >= first - 10 and line.words <= 15 and (
            line.pos == first or vocab.comment_heading.match(line.text)
        ):
            return line.pos
        seen_content = seen_content or label.cls == GOOD
    return len(lines)


def is_caption(line: Line, vocab: Vocabulary) -> bool:
    text = line.text
    if line.words > 60:
        return False
    if "/" in text:
        if vocab.credit_only.match(text):
            return True
        m = vocab.credit_tail.search(text)
        if m and "/" in m.group(0):
            return True
    if ":" in text and vocab.credit_label.search(text):
        return True
    return text.endswith(")") and bool(vocab.credit_paren.search(text))


def _own_label(
    line: Line, vocab: Vocabulary, repeats: int, is_date: Callable[[Line], bool], stop: frozenset[str]
) -> Label:
    text, tokens, words = line.text, line.tokens, line.words
    if not text[0].isalpha() and not _HAS_LETTER.search(text):
        return _NO_LETTERS
    if "©" in text and words < 40:
        return _PROMO
    if words < 150 and not vocab.promo_first.isdisjoint(tokens):
        hits = phrase_hits(tokens, vocab)
        if hits and (words < 40 or hits >= 2 and words < 25 * hits):
            return _PROMO
    if words <= 30:  # tokens[0] exists: the line has letters
        first = tokens[0]
        if words <= 8 and (first in vocab.heading_first or first.startswith(vocab.heading_prefixes) or not first.isalpha()) and vocab.heading.match(text):
            return _WIDGET_HEADING
        if first in vocab.byline_first and vocab.byline.match(text):
            return _BYLINE
    if ("/" in text or ":" in text or text[-1] == ")") and is_caption(line, vocab):
        return _CAPTION
    if repeats > 1:
        return _REPEATED
    if line.separators >= 2:
        return _NAVIGATION
    # a date has digits, and digits are in the tokens: one C call rules most lines out before the pattern
    if words < 12 and not "".join(tokens).isalpha() and _DATEISH.search(text) and is_date(line):
        return _DATE
    return _SHORT if words < SHORT_WORDS else _size_label(line, stop)


SHORT_WORDS = 4  # below: a short line, decided by its neighbours
PROSE_WORDS = 12  # at least: prose, when it also ends like a sentence and has stopwords
LONG_WORDS = 30  # at least: content by its length alone
MIN_STOP = 0.12  # stopword density of prose


def _size_label(line: Line, stop: frozenset[str]) -> Label:
    words = line.words
    if words < SHORT_WORDS:
        return _SHORT
    if line.kind == "heading":
        return _MEDIUM  # a heading is never prose on its own
    if words >= LONG_WORDS:
        return _LONG  # good with or without stopwords: no need to count them
    if words >= PROSE_WORDS and (line.terminal or words >= 25):
        density = stop_density(line, stop)
        if density >= MIN_STOP or density == 0.0 and words >= 20:
            return _PROSE
    return _MEDIUM


def label_lines(
    lines: list[Line],
    vocab: Vocabulary,
    is_date: Callable[[Line], bool],
    boilerplate: frozenset[int] = frozenset(),
    *,
    stop: frozenset[str],
) -> list[Label]:
    """Own labels for every line, before context smoothing; ``stop`` is the document's stoplist
    (the stopwords of :func:`warta.clean.lines.document_language`)."""
    keys = [line.text.casefold() for line in lines]
    counts = _repeats(keys)
    nav = _nav_runs(lines)
    labels = [
        _CORPUS if line.pos in boilerplate else _own_label(line, vocab, counts[key], is_date, stop)
        for line, key in zip(lines, keys, strict=True)
    ]
    for pos in nav:
        if labels[pos].cls != BAD:
            labels[pos] = _LINK_LIST
    cut = _comments_start(lines, labels, vocab)
    return labels[:cut] + [_COMMENTS] * (len(lines) - cut)


def _neighbour(classes: list[str], start: int, step: int) -> str:
    i = start + step
    while 0 <= i < len(classes):
        if classes[i] in (GOOD, BAD):
            return classes[i]
        i += step
    return BAD


def smooth(labels: list[Label]) -> list[str]:
    """Resolve near-good and short lines from the nearest decided neighbours (jusText style).
    Undecided runs are short (menus are labelled link lists), so the scans stay short."""
    classes = [lab.cls for lab in labels]
    first = list(classes)
    for i, cls in enumerate(first):
        if cls == NEAR:
            prev, nxt = _neighbour(first, i, -1), _neighbour(first, i, 1)
            classes[i] = GOOD if GOOD in (prev, nxt) else BAD
    second = list(classes)
    for i, cls in enumerate(second):
        if cls == SHORT:
            prev, nxt = _neighbour(second, i, -1), _neighbour(second, i, 1)
            classes[i] = GOOD if prev == GOOD and nxt == GOOD else BAD
    return classes


def title_anchor(lines: list[Line], classes: list[str], candidates: list[int]) -> int:
    """The latest headline candidate with at least half of the content after it (0 when none):
    the story starts after its headline, teasers printed above it are not body."""
    if not candidates:
        return 0
    before = [0]  # content words before each position
    for line, cls in zip(lines, classes, strict=True):
        before.append(before[-1] + line.words if cls == GOOD else before[-1])
    total = before[-1]
    anchor = 0
    for pos in sorted(candidates):
        if total and total - before[pos] >= 0.5 * total:
            anchor = pos
    return anchor


def main_region(
    lines: list[Line], classes: list[str], gap_words: int = 30, share: float = 0.25, penalty: float = 1.0,
    start: int = 0,
) -> list[bool]:
    """Keep the strongest run of content after ``start``; drop content islands far from it and
    much weaker."""
    clusters: list[list[int]] = []
    bad_words = 0
    lo, hi = densest_window(lines[start:], classes[start:], penalty) if penalty else (0, len(lines) - start)
    lo, hi = lo + start, hi + start
    for pos, (words, cls) in enumerate(zip([ln.words for ln in lines], classes, strict=True)):
        if cls == GOOD and lo <= pos < hi:
            if not clusters or bad_words > gap_words:
                clusters.append([])
            clusters[-1].append(pos)
            bad_words = 0
        else:
            bad_words += words if words > 3 else 3
    keep = [False] * len(lines)
    if not clusters:
        return keep
    weights = [sum(lines[i].words for i in c) for c in clusters]
    best = max(weights)
    for cluster, weight in zip(clusters, weights, strict=True):
        if weight >= share * best:
            for i in _trim(cluster, lines):
                keep[i] = True
    return keep


def _prose(line: Line) -> bool:
    return line.terminal or line.words >= 20


def _trim(cluster: list[int], lines: list[Line]) -> list[int]:
    """A run of content starts and ends with prose: kickers, headlines and widget titles at its
    edges are not body."""
    start, end = 0, len(cluster)
    while start < end and not _prose(lines[cluster[start]]):
        start += 1
    while end > start and not _prose(lines[cluster[end - 1]]):
        end -= 1
    return cluster[start:end]


def densest_window(lines: list[Line], classes: list[str], penalty: float = 1.0) -> tuple[int, int]:
    """The window of lines maximising content words minus furniture words (Finn's BTE on lines),
    as offsets into ``lines``."""
    best, best_span = 0.0, (0, 0)
    total, start = 0.0, 0
    for i, (words, cls) in enumerate(zip([ln.words for ln in lines], classes, strict=True)):
        if total <= 0:
            total, start = 0.0, i
        total += words if cls == GOOD else -penalty * (words if words > 2 else 2)
        if total > best:
            best, best_span = total, (start, i + 1)
    return best_span


def align_indent(lines: list[Line], labels: list[Label], keep: list[bool], slack: int = 2) -> list[bool]:
    """Drop kept lines set apart by their indentation: plain-text renderings indent the story's
    paragraphs alike, while teasers and widgets sit at other depths. A line far (> ``slack``
    spaces) from the story's usual indent goes, and so does one at any other indent that was
    kept only through its neighbours."""
    weights: Counter[int] = Counter()
    for line, kept in zip(lines, keep, strict=True):
        if kept:
            weights[line.indent] += line.words
    if len(weights) < 2:
        return keep
    mode = weights.most_common(1)[0][0]
    out = list(keep)
    for line, label in zip(lines, labels, strict=True):
        if out[line.pos] and line.indent != mode and (abs(line.indent - mode) > slack or label.cls != GOOD):
            out[line.pos] = False
    return out
