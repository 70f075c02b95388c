"""Challenge pages and script-only shells, recognised by their shape (invented pages)."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

from warta.extract import extract
from warta.health.pages import challenge_marker, script_only, shell_page, visible_text
from warta.model import Article, Skip, SkipReason

PROSE = (
    "Pemerintah mengumumkan kebijakan baru tentang harga bahan bakar minyak yang akan berlaku mulai "
    "pekan depan di seluruh wilayah Indonesia, kata menteri kepada wartawan di Jakarta pada hari Senin. "
)

CLOUDFLARE = b"""<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390"><style>body{font:16px sans-serif}</style>
<script>(function(){window._cf_chl_opt={cvId: '3',cZone: 'news.example',cType: 'managed'};
var a=document.createElement('script');a.src='/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1';
document.getElementsByTagName('head')[0].appendChild(a);}());</script></head>
<body><div class="main-wrapper"><h1>news.example</h1><h2>Checking if the site connection is secure</h2>
<noscript>Enable JavaScript and cookies to continue</noscript></div></body></html>"""

ATTENTION = b"""<html><head><title>Attention Required! | Cloudflare</title></head><body>
<h1>Sorry, you have been blocked</h1><p>You are unable to access news.example</p>
<p>This website is using a security service to protect itself from online attacks.</p></body></html>"""

CAPTCHA_WALL = b"""<html><head><title>Verifikasi</title><script src="https://www.google.com/recaptcha/api.js">
</script></head><body><form><div class="g-recaptcha" data-sitekey="x"></div>
<p>Selesaikan captcha untuk melanjutkan.</p></form></body></html>"""


def article_page(extra: str = "") -> bytes:
    paragraphs = "".join(f"<p>{PROSE}</p>" for _ in range(12))
    return (
        "<html><head><title>Harga BBM naik</title></head><body><article><h1>Harga BBM naik</h1>"
        f"{paragraphs}</article>{extra}</body></html>"
    ).encode()


def shell(data: object, visible: str = "Memuat...") -> bytes:
    return (
        '<html><head><title>Portal</title><script src="/_next/static/main.js"></script></head>'
        f'<body><div id="__next">{visible}</div>'
        f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script></body></html>'
    ).encode()


def test_cloudflare_interstitial_served_with_200_is_a_challenge() -> None:
    assert challenge_marker(CLOUDFLARE) == "_cf_chl_opt"


def test_block_page_and_captcha_wall_are_challenges() -> None:
    assert challenge_marker(ATTENTION) == "attention required"
    assert challenge_marker(CAPTCHA_WALL) == "captcha"


def test_article_with_a_captcha_in_its_comment_form_is_not_a_challenge() -> None:
    page = article_page('<form class="comments"><div class="g-recaptcha"></div>captcha</form>')
    assert challenge_marker(page) is None


def test_large_page_is_never_a_challenge() -> None:
    assert challenge_marker(CLOUDFLARE + b"<!--" + b"x" * 300_000 + b"-->") is None


def test_shell_with_the_article_in_its_scripts_is_script_only() -> None:
    data = {"props": {"pageProps": {"article": {"title": "Harga BBM naik", "body": PROSE * 8}}}}
    verdict = script_only(shell(data))
    assert verdict is not None and "words of text in its scripts" in verdict


def test_page_that_shows_its_article_is_not_script_only() -> None:
    data = {"article": {"body": PROSE * 8}}  # hydration data beside a rendered article
    page = article_page(f'<script type="application/json">{json.dumps(data)}</script>')
    assert script_only(page) is None


def test_shell_whose_scripts_hold_no_prose_is_not_script_only() -> None:
    data = {"config": {"api": "https://api.example/v1/" + "a" * 200, "token": "Zm9v" * 50, "ids": list(range(300))}}
    assert script_only(shell(data)) is None


def test_visible_text_drops_scripts_styles_and_comments() -> None:
    page = b"<p>Halo</p><script>var x = '<p>no</p>';</script><style>p{}</style><!-- hidden --><b>dunia</b>"
    assert visible_text(page) == "Halo dunia"


def test_hostile_unclosed_tags_are_read_in_linear_time() -> None:
    page = b"<script>" * 200_000 + b"<" * 500_000
    started = time.monotonic()
    challenge_marker(page[:200_000] + b"captcha")
    script_only(page)
    assert time.monotonic() - started < 2.0


def test_an_extraction_without_text_on_a_shell_is_script_only() -> None:
    page = shell({"article": {"body": PROSE * 8}})
    dated_empty = Article(title="Harga BBM naik", published="2026-01-01")
    assert shell_page(Skip(SkipReason.NOT_AN_ARTICLE), page) is not None
    assert shell_page(dated_empty, page) is not None
    assert shell_page(Skip(SkipReason.TOO_LARGE), page) is None
    assert shell_page(Skip(SkipReason.NOT_AN_ARTICLE), article_page()) is None


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RECORDED_ARTICLES = [
    "web/antaranews.com__anpandu_antara-singlepage3.html.gz",
    "web/en.tempo.co__anpandu_tempoen-singlepage.html.gz",
    "web/kapanlagi.com__anpandu_kapanlagi-singlepage.html.gz",
    "meta/detik.com__anpandu_detik-singlepage.html.gz",
    "meta/liputan6.com__anpandu_liputan6-singlepage.html.gz",
    "meta/at__ORF_2024_11_22.html.gz",
    "meta/us__Reuters_2024_03_07.html.gz",
]


def test_recorded_script_only_article_is_recognised() -> None:
    html = gzip.decompress((FIXTURES / "health/kr__HankookIlbo_2026_01_29.html.gz").read_bytes())
    assert script_only(html) is not None and challenge_marker(html) is None  # the page is a shell
    # ... whose hydration data the extractor reads, so a crawl stores it instead of recording it
    article = extract(html, "https://www.hankookilbo.com/news/article/A2026012914320005196")
    assert not isinstance(article, Skip) and article.provenance["body"] == "embedded"
    assert shell_page(article, html) is None


def test_recorded_articles_are_neither_walls_nor_shells() -> None:
    for name in RECORDED_ARTICLES:
        html = gzip.decompress((FIXTURES / name).read_bytes())
        assert challenge_marker(html) is None, name
        assert script_only(html) is None and shell_page(extract(html, None), html) is None, name
