"""The FTS5 full-text index over articles and the search queries (owned by the web/search work)."""

from __future__ import annotations

SCHEMA = ""
