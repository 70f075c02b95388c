"""People and credits: authors, editors, wire agencies and the dateline city.

Authors cascade: JSON-LD persons, labelled credit lines (``Penulis:``, ``Pewarta:``), byline elements,
``<meta name=author>``, a closing signature; an organisation or the site itself is used only when
nothing names a person (the bench convention: an agency byline counts as the author).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from warta.dates import find_dates, parse_date
from warta.extract.body import BodyResult
from warta.extract.meta_authors import (
    DOMAIN_TOKEN,
    agency_name,
    clean_name,
    credits_in,
    dated_byline,
    is_account,
    read_credit,
    split_names,
    vocab,
)
from warta.extract.meta_dom import DomFacts
from warta.extract.meta_jsonld import JsonLd
from warta.extract.meta_tags import HeadFacts
from warta.extract.meta_text import Dateline, find_dateline, signature, wires_in
from warta.extract.text import text_of
from warta.textnorm import CJK_CHARS

AUTHOR_META = (
    "author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl", "citation_author",
    "content_author", "article:author_name", "author_name",
)
_DATELINE_BLOCKS = 3  # body blocks searched for the dateline
LAST_FIRST_META = ("citation_author", "dc.creator")  # bibliographic tags write "Last, First"
_NOTE = re.compile(r"\s*\([^()]*\)")  # a parenthesised note after a name: a homepage, a handle
_URLISH = re.compile(r"^(?:https?:)?//|^www\.|\.(?:com|net|org)/", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class People:
    authors: tuple[str, ...] = ()
    authors_source: str | None = None
    editors: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    agencies_source: str | None = None
    dateline: str | None = None
    signature: str | None = None  # a closing signature line, e.g. "DINI TEJA" or "ANTARA"

    def provenance_items(self) -> dict[str, tuple[object, str | None]]:
        return {
            "authors": (self.authors, self.authors_source),
            "editors": (self.editors, "text"),
            "source_agencies": (self.agencies, self.agencies_source),
            "dateline": (self.dateline, "text"),
        }


def _site_like(name: str, sites: Sequence[str]) -> bool:
    """True when ``name`` names the site: the same letters, one inside the other, or one abbreviating the
    other (``The New York Times`` for ``nytimes.com``, ``LTO`` for ``Legal Tribune Online``)."""
    key = re.sub(r"\W+", "", name.casefold())
    for site in sites:
        other = re.sub(r"\W+", "", site.casefold())
        if len(other) >= 3 and key and (key == other or other in key or key in other or _spelled(key) == other):
            return True
        if _abbreviates(key, site) or _abbreviates(other, name):
            return True
    return False


def _spelled(key: str) -> str:
    """``nfldotcom`` -> ``nflcom``: a site account that spells out its host name."""
    return key.replace("dot", "")


def _abbreviates(short: str, long: str) -> bool:
    """``nytimes`` abbreviates ``The New York Times`` (the initials of at least two words, then the rest
    in full), ``lto`` abbreviates ``Legal Tribune Online``; one initial (``jsmith``) is too little."""
    words = [w for w in re.findall(r"\w+", long.casefold()) if w != "the"]
    if len(short) < 3 or len(words) < 2:
        return False
    return any("".join(w[0] for w in words[:k]) + "".join(words[k:]) == short for k in range(2, len(words) + 1))


def _site_account(name: str, sites: Sequence[str]) -> bool:
    """``Ilanga D``, ``kompas01``: the site's name with a letter or a number, a publishing-system login."""
    match = re.fullmatch(r"([^\W\d_]{3,})[\s_.-]*(\w|\d+)", name.strip())
    if not match:
        return False
    head = match[1].casefold()
    return any(re.sub(r"\W+", "", s.casefold()).startswith(head) for s in sites)


def _without_site_tail(name: str, sites: Sequence[str]) -> str:
    """``Kelli Miller WebMD Health News`` -> ``Kelli Miller``: a byline element that lost its line break
    between the name and the site's newsroom; cut where a word is the site's name."""
    words = name.split()
    keys = {re.sub(r"\W+", "", s.casefold()) for s in sites}
    for index in range(2, len(words)):
        if re.sub(r"\W+", "", words[index].casefold()) in keys:
            return " ".join(words[:index])
    return name


_NAME_MARKS = re.compile(r"[-.'’]")  # inside a name: "Anne-Marie", "J.", "O'Neill"
_CJK_NAME = re.compile(f"^[{CJK_CHARS}]{{2,5}}$")


def person_shaped(name: str) -> bool:
    """A name as people write theirs: two to four words of letters, the first and last capitalised
    (``Seb Dumitru``, ``Anne-Marie Slaughter``, ``Ludwig van Beethoven``), or two to five CJK characters
    (``松岡大地``); not ``red``, ``Agenturen``, ``Quelle: sid`` or a sentence."""
    words = name.split()
    if len(words) == 1 and _CJK_NAME.match(name):
        return True
    letters = [_NAME_MARKS.sub("", w) for w in words]
    return (
        2 <= len(words) <= 4 and words[0][0].isupper() and words[-1][0].isupper()  # "Ludwig van Beethoven"
        and all(w.isalpha() for w in letters)
    )


