"""Body extraction on hand-built pages: container choice, furniture, captions, JSON-LD."""

from __future__ import annotations

import json

from warta.extract import extract
from warta.extract.body import extract_body
from warta.extract.html import parse_html
from warta.model import Article

PARA = [
    "Jakarta (ANTARA) - Pemerintah provinsi meresmikan jembatan baru yang menghubungkan dua kecamatan di tepi sungai besar.",
    "Kepala dinas pekerjaan umum mengatakan pembangunan jembatan itu memakan waktu dua tahun dan menelan biaya miliaran rupiah.",
    "Warga menyambut baik jembatan tersebut karena perjalanan ke pasar kini hanya memakan waktu sepuluh menit saja.",
]
NAV = "".join(f"<li><a href='/k{i}'>Kanal {i}</a></li>" for i in range(12))
RELATED = "".join(f"<li><a href='/r{i}'>Berita lain nomor {i} tentang banjir di kota</a></li>" for i in range(8))


def article_page(extra_body: str = "", head: str = "") -> str:
    paras = "".join(f"<p>{p}</p>" for p in PARA)
    return f"""<html><head><title>Jembatan baru - Contoh</title>{head}</head><body>
    <nav><ul>{NAV}</ul></nav>
    <div class="wrap"><div class="main">
      <h1>Jembatan baru diresmikan</h1>
      <div class="detail__body-text">
        <figure><img src="/foto.jpg"><figcaption>Jembatan baru di Kalimantan (ANTARA/Foto Budi)</figcaption></figure>
        {paras}
        <p>Baca juga: <a href="/x">Harga cabai naik lagi</a></p>
        <div class="share-buttons"><a href="#">Facebook</a> <a href="#">Twitter</a></div>
        <h2>Dampak ekonomi</h2>
        <p>Para pedagang berharap jembatan itu membuat harga barang di pasar turun dalam beberapa bulan ke depan.</p>
        <p>Pewarta: Budi Santoso<br>Editor: Siti Aminah</p>
        <p><strong>(aff/yna)</strong></p>
        {extra_body}
      </div>
      <div class="related"><h3>Berita Terkait</h3><ul>{RELATED}</ul></div>
    </div><aside class="sidebar"><p>Terpopuler hari ini di portal kami, jangan lewatkan berita lainnya.</p></aside></div>
    <footer><p>Copyright 2024 Contoh Media. All rights reserved.</p></footer>
    </body></html>"""


def body_of(html: str) -> tuple[list[str], tuple[str, ...]]:
    result = extract_body(parse_html(html), None)
    return [b.text for b in result.blocks], result.furniture


def test_keeps_article_paragraphs_in_order_with_subheading() -> None:
    texts, _ = body_of(article_page())
    assert texts[:3] == PARA
    assert texts[3] == "Dampak ekonomi"
    assert texts[-1].startswith("Para pedagang")


def test_drops_navigation_related_share_caption_and_footer() -> None:
    text = " ".join(body_of(article_page())[0])
    for unwanted in ("Kanal 3", "Berita lain", "Facebook", "Jembatan baru di Kalimantan", "Copyright", "Terpopuler"):
        assert unwanted not in text


def test_furniture_lines_are_handed_to_metadata() -> None:
    texts, furniture = body_of(article_page())
    assert "Pewarta: Budi Santoso" in furniture and "Editor: Siti Aminah" in furniture
    assert "(aff/yna)" in furniture
    assert any(line.startswith("Baca juga") for line in furniture)
    assert not any("Pewarta" in t or "aff/yna" in t for t in texts)


def test_block_types_and_images() -> None:
    result = extract(article_page("<ul><li>Panjang jembatan 120 meter dan lebar 9 meter untuk dua jalur kendaraan.</li></ul>"
                                  "<blockquote><p>Ini hari bersejarah bagi warga di kedua kecamatan, katanya.</p></blockquote>"))
    assert isinstance(result, Article)
    kinds = {b.type: b.text for b in result.body}
    assert kinds["heading"] == "Dampak ekonomi"
    assert kinds["list_item"].startswith("Panjang jembatan")
    assert kinds["quote"].startswith("Ini hari bersejarah")
    image = next(i for i in result.images if i.url == "/foto.jpg")
    assert image.caption == "Jembatan baru di Kalimantan" and image.credit == "ANTARA/Foto Budi"


