"""Site field rules: per-layout extraction rules kept as data in a recipe, applied before the
generic extractor's answer is taken.

A recipe may carry ``[[rules]]`` tables, one per field and layout::

    [[rules]]
    field = "body"                      # body | authors | published
    selector = "#content_news"          # CSS; every match, in document order
    exclude = [".baca-juga"]            # body: subtrees left out
    attribute = "content"               # authors / published: read this attribute, not the text
    pattern = 'Fotografer:\\s*(.+)'     # authors / published: the first group of this regex
    layout = "2016"                     # provenance says recipe:<id>@<layout>
    valid_from = "2015-01-01"           # the page's publication day (else the fetch day) ...
    valid_until = "2017-12-31"          # ... must fall in these bounds (both inclusive, optional)
    proven_by = "tests/sites/test_field_rules.py: ..."

For each field, the first rule valid for the page's date that matches the page wins and the
article's provenance for the field says ``recipe:<id>@<layout>``; a rule that matches nothing
leaves the generic extractor's value (the fallback). The page's date is the generic extractor's
publication day, else the day it was fetched (today, for a page extracted now).
:func:`rule_report` tells, over a set of pages, which rules stopped matching (``warta sites check``).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from warta.dates import parse_date
from warta.extract.blocks import walk
from warta.extract.boilerplate import load_furniture
from warta.extract.select import merge_datelines
from warta.extract.text import normalize_text, text_of
from warta.model import Article, Block
from warta.sites import Recipe, load_recipes, recipe_for, site_timezone
from warta.sites.fields import FieldRule
from warta.sites.fields import selector as _selector

__all__ = ["RuleCheck", "apply_rules", "rule_report", "site_rules"]

_AUTHOR_SPLIT = re.compile(r"\s*(?:,|&|;|\bdan\b|\band\b)\s*", re.IGNORECASE)
MAX_MATCHES = 200  # elements read per rule and page (a selector that matches everything is bounded)


# --- applying ----------------------------------------------------------------------------------


def _matches(tree: Any, rule: FieldRule) -> list[Any]:
    return list(_selector(rule.selector)(tree)[:MAX_MATCHES])


def _body(found: Sequence[Any], rule: FieldRule) -> tuple[Block, ...]:
    furniture = load_furniture()
    blocks: list[Block] = []
    for element in found:
        el = copy.deepcopy(element)  # exclusions are cut from a copy: the page's tree is not changed
        for css in rule.exclude:
            for cut in _selector(css)(el):
                if cut is not el and cut.getparent() is not None:
                    cut.drop_tree()
        raw = [b for b in walk(el, lambda _: False).blocks if b.kind != "title" and b.text]
        blocks += [Block(b.kind, b.text) for b in merge_datelines(raw) if not furniture.line_kind(b.text)]  # type: ignore[arg-type]
    # a short all-capital closing line is a signature or credit (``DINI TEJA``), as the generic body has it
    while len(blocks) > 1 and len(blocks[-1].text) < 40 and blocks[-1].text.isupper():
        blocks.pop()
    return tuple(blocks)


def _values(found: Sequence[Any], rule: FieldRule) -> list[str]:
    out: list[str] = []
    for el in found:
        text = normalize_text(el.get(rule.attribute) or "" if rule.attribute else text_of(el))
        if rule.pattern is not None:
            m = re.search(rule.pattern, text)
            text = (m.group(1) if m and m.groups() else m.group(0) if m else "").strip()
        if text:
            out.append(text)
    return out


def _value(found: Sequence[Any], rule: FieldRule, tz: dt.tzinfo | None) -> Any:
    """The field's value from the matched elements, or None when they give none."""
    if rule.field == "body":
        return _body(found, rule) or None
    values = _values(found, rule)
    if rule.field == "authors":
        names = [n.strip(" .") for v in values for n in _AUTHOR_SPLIT.split(v)]
        return tuple(dict.fromkeys(n for n in names if n)) or None
    parsed = next((p for p in (parse_date(v, tz) for v in values) if p is not None), None)
    return parsed.isoformat() if parsed is not None else None


