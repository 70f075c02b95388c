"""The JSON API under ``/api/`` (documented at ``/openapi.json``).

Read endpoints are open. Write endpoints (``DELETE /api/articles/{id}``, ``POST /api/reindex``)
need ``Authorization: Bearer <Settings.api_token>``: 401 without or with a wrong token; when no
token is configured they are disabled and answer 403.
"""

from __future__ import annotations

import csv
import hmac
import io
import json
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from warta.config import Settings
from warta.pipeline.export import csv_safe
from warta.store import search as fts
from warta.store.fts_query import QueryError, to_fts5
from warta.store.protocols import SearchIndex, StoredArticle
from warta.web.app import ReadPool, reader, writer
from warta.web.status import crawl_status


class ErrorBody(BaseModel):
    """Every error answer: ``detail`` says what was wrong, in words."""

    detail: str


BAD_REQUEST: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "a malformed query or filter, or a Host header that is not one of"
                                              " the server's names; `detail` says which"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody, "description": "no article with this id"}}
WRITE_REFUSED: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "no or wrong bearer token"},
    403: {"model": ErrorBody, "description": "write endpoints are disabled: no api_token is configured"},
}
router = APIRouter(prefix="/api", tags=["api"], responses=BAD_REQUEST)
Reader = Annotated[SearchIndex, Depends(reader)]
MAX_PER_PAGE = 100
MAX_PAGE = fts.MAX_OFFSET // MAX_PER_PAGE
MAX_ARTICLE_ID = 2**63 - 1  # the largest id a store holds (SQLite integer, PostgreSQL bigint)
ArticleId = Annotated[int, Path(ge=0, le=MAX_ARTICLE_ID, description="the article's id")]
MAX_FILTER = fts.MAX_FILTER_CHARS
EXPORT_BATCH = 200
CSV_COLUMNS = (
    "id", "url", "title", "site", "site_name", "language", "published", "section", "authors",
    "paywalled", "access", "text",
)


async def filters_from(  # async: pure parsing, no worker-thread hop
    site: Annotated[str | None, Query(max_length=MAX_FILTER, description="registered domain, e.g. kompas.com")] = None,
    since: Annotated[str | None, Query(max_length=MAX_FILTER, description="first publication day, YYYY-MM-DD")] = None,
    until: Annotated[str | None, Query(max_length=MAX_FILTER, description="last publication day, YYYY-MM-DD")] = None,
    author: Annotated[str | None, Query(max_length=MAX_FILTER, description="one author name (exact, case-insensitive)")] = None,
    language: Annotated[str | None, Query(max_length=MAX_FILTER, description="ISO 639-1 code")] = None,
    section: Annotated[str | None, Query(max_length=MAX_FILTER)] = None,
    paywalled: Annotated[bool | None, Query()] = None,
    access: Annotated[str | None, Query(description="free, metered, teaser or paywalled")] = None,
) -> fts.SearchFilters:
    def clean(value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    return fts.SearchFilters(
        site=clean(site), since=clean(since), until=clean(until), author=clean(author),
        language=clean(language), section=clean(section), paywalled=paywalled,
        access=clean(access),
    )


COLLAPSE_HELP = "true: copies of one story (a duplicate cluster) are one result, with the copies listed"
Filters = Annotated[fts.SearchFilters, Depends(filters_from)]
QueryText = Annotated[str, Query(max_length=500, description="search terms: words, \"phrases\", prefix*, AND/OR/NOT, -term")]


def page_window(page: int | None, per_page: int | None, offset: int | None, limit: int | None) -> tuple[int, int]:
    """(offset, limit) from either page/per_page (1-based) or offset/limit."""
    if offset is not None or limit is not None:
        size = limit if limit is not None else 20
        start = offset or 0
    else:
        size = per_page if per_page is not None else 20
        start = ((page or 1) - 1) * size
    if size < 1 or size > MAX_PER_PAGE:
        raise QueryError(f"page size must be between 1 and {MAX_PER_PAGE}")
    if start < 0:
        raise QueryError("offset and page must not be negative")
    if start > fts.MAX_OFFSET:
        raise QueryError(f"offset and page go at most {fts.MAX_OFFSET} results deep")
    return start, size


@router.get("/search")
def api_search(
    store: Reader,
    filters: Filters,
    q: QueryText = "",
    sort: Literal["relevance", "date"] = "relevance",
    page: Annotated[int | None, Query(ge=1, le=MAX_PAGE)] = None,
    per_page: Annotated[int | None, Query(ge=1, le=MAX_PER_PAGE)] = None,
    offset: Annotated[int | None, Query(ge=0, le=fts.MAX_OFFSET)] = None,
    limit: Annotated[int | None, Query(ge=1, le=MAX_PER_PAGE)] = None,
    collapse: Annotated[bool, Query(description=COLLAPSE_HELP)] = False,
) -> dict[str, Any]:
    """Full-text search with filters. ``total`` stops counting at 10000 (``total_capped``: true).

    ``collapse=true``: copies of one story are one result (``total`` counts stories) and each result
    lists its cluster under ``copies`` (empty for a story with one copy).
    """
    start, size = page_window(page, per_page, offset, limit)
    result = store.search(q, filters, sort=sort, offset=start, limit=size, collapse=collapse)
    return {
        "total": result.total,
        "total_capped": result.total_capped,
        "rank_window": result.rank_window,
        "total_display": f"{result.total}+" if result.total_capped else str(result.total),
        "offset": start,
        "limit": size,
        "results": [hit.to_dict(copies=collapse) for hit in result.hits],
        **({"collapsed": True} if collapse else {}),
    }


@router.get("/articles/{article_id}", responses=NOT_FOUND)
def api_article(store: Reader, article_id: ArticleId) -> dict[str, Any]:
    """One article with all its fields (``Article.to_dict()`` plus ``id`` and store metadata)."""
    stored = store.get_article(article_id)
    if stored is None:
        raise HTTPException(404, f"no article with id {article_id}")
    return {"id": stored.id, **stored.article.to_dict(), "url_key": stored.url_key, "first_seen": stored.first_seen,
            "updated_at": stored.updated_at}


@router.get("/stats/sites")
def api_stats_sites(store: Reader) -> dict[str, Any]:
    """Article counts per site, with the first and last publication day."""
    return {"sites": store.site_counts()}


@router.get("/stats/days")
def api_stats_days(store: Reader, filters: Filters, q: QueryText = "") -> dict[str, Any]:
    """Matching article counts per publication day (all articles when ``q`` is empty)."""
    return {"days": [{"day": d, "articles": n} for d, n in store.day_counts(q, filters)]}


@router.get("/facets")
def api_facets(store: Reader, filters: Filters, q: QueryText = "") -> dict[str, Any]:
    """The most frequent sites, languages, sections, authors and access states among matches.

    Counted over the 10000 most recently stored matches when more match (``sampled`` says so).
    """
    summary = store.facets(q, filters)
    values: dict[str, Any] = {
        name: [{"value": v, "count": n} for v, n in summary.values[name]] for name in fts.FACET_FIELDS
    }
    return {**values, "sampled": summary.sampled}


@router.get("/runs")
def api_runs(store: Reader) -> dict[str, Any]:
    """Crawl runs (newest first) with their outcome tables, outcomes per site, failing sites.

    A store that keeps no crawl frontier (PostgreSQL today) answers empty tables and a ``note``.
    """
    return crawl_status(store).to_dict()


EXPORT_TYPES = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={200: {
        "description": "the matching articles: JSON Lines (format=jsonl) or CSV (format=csv)",
        "content": {media.split(";")[0]: {"schema": {"type": "string"}} for media in EXPORT_TYPES.values()},
    }},
)
def api_export(
    request: Request,
    filters: Filters,
    q: QueryText = "",
    format: Literal["jsonl", "csv"] = "jsonl",
    sort: Literal["relevance", "date"] = "date",
) -> StreamingResponse:
    """Every matching article, streamed as JSON Lines (full articles) or CSV (main columns).

    CSV cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
    tab or carriage return) are prefixed with a single quote.
    """
    to_fts5(q)  # reject a malformed query with a 400 before the stream starts
    media = EXPORT_TYPES[format]
    return StreamingResponse(
        _export_rows(request.app.state.pool, q, filters, sort, format),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="warta-export.{format}"'},
    )


