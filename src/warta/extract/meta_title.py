"""The headline as displayed: agree the ``<h1>`` with og:title / JSON-LD / ``<title>``, strip site suffixes."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

# separators between a headline and a site name / section in <title> and og:title
_SEPARATOR = re.compile(r"\s+[|\-–—:·•»«/~]{1,2}\s+|\s*[|ㅣ｜]\s*|\s+::\s+")
# where a <title> may join a headline to a site or section name, for finding the part a heading shows
_RUN_SEPARATOR = re.compile(rf"{_SEPARATOR.pattern}|\s*::\s*|:\s+")
_RUN_SHARE = 0.5  # a displayed part holds at least this share of the title (or _RUN_WORDS words)
_RUN_WORDS = 4
_QUOTES = str.maketrans("‘’‚‛′“”„‟″–—―", "\'\'\'\'\'\"\"\"\"\"---")
_DASHES = re.compile(r"-+")
_SITE_PREFIX = re.compile(r"^(?P<site>[^:|]{2,40}?)\s*:\s+")
_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
_KICKER_WORDS = 6  # at most this many words in a kicker (a topic label before the headline)
_KICKER = re.compile(r"^\W*\w+(?:\W+\w+){0,5}?\W*:\s+", re.UNICODE)  # up to 6 words, then a colon
_LABEL_WORDS = 3  # at most this many words in a trailing section label


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


def _is_section(segment: str, sections: Sequence[str]) -> bool:
    """A short segment (``Politik``, ``US news``) that is one of the page's section names."""
    seg = _norm(segment)
    return bool(seg) and len(segment.split()) <= _LABEL_WORDS and any(_norm(s) == seg for s in sections)


def strip_site(title: str, sites: Sequence[str], sections: Sequence[str] = ()) -> str:
    """Drop leading/trailing segments that name the site (``... - Kompas.com``, ``Tempo | ...``), a
    trailing segment that names the page's section (``sections``: ``Headline | Politik | Site``), and a
    site segment with the tagline after it (``Headline : VMblog.com - Virtualization News for Everyone``)."""
    lead = _SITE_PREFIX.match(title)
    if lead and _is_site(lead["site"], sites):
        title = title[lead.end():]
    parts = _SEPARATOR.split(title)
    seps = _SEPARATOR.findall(title)
    if len(parts) < 2:
        return title.strip()
    start, end = 0, len(parts)
    tagged = next((i for i in range(1, len(parts) - 1) if _is_site(parts[i], sites) and _norm(parts[i])), None)
    if tagged is not None and len(" ".join(parts[tagged + 1:]).split()) <= len(" ".join(parts[:tagged]).split()):
        end = tagged  # the site's name, then its tagline
    while end - start > 1 and (_is_site(parts[end - 1], sites) or _is_section(parts[end - 1], sections)):
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


def _plain(text: str) -> str:
    """``text`` with typographic quotes and dashes written plainly, spacing folded."""
    return _DASHES.sub("-", " ".join(text.translate(_QUOTES).split())).casefold()


def _with_punctuation(
    h1: str, metas: Sequence[tuple[str | None, str]], sites: Sequence[str], sections: Sequence[str] = ()
) -> TitleChoice:
    """The confirmed ``<h1>``; its metadata twin when they differ in punctuation or spacing, because
    markup often drops the separator between a kicker and the headline (``Kicker<span>Headline``), but
    not when they differ only in the style of quotes and dashes (the page shows ``We’re``, not ``We're``)."""
    norm = _norm(h1)
    for value, source in metas:
        if value:
            text = strip_site(value, sites, sections)
            if _norm(text) == norm:
                return TitleChoice(h1, "dom") if _plain(text) == _plain(h1) else TitleChoice(text, source)
    return TitleChoice(h1, "dom")