def page_day(article: Article, today: dt.date | None = None) -> dt.date:
    """The day a rule's validity is checked against: the publication day, else the fetch day."""
    try:
        return dt.date.fromisoformat((article.published or "")[:10])
    except ValueError:
        return today or dt.datetime.now(dt.UTC).date()


@functools.cache
def _bundled() -> tuple[Recipe, ...]:
    """The bundled recipes that carry field rules (read once; recipes are immutable)."""
    return tuple(r for r in load_recipes().values() if r.rules)


def site_rules(tree: Any, article: Article, url: str | None) -> Article:
    """The extraction cascade's site step: the rules of the bundled recipe covering ``url``."""
    if not url:
        return article
    recipes = {r.id: r for r in _bundled()}
    recipe = recipe_for(url, recipes) if recipes else None
    if recipe is None:
        return article
    return apply_rules(tree, article, recipe.id, recipe.rules, url=url, tz=site_timezone(url, recipes))


def apply_rules(
    tree: Any, article: Article, recipe_id: str, rules: Sequence[FieldRule], *,
    url: str | None = None, tz: dt.tzinfo | None = None, today: dt.date | None = None,
) -> Article:
    """``article`` with each field a valid, matching rule gives replaced (see the module docstring)."""
    day = page_day(article, today)
    changes: dict[str, Any] = {}
    provenance = dict(article.provenance)
    for rule in rules:
        if rule.field in changes or not rule.applies(url or article.url, day):
            continue
        value = _value(_matches(tree, rule), rule, tz)
        if value is None:
            continue
        changes[rule.field] = value
        provenance[rule.field] = f"recipe:{recipe_id}@{rule.layout}"
    if not changes:
        return article
    return replace(article, **changes, provenance=provenance)


# --- checking ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RuleCheck:
    """How one rule did over the pages of its layout (its dates and URL kind), oldest first."""

    field: str
    layout: str
    pages: int  # pages of the rule's layout
    matched: int  # ... on which it gave a value
    newest_misses: int = 0  # the newest pages it gave nothing on, in a row
    since: dt.date | None = None  # the day of the first of those

    @property
    def stopped(self) -> bool:
        """The rule gave nothing on the newest page(s) of its layout: the site changed it."""
        return self.newest_misses > 0

    def problem(self) -> str | None:
        if not self.stopped:
            return None
        return (
            f"{self.field} rule @{self.layout} matched nothing on the newest {self.newest_misses} of"
            f" {self.pages} page(s) of its validity window (since {self.since})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "layout": self.layout, "pages": self.pages, "matched": self.matched,
                "newest_misses": self.newest_misses, "since": self.since.isoformat() if self.since else None,
                "stopped": self.stopped}


def rule_report(
    rules: Sequence[FieldRule], pages: Iterable[tuple[Any, str | None, dt.date]], tz: dt.tzinfo | None = None
) -> tuple[RuleCheck, ...]:
    """Each rule's matches over ``pages`` (parsed tree, URL, page day; oldest first) of its layout."""
    seen: list[list[tuple[dt.date, bool]]] = [[] for _ in rules]
    for tree, url, day in pages:
        for i, rule in enumerate(rules):
            if rule.applies(url, day):
                seen[i].append((day, _value(_matches(tree, rule), rule, tz) is not None))
    return tuple(_check(rule, hits) for rule, hits in zip(rules, seen, strict=True))


def _check(rule: FieldRule, hits: list[tuple[dt.date, bool]]) -> RuleCheck:
    misses = 0
    while misses < len(hits) and not hits[len(hits) - 1 - misses][1]:
        misses += 1
    since = hits[len(hits) - misses][0] if misses else None
    return RuleCheck(rule.field, rule.layout, len(hits), sum(ok for _, ok in hits), misses, since)