def _names(values: Sequence[str]) -> list[str]:
    found: list[str] = []
    for value in values:
        for name in split_names(value):
            if name.casefold() not in {f.casefold() for f in found}:
                found.append(name)
    return found


def _jsonld_authors(ld: JsonLd) -> tuple[list[str], list[str]]:
    """Named people (with any wire agency credited beside them, in order), and organisations."""
    named = [p.name for p in ld.authors if p.kind == "person" or agency_name(p.name)]
    persons = _names(named) if any(p.kind == "person" for p in ld.authors) else []
    orgs = [p.name for p in ld.authors if p.kind != "person"]
    return persons, orgs


def _own_names(text: str, sites: Sequence[str]) -> list[str]:
    """The names in a byline text, less a trailing site newsroom, that do not name the site itself."""
    return [n for n in (_without_site_tail(n, sites) for n in split_names(text)) if not _site_like(n, sites)]


def _byline_authors(dom: DomFacts, sites: Sequence[str]) -> list[str]:
    """The first byline element that names someone; when it names only a wire agency (``AFP``) and one
    of the next bylines names a person (``Par Sébastien Farcis``), the person."""
    wire: list[str] = []
    for text in dom.bylines:
        credit = read_credit(text)
        if credit is not None and credit.role != "author":
            continue
        names = [n for n in _own_names(text, sites) if not _site_account(n, sites)]
        if names and wire:
            return names if all(person_shaped(n) for n in names) else wire
        if names and all(agency_name(n) for n in names):
            wire = names
            continue
        if names:
            return names
    return wire or _dated_byline(dom, sites) or _header_byline(dom, sites)


def _dated_byline(dom: DomFacts, sites: Sequence[str]) -> list[str]:
    """When no byline element gave a name: the first ``By Jane Doe on March 11, 2015`` whose names, the
    date cut off, are person-shaped."""
    for text in dom.bylines:
        undated = dated_byline(text)
        names = _own_names(undated, sites) if undated else []
        if names and all(person_shaped(n) for n in names):
            return names
    return []


_SITE_TAIL = re.compile(r"^(?P<names>.+?)\s+[-–—|/]\s+(?P<site>[^-–—|/]{3,40})$")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_META_SEPARATORS = re.compile(r"\s+[•·|]\s+")
_HEADER_BYLINE_CHARS = 120
_CJK = re.compile(f"[{CJK_CHARS}]")


def _header_byline(dom: DomFacts, sites: Sequence[str]) -> list[str]:
    """When no element is named as a byline: a line next to the headline that reads as one by its shape.
    Every name must be person-shaped, and each shape carries its own check:

    - a by-word, then names (``By Erin Cunningham``, ``Von: Simone Jung``, ``Oleh Budi Santoso``);
    - names, then the site (``Fino Yurio Kristo - detikinet``);
    - names, then the date (``Naufal Zuhdi 20/1/2026 18:30``), or one segment of a line whose other
      segments hold the date (``27. Januar 2026 • Gregor Meier • 3 Minuten``).

    A line of names alone is not taken: beside the headline it is as often a section, a kicker or a
    photo credit.
    """
    for line in dom.header_lines:
        names = _byline_shaped(line, sites) if len(line) <= _HEADER_BYLINE_CHARS else []
        if names:
            return names
    return []


def _byline_shaped(line: str, sites: Sequence[str]) -> list[str]:
    if vocab().prefix_re.match(line):  # "By", "Oleh", "Penulis", "Laporan Wartawan", "Kontributor"
        return _people(dated_byline(line) or line, sites)
    tail = _SITE_TAIL.match(line)
    if tail is not None and _site_like(tail["site"].strip(), sites):
        return _people(tail["names"], sites)
    stamp = find_dates(line)
    before = line[: stamp[0].start].strip() if stamp else ""
    if before and not before.endswith(":"):  # "Naufal Zuhdi 20/1/2026 18:30", not "Last Updated: ..."
        names = _people(before.strip(" ,|•·-–—"), sites)
        if names and not _CJK.search(line):
            return names
    parts = _META_SEPARATORS.split(line)
    if len(parts) < 2 or not _YEAR.search(line):
        return []
    dated = [_is_date(part) for part in parts]
    if any(dated):
        found = [names for names in (_people(p, sites) for p, d in zip(parts, dated, strict=True) if not d) if names]
        if len(found) == 1:
            return found[0]
    return []


def _is_date(text: str) -> bool:
    """A whole date in any language the date parser knows (``27. Januar 2026``), with its year."""
    return bool(_YEAR.search(text)) and (bool(find_dates(text)) or (len(text) <= 40 and parse_date(text) is not None))


def _people(text: str, sites: Sequence[str]) -> list[str]:
    """The names in ``text`` when every one of them is person-shaped and none is the site's (an outlet's
    domain beside them, ``Tribunjateng.com``, is left out)."""
    names = [n for n in _own_names(text, sites) if not _site_account(n, sites) and not DOMAIN_TOKEN.search(n)]
    return names if names and all(person_shaped(n) for n in names) else []


