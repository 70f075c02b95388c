"""Site recipes: what warta knows about one publisher, kept as data.

Each recipe is a small TOML file (bundled ones live in ``warta/sites/recipes/``; users add their own
directories). A recipe names the publisher's domains, its feeds and sitemaps, listing (index) URL
templates with date placeholders, the URL patterns of its article pages and of pages that are not
articles (tags, categories, video, photo galleries), its full-page switch (``page=all``) and the
time zone its dates are written in. ``status`` is ``"verified"`` only when a test runs the recipe
over a real recorded page; ``verified_by`` says which.

A recipe may also carry ``[[rules]]``: extraction rules for fields the generic extractor gets wrong
on that site, per layout with the dates each is valid for (:mod:`warta.extract.site_rules`).

Templates use :meth:`str.format` fields: ``{date:%Y-%m-%d}`` (any ``strftime`` format) and ``{page}``.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from warta.errors import ConfigError
from warta.sites.fields import FieldRule, parse_rules
from warta.urls import host_of

__all__ = [
    "Recipe",
    "STATUSES",
    "load_recipes",
    "load_recipe_file",
    "parse_recipe",
    "recipe_for",
    "listing_urls_for_day",
    "listing_page_of",
    "next_listing_page",
    "site_timezone",
    "bundled_recipe_dir",
]

STATUSES: tuple[str, ...] = ("verified", "unverified")
DEFAULT_TIMEZONE = "UTC"
_TZ_BY_SUFFIX: tuple[tuple[str, str], ...] = ((".id", "Asia/Jakarta"),)


@dataclass(frozen=True, slots=True)
class Recipe:
    """One publisher's discovery rules (see the module docstring)."""

    id: str
    name: str
    domains: tuple[str, ...]
    status: str = "unverified"
    timezone: str = DEFAULT_TIMEZONE
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listing_templates: tuple[str, ...] = ()
    index_pages: tuple[str, ...] = ()  # undated front/index pages, polled by watch
    article_patterns: tuple[str, ...] = ()
    deny_patterns: tuple[str, ...] = ()
    full_page_switch: str | None = None
    sources: tuple[str, ...] = ()
    notes: str = ""
    verified_by: tuple[str, ...] = ()
    language: str | None = None
    rules: tuple[FieldRule, ...] = ()  # field rules per layout (warta.extract.site_rules)
    path: str | None = None  # the file it was loaded from

    def is_article(self, url: str) -> bool | None:
        """True/False when the recipe's patterns decide, None when they leave it to the generic rules.

        Deny patterns always decide. A match of an article pattern decides. A URL that matches no
        article pattern is refused only by a *verified* recipe: an unverified recipe's patterns
        have not been proven on a real page, so they may add articles but never hide any.
        """
        if any(re.search(p, url) for p in self.deny_patterns):
            return False
        if any(re.search(p, url) for p in self.article_patterns):
            return True
        if self.status == "verified" and self.article_patterns:
            return False
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "domains": list(self.domains),
            "status": self.status,
            "timezone": self.timezone,
            "language": self.language,
            "feeds": list(self.feeds),
            "sitemaps": list(self.sitemaps),
            "listing_templates": list(self.listing_templates),
            "index_pages": list(self.index_pages),
            "article_patterns": list(self.article_patterns),
            "deny_patterns": list(self.deny_patterns),
            "full_page_switch": self.full_page_switch,
            "sources": list(self.sources),
            "notes": self.notes,
            "verified_by": list(self.verified_by),
            "rules": [r.to_dict() for r in self.rules],
        }


def bundled_recipe_dir() -> Path:
    """The directory of the recipes shipped with warta."""
    return Path(str(resources.files("warta.sites") / "recipes"))


def load_recipes(extra_dirs: Sequence[Path] = ()) -> dict[str, Recipe]:
    """Bundled recipes, then each of ``extra_dirs`` (a later recipe with the same id wins).

    Raises :class:`ConfigError` for a file that is not valid TOML or not a valid recipe.
    """
    recipes: dict[str, Recipe] = {}
    for directory in (bundled_recipe_dir(), *extra_dirs):
        directory = Path(directory)
        if not directory.is_dir():
            raise ConfigError("recipe directory not found", path=str(directory))
        for path in sorted(directory.glob("*.toml")):
            recipe = load_recipe_file(path)
            recipes[recipe.id] = recipe
    return recipes


def load_recipe_file(path: Path) -> Recipe:
    """Read and validate one recipe file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read site recipe: {exc}", path=str(path)) from exc
    return parse_recipe(data, default_id=path.stem, path=str(path))


def parse_recipe(data: Mapping[str, Any], default_id: str = "", path: str | None = None) -> Recipe:
    """Build a :class:`Recipe` from parsed TOML, validating every field."""
    known = set(Recipe.__dataclass_fields__) - {"path"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"unknown recipe keys: {', '.join(unknown)}", path=path)
    recipe = Recipe(
        id=_str(data, "id", path, default_id),
        name=_str(data, "name", path, default_id),
        domains=tuple(d.lower() for d in _strs(data, "domains", path)),
        status=_str(data, "status", path, "unverified"),
        timezone=_str(data, "timezone", path, DEFAULT_TIMEZONE),
        feeds=_strs(data, "feeds", path),
        sitemaps=_strs(data, "sitemaps", path),
        listing_templates=_strs(data, "listing_templates", path),
        index_pages=_strs(data, "index_pages", path),
        article_patterns=_strs(data, "article_patterns", path),
        deny_patterns=_strs(data, "deny_patterns", path),
        full_page_switch=_opt_str(data, "full_page_switch", path),
        sources=_strs(data, "sources", path),
        notes=_str(data, "notes", path, ""),
        verified_by=_strs(data, "verified_by", path),
        language=_opt_str(data, "language", path),
        rules=parse_rules(data.get("rules", []), path),
        path=path,
    )
    _validate(recipe)
    return recipe


def recipe_for(url: str, recipes: Mapping[str, Recipe] | None = None) -> Recipe | None:
    """The recipe whose domains cover ``url``'s host (the most specific domain wins)."""
    host = host_of(url)
    if not host:
        return None
    pool = load_recipes() if recipes is None else recipes
    best: tuple[int, Recipe] | None = None
    for recipe in pool.values():
        for domain in recipe.domains:
            if (host == domain or host.endswith("." + domain)) and (best is None or len(domain) > best[0]):
                best = (len(domain), recipe)
    return best[1] if best else None