def _runs(title: str) -> Iterable[str]:
    """Every run of consecutive parts of ``title`` split at its separators, with the separators kept."""
    parts = _RUN_SEPARATOR.split(title)
    seps = _RUN_SEPARATOR.findall(title)
    for start in range(len(parts)):
        run = parts[start]
        yield run
        for end in range(start + 1, len(parts)):
            run += seps[end - 1] + parts[end]
            yield run


_WORD = re.compile(r"\w+", re.UNICODE)
_UNRELATED_SHARE = 0.3  # og:title sharing less than this share of its words with the <title> names something else


def _unrelated(social: str, html_title: str | None) -> bool:
    """True if og:title / twitter:title shares (almost) no words with the ``<title>``: it names the site
    or a blog, not this story, so the ``<title>`` is where the headline is looked for."""
    if not html_title:
        return False
    words = {w.casefold() for w in _WORD.findall(social)}
    shared = words & {w.casefold() for w in _WORD.findall(html_title)}
    return bool(words) and len(shared) < _UNRELATED_SHARE * len(words)


def _displayed(titles: Sequence[str | None], headings: Sequence[str], sites: Sequence[str]) -> str | None:
    """The heading (``<h1>``-``<h3>``) that shows a part of the ``<title>`` / og:title, as displayed: the
    page's own headline without the site and section names the title adds (``Seth's Blog: Headline``,
    ``Headline « Blog``, ``Headline - Nasional - Kompas.com``). The longest such part wins; it must hold
    a good share of the title, so a short nav heading that repeats a section name does not count."""
    shown: dict[str, str] = {}
    for heading in headings:
        if 0 < len(heading) <= 400:
            shown.setdefault(_norm(heading), heading)
    best: str | None = None
    for title in titles:
        if not title or len(title) > 400:
            continue
        whole = len(_norm(title))
        for run in _runs(title):
            key = _norm(run)
            if key not in shown or (best is not None and len(key) <= len(_norm(best))) or _is_site(run, sites):
                continue
            if len(run.split()) >= _RUN_WORDS or len(key) >= _RUN_SHARE * whole:
                best = shown[key]
        if best:
            return best
    return _glued(titles, shown, sites)


_GLUED_CHARS = 20  # at most this many letters glued before a displayed headline (a kicker, a label)


def _glued(titles: Sequence[str | None], shown: dict[str, str], sites: Sequence[str]) -> str | None:
    """A part of the title that a heading shows after a short glued label (``<h2><span>NFL Network</span>
    Posluszny agrees ...</h2>``), as the title spells it; at least ``_RUN_WORDS`` words."""
    for title in titles:
        if not title or len(title) > 400:
            continue
        for run in sorted(_runs(title), key=len, reverse=True):
            key = _norm(run)
            if len(run.split()) < _RUN_WORDS or _is_site(run, sites):
                continue
            for norm, heading in shown.items():
                if norm.endswith(key) and len(norm) - len(key) <= _GLUED_CHARS:
                    # "VIDEO: Headline" shows its label as part of the headline; a glued one is markup
                    kicked = _KICKER.match(heading)
                    return heading if kicked and _norm(heading[kicked.end():]) == key else run.strip()
    return None


def _drop_label(headline: str, confirmed: Sequence[str], carriers: Sequence[str]) -> str:
    """``Headline | Sport`` -> ``Headline`` when another headline of the page (``confirmed``: the ``<h1>``,
    og:title, ...) is exactly the part before a short trailing segment and none of ``carriers`` repeats
    that segment: a section or site label the page does not display as part of its headline."""
    if any(_norm(c) == _norm(headline) for c in carriers):
        return headline
    separators = list(_SEPARATOR.finditer(headline))
    if not separators or len(headline[separators[-1].end():].split()) > _LABEL_WORDS:
        return headline
    head = headline[: separators[-1].start()]
    norm = _norm(head)
    if norm and any(_norm(c) == norm for c in confirmed):
        return head.strip()
    return headline