def _meta_authors(head: HeadFacts) -> list[str]:
    """``<meta name=author>`` and kin; several tags name one person each (``citation_author`` as ``Last, First``)."""
    for key in AUTHOR_META:
        unnoted = (_NOTE.sub(" ", v).strip() for v in head.all(key))  # "Bradley M. Kuhn (http://ebb.org/bkuhn/)"
        values = [v for v in unnoted if v and not _URLISH.search(v) and "/" not in v and "(" not in v]
        if len(values) > 1 or key in LAST_FIRST_META:
            values = [_first_last(v) if key in LAST_FIRST_META else v for v in values]
            found = [n for n in (clean_name(v) for v in values[:20]) if n]
            if found:
                return list(dict.fromkeys(found))
        elif values:
            names = _names(values)
            if names:
                return names
    return []


def _first_last(value: str) -> str:
    last, _, first = value.partition(",")
    return f"{first.strip()} {last.strip()}" if first.strip() else value


def _authors(
    head: HeadFacts, ld: JsonLd, dom: DomFacts, credits: dict[str, list[str]], sites: Sequence[str]
) -> tuple[list[str], str | None]:
    named, orgs = _jsonld_authors(ld)
    persons = [p for p in named if not _site_like(p, sites) and not _site_account(p, sites)]
    editors = {e.casefold() for e in credits.get("editor", [])}
    if persons and not (editors and all(p.casefold() in editors for p in persons)):
        return persons, "jsonld"
    credited = [c for c in credits.get("author", []) if not _site_like(c, sites)]
    if credited:
        return credited, "text"
    orgs = [o for o in orgs if not is_account(o)]
    if not persons and any(not _site_like(o, sites) for o in orgs):
        return orgs, "jsonld"  # a wire agency or another organisation credited for the story
    own = bool(orgs) and not persons  # JSON-LD credits the site itself: a person named elsewhere beats it
    meta = _meta_authors(head)
    real = [m for m in meta if not _site_like(m, sites)]
    if real and (not own or any(person_shaped(m) for m in real)):
        return real, "meta"
    bylines = _byline_authors(dom, sites)
    if bylines and (not own or any(person_shaped(b) for b in bylines)):
        return bylines, "dom"
    if own:
        return orgs, "jsonld"  # the site's own account, when nothing on the page names a person
    if real:
        return real, "meta"
    if bylines:
        return bylines, "dom"
    if named:
        return named, "jsonld"
    if meta:
        return meta, "meta"
    return (credits["author"], "text") if credits.get("author") else ([], None)  # the site's own credit


def _agencies(
    credits: dict[str, list[str]], dateline_wires: tuple[str, ...], closing: str | None, furniture: Sequence[str]
) -> tuple[list[str], str | None]:
    """Wires credited for the story: in the dateline, a ``Sumber:`` line, a closing signature, or a
    furniture line that is only an agency's name."""
    found: list[str] = list(dateline_wires)
    for value in credits.get("source", []):
        found += [w for w in wires_in(value) if agency_name(w) or w.isupper()]
    if closing and agency_name(closing):
        found.append(agency_name(closing) or closing)
    found += [name for name in (agency_name(line) for line in furniture if len(line) <= 40) if name]
    unique = list(dict.fromkeys(found))
    return unique, ("text" if unique else None)


def _dateline(body: BodyResult, sites: Sequence[str]) -> Dateline | None:
    """The dateline opening one of the first body blocks (a caption, kicker or byline may come first),
    else the start of the article container's text."""
    found = None
    for block in body.blocks[:_DATELINE_BLOCKS]:
        found = find_dateline(block.text, sites)
        if found:
            return found
    if body.node is not None:
        start = " ".join(text_of(body.node)[:400].split())
        found = find_dateline(start, sites) if start else None
    return found


def pick_people(
    head: HeadFacts, ld: JsonLd, dom: DomFacts, body: BodyResult, sites: Sequence[str]
) -> People:
    credits = credits_in(list(body.furniture))
    for role, value in dom.credits:
        names = [value] if role == "source" else split_names(value)
        bucket = credits.setdefault(role, [])
        bucket.extend(n for n in names if n not in bucket)
    dateline = _dateline(body, sites)
    tail = [*(b.text for b in body.blocks[-2:]), *body.furniture[-3:]]
    closing = signature(tail)
    authors, source = _authors(head, ld, dom, credits, sites)
    authors = list(dict.fromkeys(_without_site_tail(a, sites) for a in authors))
    if dateline and dateline.city:
        authors = [a for a in authors if a.casefold() != dateline.city.casefold()]  # "JAKARTA" is a place
        source = source if authors else None
    if not authors and closing and not agency_name(closing):
        authors, source = [closing], "text"
    agencies, agency_src = _agencies(credits, dateline.wires if dateline else (), closing, body.furniture)
    editors = [e for e in credits.get("editor", []) if not _site_like(e, sites)]
    return People(
        authors=tuple(authors),
        authors_source=source,
        editors=tuple(editors),
        agencies=tuple(agencies),
        agencies_source=agency_src,
        dateline=dateline.city if dateline else None,
        signature=closing,
    )
