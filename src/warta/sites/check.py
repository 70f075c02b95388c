"""Offline checks of site recipes: everything that can be proven without the network.

:func:`check_recipe` returns a list of problems (empty = fine): every feed, sitemap, index page
and listing URL must be an http(s) URL covered by the recipe's own domains and must not itself
look like an article; templates must produce a dated URL. Parse-level validation (TOML, regexes,
time zone, status) already happened in :func:`warta.sites.parse_recipe`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from warta.discover.listing import looks_like_article_url
from warta.sites import Recipe, listing_urls_for_day, recipe_for
from warta.urls import normalize_url

__all__ = ["CheckResult", "check_recipe", "recipe_urls"]

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
