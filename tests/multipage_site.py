"""A loopback news site with multi-page articles (shared by the multi-page tests and benchmark).

Every article is ``Story``: its true paragraphs per page, how its pages link to each other, and the
furniture each page repeats. ``site_pages()`` renders them as FixtureSite pages.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field

from warta.demo.server import NOT_FOUND, Page

WORDS = (
    "pemerintah daerah warga jalan baru pasar harga beras petani sungai banjir sekolah guru murid rumah sakit "
    "dokter pasien kereta stasiun pelabuhan kapal nelayan ikan hutan desa kota kabupaten provinsi menteri "
    "anggaran proyek jembatan listrik air bersih tanah sawah panen musim hujan kemarau pedagang pembeli"
).split()
FURNITURE = "Redaksi menerima tulisan pembaca tentang pembangunan daerah melalui surat elektronik setiap hari kerja."


def sentence(rng: random.Random, n: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


@dataclass(frozen=True)
class Story:
    slug: str
    pages: int
    style: str = "query"  # query: ?page=N with numbered links | path: /N with rel=next + "Selanjutnya"
    loop_back: bool = False  # the last page's "next" goes back to page 1
    missing: tuple[int, ...] = ()  # pages answered 404
    single_view: bool = False  # a "Tampilkan semua" link to ?page=all with the whole story
    furniture: bool = False  # a block repeated at the end of every page's body
    paragraphs: tuple[tuple[str, ...], ...] = field(default=())

    @property
    def path(self) -> str:
        return f"/berita/2024/05/01/{self.slug}"

    def page_path(self, n: int) -> str:
        if n == 1:
            return self.path
        return f"{self.path}?page={n}" if self.style == "query" else f"{self.path}/{n}"

    def truth(self, *, fetched: tuple[int, ...] | None = None) -> list[str]:
        """The true body: the paragraphs of every page (of ``fetched`` pages), in order."""
        pages = fetched or tuple(range(1, self.pages + 1))
        return [p for n in pages for p in self.paragraphs[n - 1]]


def make_story(slug: str, pages: int, seed: int, **kw: object) -> Story:
    rng = random.Random(seed)
    paragraphs = tuple(
        tuple(f"{sentence(rng)} {sentence(rng)} {sentence(rng)}" for _ in range(3)) for _ in range(pages)
    )
    return Story(slug, pages, paragraphs=paragraphs, **kw)  # type: ignore[arg-type]


def _nav(story: Story, n: int) -> str:
    if story.pages == 1:
        return ""
    if story.style == "query":
        items = "".join(
            f'<a href="{story.page_path(k)}">{k}</a> ' for k in range(1, story.pages + 1) if k != n
        )
        return f'<div class="pagination">Halaman {n} dari {story.pages}: {items}</div>'
    nxt = n + 1 if n < story.pages else (1 if story.loop_back else None)
    link = f'<a class="next" href="{story.page_path(nxt)}">Selanjutnya</a>' if nxt else ""
    head_link = f'<link rel="next" href="{story.page_path(nxt)}">' if nxt and n % 2 == 1 else ""
    return f'<div class="paging">{head_link}{link}</div>'


def render(story: Story, n: int, *, whole: bool = False) -> bytes:
    title = "Proyek " + story.slug.replace("-", " ").title()
    paragraphs = story.truth() if whole else list(story.paragraphs[n - 1])
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    if story.furniture and not whole:
        body += f"<p>{FURNITURE}</p>"
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
          "datePublished": "2024-05-01T09:30:00+07:00", "author": {"@type": "Person", "name": "Ana Lima"}}
    single = (f'<p class="all"><a href="{story.path}?page=all">Tampilkan semua</a></p>'
              if story.single_view and not whole else "")
    page_title = title if n == 1 or whole else f"{title} - Halaman {n}"
    html = f"""<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{page_title}</title>
<script type="application/ld+json">{json.dumps(ld)}</script></head>
<body><header><a href="/">Warta Contoh</a> <a href="/indeks?page=2">Indeks</a></header>
<article><h1>{title}</h1><div class="byline">Oleh Ana Lima</div>
<div class="article-body">{body}</div>{_nav(story, n) if not whole else ""}{single}</article>
<aside><h3>Terpopuler</h3><ul><li><a href="/berita/lain">Berita lain yang ramai dibaca warga hari ini</a></li></ul></aside>
<footer>Hak cipta Warta Contoh</footer></body></html>"""
    return html.encode()


def stories() -> list[Story]:
    return [
        make_story("satu-halaman", 1, 1),
        make_story("dua-halaman", 2, 2),
        make_story("lima-halaman", 5, 3, style="path", furniture=True),
        make_story("berputar", 3, 4, style="path", loop_back=True),
        make_story("halaman-hilang", 5, 5, missing=(4,), furniture=True),
        make_story("tampil-semua", 3, 6, single_view=True),
    ]


def site_pages(items: list[Story]) -> dict[str, Page]:
    pages: dict[str, Page] = {"/robots.txt": Page(b"User-agent: *\nAllow: /\n", headers=(("Content-Type", "text/plain"),))}
    links = "".join(f'<li><a href="{s.path}">Proyek {s.slug}</a></li>' for s in items)
    pages["/"] = Page(f"<html><body><h1>Warta Contoh</h1><ul>{links}</ul></body></html>".encode())
    for story in items:
        for n in range(1, story.pages + 1):
            pages[story.page_path(n)] = NOT_FOUND if n in story.missing else Page(render(story, n))
        if story.single_view:
            pages[f"{story.path}?page=all"] = Page(render(story, 1, whole=True))
    return pages
