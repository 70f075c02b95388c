"""The crawl pipeline: wires discover -> fetch -> extract -> store (the stages never import each other).

- ``warta.pipeline.runner``: :class:`Crawler`, :class:`CrawlSpec`, :class:`CrawlReport` (backfill and watch)
- ``warta.pipeline.discovery``: seeds, scope and the date-window decisions made before fetching
- ``warta.pipeline.window``: :class:`Window`, publisher-local calendar days
- ``warta.pipeline.extraction``: :class:`ExtractPool`, extraction in worker processes with a timeout
- ``warta.pipeline.hooks``: ``on_stored(store, article_id, article)``, the deduplication call site
- ``warta.pipeline.export`` / ``stats`` / ``reextract``: what the CLI's export, stats and reextract call
"""
