"""HTML pages: search (facets + per-day chart), reading view, crawl status.

Templates autoescape everything; scraped URLs pass :func:`warta.web.render.safe_url` before they
become ``href``/``src`` values.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from warta import __version__
from warta.store.protocols import SearchIndex
from warta.web.api import Filters, QueryText
from warta.web.app import WEB_DIR, reader
from warta.web.dates import human_date
from warta.web.render import day_chart, diff_lines, safe_url, snippet_html
from warta.web.status import (
    NO_FRONTIER,
    TIME_COLUMNS,
    column_label,
    crawl_status,
    explain_flag,
    source_health,
)

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
templates.env.filters["safe_url"] = safe_url
templates.env.filters["snippet_html"] = snippet_html
templates.env.filters["human_date"] = human_date
templates.env.filters["column_label"] = column_label
templates.env.globals["version"] = __version__
Reader = Annotated[SearchIndex, Depends(reader)]
PER_PAGE = 20
MAX_PER_PAGE = 100
SHOWN_COPIES = 12  # copies named on a collapsed hit; the rest are counted ("+4 more")
FILTER_KEYS = ("site", "since", "until", "author", "language", "section", "paywalled", "access")
ACCESS_CHOICES = (  # the search form's Access select: (value of the API's ``access`` filter, label)
    ("free", "free"),
    ("metered", "metered (a few free reads)"),
    ("teaser", "teaser (cut-off preview)"),
    ("paywalled", "subscribers only"),
)
templates.env.globals["access_choices"] = ACCESS_CHOICES
templates.env.globals["default_per_page"] = PER_PAGE


class Links:
    """Builds search-page links that keep the current query and filters."""

    def __init__(self, params: dict[str, str]) -> None:
        self.params = {k: v for k, v in params.items() if v}

    def __call__(self, **changes: Any) -> str:
        merged = dict(self.params)
        merged.pop("page", None)
        for key, value in changes.items():
            if value is None or value == "":
                merged.pop(key, None)
            else:
                merged[key] = str(value)
        return "/?" + urlencode(merged) if merged else "/"

    def export(self, format: str) -> str:
        params = {k: v for k, v in self.params.items() if k not in {"page", "sort", "per_page", "collapse"}}
        return "/api/export?" + urlencode({**params, "format": format})


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request,
    store: Reader,
    filters: Filters,
    q: QueryText = "",
    sort: Literal["relevance", "date"] = "relevance",
    page: Annotated[int, Query(ge=1, le=500)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description="results per page")] = PER_PAGE,
    collapse: Annotated[bool, Query(description="copies of one story are one result (false: every copy)")] = True,
) -> Response:
    result = store.search(q, filters, sort=sort, offset=(page - 1) * per_page, limit=per_page, collapse=collapse)
    summary = store.facets(q, filters)
    current = {k: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
               for k, v in asdict(filters).items()}
    links = Links({"q": q, "sort": sort, **current, **view_params(per_page, collapse)})
    context = {
        "q": q,
        "sort": sort,
        "page": page,
        "per_page": per_page,
        "collapse": collapse,
        "shown_copies": SHOWN_COPIES,
        "result": result,
        "facets": summary.values,
        "facet_sample": summary.sampled,
        "filters": current,
        "active": {k: v for k, v in current.items() if v},
        "chart": day_chart(summary.days),
        "links": links,
        "total_articles": store.count_articles(),
    }
    return templates.TemplateResponse(request, "search.html", context)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, store: Reader, article_id: int) -> Response:
    stored = store.get_article(article_id)
    if stored is None:
        return render_error(request, 404, f"No article with id {article_id}.")
    revisions = [
        {"version": r.version, "fetched_at": r.fetched_at, "title": r.title, "diff": diff_lines(r.diff)}
        for r in store.revisions_of(stored.url_key)
    ]
    context = {
        "id": stored.id,
        "a": stored.article,
        "first_seen": stored.first_seen,
        "cluster": store.cluster_of(article_id),
        "revisions": revisions,
    }
    return templates.TemplateResponse(request, "article.html", context)


@router.get("/status", response_class=HTMLResponse)
def status_page(request: Request, store: Reader) -> Response:
    status = crawl_status(store)
    context = {
        "status": status,
        "no_frontier": NO_FRONTIER,
        "sites": store.site_counts(),
        "run_columns": list(status.runs[0].keys()) if status.runs else [],
        "time_columns": TIME_COLUMNS,
        "sources": source_health(store),
        "explain_flag": explain_flag,
    }
    return templates.TemplateResponse(request, "status.html", context)


def view_params(per_page: int, collapse: bool) -> dict[str, str]:
    """The search page's view settings that links must keep (only where they differ from the defaults)."""
    out = {}
    if per_page != PER_PAGE:
        out["per_page"] = str(per_page)
    if not collapse:
        out["collapse"] = "false"
    return out


def render_error(request: Request, status: int, message: str) -> Response:
    return templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )
