"""Author-name cleaning and splitting, and labelled credit lines (``Penulis: X``, ``Editor: Y``).

Vocabulary (byline words per language, name joiners, agency names) comes from ``warta/lang/*.toml``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from warta import lang
from warta.dates import find_dates

CREDIT_LANGS = ("id", "en", "de", "nl", "fr", "es", "it", "pt", "sv", "no", "da", "ko", "ja")
_EMAIL = re.compile(r"[^\s()]+@[^\s()]+\.\w+")
_HANDLE = re.compile(r"(?<!\w)@\w+")
_URLISH = re.compile(r"^(?:https?:)?//|^www\.|\.(?:com|net|org|html?)(?:/|$)", re.IGNORECASE)
_PARENS = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*")
_DASH_TAIL = re.compile(r"\s+[-–—|]\s+.*$")
_PIECES = re.compile(r"\s+[|•·]\s+|\s*\|\s*|\s{2,}|\n")
DOMAIN_TOKEN = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|co|id|net|org|news|tv)(?:\.[a-z]{2})?\b", re.IGNORECASE)
_TRIM = " \t\r\n,;:|-–—/.*•·"


@dataclass(frozen=True, slots=True)
class CreditVocab:
    """Byline words: ``role`` maps each lower-cased label word to ``author``/``editor``/``source``/``photo``."""

    role: dict[str, str]
    labelled: dict[str, str]  # ``role`` plus abbreviations that count only before a colon ("Rep:", "Red:")
    joiners: tuple[str, ...]
    agencies: dict[str, str]  # lower-cased alias -> name as credited
    label_re: re.Pattern[str]
    prefix_re: re.Pattern[str]  # a byline's leading role word ("Oleh", "By", "Penulis:")
    by_words: frozenset[str]  # words that introduce names without a colon ("oleh", "by", "von")
    joiner_re: re.Pattern[str]
    first_word_re: re.Pattern[str]  # cheap pre-check: a label and a colon, or a bare label
    job_words: frozenset[str] = frozenset()  # job-title words ("Senior Reporter", "Redakteurin"): no name
    posted: frozenset[str] = frozenset()  # job titles followed by where the reporter is posted ("Kontributor Bandung")
    accounts: frozenset[str] = frozenset()  # CMS logins and shared newsroom accounts ("admin", "Redaksi")
    degrees: frozenset[str] = frozenset()  # degrees after a name ("MA", "PhD"), matched with their case
    with_re: re.Pattern[str] = re.compile(r"(?!)")  # "(avec B et C)": a co-author note in parentheses
    place_re: re.Pattern[str] = re.compile(r"(?!)")  # " in Sarasota": where the reporter filed from
    stop_words: frozenset[str] = frozenset()  # every language's stop words: "About" alone is no name


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@functools.cache
def vocab() -> CreditVocab:
    role: dict[str, str] = {}
    joiners: list[str] = []
    by_words: set[str] = set()
    agencies: dict[str, str] = {}
    abbreviations: dict[str, str] = {}
    job_words: set[str] = set()
    posted: set[str] = set()
    accounts: set[str] = set()
    degrees: set[str] = set()
    withs: set[str] = set()
    places: set[str] = set()
    stop_words: set[str] = set()
    for code in CREDIT_LANGS:
        data = lang.load(code)
        job_words.update(w.lower() for w in data.get("credits", {}).get("roles", []))
        posted.update(w.lower() for w in data.get("credits", {}).get("posted", []))
        accounts.update(w.casefold() for w in data.get("credits", {}).get("accounts", []))
        degrees.update(data.get("credits", {}).get("degrees", []))
        withs.update(w.lower() for w in data.get("names", {}).get("with", []))
        places.update(data.get("names", {}).get("places", []))
        stop_words.update(w.casefold() for w in data.get("stopwords", {}).get("words", []))
        for kind, words in data.get("bylines", {}).items():
            if kind in ("author", "editor", "source", "photo"):
                role.update({w.lower(): kind for w in words})
        for kind, words in data.get("bylines_abbreviated", {}).items():
            abbreviations.update({w.lower(): kind for w in words})
        joiners += data.get("names", {}).get("joiners", [])
        by_words.update(w.lower() for w in data.get("bylines", {}).get("by", []))
        for name, aliases in data.get("agencies", {}).items():
            agencies.update({a.lower(): name for a in [name, *aliases]})
    labelled = {**abbreviations, **role}
    labels = _alternation(labelled)
    return CreditVocab(
        role=role,
        labelled=labelled,
        by_words=frozenset(by_words),
        joiners=tuple(joiners),
        agencies=agencies,
        label_re=re.compile(rf"^\s*(?P<label>{labels})\s*(?::|\s-\s|=)\s*(?P<value>.+)$", re.IGNORECASE),
        prefix_re=re.compile(rf"^\s*(?:{_alternation(w for w, k in role.items() if k == 'author')})\s*[:\s]\s*", re.I),
        joiner_re=re.compile(rf"\s*(?:[,;&/+]|\s(?:{_alternation(joiners)})\s)\s*", re.IGNORECASE),
        first_word_re=re.compile(rf"(?:{labels})\s*(?::|\s-\s|=|$)", re.IGNORECASE),
        job_words=frozenset(job_words),
        posted=frozenset(posted),
        accounts=frozenset(accounts),
        degrees=frozenset(degrees),
        stop_words=frozenset(stop_words),
        place_re=re.compile(rf"\s(?:{_alternation(places)})\s+(?=[^\W\d_])") if places else re.compile("(?!)"),
        with_re=re.compile(rf"\s*\(\s*(?:{_alternation(withs)})\s+([^()]+)\)", re.IGNORECASE) if withs else re.compile("(?!)"),
    )


def agency_name(text: str) -> str | None:
    """The wire service ``text`` names (``Antara News`` -> ``ANTARA``), or None."""
    key = " ".join(text.split()).strip(_TRIM).lower()
    return vocab().agencies.get(key)


def looks_like_name(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 6 or len(text) > 60:
        return False
    if _URLISH.search(text) or any(ch.isdigit() for ch in text):
        return False
    return any(ch.isalpha() for ch in text)


def clean_name(raw: str) -> str | None:
    """Strip ``By``/``Oleh``, roles, emails, handles and parenthesised notes; None when no name is left."""
    text = " ".join(raw.split())
    text = _PARENS.sub(" ", text)
    text = _EMAIL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    previous = None
    while previous != text:
        previous = text
        text = vocab().prefix_re.sub("", text).strip(_TRIM)
    text = " ".join(text.split())
    without_site = " ".join(DOMAIN_TOKEN.sub(" ", text).split()).strip(_TRIM)
    if without_site and without_site != text:
        if without_site.islower():
            return None  # "mediaindonesia.com developer": a site account, not a person
        text = without_site  # "Budi Santoso KONTAN.CO.ID" -> "Budi Santoso"; "Liputan6.com" stays whole
    words = text.lower().split()
    if words and (words[-1] in vocab().by_words or words[-1] in vocab().role):
        return None  # "Powered by", "Foto oleh"
    text = strip_job_title(text)
    if is_account(text) or text.casefold() in vocab().stop_words:
        return None  # "admin", "Tim Redaksi": a publishing-system login; "About": a word, not a person
    return text if text and looks_like_name(text) else None


def is_account(name: str) -> bool:
    """True for a publishing-system login or shared newsroom account (``[credits] accounts`` of every
    language file), compared without case and punctuation."""
    return " ".join(re.findall(r"\w+", name.casefold())) in vocab().accounts


def strip_job_title(text: str) -> str:
    """``Senior Reporter`` -> "" (a job title alone is no name); ``Redakteurin Anna Berg`` -> ``Anna Berg``:
    the job-title words of every language's ``[credits] roles`` are taken off the front of a name."""
    jobs = vocab().job_words
    degrees = vocab().degrees
    words = text.split()
    while words and words[-1].strip(",;") in degrees:
        words = words[:-1]  # "Brenda Goodman MA": a degree, not a name
    if not words or all(w.lower().strip(_TRIM) in jobs for w in words):
        return ""
    lead = 0
    while lead < len(words) - 2 and words[lead].lower().strip(_TRIM) in jobs:
        lead += 1
    end = len(words)
    while end - lead > 1 and words[end - 1].lower().strip(_TRIM) in jobs and not words[end - 1][:1].isupper():
        end -= 1  # "신현주 기자", "Budi Santoso wartawan"; a capitalised "Sky News" may be a name
    return " ".join(words[lead:end])


