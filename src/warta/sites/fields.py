"""Site field rules as data: the ``[[rules]]`` of a recipe, parsed and validated.

Applying them is :mod:`warta.extract.site_rules` (a step of the extractor's cascade); this module
needs nothing but lxml's CSS selectors, so the recipe loader validates rules without importing
extraction: site knowledge is data, below the stages that use it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lxml.cssselect import CSSSelector
from lxml.etree import XPathError

from warta.errors import ConfigError

__all__ = ["FIELDS", "FieldRule", "parse_rules", "selector"]

FIELDS = ("body", "authors", "published")
_KEYS = frozenset(
    {"field", "selector", "exclude", "attribute", "pattern", "layout", "valid_from", "valid_until", "proven_by",
     "url_pattern"}
)


@dataclass(frozen=True, slots=True)
class FieldRule:
    """One field's rule for one layout of a site."""

    field: str
    selector: str
    layout: str
    exclude: tuple[str, ...] = ()
    attribute: str | None = None
    pattern: str | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    proven_by: str = ""
    url_pattern: str | None = None  # only pages whose URL matches this regex (a kind of page)

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or day >= self.valid_from) and (
            self.valid_until is None or day <= self.valid_until
        )

    def applies(self, url: str | None, day: dt.date) -> bool:
        """The page is of this rule's layout: its day in the window, its URL of the rule's kind."""
        return self.valid_on(day) and (self.url_pattern is None or re.search(self.url_pattern, url or "") is not None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field, "selector": self.selector, "layout": self.layout, "exclude": list(self.exclude),
            "attribute": self.attribute, "pattern": self.pattern,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "proven_by": self.proven_by, "url_pattern": self.url_pattern,
        }


def parse_rules(value: object, path: str | None) -> tuple[FieldRule, ...]:
    """The ``rules`` of a recipe, validated (selectors and patterns compile, dates are ISO days)."""
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError("recipe field 'rules' must be a list of tables ([[rules]])", path=path, field="rules")
    return tuple(_rule(item, path) for item in value)


def _rule(data: Mapping[str, Any], path: str | None) -> FieldRule:
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise ConfigError(f"unknown rule keys: {', '.join(unknown)}", path=path, field="rules")
    field, selector = data.get("field"), data.get("selector")
    if field not in FIELDS:
        raise ConfigError(f"rule field must be one of {', '.join(FIELDS)}, got {field!r}", path=path, field="rules")
    exclude = data.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(s, str) for s in exclude):
        raise ConfigError("rule 'exclude' must be a list of CSS selectors", path=path, field="rules")
    for css in (selector, *exclude):
        if not isinstance(css, str) or not css:
            raise ConfigError(f"{field} rule needs a CSS 'selector'", path=path, field="rules")
        _compiled(css, path)
    rule = FieldRule(
        field=str(field), selector=str(selector), layout=_text(data, "layout", path) or "default",
        exclude=tuple(exclude), attribute=_text(data, "attribute", path), pattern=_text(data, "pattern", path),
        valid_from=_day(data, "valid_from", path), valid_until=_day(data, "valid_until", path),
        proven_by=_text(data, "proven_by", path) or "", url_pattern=_text(data, "url_pattern", path),
    )
    for regex in (rule.pattern, rule.url_pattern):
        try:
            re.compile(regex or "")
        except re.error as exc:
            raise ConfigError(f"bad rule pattern {regex!r}: {exc}", path=path, field="rules") from exc
    return rule


def _text(data: Mapping[str, Any], key: str, path: str | None) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"rule {key!r} must be a string", path=path, field="rules")
    return value or None


def _day(data: Mapping[str, Any], key: str, path: str | None) -> dt.date | None:
    value = data.get(key)
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ConfigError(f"rule {key!r} must be a day (YYYY-MM-DD), got {value!r}", path=path, field="rules") from exc


@functools.lru_cache(maxsize=512)
def selector(css: str) -> CSSSelector:
    return CSSSelector(css)


def _compiled(css: str, path: str | None) -> CSSSelector:
    try:
        return selector(css)
    except (XPathError, ValueError, SyntaxError) as exc:  # cssselect's SelectorSyntaxError is a SyntaxError
        raise ConfigError(f"bad CSS selector {css!r}: {exc}", path=path, field="rules") from exc
