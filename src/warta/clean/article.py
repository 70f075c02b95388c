"""The cleaner: lines -> labels -> body and metadata -> Article."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import compress
from operator import itemgetter

from warta.clean import meta
from warta.clean.classify import (
    Label,
    align_indent,
    label_lines,
    main_region,
    smooth,
    title_anchor,
)
from warta.clean.lines import Line, document_language, script_language, split_lines
from warta.clean.vocab import Vocabulary, vocabulary
from warta.lang import stoplist_code
from warta.model import Article, Block, BlockType, Image, Skip, SkipReason

MAX_CHARS = 5_000_000
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([:;,!?](?:\s|$))")
_HEADING_MARKS = re.compile(r"^#{1,6}\s+")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20)])  # in UTF-8 only these chars use these bytes


@dataclass(frozen=True, slots=True)
class Parsed:
    """Intermediate result: the lines, their labels, the body decision and the language (the name
    of the stoplist that fits the document best, see :func:`warta.clean.lines.document_language`)."""

    lines: list[Line]
    labels: list[Label]
    keep: list[bool]
    language: str | None = None


@dataclass(slots=True)
class Cleaner:
    """Cleans documents. In corpus mode ``boilerplate(site, lines)`` names the lines known as site
    furniture (see :class:`warta.clean.corpus.LineStats`)."""

    boilerplate: Callable[[str | None, list[Line]], frozenset[int]] | None = None
    vocab: Vocabulary = field(default_factory=vocabulary)

    def parse(self, text: str, url: str | None = None, site: str | None = None) -> Parsed:
        lines = split_lines(text, self.vocab)
        known = self.boilerplate(site, lines) if self.boilerplate is not None else frozenset()
        language = document_language(lines, self.vocab)
        stop = self.vocab.stopwords[language] if language else frozenset()
        labels = label_lines(lines, self.vocab, lambda ln: meta.is_date_line(ln, self.vocab), known, stop=stop)
        classes = smooth(labels)
        anchor = title_anchor(lines, classes, _headline_candidates(lines, url))
        keep = align_indent(lines, labels, main_region(lines, classes, start=anchor))
        return Parsed(lines, labels, keep, language)

    def clean(self, text: str, url: str | None = None, site: str | None = None) -> Article | Skip:
        """``site`` keys corpus statistics (default: the URL's registered domain)."""
        if not text or text.isspace():
            return Skip(SkipReason.EMPTY, url=url)
        if len(text) > MAX_CHARS:
            return Skip(SkipReason.TOO_LARGE, f"{len(text)} characters", url=url)
        if _control_chars(text[:20000]) > 0.01 * min(len(text), 20000):
            return Skip(SkipReason.UNREADABLE, "control characters: not text", url=url)
        parsed = self.parse(text, url, site or meta.domain_of(url))
        if not any(parsed.keep):
            return Skip(SkipReason.NOT_AN_ARTICLE, "no run of prose found", url=url)
        return build_article(parsed, url, self.vocab)


def _control_chars(text: str) -> int:
    """How many C0 control characters other than tab and line breaks ``text`` holds (two passes in C)."""
    data = text.encode("utf-8", "surrogatepass")
    return len(data) - len(data.translate(None, _CONTROL_BYTES))


def _headline_candidates(lines: list[Line], url: str | None) -> list[int]:
    """Lines that are surely a headline: the first level-1 markdown heading, a line matching the URL slug."""
    found = [next((ln.pos for ln in lines if ln.kind == "heading" and ln.level == 1), -1)]
    slug = meta.slug_tokens(url)
    if len(slug) >= 3:
        for line in lines:
            if 3 <= line.words <= 30 and not slug.isdisjoint(line.tokens) and len(slug.intersection(line.tokens)) >= 0.7 * len(slug):
                found.append(line.pos)
                break
    return [pos for pos in found if pos >= 0]


def _block_type(line: Line) -> BlockType:
    if line.kind == "heading" or line.kind == "paragraph" and line.words <= 12 and not line.terminal:
        return "heading"
    if line.kind == "list_item":
        return "list_item"
    return "quote" if line.kind == "quote" else "paragraph"


_SIGNALS = ("caption", "byline", "date")  # the labels whose lines carry metadata


def _signal_lines(parsed: Parsed) -> dict[str, list[Line]]:
    """The lines labelled caption, byline and date, in order (one pass over the document)."""
    found: dict[str, list[Line]] = {why: [] for why in _SIGNALS}
    lines = parsed.lines
    for i, label in enumerate(parsed.labels):
        if label.why in found:
            found[label.why].append(lines[i])
    return found


def _images(captions: list[Line], vocab: Vocabulary) -> tuple[Image, ...]:
    seen: set[str] = set()
    images: list[Image] = []
    for line in captions:
        caption, credit = meta.parse_caption(line.text, vocab)
        key = (caption or credit or "").casefold()
        if caption is None or key in seen:
            continue
        seen.add(key)
        images.append(Image(None, caption, credit))
    return tuple(images)


def _bylines(credit_lines: list[Line], vocab: Vocabulary) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {"author": [], "editor": [], "source": []}
    for line in credit_lines:
        for byline in meta.parse_byline(line.text, vocab):
            bucket = found[byline.kind]
            if byline.kind != "author" or not bucket:
                bucket.extend(n for n in byline.names if n not in bucket)
    return {k: tuple(v) for k, v in found.items()}


CREDIT_BEFORE, CREDIT_AFTER = 40, 10  # byline lines this near the body start come first
_NOT_CREDIT = frozenset({"caption", "promo", "no-letters", "widget-heading"})
MAX_HEADER_NAMES = 4  # more names than this in the header block is a list of people, not a byline
HEADER_LINES = 15  # the header block: the lines below the headline searched for names


def _credits(parsed: Parsed, start: int, headline: Line | None, bylines: list[Line], vocab: Vocabulary) -> dict[str, tuple[str, ...]]:
    """Authors, editors and sources: from the byline lines near the body start (nearest first);
    else from name lines between the headline and the body's first lines (``Jane Doe``, ``Jane Doe
    - outlet``, ``Jane Doe / OUTLET / date``); else from byline lines elsewhere (document order)."""
    lo, hi = start - CREDIT_BEFORE, start + CREDIT_AFTER
    near = sorted((ln for ln in bylines if lo <= ln.pos <= hi), key=lambda ln: abs(ln.pos - start))
    found = _bylines(near, vocab)
    far = _bylines([ln for ln in bylines if not lo <= ln.pos <= hi], vocab) if len(near) < len(bylines) else found
    if not found["author"]:
        names = _header_names(parsed, start, headline, vocab) if headline is not None else ()
        found["author"] = names or far["author"]
    return {kind: found[kind] or far[kind] for kind in found}


def _header_names(parsed: Parsed, start: int, headline: Line, vocab: Vocabulary) -> tuple[str, ...]:
    """Names printed alone in the header block: the lines below the headline, down to the third body
    line and at most ``HEADER_LINES`` (see :func:`meta.credit_names`)."""
    names: list[str] = []
    lines, labels, keep = parsed.lines, parsed.labels, parsed.keep
    for pos in range(headline.pos + 1, min(len(lines), start + 4, headline.pos + HEADER_LINES)):
        line = lines[pos]
        text = line.text
        if not text[0].isupper() or text[-1] in ".:!?" or keep[pos] or not 2 <= line.words <= 14:
            continue  # a name starts with a capital; a sentence or "Related stories:" is no credit line
        if labels[pos].why in _NOT_CREDIT:
            continue
        names.extend(n for n in meta.credit_names(text, vocab) if n not in names)
    return tuple(names) if len(names) <= MAX_HEADER_NAMES else ()


TITLE_WINDOW = 40  # lines above the body searched for the headline
_NOT_TITLE = frozenset({"date", "caption", "no-letters", "promo", "widget-heading", "comments", "corpus"})
_CREDIT_LABELS = frozenset({"byline", "date"})
_KIND_LEVEL = itemgetter(3, 4)  # Line.kind, Line.level
_H1 = ("heading", 1)


def _title_candidates(parsed: Parsed, lo: int, start: int, vocab: Vocabulary) -> list[Line]:
    """The lines above the body that may be the headline: 3 to 40 words; no date stamp, caption,
    promo or link; no byline unless its byline word is followed by no name ("Von München bis
    Aachen: ...")."""
    found: list[Line] = []
    for line, label in zip(parsed.lines[lo : start + 1], parsed.labels[lo : start + 1], strict=True):
        if not 3 <= line.words <= 40:  # most menu lines go here
            continue
        why = label.why
        if why in _NOT_TITLE:
            continue
        text = line.text
        if line.pos == start and line.kind != "heading" or "://" in text or "www." in text:
            continue
        if line.words < 12 and not "".join(line.tokens).isalpha() and meta.is_time_line(line):
            continue
        if why == "byline" and meta.parse_byline(text, vocab):
            continue
        found.append(line)
    return found


def _credited(line: Line, lines: list[Line], labelled: set[int]) -> bool:
    """Credits right below ``line``: a byline or date line 1 to 3 lines down, or a date stamp 1 or
    2 lines down (``labelled``: positions of the byline and date lines)."""
    pos = line.pos
    if pos + 1 in labelled or pos + 2 in labelled or pos + 3 in labelled:
        return True
    for below in lines[pos + 1 : pos + 3]:
        if below.words < 12 and not "".join(below.tokens).isalpha() and meta.is_time_line(below):
            return True
    return False


def _first_h1(parsed: Parsed, lines: list[Line], lo: int) -> int:
    """Position of the document's first level-1 heading when it is one of ``lines`` (else -1)."""
    pos = next((ln.pos for ln in lines if ln.kind == "heading" and ln.level == 1), -1)
    if pos >= 0 and _H1 in map(_KIND_LEVEL, parsed.lines[:lo]):  # the scan runs in C
        return -1
    return pos


CREDITED = 1.5  # the bonus of a headline with the credits right below it (see :func:`_credited`)


def _headline_score(line: Line, start: int, slug: frozenset[str], repeated: bool) -> float:
    """How much a line looks like the headline, before :data:`CREDITED`: a level-1 heading, the URL
    slug's words, shown again elsewhere on the page (the page title); less for a sentence ending in
    a full stop, a menu line with separators, distance to the body."""
    score = 1.0 - 0.02 * (start - line.pos)
    if slug:
        share = len(slug.intersection(line.tokens)) / len(slug)
        if share < 1.0 and not line.text.isascii():  # accents to fold
            share = meta.slug_share(line.tokens, slug)
        score += 3.0 * share
    if line.kind == "heading":
        score += 2.0 if line.level == 1 else 0.5
    if repeated and line.words >= 4:
        score += 0.5
    if line.text[-1] == ".":
        score -= 1.0
    if line.separators:
        score -= 1.0
    return score


def _is_dek(line: Line, above: dict[int, Line]) -> bool:
    """A standfirst below its headline: a candidate one or two lines up shares two longer words."""
    words = {t for t in line.tokens if len(t) > 3}
    for pos in (line.pos - 1, line.pos - 2):
        prev = above.get(pos)
        if prev is not None and prev.words >= 4 and len(words.intersection(t for t in prev.tokens if len(t) > 3)) >= 2:
            return True
    return False


def _wraps(line: Line, near: dict[int, Line]) -> bool:
    """The line is a kicker or breadcrumb run into a headline printed on its own nearby
    ("Premier League Rückschlag im Titelkampf" next to "Rückschlag im Titelkampf")."""
    for pos in (line.pos - 2, line.pos - 1, line.pos + 1, line.pos + 2):
        other = near.get(pos)
        if other is not None and 3 <= len(other.tokens) < len(line.tokens) and line.tokens[-len(other.tokens) :] == other.tokens:
            return True
    return False


def _headline(
    parsed: Parsed, start: int, url: str | None, vocab: Vocabulary, signals: dict[str, list[Line]]
) -> Line | None:
    """The headline among the lines just above the body (see :func:`_headline_score`), less a
    standfirst below its headline (:func:`_is_dek`) or a kicker run into it (:func:`_wraps`)."""
    lo = max(0, start - TITLE_WINDOW)
    candidates = _title_candidates(parsed, lo, start, vocab)
    if not candidates:
        return None
    slug = meta.headline_slug(url)
    h1 = _first_h1(parsed, candidates, lo)
    labels, lines = parsed.labels, parsed.lines
    labelled = {ln.pos for ln in (*signals["byline"], *signals["date"]) if lo < ln.pos <= start + 3}
    scored = sorted(
        ((_headline_score(ln, start, slug, labels[ln.pos].why == "repeated") + (ln.pos == h1), ln.pos, ln) for ln in candidates),
        reverse=True,
    )
    by_pos = {ln.pos: ln for ln in candidates}
    best, best_pos = -1e9, -1
    for score, pos, line in scored:  # best first: the bonus is bounded and the demotions only lower
        if score + CREDITED < best:
            break
        score += CREDITED if _credited(line, lines, labelled) else 0.0
        for demotion, applies in _DEMOTIONS:  # each test only while the line can still win
            if score < best or score == best and pos < best_pos:
                break
            if applies(line, by_pos, vocab):
                score -= demotion
        else:
            if score > best or score == best and pos > best_pos:
                best, best_pos = score, pos
    return parsed.lines[best_pos]


def _is_credit_line(line: Line, vocab: Vocabulary) -> bool:
    """A short line that starts with a person's name or is mostly names: a credit, not a headline
    ("Jane Doe - Example News", "Kolumne von Jane Doe")."""
    if line.words > 8:
        return False
    names = meta.credit_names(line.text, vocab)
    return bool(names) and (line.text.startswith(names[0]) or 2 * sum(len(n.split()) for n in names) >= line.words)


_DEMOTIONS: tuple[tuple[float, Callable[[Line, dict[int, Line], Vocabulary], bool]], ...] = (
    (1.0, lambda line, near, vocab: _is_dek(line, near)),
    (2.0, lambda line, near, vocab: _wraps(line, near)),
    (1.0, lambda line, near, vocab: _is_credit_line(line, vocab)),
)


def _title(headline: Line | None, lines: list[Line]) -> str | None:
    """The headline's text, without heading marks left inside a list item ("* # Headline"); a
    headline that starts with a colon continues the line above it ("Kicker" / ": Headline")."""
    if headline is None:
        return None
    text = _HEADING_MARKS.sub("", headline.text)
    if text[0] == ":" and headline.pos > 0:
        text = lines[headline.pos - 1].text + text
    return _SPACE_BEFORE_PUNCT.sub(r"\1", text)


DATE_BEFORE, DATE_AFTER = 40, 10  # lines around the body start searched for the date first


def _date_texts(
    parsed: Parsed, start: int, body: list[Line], signals: dict[str, list[Line]], vocab: Vocabulary
) -> Iterator[str]:
    """Where the publication date is printed, most likely first (lazily: the caller stops at the
    first date): the short lines around the body start that are not body (the headline block above
    it, the credits just below it) and show a month name or a numeric date, nearest first (above
    before below); then the first paragraphs; then date and byline lines further away, nearest first."""
    lines, keep, months = parsed.lines, parsed.keep, vocab.month_words
    lo, hi = max(0, start - DATE_BEFORE), min(len(lines), start + DATE_AFTER + 1)
    for step in range(1, DATE_BEFORE + 1):
        for pos in (start - step, start + step):
            if not lo <= pos < hi or keep[pos]:
                continue
            line = lines[pos]
            if line.words > 25 or "".join(line.tokens).isalpha():  # no digit, no date
                continue
            if parsed.labels[pos].why == "caption" or line.words > 12 and line.text[-1] == ".":
                continue  # a photo caption or a teaser sentence dates something else
            text = line.text
            if (not months.isdisjoint(line.tokens) or meta.NUMERIC_DATE.search(text)
                    or meta.YEAR.search(text) and meta.GLUED_MONTH.search(text)):
                yield text
    for first in body[:3]:
        yield first.text[:300]
    far = [ln for ln in (*signals["date"], *signals["byline"]) if not lo <= ln.pos < hi]
    far.sort(key=lambda ln: abs(ln.pos - start))
    yield from (ln.text for ln in far)


def _lead_before(parsed: Parsed, start: int, first: Line) -> str | None:
    """A summary paragraph printed just before the body that paraphrases its first paragraph."""
    for line, label in zip(parsed.lines[max(0, start - 6) : start][::-1], parsed.labels[max(0, start - 6) : start][::-1], strict=True):
        if label.why in ("caption", "repeated", "date", "byline"):
            continue
        return line.text if meta.paraphrases(line.tokens, first.tokens) else None
    return None


def _language(parsed: Parsed, body: list[Line]) -> str | None:
    """ISO code of the text's language: Japanese or Chinese by script, else the stoplist's."""
    by_script = script_language(" ".join(line.text for line in body[:5]))
    return by_script or (stoplist_code(parsed.language) if parsed.language else None)


def build_article(parsed: Parsed, url: str | None, vocab: Vocabulary) -> Article:
    body = list(compress(parsed.lines, parsed.keep))  # the kept lines, selected in C
    start = body[0].pos
    prov: dict[str, str] = {"body": "text"}
    lead: str | None = None
    if len(body) >= 2 and meta.paraphrases(body[0].tokens, body[1].tokens):
        lead = body[0].text
        body = body[1:]
    else:
        lead = _lead_before(parsed, start, body[0])
    if lead:
        prov["lead"] = "text"
    signals = _signal_lines(parsed)
    headline = _headline(parsed, start, url, vocab, signals)
    title = _title(headline, parsed.lines)
    dateline = meta.parse_dateline(body[0].text, vocab)
    credits = _credits(parsed, start, headline, signals["byline"], vocab)
    published = meta.find_published(_date_texts(parsed, start, body, signals, vocab), vocab, meta.url_day(url))
    agencies = list(credits["source"])
    if dateline and dateline.agency and dateline.agency not in agencies:
        agencies.append(dateline.agency)
    fields = {
        "title": title, "lead": lead, "authors": credits["author"], "editors": credits["editor"],
        "source_agencies": tuple(agencies), "dateline": dateline.city if dateline else None,
        "site_name": dateline.outlet if dateline else None, "published": published,
        "language": _language(parsed, body),
    }
    images = _images(signals["caption"], vocab)
    prov.update({k: "text" for k, v in fields.items() if v})
    if images:
        prov["images"] = "text"
    return Article(
        url=url, domain=meta.domain_of(url), body=tuple(Block(_block_type(b), b.text) for b in body),
        images=images, provenance=prov, **fields,  # type: ignore[arg-type]
    )
