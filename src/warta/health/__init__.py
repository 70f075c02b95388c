"""Source health: how each site answers the crawler, per day, and the pages that are not articles.

- :mod:`warta.health.pages`: challenge pages (walls) and script-only shells, recognised by shape
- :mod:`warta.health.report`: per-site, per-day health records computed from a store
- :mod:`warta.health.recipes`: offline checks of site recipes, and field rules that stopped
  matching a store's pages (``warta sites check``)
- :mod:`warta.health.live`: does each recipe still lead to article links today (``warta sites check --live``)
"""

from __future__ import annotations

from warta.health.pages import challenge_marker, script_only, shell_page

__all__ = ["challenge_marker", "script_only", "shell_page"]