def _unkicked(headline: str, social: Sequence[str]) -> str | None:
    """The og:title / twitter:title that is ``headline`` less a leading ``Kicker: `` label (a topic line
    of at most a few words that sites print above or before the headline proper), if there is one."""
    kicker = _KICKER.match(headline)
    if not kicker:
        return None
    rest = _norm(headline[kicker.end():])
    return next((t for t in social if rest and _norm(t) == rest), None)


def _shown_kicker(headline: str, social: Sequence[str], headings: Sequence[str]) -> str | None:
    """The og:title / twitter:title that is ``Kicker / headline`` (a short label, any separator, then
    ``headline``) when the ``<h1>`` displays that label too: the displayed headline includes it."""
    tail = _norm(headline)
    for text in social:
        norm = _norm(text)
        if not tail or norm == tail or not norm.endswith(tail) or not any(_norm(h) == norm for h in headings):
            continue
        cut = [m for m in _SEPARATOR.finditer(text) if _norm(text[m.end():]) == tail]
        if cut and len(text[: cut[0].start()].split()) <= _KICKER_WORDS:
            return text
    return None


def _article_headline(
    article_h1s: Sequence[str], html_title: str, sites: Sequence[str], sections: Sequence[str]
) -> str | None:
    """The one ``<h1>`` of the article (``Instagramming Iceland``) when the ``<title>`` states the story
    otherwise (``Instagram photos from Iceland: Reykjavik | Legal Nomads``): what readers see. Not when
    it is the ``<title>`` with more after it (``Headline 199 Comments``), or a site name."""
    shown = [h for h in article_h1s if h.strip()]
    if len(shown) != 1 or len(shown[0].split()) < 2 or len(shown[0]) > 400:
        return None
    h1, stated = shown[0], _norm(strip_site(html_title, sites, sections))
    if _is_site(h1, sites) or (stated and _norm(h1).startswith(stated)):
        return None
    return h1


def _punctuated(headline: str, social: Sequence[str]) -> str | None:
    """og:title / twitter:title with the words of the JSON-LD headline where the JSON-LD joins two parts
    with a title separator (``Rückbau von Atomkraftwerk - Kühltürme ...``) and the social title keeps the
    headline's own punctuation (``Rückbau von Atomkraftwerk: Kühltürme ...``): the colon was lost."""
    norm, joins = _norm(headline), len(_SEPARATOR.findall(headline))
    return next((t for t in social if _norm(t) == norm and len(_SEPARATOR.findall(t)) < joins), None)


_MARKS = re.compile(r"[:;?!,]")


def _marked(headline: str, headings: Sequence[str], social: Sequence[str]) -> TitleChoice | None:
    """The displayed ``<h1>`` when it is the JSON-LD headline with a mark the JSON-LD lost (``Sri Mulyani:
    Utang Negara Aman`` shown, ``Sri Mulyani Utang Negara Aman`` stated) and og:title / twitter:title
    agree with it: reading text out of markup can lose a separator, never add one."""
    norm, marks = _norm(headline), len(_MARKS.findall(headline))
    for h1 in headings:
        if _norm(h1) == norm and len(_MARKS.findall(h1)) > marks and any(_plain(t) == _plain(h1) for t in social):
            return TitleChoice(h1, "dom")
    return None


_SUFFIX_WORDS = 3  # at most this many words a title adds after the displayed headline ("Halaman all")
_HEADLINE_WORDS = 4  # a displayed headline this long is no section name


def _shown_head(headings: Sequence[str], titles: Sequence[str]) -> str | None:
    """The ``<h1>`` that a title is, with a short tail the page does not display after it
    (``Kasus Ferienjob ... Orang Halaman all`` for ``<h1>Kasus Ferienjob ... Orang</h1>``): the tail is
    page furniture (a page number, a label), so the displayed headline is the title."""
    for h1 in headings:
        norm = _norm(h1)
        if len(h1.split()) < _HEADLINE_WORDS or not norm:
            continue
        cut = len(h1.split())
        for title in titles:
            words = title.split()
            if _norm(" ".join(words[:cut])) == norm and 0 < len(words) - cut <= _SUFFIX_WORDS:
                return h1
    return None