def test_dateline_only_line_joins_next_paragraph() -> None:
    html = article_page().replace("<p>Jakarta (ANTARA) - ", "<p><strong>Jakarta</strong> -</p><p>")
    assert body_of(html)[0][0].startswith("Jakarta - Pemerintah provinsi")


def test_text_in_divs_with_br_is_found() -> None:
    lines = "<br><br>".join(PARA * 2)
    html = f"<html><body><div class='menu'><a href='/'>Home</a></div><div id='isi'>{lines}</div></body></html>"
    assert body_of(html)[0] == PARA * 2


def test_jsonld_article_body_rescues_script_only_page() -> None:
    text = "\n".join(PARA * 3)
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "articleBody": text})
    html = f"<html><head><script type='application/ld+json'>{ld}</script></head><body><div id='app'>Loading</div></body></html>"
    result = extract_body(parse_html(html), None)
    assert result.strategy == "jsonld"
    assert [b.text for b in result.blocks] == PARA * 3


def test_jsonld_filters_blocks_outside_article_body() -> None:
    ld = json.dumps({"@graph": [{"@type": "NewsArticle", "articleBody": " ".join(PARA) + " Dampak ekonomi. Para pedagang berharap jembatan itu membuat harga barang di pasar turun dalam beberapa bulan ke depan."}]})
    html = article_page("<p>Ikuti kuis berhadiah mingguan kami dan menangkan voucher belanja menarik sekarang.</p>",
                        head=f"<script type='application/ld+json'>{ld}</script>")
    result = extract_body(parse_html(html), None)
    assert result.strategy == "dom+jsonld"
    assert not any("kuis" in b.text for b in result.blocks)
    assert result.blocks[0].text == PARA[0]


def test_page_without_prose_is_not_an_article() -> None:
    result = extract(f"<html><body><nav><ul>{NAV}</ul></nav></body></html>")
    assert not isinstance(result, Article)
    assert result.reason.value == "not an article"


def test_data_table_rows_are_kept_as_lines() -> None:
    rows = "".join(f"<tr><td>{i}</td><td>Pembalap nomor {i}</td><td>{5000 - i}</td></tr>" for i in range(1, 6))
    texts, _ = body_of(article_page(f"<table class='tablehead'><tbody>{rows}</tbody></table>"))
    assert "1 Pembalap nomor 1 4999" in texts and "5 Pembalap nomor 5 4995" in texts


def test_a_list_of_notes_with_some_linked_items_is_kept_and_a_list_of_links_is_not() -> None:
    # a release-notes list of short items, some only a link: worth less than nothing item by item,
    # but most of its text is the writer's own
    notes = "".join(f"<li>Tim {name} memperbaiki lampu</li>" for name in ("Ani", "Budi", "Cici", "Dedi", "Eka", "Fajar"))
    linked = "".join(f"<li><a href='/bug{i}'>Laporan {i}</a></li>" for i in range(3))
    listed = f"<ul><li>Tim jalan raya melanjutkan perbaikan aspal di ruas utara kota sejak pekan lalu<ul>{notes}{linked}</ul></li></ul>"
    links = f"<ul>{''.join(f'<li><a href=/s{i}>Cerita lain yang panjang nomor {i}</a></li>' for i in range(8))}</ul>"
    texts, _ = body_of(article_page(listed + "<p>Paragraf penutup artikel ini menjelaskan rencana kota.</p>" + links))
    assert any(t.startswith("Tim jalan raya") for t in texts)
    assert "Tim Budi memperbaiki lampu" in texts
    assert not any("Cerita lain" in t for t in texts)


def test_teasers_and_hidden_boxes_are_dropped() -> None:
    teasers = "".join(
        f"<p><a href='/t{i}'>Judul berita lain yang cukup panjang nomor {i}</a> JAKARTA: Ringkasan berita lain di sini.</p>"
        for i in range(3)
    )
    hidden = "<div class='intro hidden'><p>THIS CONTENT IS RESERVED FOR SUBSCRIBERS ONLY, please subscribe now.</p></div>"
    inline = "<p><a href='/p'>The compulsory purchase of the old house</a>, a town landmark, ended a long legal dispute in court.</p>"
    texts, _ = body_of(article_page(teasers + hidden + inline))
    joined = " ".join(texts)
    assert "Judul berita lain" not in joined and "SUBSCRIBERS" not in joined
    assert any(t.startswith("The compulsory purchase") for t in texts)  # a link inside a sentence is not a teaser


