"""A store with more matches than the search count cap (10,000), and cells a spreadsheet would run."""

from __future__ import annotations

from pathlib import Path

from warta.model import Article, Block

MATCHES = 10_500  # every one matches "banjir" and the empty query: totals are capped
FORMULAS = ("=HYPERLINK(\"http://127.0.0.1:9/x\",\"klik\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\tTAB", "\rCR")


def formula_articles() -> list[Article]:
    """One article per dangerous cell start, in title, author, section, site name and text."""
    return [
        Article(
            url=f"https://rumus.example/{n}", domain="rumus.example", site_name=value, language="id",
            title=value, authors=(value, "Siti"), section=value, published="2024-04-01T08:00:00+07:00",
            body=(Block("paragraph", value + " rumus paragraf"),),
        )
        for n, value in enumerate(FORMULAS)
    ]


def fill_big(db: Path, count: int = MATCHES) -> None:
    """``count`` dated articles about "banjir" plus :func:`formula_articles`, in one transaction."""
    from warta.store.sqlite import Store

    with Store(db) as store, store.transaction():
        for i in range(count):
            article = Article(
                url=f"https://besar.example/{i}", domain="besar.example", site_name="Besar", language="id",
                title=f"Laporan banjir {i}", authors=(f"Penulis {i % 7}",), section="nasional",
                published=f"2024-03-{1 + i % 28:02d}T08:{i % 60:02d}:00+07:00",
                body=(Block("paragraph", f"Paragraf banjir nomor {i} di Jakarta."),),
            )
            store.upsert_article(f"big|{i}", article)
        for n, article in enumerate(formula_articles()):
            store.upsert_article(f"formula|{n}", article)
