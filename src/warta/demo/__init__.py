"""The bundled sample news site and the demo runner behind ``warta demo`` / ``make demo``.

- ``warta.demo.server``: :class:`FixtureSite`, a real HTTP server on 127.0.0.1 with scripted faults
- ``warta.demo.newssite``: robots.txt, sitemaps, news sitemap, RSS and dated listings built from
  recorded MIT-licensed pages (``warta/demo/site/``)
"""

from __future__ import annotations

from warta.demo.newssite import SiteArticle, news_site_pages, sample_articles
from warta.demo.server import FixtureSite, Hit, Page

DEMO_SINCE = "2016-02-14"
DEMO_UNTIL = "2016-02-23"

__all__ = [
    "DEMO_SINCE",
    "DEMO_UNTIL",
    "FixtureSite",
    "Hit",
    "Page",
    "SiteArticle",
    "news_site_pages",
    "sample_articles",
]