def test_related_heading_ends_the_article() -> None:
    tail = "<h3>Berita Terkait</h3>" + "".join(f"<p>Cerita lain yang panjang sekali nomor {i} tentang hal lain di kota lain.</p>" for i in range(6))
    texts, _ = body_of(article_page(tail))
    assert not any("Cerita lain" in t for t in texts)


def test_jsonld_article_body_is_unescaped() -> None:
    from warta.extract.jsonld import clean_body_text

    assert clean_body_text("&amp;Ccedil;orum&amp;#39;un Alaca") == "Çorum'un Alaca"
    assert clean_body_text("<p>Satu</p><p>Dua</p>").split() == ["Satu", "Dua"]


def test_infinite_scroll_keeps_the_first_full_article() -> None:
    first = "".join(f"<p>{p}</p>" for p in PARA)
    second = "".join(f"<p>Artikel kedua yang dimuat di bawah, paragraf {i} dengan isi yang cukup panjang sekali.</p>" for i in range(4))
    html = f"<html><body><main><article>{first}</article><div class='next'><article>{second}</article></div></main></body></html>"
    assert body_of(html)[0] == PARA


def test_side_column_teasers_are_left_out_but_standfirst_is_kept() -> None:
    side = "".join(f"<div class='box'><div class='desc'>Ringkasan berita lain nomor {i} yang cukup panjang untuk dibaca orang.</div></div>" for i in range(3))
    body = "".join(f"<p>{p}</p>" for p in PARA * 3)
    lead = "<p class='lead'>Ringkasan: jembatan baru akhirnya diresmikan setelah dua tahun pembangunan yang panjang.</p>"
    html = f"<html><body><div class='frame'><div class='left'>{lead}<div class='isi'>{body}</div></div><div class='right'>{side}</div></div></body></html>"
    texts, _ = body_of(html)
    assert texts[0].startswith("Ringkasan: jembatan baru") and texts[1:] == PARA * 3


def test_a_replies_section_inside_the_article_wrapper_is_cut() -> None:
    reply = ("<article class='js_reply reply'><div class='reply-content post-content'><p>{}</p></div></article>")
    replies = "".join(reply.format(f"Reader {i} thinks the bridge should have been built years ago, and says so at length here.")
                      for i in range(6))
    text = " ".join(body_of(article_page(f"<section class='js_replies'>{replies}</section>"))[0])
    assert PARA[0] in text and "Reader 3" not in text


def _photo_page(line: str) -> str:
    return (f"<html><head><title>Taylor Swift dan Selena Gomez berpelukan di Grammy</title>"
            f'<meta name="description" content="Taylor Swift dan Selena Gomez berpelukan di Grammy Awards 2016."></head>'
            f"<body><div class='c1'><h1>Taylor Swift dan Selena Gomez berpelukan di Grammy</h1>"
            f"<div class='c2'><img src='/1.jpg'><img src='/2.jpg'></div><div class='c3'><p>{line}</p></div></div></body></html>")


def test_a_stray_line_sharing_no_word_with_the_page_is_no_body() -> None:
    result = extract_body(parse_html(_photo_page("Jangan sampai ketinggalan berita terkini, langganan newsletter kami sekarang!")), None)
    assert result.blocks == () and result.strategy.endswith("-unrelated")
    assert any("newsletter" in line for line in result.furniture)  # set aside, not lost
    short = "Taylor Swift dan Selena Gomez berpelukan hangat di belakang panggung Grammy Awards 2016 di Los Angeles."
    assert [b.text for b in extract_body(parse_html(_photo_page(short)), None).blocks] == [short]


def _blog(after_title: str, thread_head: str) -> str:
    comments = "".join(f"<div class='c7'><p>Reader {i} writes that the bridge is long overdue and thanks the author for this post.</p></div>"
                       for i in range(8))
    paras = "".join(f"<p>{p}</p>" for p in PARA)
    return (f"<html><head><title>Jembatan baru</title></head><body><div class='c1'><h1>Jembatan baru diresmikan</h1>"
            f"{after_title}<div class='c2'>{paras}<p>{PARA[1]} {PARA[2]}</p><div class='c5'>{thread_head}</div>{comments}</div></div></body></html>")