def dated_byline(text: str) -> str | None:
    """``By Jane Doe on March 11, 2015 3:46 PM`` -> ``By Jane Doe``: a byline element that opens with a
    by-word and ends in its date, without the date and the lower-case words before it; else None."""
    prefix = vocab().prefix_re.match(text)
    if not prefix or prefix.group(0).strip().lower() not in vocab().by_words or not any(c.isdigit() for c in text):
        return None
    found = find_dates(text)
    if not found or found[0].start <= prefix.end():
        return None
    words = text[: found[0].start].split()
    while words and not words[-1][:1].isupper():
        words.pop()  # "on", "at", "|"
    return " ".join(words) or None


def _without_place(text: str) -> str:
    """``Gary Younge in Sarasota, Florida`` -> ``Gary Younge``: a capitalised place after two or more
    capitalised words and a place preposition (``[names] places``)."""
    found = vocab().place_re.search(text)
    if found is None or not text[found.end()].isupper():
        return text
    head = text[: found.start()].split()
    return " ".join(head) if len(head) >= 2 and all(w[:1].isupper() for w in head[-2:]) else text


def split_names(raw: str) -> list[str]:
    """``A dan B``, ``A and B``, ``A, B`` -> cleaned names, in order, without repeats; the names in a
    co-author note (``A (avec B et C)``) count too."""
    text = _without_place(vocab().with_re.sub(r", \1", " ".join(raw.split())))
    text = _DASH_TAIL.sub("", text)
    text = _without_post(text)
    text = vocab().prefix_re.sub("", text)
    names: list[str] = []
    for part in vocab().joiner_re.split(text):
        if names and (_job_description(part) or _DEGREE.fullmatch(part.strip())):
            continue  # "TOM KRISHER, AP Auto Writer": the job of the name before it; "S.Sos": a degree
        name = clean_name(part)
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names


