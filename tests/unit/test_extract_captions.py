"""Photo captions found by the page's structure alone (``captions.py``): no class words needed."""

from __future__ import annotations

import pytest

from warta.extract import extract
from warta.model import Article

PARA = [
    "Pemerintah provinsi meresmikan jembatan baru yang menghubungkan dua kecamatan di tepi sungai besar itu pada Senin pagi.",
    "Kepala dinas pekerjaan umum mengatakan pembangunan jembatan itu memakan waktu dua tahun dan menelan biaya miliaran rupiah.",
    "Warga menyambut baik jembatan tersebut karena perjalanan ke pasar kini hanya memakan waktu sepuluh menit saja.",
    "Para pedagang berharap jembatan itu membuat harga barang di pasar turun dalam beberapa bulan ke depan, kata mereka.",
    "Pemerintah juga berjanji memperbaiki jalan menuju jembatan agar truk pengangkut hasil panen bisa lewat tanpa hambatan.",
]
CAPTION = "Warga melintasi jembatan baru di Kalimantan Selatan, Senin (5/11). (ANTARA/Budi Santoso)"


def page(body: str) -> str:
    """A page whose class names say nothing (as on a publisher nobody has seen)."""
    return f"""<html><head><title>Jembatan baru diresmikan</title></head><body>
    <div class="c1"><a href="/">Beranda</a> <a href="/k">Kanal</a></div>
    <div class="c2"><h1>Jembatan baru diresmikan</h1>
    <div class="c3">{body}</div></div>
    <div class="c4"><p>Copyright 2024 Contoh Media.</p></div>
    </body></html>"""


def paras(items: list[str] = PARA) -> str:
    return "".join(f"<p>{p}</p>" for p in items)


def article(html: str) -> Article:
    art = extract(html, url="https://contoh.test/berita/1")
    assert isinstance(art, Article)
    return art


def captions(art: Article) -> list[str | None]:
    return [img.caption for img in art.images]


ICONS = "".join(f'<li><a href="/s{i}"><img src="/i{i}.png" alt="share"></a></li>' for i in range(3))


@pytest.mark.parametrize("shape", [
    f'<div><img src="/a.jpg" alt="{CAPTION.upper()}">{CAPTION}</div>',  # text equal to the alt
    f'<div><img src="/a.jpg" alt="Jembatan"><div>{CAPTION}</div></div>',  # the only text beside an image
    f'<div><div><ul>{ICONS}</ul><img src="/a.jpg"></div><div>{CAPTION}</div></div>',  # beside an image-only subtree
], ids=["alt-equal", "only-text-beside-image", "beside-image-only-subtree"])
def test_a_caption_by_structure_leaves_the_body_for_the_images(shape: str) -> None:
    art = article(page(shape + paras()))
    assert CAPTION not in art.text
    assert CAPTION in captions(art)
    assert all(p in art.text for p in PARA)


def test_alt_followed_by_a_credit_is_a_caption() -> None:
    alt = "Warga melintasi jembatan baru di Kalimantan Selatan"
    text = f"{alt}. Foto: Budi Santoso/ANTARA"
    art = article(page(f'<div><img src="/a.jpg" alt="{alt}">{text}</div>' + paras()))
    assert text not in art.text
    assert text in captions(art)


def test_caption_split_by_a_line_break_moves_whole() -> None:
    first, second = "Warga melintasi jembatan baru di Kalimantan Selatan.", "(ANTARA/Budi Santoso)"
    shape = f'<div><img src="/a.jpg"><div>{first}<br>{second}</div></div>'
    art = article(page(shape + paras()))
    assert first not in art.text and second not in art.text
    assert f"{first} {second}" in captions(art)


def test_image_wrapper_caption_reaches_the_image_found_by_the_walk() -> None:
    shape = f'<div><img src="/a.jpg"><div>{CAPTION}</div></div>'
    art = article(page(shape + paras()))
    assert [img.url for img in art.images if img.caption == CAPTION] == ["/a.jpg"]


def test_one_paragraph_under_a_lead_image_stays() -> None:
    shape = f'<div><img src="/a.jpg" alt="Jembatan baru"><p>{PARA[0]}</p></div>'
    art = article(page(shape))
    assert art.text == PARA[0]


def test_paragraph_after_an_inline_image_stays() -> None:
    body = f'<div><p>{PARA[0]}</p><img src="/a.jpg"><p>{PARA[1]}</p><p>{PARA[2]}</p></div>'
    art = article(page(body))
    assert all(p in art.text for p in PARA[:3])


def test_illustrated_paragraph_stays() -> None:
    """``<p><img>Text</p>``: the image illustrates the paragraph; its alt says nothing of the text."""
    body = f'<p>{PARA[0]}</p><p><img src="/a.jpg" alt="Jembatan baru" width="300">{PARA[1]}</p>{paras(PARA[2:])}'
    art = article(page(body))
    assert all(p in art.text for p in PARA)


def test_paragraph_repeated_in_a_far_alt_stays() -> None:
    """Some publishers copy a paragraph into the alt of a photo further down; the paragraph is text."""
    figure = f'<div><div><img src="/a.jpg" alt="{PARA[1]}"></div></div>'
    art = article(page(paras(PARA[:3]) + figure + paras(PARA[3:])))
    assert all(p in art.text for p in PARA)


def test_icon_beside_a_short_line_does_not_make_a_caption() -> None:
    line = "Ikuti kami untuk kabar terbaru setiap hari dari seluruh penjuru negeri."
    shape = f'<div><img src="/e.png" width="16" height="16"><div>{line}</div></div>'
    art = article(page(paras(PARA[:3]) + shape + paras(PARA[3:])))
    assert line in art.text


def test_long_text_beside_an_image_stays() -> None:
    long = " ".join(PARA[:4])  # well over a caption's length
    art = article(page(f'<div><img src="/a.jpg"><div>{long}</div></div>' + paras(PARA[4:])))
    assert long in art.text