def test_a_line_counting_the_comments_opens_the_thread_whatever_its_markup() -> None:
    for head in ("{ 18 comments… read them below or add one }", "Comments (186)", "8 Responses to “Jembatan baru”", "12 komentar"):
        text = " ".join(body_of(_blog("", head))[0])
        assert PARA[2] in text and "Reader 3" not in text, head
    # a linked comment count beside the byline is no thread head, and a sentence counting comments is prose
    linked = "<div class='c4'><a href='#c'>274 Comments</a></div>"
    assert PARA[0] in " ".join(body_of(_blog(linked, ""))[0])
    told = "<p>12 comments were left within the hour.</p>"
    assert "Reader 3" in " ".join(body_of(_blog("", told))[0])


def test_a_container_opening_with_a_comment_count_is_the_thread_not_the_article() -> None:
    posts = "".join(
        f"<div class='c8'><p class='c9'><a href='/u{i}'>Reader {i}</a> — July 17th, 2012, 6:18 pm</p>"
        f"<p>I have been waiting for this bridge for years, and I finally drove across it this morning with my family {i}.</p>"
        f"<p>Thanks for covering it so well, and please keep writing about our district and its roads.</p></div>" for i in range(12))
    paras = "".join(f"<p>{p}</p>" for p in PARA)
    page = (f"<html><head><title>Jembatan baru</title></head><body><div class='c1'><h1>Jembatan baru diresmikan</h1>"
            f"<div class='c2'>{paras}</div></div><div class='c3'><h3>12 Comments</h3>{posts}</div></body></html>")
    result = extract_body(parse_html(page), None)
    assert [b.text for b in result.blocks] == PARA and result.strategy == "dom-not-thread"


def test_a_short_cjk_body_is_related_to_its_page_by_character_pairs() -> None:
    body = "１３日午後９時１９分ごろ、宮崎県で震度５弱の地震があった。気象庁によると、震源地は日向灘。"
    page = ("<html><head><title>宮崎県で震度５弱の地震</title></head><body><div class='c1'><h1>宮崎県で震度５弱の地震</h1>"
            f"<div class='c2'><p>{body}</p></div></div></body></html>")
    assert [b.text for b in extract_body(parse_html(page), None).blocks] == [body]


# Second readings on pages whose article sits in wrappers named like furniture (``bio-panel`` is
# furniture to the main walk, neutral to the scored reading; ``supplemental`` the other way round).
BRIDGE = [
    "Jembatan baru sepanjang dua ratus meter di tepi sungai besar akhirnya diresmikan oleh gubernur pada Senin pagi,"
    " setelah dua tahun pembangunan yang sempat tertunda karena banjir dan kenaikan harga bahan bangunan.",
    "Warga dua kecamatan yang selama ini harus memutar lewat jalan provinsi kini dapat mencapai pasar induk dalam"
    " sepuluh menit saja, kata kepala desa yang hadir dalam peresmian bersama ratusan warga dan para pedagang pasar.",
    "Kepala dinas pekerjaan umum mengatakan jembatan itu dirancang untuk menahan banjir besar dan akan dirawat setiap"
    " tahun dengan anggaran daerah, sementara jalan penghubung di kedua ujungnya akan diperlebar tahun depan.",
    "Para pedagang berharap harga sayur dan beras di pasar ikut turun karena ongkos angkut dari desa kini jauh lebih"
    " murah, meski sebagian sopir angkutan khawatir kehilangan penumpang yang dulu menyeberang dengan perahu.",
    "Gubernur meminta warga ikut menjaga jembatan itu dan melaporkan kerusakan sekecil apa pun kepada dinas, serta"
    " berjanji membangun dua jembatan serupa di kabupaten lain sebelum akhir masa jabatannya pada tahun depan.",
]
NOTICE = [
    f"Kebijakan privasi {i}: situs ini menyimpan data kunjungan Anda untuk keperluan statistik dan iklan yang relevan dengan minat Anda."
    for i in range(12)
]
DESCRIBED = "Jembatan baru di tepi sungai besar menghubungkan dua kecamatan, warga kini mencapai pasar induk dalam sepuluh menit."


