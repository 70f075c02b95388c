"""Related-stories lists (linked headline + one- or two-sentence summary) are not article text."""

from __future__ import annotations

from warta.extract import extract
from warta.extract.blocks import walk
from warta.extract.body import extract_body
from warta.extract.html import parse_html
from warta.extract.select import teaser_runs
from warta.model import Article

STORY = [
    "The regional hospital opened a new children's ward on Friday after two years of building work.",
    "Doctors said the ward doubles the number of beds for young patients in the whole province.",
    "Parents had waited for hours in crowded corridors before, one nurse told reporters at the opening.",
    "The ward also has rooms where a parent can sleep next to a sick child during longer stays there.",
    "The health minister promised that two more hospitals in the region would get similar wards soon.",
    "Staff were hired from three neighbouring towns, and training for them started last autumn.",
]


def teasers(n: int, source: bool = True) -> str:
    out = []
    for i in range(n):
        line = "<p>Kompas Daily</p>" if source else ""
        out.append(
            f"<div><h3><a href='/s{i}'>Farmers in the valley expect a record harvest number {i}</a></h3>"
            f"<p>Rain in the spring and a warm summer helped the orchards, the farmers' union said on Monday.</p>"
            f"{line}</div>"
        )
    return "".join(out)


def test_a_list_of_other_stories_after_the_article_is_cut() -> None:
    body = "".join(f"<p>{p}</p>" for p in STORY)
    html = f"<html><body><div class='content'><h1>New ward</h1>{body}{teasers(5)}</div></body></html>"
    art = extract(html, url="https://x.test/a")
    assert isinstance(art, Article)
    assert "sleep next to a sick child" in art.text and "harvest" not in art.text and "orchards" not in art.text


def test_a_numbered_listicle_is_not_taken_for_teasers() -> None:
    items = "".join(
        f"<h3><a href='https://shop.test/{i}'>Garden tool worth buying number {i}</a></h3>"
        f"<p>{i}) A sturdy tool with a wooden handle that lasts for many seasons in the garden.</p>"
        for i in range(1, 6)
    )
    body = "".join(f"<p>{p}</p>" for p in STORY)
    art = extract(f"<html><body><article>{body}{items}</article></body></html>", url="https://x.test/a")
    assert isinstance(art, Article) and "wooden handle" in art.text


def test_a_page_that_is_only_a_teaser_list_chooses_the_article_elsewhere() -> None:
    body = "".join(f"<p>{p}</p>" for p in STORY[:3])
    html = f"""<html><body><div class='main'>{teasers(12, source=False)}</div>
    <div class='story'>{body}</div></body></html>"""
    result = extract_body(parse_html(html, None), None)
    text = " ".join(b.text for b in result.blocks)
    assert "children's ward" in text and "orchards" not in text
    assert result.strategy == "dom-not-list"


def test_a_page_that_is_only_a_teaser_list_has_no_body() -> None:
    html = f"<html><body><div class='main'>{teasers(12)}</div></body></html>"
    result = extract_body(parse_html(html, None), None)
    assert result.blocks == () and result.strategy == "teaser-list"


# Shapes an unseen publisher serves: random class names (no vocabulary hint), the related-stories box
# inside the article's own container, headings in the page's language.
BERITA = [
    "Pemerintah kota meresmikan jembatan baru di atas sungai pada Jumat pagi setelah dua tahun dibangun.",
    "Wali kota mengatakan jembatan itu memangkas waktu perjalanan warga dari dua desa menjadi sepuluh menit.",
    "Sebelumnya warga harus memutar sejauh delapan kilometer melalui jalan provinsi yang sering macet.",
    "Pedagang pasar menyambut baik jembatan tersebut karena barang dagangan kini lebih cepat sampai.",
    "Dinas pekerjaan umum berjanji akan memasang lampu jalan di kedua ujung jembatan bulan depan.",
]
LAIN = [
    ("Harga cabai di pasar tradisional naik menjelang akhir pekan",
     "Pedagang menyebut pasokan dari petani berkurang karena hujan deras. Harga diperkirakan turun pekan depan."),
    ("Ribuan pelari ikut lomba maraton tahunan di pusat kota",
     "Panitia menutup sejumlah ruas jalan sejak subuh. Pemenang tahun ini berasal dari Kenya."),
    ("Sekolah di tiga kecamatan mulai belajar tatap muka penuh",
     "Dinas pendidikan memastikan seluruh guru sudah mendapat pelatihan. Orang tua diminta mengantar anak tepat waktu."),
    ("Banjir rob merendam permukiman warga di pesisir utara",
     "Air laut masuk ke rumah warga sejak sore hari. Badan penanggulangan bencana menyiapkan tenda darurat."),
    ("Pemerintah provinsi membuka lowongan untuk tenaga kesehatan",
     "Pendaftaran dibuka hingga akhir bulan secara daring. Pelamar harus melampirkan surat tanda registrasi."),
    ("Festival kuliner khas daerah digelar di alun-alun selama tiga hari",
     "Lebih dari seratus pedagang ikut serta dalam festival ini. Pengunjung bisa mencicipi makanan dari berbagai kabupaten."),
]