# an abbreviated degree after a name, by its shape: "S.Sos", "S.H.", "M.Si", "S.I.Kom", "Ph.D."
_DEGREE = re.compile(r"(?:[A-Z][a-z]{0,3}\.){1,3}(?:[A-Z][a-z]{0,3}\.?)?")


def _without_post(text: str) -> str:
    """``Kontributor Bandung, Agie Permadi`` -> ``Agie Permadi``, ``Laporan Wartawan Tribunnews.com, Budi
    Santoso`` -> ``Budi Santoso``: a job title that names a posting (``[credits] posted``) and where the
    reporter is posted (one word, or the outlet's domain) before the names, when every name after it
    has two words or more."""
    prefix = vocab().prefix_re.match(text)
    if not prefix or ":" in prefix.group(0) or prefix.group(0).strip().lower() not in vocab().posted:
        return text  # "Penulis: Budi, Ani Lestari": after a colon every part is a name
    post, comma, rest = text[prefix.end():].partition(",")
    names = [n for n in vocab().joiner_re.split(rest) if n.strip()]
    if not comma or not names or any(len(n.split()) < 2 for n in names):
        return text
    if len(post.split()) == 1 or DOMAIN_TOKEN.fullmatch(post.strip()):
        return rest.strip()
    return text


def _job_description(part: str) -> bool:
    """``AP Auto Writer``, ``Senior Political Correspondent``: words ending in a job title (``[credits] roles``)."""
    words = part.split()
    return len(words) >= 2 and words[-1].lower().strip(_TRIM) in vocab().job_words


@dataclass(frozen=True, slots=True)
class Credit:
    role: str  # author / editor / source / photo
    value: str


def read_credit(line: str, *, labelled_only: bool = False) -> Credit | None:
    """A labelled credit line such as ``Pewarta: A dan B`` or ``Editor: C`` (None when not one)."""
    if len(line) > 200:
        return None
    text = " ".join(line.split()).lstrip("([")
    match = vocab().label_re.match(text)
    if not match:
        return None if labelled_only else _unlabelled_byline(text)
    role = vocab().labelled.get(match["label"].lower())
    return Credit(role, match["value"].strip()) if role else None


def _unlabelled_byline(text: str) -> Credit | None:
    """``Oleh Desca Lidya Natalia`` / ``By Jane Doe and John Roe``: a by-word, then capitalised names only."""
    prefix = vocab().prefix_re.match(text)
    if not prefix or prefix.group(0).strip().lower() not in vocab().by_words:
        return None
    rest = text[prefix.end():]
    words = [w for w in re.split(r"[\s,&]+", rest) if w and w.lower() not in vocab().joiners]
    if not words or len(words) > 8 or not all(w[0].isupper() for w in words):
        return None
    return Credit("author", rest)


def _loose_credit(piece: str) -> Credit | None:
    """``Penulis Firzie A. Idris`` (no colon) inside a ``|``-separated credit line: a role word, then names."""
    words = piece.split()
    if len(words) < 2 or len(words) > 8:
        return None
    role = vocab().role.get(words[0].lower())
    rest = [w for w in words[1:] if w.lower() not in vocab().joiners]
    if role is None or not all(w[0].isupper() for w in rest):
        return None
    return Credit(role, " ".join(words[1:]))


def credit_pairs(line: str, *, labelled_only: bool = False) -> list[tuple[str, str]]:
    """``(role, value)`` for each credit in a line; a line may hold several (``Penulis: A | Editor: B``)."""
    pieces = [p for p in _PIECES.split(line) if p.strip()]
    found: list[tuple[str, str]] = []
    for piece in pieces:
        credit = read_credit(piece, labelled_only=labelled_only)
        if credit is None and len(pieces) > 1:
            credit = _loose_credit(piece)
        if credit is not None:
            found.append((credit.role, credit.value))
    return found


def credits_in(lines: Sequence[str]) -> dict[str, list[str]]:
    """Names per role from labelled lines (``Pewarta: A dan B``, ``Penulis: A | Editor: B``)."""
    found: dict[str, list[str]] = {}
    for line in lines:
        for role, value in credit_pairs(line):
            values = [value] if role == "source" else split_names(value)
            bucket = found.setdefault(role, [])
            bucket.extend(v for v in values if v not in bucket)
    return found
