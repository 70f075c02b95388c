"""Imported by the extraction fork server before it forks any worker.

It imports the extractor and runs it once over a small built-in page, so the lazily built state
(date-parser language data, compiled patterns) exists once in the server and every forked
worker inherits it instead of building it again. Importing it elsewhere is harmless, only slow.
"""

from __future__ import annotations

from warta.pipeline.extraction import extract_paged

WARM_PAGE = (
    b"<html lang='id'><head><meta charset='utf-8'><title>Harga emas naik - Warta</title>"
    b"<meta property='article:published_time' content='2024-03-05T10:00:00+07:00'></head><body>"
    b"<article><h1>Harga emas naik</h1><p class='date'>Selasa, 5 Maret 2024 10:00 WIB</p>"
    b"<p class='author'>Penulis: Budi Santoso</p>"
    + b"<p>Harga emas di pasar dalam negeri naik pada perdagangan hari ini, kata pedagang.</p>" * 6
    + b"</article></body></html>"
)


def warm_up() -> None:
    """Run the extractor once; a failure here must not stop the fork server."""
    try:
        # the crawl's worker function: extraction, access rules and pagination labels all built once
        extract_paged(WARM_PAGE, "http://warm-up.invalid/2024/03/05/harga-emas-naik", links=True)
    except Exception:  # noqa: BLE001 - warming is best effort; real documents report their errors
        pass


warm_up()