def related(items: list[tuple[str, str]], shape: str) -> str:
    """A related-stories box as sites write it, classes random."""
    out = []
    for i, (title, summary) in enumerate(items):
        href = f"https://kota.test/berita/{100 + i}/cerita"
        if shape == "article":
            out.append(f"<article class='c81'><h2 class='c82'><a class='c83' href='{href}'>{title}</a></h2>"
                       f"<p class='c84'>{summary}</p><time class='c85'>3 Mar 2021</time></article>")
        else:
            out.append(f"<div class='c81'><a class='c83' href='{href}'><h3 class='c82'>{title}</h3></a>"
                       f"<p class='c84'>{summary}</p></div>")
    return f"<div class='c80'><h2 class='c79'>Berita Terkait</h2>{''.join(out)}</div>"


def test_a_related_list_inside_the_article_container_is_cut_without_class_words() -> None:
    body = "".join(f"<p>{p}</p>" for p in BERITA)
    html = (f"<html lang='id'><body><div class='c1'><h1>Jembatan baru</h1>{body}"
            f"{related(LAIN, 'article')}</div></body></html>")
    art = extract(html, url="https://kota.test/berita/99/jembatan")
    assert isinstance(art, Article)
    assert "lampu jalan" in art.text and "sepuluh menit" in art.text
    assert "cabai" not in art.text and "maraton" not in art.text and "Panitia" not in art.text


def test_a_short_article_followed_by_a_long_related_list_keeps_the_article_only() -> None:
    body = "".join(f"<p>{p}</p>" for p in BERITA[:2])
    html = (f"<html lang='id'><head><title>Jembatan baru</title></head><body><div class='c0'><div class='c1'>"
            f"<h1>Jembatan baru</h1>{body}{related(LAIN * 2, 'div')}</div></div>"
            f"<div class='c9'><p>Hak cipta dilindungi undang-undang.</p></div></body></html>")
    result = extract_body(parse_html(html, None), "https://kota.test/berita/99/jembatan")
    text = "\n".join(b.text for b in result.blocks)
    assert "jembatan baru di atas sungai" in text and "sepuluh menit" in text
    assert "cabai" not in text and "Pedagang menyebut" not in text and "tenda darurat" not in text
    assert result.strategy == "dom-list-cut"


def test_a_liveblog_of_linked_update_headlines_is_kept_whole() -> None:
    """Update headlines linking to the page's own anchors are its sections, not other stories: the
    updates stay (the link-only headings themselves go, as any link-only line does)."""
    updates = "".join(
        f"<div class='c5' id='u{i}'><h3 class='c6'><a href='#u{i}'>{t}</a></h3><p class='c7'>{s}</p></div>"
        for i, (t, s) in enumerate(LAIN)
    )
    html = (f"<html lang='id'><body><div class='c1'><h1>Laporan langsung</h1>"
            f"<p>{BERITA[0]} {BERITA[1]}</p><p>{BERITA[2]} {BERITA[3]}</p>{updates}</div></body></html>")
    art = extract(html, url="https://kota.test/live/1")
    assert isinstance(art, Article)
    assert all(summary in art.text for _, summary in LAIN)


def test_a_roundup_of_short_linked_paragraphs_is_not_cut() -> None:
    """A list article whose items are short paragraphs with a link inside is no teaser list."""
    items = "".join(
        f"<p>{s} Read the <a href='https://other{i}.test/report'>full report</a> from the agency.</p>"
        for i, (_, s) in enumerate(LAIN)
    )
    body = "".join(f"<p>{p}</p>" for p in BERITA)
    art = extract(f"<html><body><div class='c1'>{body}{items}</div></body></html>", url="https://kota.test/a")
    assert isinstance(art, Article)
    assert all(s in art.text for _, s in LAIN)


def one_block_items(items: list[tuple[str, str]], host: str) -> str:
    return "".join(
        f"<li class='c91'><a class='c92' href='https://{host}/berita/{i}/x'>{t}</a> <span class='c93'>{s}</span></li>"
        for i, (t, s) in enumerate(items)
    )


def test_headline_and_summary_in_one_list_item_linking_within_the_site_are_a_related_list() -> None:
    body = "".join(f"<p>{p}</p>" for p in BERITA)
    html = (f"<html><body><div class='c1'>{body}<h3>Baca Juga</h3>"
            f"<ul class='c90'>{one_block_items(LAIN, 'www.kota.test')}</ul></div></body></html>")
    art = extract(html, url="https://kota.test/berita/99/jembatan")
    assert isinstance(art, Article) and "lampu jalan" in art.text
    assert "Pedagang menyebut" not in art.text and "tenda darurat" not in art.text


def test_one_block_teasers_count_only_when_they_link_within_the_site() -> None:
    """The same shape linking to other sites (shops, sources) is no related-stories run."""
    def runs(host: str) -> list[tuple[int, int]]:
        tree = parse_html(f"<html><body><ul>{one_block_items(LAIN, host)}</ul></body></html>", None)
        return teaser_runs(walk(tree.find("body"), lambda el: False).blocks, frozenset({"kota.test"}))

    assert runs("kota.test") == [(0, len(LAIN))]
    assert runs("toko.test") == []