def _export_rows(pool: ReadPool, q: str, filters: fts.SearchFilters, sort: Literal["relevance", "date"],
                 format: str) -> Iterator[str]:
    with pool.store() as store:  # its own store: the request's is given back before the stream runs
        if format == "csv":
            yield _csv_line(CSV_COLUMNS)
        for stored in store.iter_matching(q, filters, sort=sort):
            yield _render(stored, format)


def _render(stored: StoredArticle, format: str) -> str:
    a = stored.article
    if format == "jsonl":
        return json.dumps({"id": stored.id, **a.to_dict()}, ensure_ascii=False) + "\n"
    cells = {"id": stored.id, "site": a.domain, "authors": "; ".join(a.authors),
             "paywalled": None if a.paywalled is None else int(a.paywalled)}
    return _csv_line(tuple("" if (v := cells.get(c, getattr(a, c, None))) is None else v for c in CSV_COLUMNS))


def _csv_line(values: tuple[Any, ...]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([csv_safe(v) for v in values])
    return buffer.getvalue()


# -- write endpoints -----------------------------------------------------------------------------

def require_token(request: Request) -> None:
    """Bearer-token check for write endpoints (403 when writes are disabled, 401 when not allowed)."""
    settings: Settings = request.app.state.settings
    if not settings.api_token:
        raise HTTPException(403, "write endpoints are disabled: no api_token is configured")
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), settings.api_token.encode()):
        raise HTTPException(401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"})


Writer = Annotated[None, Depends(require_token)]


@router.delete("/articles/{article_id}", responses={**NOT_FOUND, **WRITE_REFUSED})
def api_delete_article(request: Request, article_id: ArticleId, _auth: Writer) -> dict[str, Any]:
    """Delete one article (its full-text entry goes with it). Needs the API token."""
    with writer(request) as store:
        stored = store.get_article(article_id)
        deleted = stored is not None and store.delete_article(stored.url_key)
    if not deleted:
        raise HTTPException(404, f"no article with id {article_id}")
    return {"deleted": article_id}


@router.post("/reindex", responses=WRITE_REFUSED)
def api_reindex(request: Request, _auth: Writer) -> dict[str, Any]:
    """Rebuild the full-text index from the articles table. Needs the API token."""
    with writer(request) as store:
        indexed = store.rebuild_index()
    return {"indexed": indexed}
