"""URL states, frontier, crawl runs and outcomes (owned by the crawl stage)."""

from __future__ import annotations

SCHEMA = ""
