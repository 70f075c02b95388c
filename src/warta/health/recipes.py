"""Offline checks of site recipes: everything that can be proven without the network.

:func:`check_recipe` returns a list of problems (empty = fine): every feed, sitemap, index page
and listing URL must be an http(s) URL covered by the recipe's own domains and must not itself
look like an article; templates must produce a dated URL. Parse-level validation (TOML, regexes,
time zone, status) already happened in :func:`warta.sites.parse_recipe`.

:func:`check_rules` reads a store's pages of the recipe's site and reports field rules that matched
nothing on the pages of their validity window (the site changed its layout).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from warta.discover.listing import looks_like_article_url
from warta.extract.html import parse_html
from warta.extract.site_rules import RuleCheck, rule_report
from warta.model import Skip
from warta.sites import Recipe, listing_urls_for_day, recipe_for
from warta.store.protocols import SearchIndex
from warta.urls import normalize_url

__all__ = ["CheckResult", "check_recipe", "check_rules", "recipe_urls", "stored_pages"]

_PROBE_DAY = dt.date(2016, 10, 5)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of checking one recipe offline."""

    site: str
    status: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, object]:
        return {"site": self.site, "status": self.status, "ok": self.ok, "problems": list(self.problems)}


def recipe_urls(recipe: Recipe, day: dt.date = _PROBE_DAY) -> list[tuple[str, str]]:
    """(kind, url) of every entry point of the recipe, listing pages for ``day``."""
    return [
        *(("feed", u) for u in recipe.feeds),
        *(("sitemap", u) for u in recipe.sitemaps),
        *(("index", u) for u in recipe.index_pages),
        *(("listing", u) for u in listing_urls_for_day(recipe, day)),
    ]


def check_recipe(recipe: Recipe, recipes: Mapping[str, Recipe]) -> CheckResult:
    """Check one recipe against itself and the others (see the module docstring)."""
    problems: list[str] = []
    for kind, url in recipe_urls(recipe):
        if normalize_url(url) is None:
            problems.append(f"{kind} {url}: not an http(s) URL")
            continue
        owner = recipe_for(url, recipes)
        if owner is not recipe:
            problems.append(f"{kind} {url}: host not covered by this recipe's domains")
        if looks_like_article_url(url, recipe):
            problems.append(f"{kind} {url}: looks like an article URL")
    for template in recipe.listing_templates:
        if listing_urls_for_day(recipe, _PROBE_DAY) == listing_urls_for_day(recipe, _PROBE_DAY + dt.timedelta(days=1)):
            problems.append(f"listing template {template}: does not change with the date")
            break
    if not (recipe.feeds or recipe.sitemaps or recipe.index_pages or recipe.listing_templates):
        problems.append("no entry point (feeds, sitemaps, index_pages or listing_templates)")
    return CheckResult(recipe.id, recipe.status, tuple(problems))


# --- field rules over stored pages -----------------------------------------------------------

STORED_PAGES = 200  # the newest stored pages of a site read per check


def stored_pages(
    recipe: Recipe, store: SearchIndex, limit: int = STORED_PAGES
) -> Iterator[tuple[Any, str, dt.date]]:
    """(parsed page, URL, page day) of the newest stored articles of the recipe's domains that kept
    their raw capture (at most ``limit``, read among the newest ``2 * limit``), oldest first: the
    day is the article's publication day, else its fetch day."""
    pages: list[tuple[dt.date, int, str, bytes]] = []
    newest = [sa for sa in store.recent_articles(recipe.domains, 2 * limit) if sa.capture_id is not None]
    for n, sa in enumerate(reversed(newest[:limit])):
        capture = store.get_capture(sa.capture_id) if sa.capture_id is not None else None
        if capture is None:
            continue
        day = _iso_day(sa.article.published) or _iso_day(capture.fetched_at)
        if day is not None:
            pages.append((day, n, str(sa.article.url or ""), capture.body))
    for day, _, url, body in sorted(pages):
        tree = parse_html(body, url)
        if not isinstance(tree, Skip):
            yield tree, url, day


def _iso_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def check_rules(recipe: Recipe, store: SearchIndex) -> tuple[RuleCheck, ...]:
    """How each field rule of ``recipe`` did on the stored pages of its validity window."""
    if not recipe.rules:
        return ()
    return rule_report(recipe.rules, stored_pages(recipe, store), ZoneInfo(recipe.timezone))
