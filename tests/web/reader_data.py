"""A small store for the reader-facing UI tests: one wire story copied by three sites (deduplicated
for real by warta.dedupe), an article revised once (a real revision with its difflib diff), and
articles with Indonesian WIB/WITA, English and date-only publication dates."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from warta.dedupe.hooks import on_stored
from warta.model import Article, Block
from warta.store.sqlite import Store

WIRE_SITES = (("antaranews.com", "Antara"), ("republika.co.id", "Republika"), ("okezone.com", "Okezone"))
WIRE_PARAGRAPHS = (
    "Jakarta (ANTARA) - Banjir merendam ratusan rumah warga di Jakarta Timur setelah hujan deras sejak Senin malam",
    "Badan Penanggulangan Bencana Daerah mencatat ketinggian air mencapai satu meter di beberapa titik permukiman.",
    "Petugas gabungan mengevakuasi warga lanjut usia dan anak-anak ke posko pengungsian di kantor kelurahan.",
    "Warga berharap pemerintah segera memperbaiki saluran air yang tersumbat sampah di sepanjang kali.",
)
REVISED_KEY = "revised"
OLD_SENTENCE = "Harga beras naik tipis menjadi Rp12.000 per kilogram di pasar induk."
NEW_SENTENCE = "Harga beras naik menjadi Rp13.500 per kilogram <b>di pasar induk</b>."


def wire_copy(n: int) -> Article:
    domain, name = WIRE_SITES[n]
    return Article(
        url=f"https://www.{domain}/berita/banjir-jakarta-timur",
        site_name=name,
        domain=domain,
        language="id",
        title="Banjir rendam ratusan rumah di Jakarta Timur",
        authors=(f"Reporter {name}",),
        published=f"2016-02-23T1{n}:06:00+07:00",  # Antara first: the original
        section="metro",
        body=tuple(Block("paragraph", text) for text in WIRE_PARAGRAPHS),
    )


TOWNS = ("Makassar", "Bandung", "Medan", "Surabaya", "Padang")
GOODS = ("ikan segar", "sayur mayur", "kain batik", "bumbu dapur", "peralatan sekolah")
SELLERS = ("Nelayan setempat", "Petani dari Lembang", "Perajin kain", "Ibu-ibu pedagang rempah", "Penjual buku")


def other_articles() -> list[Article]:
    def article(i: int, **fields: object) -> Article:
        base = Article(
            url=f"https://kabar{i}.example/berita/{i}",
            domain=f"kabar{i}.example",
            site_name=f"Kabar {i}",
            language="id",
            title=f"Pasar tradisional ramai nomor {i}",
            authors=("Siti Rahma", f"Penulis {i}"),
            published=f"2016-02-2{i}T08:30:00+07:00",
            body=(
                Block("heading", f"Subjudul pasar {TOWNS[i]}"),
                Block("paragraph", f"Pasar tradisional di {TOWNS[i]} ramai dikunjungi pembeli {GOODS[i]}."),
                Block("paragraph", f"{SELLERS[i]} mengatakan omzet mereka naik dibanding pekan lalu."),
            ),
        )
        return replace(base, **fields)  # type: ignore[arg-type]

    return [
        article(0, site_name="Kabar Makassar", published="2016-02-20T09:15:00+08:00"),  # WITA
        article(1, language="en", title="Market day number 1", published="2016-02-21T15:06:00+07:00",
                body=(Block("paragraph", "The traditional market number 1 was busy (pasar) before the weekend."),)),
        article(2, published="2016-02-22"),  # a day without a time
        article(3),
        article(4),
    ]


def revised_versions() -> tuple[Article, Article]:
    first = Article(
        url="https://ekonomi.example/harga-beras", domain="ekonomi.example", site_name="Ekonomi", language="id",
        title="Harga beras di pasar induk", published="2016-02-22T07:00:00+07:00",
        body=(Block("paragraph", "Pedagang beras di pasar induk melaporkan pasokan lancar."),
              Block("paragraph", OLD_SENTENCE)),
    )
    second = replace(first, body=(first.body[0], Block("paragraph", NEW_SENTENCE)))
    return first, second


def fill_reader_store(db: Path) -> dict[str, int]:
    """Store everything through the store and the dedupe hook, as a crawl does; returns ids by name."""
    ids: dict[str, int] = {}
    with Store(db) as store:
        for n in range(len(WIRE_SITES)):
            article = wire_copy(n)
            ids[f"wire{n}"], _ = store.upsert_article(article.url or "", article)
            on_stored(store, ids[f"wire{n}"], article)
        for i, article in enumerate(other_articles()):
            ids[f"other{i}"], _ = store.upsert_article(article.url or "", article)
            on_stored(store, ids[f"other{i}"], article)
        first, second = revised_versions()
        ids["revised"], _ = store.upsert_article(REVISED_KEY, first)
        on_stored(store, ids["revised"], first)
        store.upsert_article(REVISED_KEY, second)  # the content changed under the same URL key
        on_stored(store, ids["revised"], second)
    return ids
