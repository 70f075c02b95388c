"""HTML pages: search (facets + per-day chart), reading view, crawl status.

Templates autoescape everything; scraped URLs pass :func:`warta.web.render.safe_url` before they
become ``href``/``src`` values.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from warta import __version__
from warta.model import Article
from warta.store import clusters
from warta.store import search as fts
from warta.web.api import Filters, QueryText
from warta.web.app import WEB_DIR, connection
from warta.web.dates import human_date
from warta.web.render import day_chart, diff_lines, safe_url, snippet_html
from warta.web.status import TIME_COLUMNS, column_label, crawl_status, explain_flag, source_health

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
templates.env.filters["safe_url"] = safe_url
templates.env.filters["snippet_html"] = snippet_html
templates.env.filters["human_date"] = human_date
templates.env.filters["column_label"] = column_label
templates.env.globals["version"] = __version__
Conn = Annotated[sqlite3.Connection, Depends(connection)]
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
    conn: Conn,
    filters: Filters,
    q: QueryText = "",
    sort: Literal["relevance", "date"] = "relevance",
    page: Annotated[int, Query(ge=1, le=500)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description="results per page")] = PER_PAGE,
    collapse: Annotated[bool, Query(description="copies of one story are one result (false: every copy)")] = True,
) -> Response:
    result = fts.search(conn, q, filters, sort=sort, offset=(page - 1) * per_page, limit=per_page,
                        collapse=collapse)
    summary = fts.facets(conn, q, filters)
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
        "total_articles": int(conn.execute("SELECT count(*) FROM articles").fetchone()[0]),
    }
    return templates.TemplateResponse(request, "search.html", context)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, conn: Conn, article_id: int) -> Response:
    row = conn.execute("SELECT id, url_key, data, first_seen FROM articles WHERE id=?", (article_id,)).fetchone()
    if row is None:
        return render_error(request, 404, f"No article with id {article_id}.")
    article = Article.from_dict(json.loads(row["data"]))
    revisions = [
        {"version": int(r["version"]), "fetched_at": r["fetched_at"], "title": r["title"],
         "diff": diff_lines(str(r["diff"] or ""))}
        for r in clusters.revision_rows(conn, str(row["url_key"]))
    ]
    context = {
        "id": int(row["id"]),
        "a": article,
        "first_seen": row["first_seen"],
        "cluster": [fts.Copy(int(r["article_id"]), r["url"], r["site"], r["site_name"], r["title"], r["published"],
                             str(r["verdict"]), bool(r["is_original"]))
                    for r in clusters.cluster_of(conn, article_id)],
        "revisions": revisions,
    }
    return templates.TemplateResponse(request, "article.html", context)


@router.get("/status", response_class=HTMLResponse)
def status_page(request: Request, conn: Conn) -> Response:
    status = crawl_status(conn)
    context = {
        "status": status,
        "sites": fts.site_counts(conn),
        "run_columns": list(status.runs[0].keys()) if status.runs else [],
        "time_columns": TIME_COLUMNS,
        "sources": source_health(conn),
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
