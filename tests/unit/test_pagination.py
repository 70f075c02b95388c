"""Finding an article's other pages (pure) and merging them (pure)."""

from __future__ import annotations

import pytest

from warta.extract.html import parse_html
from warta.extract.pagination import (
    Fetched,
    Merge,
    Missing,
    find_pagination,
    merge_pages,
    split_page,
)
from warta.model import Article, Block, Image

BASE = "https://www.contoh.co.id/read/2024/05/01/123456/jalan-baru"


def pages_of(links: str, url: str = BASE) -> list[tuple[str, int | None, str]]:
    tree = parse_html(f"<html><head></head><body><article><p>Isi.</p>{links}</article></body></html>", url)
    return [(p.url, p.number, p.how) for p in find_pagination(tree, url).next]


def test_page_markers_are_split_off() -> None:
    assert split_page(BASE + "?page=3") == split_page(BASE + "/3") == (split_page(BASE)[0], 3)
    assert split_page(BASE)[1] is None
    assert split_page("https://x.id/news/123456")[1] is None  # an id, not a page
    assert split_page("https://x.id/2016/10/05")[1] is None  # a zero-padded day is no page number
    assert split_page(BASE + "-part2")[1] == 2 and split_page(BASE + "/page/4")[1] == 4


@pytest.mark.parametrize(
    ("links", "expected"),
    [
        ('<a href="?page=2">2</a><a href="?page=3">3</a>', [(BASE + "?page=2", 2, "numbered"), (BASE + "?page=3", 3, "numbered")]),
        ('<a href="jalan-baru/2">Selanjutnya »</a>', [(BASE + "/2", 2, "label")]),
        ('<a href="?page=2">Halaman 2</a>', [(BASE + "?page=2", 2, "label")]),
        ('<a href="?hal=2">Page 2 of 3</a>', [(BASE + "?hal=2", 2, "label")]),
        ('<a rel="next" href="?page=2"><img src="arrow.png"></a>', [(BASE + "?page=2", 2, "rel-next")]),
        ('<a href="?page=2">Next page</a>', [(BASE + "?page=2", 2, "label")]),
    ],
)
def test_page_links_of_the_same_article_are_found(links: str, expected: list[tuple[str, int | None, str]]) -> None:
    assert pages_of(links) == expected


def test_links_to_other_pages_of_other_things_do_not_count() -> None:
    other = (
        '<a href="/indeks?page=2">2</a>'  # the site's listing pagination
        '<a href="/read/2024/05/01/999999/lain">Selanjutnya</a>'  # the next story
        '<a href="https://lain.id/read/2024/05/01/123456/jalan-baru/2">2</a>'  # another host
        '<a href="?page=2">Baca juga berita ini</a>'  # no page label, no rel=next
        f'<a href="{BASE}">1</a>'  # this page itself
        '<div id="comments"><ul class="pager"><li><a href="?page=2">2</a></li></ul></div>'  # comment pages
    )
    assert pages_of(other) == []


def test_a_single_page_view_is_found_by_switch_or_label() -> None:
    tree = parse_html(f'<html><body><p>x</p><a href="{BASE}?single=1">Lihat</a></body></html>', BASE)
    found = find_pagination(tree, BASE)
    assert (found.single_page, found.how) == (BASE + "?single=1", "switch")
    tree = parse_html(f'<html><body><p>x</p><a href="{BASE}/all">Tampilkan Semua</a></body></html>', BASE)
    found = find_pagination(tree, BASE)
    assert (found.single_page, found.how) == (BASE + "/all", "label")
    tree = parse_html('<html><body><p>x</p><a href="/lain/all">Tampilkan semua</a></body></html>', BASE)
    assert not find_pagination(tree, BASE)  # another article's "show all"


def art(texts: list[str], **kw: object) -> Article:
    return Article(body=tuple(Block("paragraph", t) for t in texts), **kw)  # type: ignore[arg-type]


def test_merge_keeps_page_one_metadata_order_and_drops_repeated_furniture() -> None:
    p1 = art(["a1", "a2", "Ikuti kami", "1 2 3 Selanjutnya"], title="Judul", authors=("Ana",),
             images=(Image("i1"),), provenance={"title": "jsonld"})
    p2 = art(["a1", "b1", "Ikuti kami", "Halaman 2 dari 3"], title="Judul - Halaman 2", images=(Image("i1"), Image("i2")))
    p3 = art(["c1", "Ikuti kami"], title="Judul - Halaman 3")
    merged = merge_pages(Merge((Fetched("u1", p1), Fetched("u2", p2), Fetched("u3", p3)),
                               (Missing("u4", "HTTP 404"),), "numbered"))
    assert [b.text for b in merged.body] == ["a1", "a2", "b1", "c1"]
    assert merged.title == "Judul" and merged.authors == ("Ana",)
    assert [i.url for i in merged.images] == ["i1", "i2"]
    assert merged.pages == ("u1", "u2", "u3")
    assert merged.provenance["pages"] == "numbered:3" and merged.provenance["pages_missing"] == "u4 (HTTP 404)"
    assert merged.provenance["title"] == "jsonld"


def test_two_pages_keep_a_block_repeated_on_both_once() -> None:
    merged = merge_pages(Merge((Fetched("u1", art(["lead", "a"])), Fetched("u2", art(["lead", "b"])))))
    assert [b.text for b in merged.body] == ["lead", "a", "b"]


def test_two_pages_ending_alike_lose_the_repeated_ending() -> None:
    merged = merge_pages(Merge((Fetched("u1", art(["a", "b", "Kirim tulisan ke redaksi"])),
                                Fetched("u2", art(["c", "Kirim tulisan ke redaksi"])))))
    assert [b.text for b in merged.body] == ["a", "b", "c"]