def _first_confirmed(headings: Sequence[str], by: Sequence[str]) -> str | None:
    return next((h1 for h1 in headings if _matches(h1, by)), None)


def choose_title(
    jsonld: str | None,
    og: str | None,
    twitter: str | None,
    html_title: str | None,
    h1s: Sequence[str],
    sites: Sequence[str],
    all_headings: Callable[[], Sequence[str]] | None = None,
    sections: Sequence[str] = (),
    article_h1s: Sequence[str] = (),
) -> TitleChoice:
    """The JSON-LD headline (the publisher's own structured statement of it) when there is one; else the
    displayed ``<h1>`` when og:title / twitter:title confirm it; else og:title / twitter:title (the
    publisher's headline for sharing, which outranks the ``<title>``, often an SEO variant), but first
    a heading that displays a part of og:title / twitter:title / ``<title>`` (``all_headings``: the
    page's ``<h1>``-``<h3>``, read only when needed; default the ``<h1>`` texts); else the ``<h1>`` the
    ``<title>`` confirms; else the ``<title>``; else the first ``<h1>``. ``sections``: the page's section
    names (article:section, JSON-LD articleSection and breadcrumbs, URL path words), a suffix naming
    one of them is dropped like a site name. ``article_h1s``: the ``<h1>`` around the article container;
    with no JSON-LD or social title, the only one there is the displayed headline, over an SEO ``<title>``."""
    headings = [h for h in h1s if 0 < len(h) <= 400]
    social = [t for t in (og, twitter) if t]
    if jsonld and _norm(jsonld) not in {_norm(site) for site in sites}:
        headline = strip_site(jsonld, sites, sections)
        others = [strip_site(t, sites, sections) for t in social]
        punctuated = _punctuated(headline, others)
        if punctuated:
            return TitleChoice(punctuated, "meta")
        marked = _marked(headline, headings, others)
        if marked:
            return marked
        unkicked = _unkicked(headline, others)
        if unkicked and not any(_norm(h) == _norm(headline) for h in headings):  # the h1 shows no kicker
            return TitleChoice(unkicked, "meta")
        shown = _shown_kicker(headline, others, headings)
        if shown:
            return TitleChoice(shown, "meta")
        return TitleChoice(_drop_label(headline, [*headings, *others], others), "jsonld")
    metas = [t for t in (jsonld, og, twitter) if t]
    pairs = [(jsonld, "jsonld"), (og, "meta"), (twitter, "meta")]
    h1 = _first_confirmed(headings, [*metas, *(strip_site(t, sites, sections) for t in metas)])
    if h1:
        return _with_punctuation(h1, pairs, sites, sections)
    if jsonld:
        return TitleChoice(strip_site(jsonld, sites, sections), "jsonld")
    head = _shown_head(headings, [strip_site(t, sites, sections) for t in (*social, html_title) if t])
    if head:
        return TitleChoice(head, "dom")
    titles = [*social, html_title] if not social or _unrelated(social[0], html_title) else social
    shown = _displayed(titles, all_headings() if all_headings else headings, sites)
    if shown:
        return TitleChoice(shown, "dom")
    if social:
        rest = [strip_site(t, sites, sections) for t in (*social[1:], html_title) if t]
        return TitleChoice(_drop_label(strip_site(social[0], sites, sections), [*headings, *rest], rest), "meta")
    h1 = _first_confirmed(headings, [html_title, strip_site(html_title, sites, sections)] if html_title else [])
    if h1:
        return _with_punctuation(h1, pairs, sites, sections)
    if html_title:
        shown = _article_headline(article_h1s, html_title, sites, sections) if not social else None
        return TitleChoice(shown, "dom") if shown else TitleChoice(strip_site(html_title, sites, sections), "meta")
    return TitleChoice(headings[0] if headings else None, "dom")