def _notice_page(article_class: str, description: str) -> str:
    article = "".join(f"<p>{p}</p>" for p in BRIDGE)
    notice = "".join(f"<p>{p}</p>" for p in NOTICE)
    return f"""<html><head><title>Jembatan baru diresmikan gubernur</title>
    <meta name="description" content="{description}"></head>
    <body><div class="page"><h1>Jembatan baru diresmikan gubernur</h1><div class="{article_class}">{article}</div></div>
    <div class="bottom"><div class="supplemental">{notice}</div></div></body></html>"""


def test_a_body_holding_none_of_the_description_gives_way_to_a_reading_that_holds_it() -> None:
    result = extract_body(parse_html(_notice_page("bio-panel", DESCRIBED)), None)
    assert [b.text for b in result.blocks] == BRIDGE and result.strategy.endswith("-described")
    # a description that says nothing about the article (the site's slogan) backs no other reading
    slogan = extract_body(parse_html(_notice_page("bio-panel", "Portal berita terpercaya untuk keluarga Indonesia.")), None)
    assert slogan.blocks[0].text.startswith("Kebijakan privasi") and "described" not in slogan.strategy
    # with neutral markup the main walk reads the article itself
    assert [b.text for b in extract_body(parse_html(_notice_page("story", DESCRIBED)), None).blocks][:5] == BRIDGE


def test_a_short_body_gives_way_when_the_readings_without_hints_agree_on_another() -> None:
    article = (
        "Jembatan baru sepanjang dua ratus meter di tepi sungai besar akhirnya diresmikan oleh gubernur pada Senin pagi,"
        " setelah dua tahun pembangunan yang sempat tertunda karena banjir. Warga dua kecamatan kini dapat mencapai pasar"
        " induk dalam sepuluh menit saja."
    )
    disclaimer = (
        "Tautan luar disediakan sebagai rujukan. Redaksi tidak bertanggung jawab atas isi situs lain. Hak cipta dilindungi"
        " undang-undang."
    )
    nav = "".join(f"<li><a href='/k{i}'>Kanal berita nomor {i}</a></li>" for i in range(15))
    html = f"""<html><head><title>Jembatan baru diresmikan gubernur</title></head><body>
    <h1>Jembatan baru diresmikan gubernur</h1><div class="bio-panel"><p>{article}</p></div>
    <div class="bottom"><ul>{nav}</ul><div><p>{disclaimer}</p></div><ul>{nav}</ul></div></body></html>"""
    result = extract_body(parse_html(html), None)
    assert [b.text for b in result.blocks] == [article] and result.strategy == "dom-nohints"


def test_of_two_agreeing_readings_the_one_the_description_backs_is_taken() -> None:
    # the hint-free walk reads the article with a subscription box beside it, the scored reading only
    # the box: they agree (one is a part of the other), and the description tells which is the article
    from warta.extract.body import BodyResult, _dom_body, _recheck
    from warta.extract.boilerplate import load_furniture
    from warta.model import Block

    offer = ["Berlangganan sekarang, baca tanpa batas, di semua perangkat, kapan saja.",
             "Edisi cetak digital, teka-teki harian, arsip lengkap, dan buletin pilihan."]
    policy = ("Kami berkomitmen menjaga forum diskusi yang sopan bagi semua pembaca. Mohon jaga komentar Anda tetap"
              " relevan dengan artikel tentang jembatan dan warga, hindari serangan pribadi, dan laporkan komentar yang"
              " melanggar aturan kepada moderator kami.")
    html = f"""<html><head><title>Jembatan baru diresmikan gubernur</title>
    <meta name="description" content="{DESCRIBED}"></head><body><h1>Jembatan baru diresmikan gubernur</h1>
    <div class="bio-panel">{''.join(f'<p>{p}</p>' for p in BRIDGE)}<div id="offer">{''.join(f'<p>{p}</p>' for p in offer)}</div></div>
    <div class="policy"><p>{policy}</p></div></body></html>"""
    tree = parse_html(html)
    furniture = load_furniture()
    main = _dom_body(tree, furniture, use_hints=True)
    assert [b.text for b in main.blocks] == [policy]
    box = next(el for el in tree.iter("div") if el.get("id") == "offer")
    scored = BodyResult(blocks=tuple(Block("paragraph", p) for p in offer), node=box, strategy="score")
    chosen = _recheck(tree, main, _dom_body(tree, furniture, use_hints=False), scored, None)
    assert chosen.strategy == "dom-nohints" and [b.text for b in chosen.blocks][:5] == BRIDGE
