"""The typed records that cross each seam of the pipeline.

discover --Candidate--> fetch --Capture--> extract --Article|Skip--> dedupe --Verdict--> store

All records are frozen dataclasses. ``Article.to_dict()`` is the one JSON shape used by the CLI,
exports, the store and the web API.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from typing import Any, Literal

BlockType = Literal["paragraph", "heading", "list_item", "quote"]
BLOCK_TYPES: tuple[str, ...] = ("paragraph", "heading", "list_item", "quote")

Access = Literal["free", "metered", "teaser", "paywalled"]
ACCESS_VALUES: tuple[str, ...] = ("free", "metered", "teaser", "paywalled")
"""How much of the story the page shows: ``free`` (all of it), ``metered`` (all of it, though the
site counts free reads), ``teaser`` (a cut-off preview), ``paywalled`` (a preview, and the page says
the story is for subscribers)."""
CUT_OFF: frozenset[str] = frozenset({"teaser", "paywalled"})


def read_access(access: object, paywalled: object = None) -> Access | None:
    """``access`` as read from a stored record; a record written before ``access`` existed (only the
    ``paywalled`` boolean) reads as ``paywalled`` or ``free``. An unknown value reads as None."""
    for value in ("free", "metered", "teaser", "paywalled"):
        if access == value:
            return value
    if access is None and paywalled is not None:
        return "paywalled" if paywalled else "free"
    return None


@dataclass(frozen=True, slots=True)
class Block:
    """One body block in reading order."""

    type: BlockType
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"type": self.type, "text": self.text}


@dataclass(frozen=True, slots=True)
class Image:
    url: str | None
    caption: str | None = None
    credit: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"url": self.url, "caption": self.caption, "credit": self.credit}


@dataclass(frozen=True, slots=True)
class Article:
    """A structured news article. Field names follow DESIGN.md's schema table."""

    url: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    domain: str | None = None
    language: str | None = None
    title: str | None = None
    lead: str | None = None
    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    source_agencies: tuple[str, ...] = ()
    dateline: str | None = None
    published: str | None = None
    modified: str | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    body: tuple[Block, ...] = ()
    images: tuple[Image, ...] = ()
    access: Access | None = None  # one of ACCESS_VALUES, None when the page says nothing
    pages: tuple[str, ...] = ()  # the page URLs merged into this article, in order (empty: one page)
    provenance: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The body's blocks joined by blank lines."""
        return "\n\n".join(b.text for b in self.body)

    @property
    def paywalled(self) -> bool | None:
        """Derived from ``access`` (kept for readers of the old boolean): True when the page shows
        only part of the story (``teaser`` or ``paywalled``), False when it shows all of it."""
        return None if self.access is None else self.access in CUT_OFF

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "canonical_url": self.canonical_url,
            "site_name": self.site_name,
            "domain": self.domain,
            "language": self.language,
            "title": self.title,
            "lead": self.lead,
            "authors": list(self.authors),
            "editors": list(self.editors),
            "source_agencies": list(self.source_agencies),
            "dateline": self.dateline,
            "published": self.published,
            "modified": self.modified,
            "section": self.section,
            "tags": list(self.tags),
            "body": [b.to_dict() for b in self.body],
            "text": self.text,
            "images": [i.to_dict() for i in self.images],
            "access": self.access,
            "paywalled": self.paywalled,
            "pages": list(self.pages),
            "provenance": dict(self.provenance),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Inverse of :meth:`to_dict` (unknown keys are ignored, ``text`` and ``paywalled`` are derived;
        a record with only the old ``paywalled`` boolean reads as ``paywalled`` or ``free``)."""
        return cls(
            url=data.get("url"),
            canonical_url=data.get("canonical_url"),
            site_name=data.get("site_name"),
            domain=data.get("domain"),
            language=data.get("language"),
            title=data.get("title"),
            lead=data.get("lead"),
            authors=tuple(data.get("authors") or ()),
            editors=tuple(data.get("editors") or ()),
            source_agencies=tuple(data.get("source_agencies") or ()),
            dateline=data.get("dateline"),
            published=data.get("published"),
            modified=data.get("modified"),
            section=data.get("section"),
            tags=tuple(data.get("tags") or ()),
            body=tuple(Block(b["type"], b["text"]) for b in data.get("body") or ()),
            images=tuple(
                Image(i.get("url"), i.get("caption"), i.get("credit")) for i in data.get("images") or ()
            ),
            access=read_access(data.get("access"), data.get("paywalled")),
            pages=tuple(data.get("pages") or ()),
            provenance=dict(data.get("provenance") or {}),
        )

    def replace(self, **changes: Any) -> Article:
        return dataclasses.replace(self, **changes)


class SkipReason(enum.StrEnum):
    """Expected negatives: values, counted in statistics, never exceptions."""

    NOT_AN_ARTICLE = "not an article"
    EMPTY = "empty"
    TOO_LARGE = "too large"
    TIMEOUT = "timeout"
    UNREADABLE = "unreadable"  # binary garbage, undecodable bytes
    PAYWALLED = "paywalled"
    JS_SHELL = "javascript-only shell"
    ERROR = "extraction error"  # the extractor crashed or its worker died (batch mode records it)


@dataclass(frozen=True, slots=True)
class Skip:
    """A document that yields no article, with the reason why."""

    reason: SkipReason
    detail: str = ""
    url: str | None = None

    def __str__(self) -> str:
        return f"skip: {self.reason.value}" + (f" ({self.detail})" if self.detail else "")

    def to_dict(self) -> dict[str, Any]:
        return {"skip": self.reason.value, "detail": self.detail, "url": self.url}


ExtractResult = Article | Skip


@dataclass(frozen=True, slots=True)
class Candidate:
    """A URL discovered but not yet fetched (discover -> fetch)."""

    url: str
    key: str
    site: str
    found_by: str  # "sitemap", "news-sitemap", "feed", "listing", "link", "seed", "recipe"
    hint_published: str | None = None  # date known before fetching (sitemap lastmod, dated URL, ...)
    referrer: str | None = None


@dataclass(frozen=True, slots=True)
class Capture:
    """The raw result of one fetch (fetch -> extract). Kept so extraction can be re-run."""

    url: str
    final_url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    fetched_at: str  # ISO 8601 UTC
    archive_ref: str | None = None

    def header(self, name: str) -> str | None:
        low = name.lower()
        for k, v in self.headers:
            if k.lower() == low:
                return v
        return None


class VerdictKind(enum.StrEnum):
    NEW = "new"
    EXACT = "exact"
    NEAR = "near"


@dataclass(frozen=True, slots=True)
class Verdict:
    """Result of deduplication for one stored article (dedupe -> store)."""

    kind: VerdictKind
    of: str | None = None  # id of the article this one copies
    score: float = 1.0
    cluster_id: str | None = None