def listing_urls_for_day(recipe: Recipe, day: dt.date, page: int = 1) -> list[str]:
    """The recipe's listing (index) URLs for one calendar day, at ``page`` (1-based).

    Templates without a ``{page}`` field are returned only for page 1 (every template has a
    ``{date...}`` field; undated index pages are :attr:`Recipe.index_pages`).
    """
    urls: list[str] = []
    for template in recipe.listing_templates:
        if "{page" not in template and page != 1:
            continue
        urls.append(template.format(date=day, page=page))
    return urls


def listing_page_of(recipe: Recipe, url: str) -> tuple[dt.date, int] | None:
    """(day, page) when ``url`` is one of the recipe's dated listing pages, else None."""
    for template in recipe.listing_templates:
        found = _match_template(template, url)
        if found is not None:
            return found
    return None


def next_listing_page(recipe: Recipe, url: str) -> str | None:
    """The URL of the page after ``url`` when it is a paginated dated listing page of the recipe."""
    for template in recipe.listing_templates:
        found = _match_template(template, url)
        if found is not None and "{page" in template:
            return template.format(date=found[0], page=found[1] + 1)
    return None


def _match_template(template: str, url: str) -> tuple[dt.date, int] | None:
    pattern: list[str] = []
    date_format: str | None = None
    for literal, name, spec, _ in string.Formatter().parse(template):
        pattern.append(re.escape(literal))
        if name == "date" and date_format is None:
            date_format = spec or "%Y-%m-%d"
            pattern.append("(?P<date>.+?)")
        elif name == "page":
            pattern.append("(?P<page>[0-9]+)")
        elif name is not None:
            pattern.append(".+?")
    match = re.fullmatch("".join(pattern), url)
    if match is None or date_format is None:
        return None
    try:
        day = dt.datetime.strptime(match["date"], date_format).date()
    except ValueError:
        return None
    page = int(match["page"]) if "page" in match.groupdict() else 1
    return day, page


def site_timezone(url: str, recipes: Mapping[str, Recipe] | None = None) -> ZoneInfo:
    """The time zone a site writes its dates in: the recipe's, else a guess from the host.

    Hosts under ``.id`` default to Asia/Jakarta (WIB, +07:00); anything else to UTC.
    """
    recipe = recipe_for(url, recipes)
    if recipe is not None:
        return ZoneInfo(recipe.timezone)
    host = host_of(url)
    for suffix, zone in _TZ_BY_SUFFIX:
        if host.endswith(suffix):
            return ZoneInfo(zone)
    return ZoneInfo(DEFAULT_TIMEZONE)


# --- validation ------------------------------------------------------------------------------


def _str(data: Mapping[str, Any], key: str, path: str | None, default: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or (not value and key in ("id", "name")):
        raise ConfigError(f"recipe field {key!r} must be a non-empty string", path=path, field=key)
    return value


def _opt_str(data: Mapping[str, Any], key: str, path: str | None) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ConfigError(f"recipe field {key!r} must be a string", path=path, field=key)
    return value


def _strs(data: Mapping[str, Any], key: str, path: str | None) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"recipe field {key!r} must be a list of strings", path=path, field=key)
    return tuple(value)


def _validate(recipe: Recipe) -> None:
    where = {"path": recipe.path}
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", recipe.id):
        raise ConfigError(f"bad recipe id {recipe.id!r}", **where)
    if not recipe.domains:
        raise ConfigError("recipe needs at least one domain", **where, field="domains")
    if recipe.status not in STATUSES:
        raise ConfigError(f"recipe status must be one of {STATUSES}", **where, field="status")
    if recipe.status == "verified" and not recipe.verified_by:
        raise ConfigError("a verified recipe must say what verified it", **where, field="verified_by")
    try:
        ZoneInfo(recipe.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"unknown time zone {recipe.timezone!r}", **where, field="timezone") from exc
    for pattern in recipe.article_patterns + recipe.deny_patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"bad URL pattern {pattern!r}: {exc}", **where, field="patterns") from exc
    for template in recipe.listing_templates:
        if "{date" not in template:
            raise ConfigError(f"listing template without a {{date}} field: {template!r}", **where, field="listing_templates")
        try:
            template.format(date=dt.date(2016, 10, 5), page=1)
        except (KeyError, IndexError, ValueError) as exc:
            raise ConfigError(f"bad listing template {template!r}: {exc}", **where, field="listing_templates") from exc
