"""Hostile content: XSS payloads in every scraped field are shown as text and never run.

Each payload would set ``window.__xss`` or call a loopback beacon if it ran. The test reads every
reading view and the search results in real Chromium and proves: no sentinel, zero beacon hits,
no CSP violation (``securitypolicyviolation`` events and console), no foreign script or event
handler in the DOM, while the legitimate paragraphs and images still render.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from warta.model import Article, Block, Image

from . import xss_payloads
from .browser import chromium_driver, requires_chromium
from .conftest import ARTIFACTS, LiveServer

pytestmark = [pytest.mark.browser, requires_chromium]
PER_ARTICLE = 12
LEGIT = "Paragraf aman yang harus tetap tampil."

DOM_CHECK = """
const bad = [];
for (const el of document.querySelectorAll('*')) {
  for (const attr of el.getAttributeNames()) {
    if (attr.toLowerCase().startsWith('on')) bad.push(el.tagName + '@' + attr);
  }
}
for (const s of document.scripts) { if (!s.src.endsWith('/static/warta.js')) bad.push('script:' + s.src); }
for (const a of document.querySelectorAll('a[href]')) {
  if (!['http:', 'https:'].includes(new URL(a.href).protocol)) bad.push('href:' + a.href);
}
for (const i of document.querySelectorAll('img')) {
  if (!['http:', 'https:'].includes(new URL(i.src).protocol)) bad.push('src:' + i.src);
}
for (const tag of ['iframe', 'object', 'embed', 'svg script', 'math', 'base', 'meta[http-equiv]', 'link:not([href="/static/warta.css"])', 'style', 'form:not(.searchbox):not(.filterform)', 'marquee', 'video', 'audio', 'details', 'template']) {
  if (document.querySelector(tag)) bad.push('element:' + tag);
}
return bad;
"""


def hostile_articles(beacon: str, base: str) -> list[Article]:
    payloads = xss_payloads.payloads(beacon, base)
    image_urls = xss_payloads.image_urls(beacon, base)
    articles = []
    for j, start in enumerate(range(0, len(payloads), PER_ARTICLE)):
        chunk = [payloads[(start + k) % len(payloads)] for k in range(PER_ARTICLE)]
        images = [Image(f"{base}/img/photo0.png", f"Foto aman {j}", "Dok. Aman")]
        images += [Image(image_urls[(j + k) % len(image_urls)], p, p) for k, p in enumerate(chunk)]
        images.append(Image(f"{base}/img/photo1.png?{chunk[0]}", chunk[1], None))
        body = [Block("paragraph", LEGIT)]
        for k, p in enumerate(chunk):
            body.append(Block(("paragraph", "heading", "list_item", "quote")[k % 4], p))
        articles.append(
            Article(
                url=image_urls[j % len(image_urls)] if j % 2 else f"https://hostile.example/{j}?{chunk[-1]}",
                canonical_url=chunk[2] if j % 3 == 0 else None,
                site_name=chunk[3],
                domain=f"hostile{j % 2}.example",
                language="id",
                title=f"hostile {j} " + chunk[0],
                lead=chunk[4],
                authors=tuple(chunk[5:8]),
                editors=(chunk[8],),
                source_agencies=(chunk[9],),
                dateline=chunk[10 % len(chunk)],
                published=f"2024-05-{1 + j:02d}T10:00:00+07:00",
                section=chunk[11 % len(chunk)],
                tags=tuple(chunk),
                body=tuple(body),
                images=tuple(images),
            )
        )
    return articles


def hostile_page_article(beacon: str, base: str) -> Article:
    """An article extracted by warta's own extractor from a page whose HTML carries the payloads."""
    from warta.extract import extract

    payloads = xss_payloads.payloads(beacon, base)
    image_urls = xss_payloads.image_urls(beacon, base)
    body = "".join(f"<p>Paragraf berita nomor {i} yang cukup panjang untuk isi artikel. {p}</p>"
                   for i, p in enumerate(payloads))
    figures = "".join(f'<figure><img src="{u}" onerror="{xss_payloads.JS}"><figcaption>{p}</figcaption></figure>'
                      for u, p in zip(image_urls, payloads, strict=False))
    html = (f"<html><head><title>hostile page {payloads[0]}</title></head><body><article>"
            f"<h1>hostile page {payloads[0]}</h1>{body}{figures}</article></body></html>")
    result = extract(html, "https://hostile.example/page")
    assert isinstance(result, Article), result
    return result


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    yield from chromium_driver()


def test_payload_count() -> None:
    assert len(xss_payloads.payloads("http://b", "http://s")) >= 100


def test_no_payload_runs(
    driver: Any,
    serve: Callable[..., LiveServer],
    beacon: tuple[str, list[str]],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from selenium.webdriver.common.by import By

    beacon_url, hits = beacon
    db = tmp_path_factory.mktemp("hostile") / "warta.db"
    stored: list[Article] = []

    def fill(base: str) -> list[Article]:
        stored.extend(hostile_articles(beacon_url, base))
        stored.append(hostile_page_article(beacon_url, base))
        return stored

    live = serve(db, fill=fill)
    pages = [f"/articles/{i}" for i in range(1, len(stored) + 1)]
    pages += ["/?q=hostile", "/?q=hostile&sort=date&page=2", "/?q=script", "/?q=onerror", "/status"]
    for n, path in enumerate(pages):
        driver.get(live.base + path)
        assert driver.execute_script("return document.readyState") == "complete"
        if path == f"/articles/{len(stored)}":  # the article extracted from hostile HTML
            assert driver.find_element(By.ID, "article-title").text.startswith("hostile page")
            assert len(driver.find_elements(By.CSS_SELECTOR, ".reading .body p")) >= 50
        elif path.startswith("/articles/"):
            assert_reading_view_renders(driver, stored[int(path.rsplit("/", 1)[1]) - 1])
        else:
            assert driver.find_elements(By.CSS_SELECTOR, "main")
        if n in (0, len(stored)):
            ARTIFACTS.mkdir(exist_ok=True)
            driver.save_screenshot(str(ARTIFACTS / f"web-hostile-{n}.png"))
        time.sleep(0.05)
        assert_clean(driver, path)
    time.sleep(1.0)  # let any delayed request arrive
    assert driver.execute_script("return window.__xss") is None
    assert hits == [], f"beacon was called: {hits[:5]}"
    csp_logs = [e for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]
    assert csp_logs == [], csp_logs[:3]


def assert_reading_view_renders(driver: Any, article: Article) -> None:
    from selenium.webdriver.common.by import By

    title = driver.find_element(By.ID, "article-title").text
    assert title.startswith("hostile ") and title.strip() == (article.title or "").replace("\x00", "").strip()
    paragraphs = [p.text for p in driver.find_elements(By.CSS_SELECTOR, ".reading .body p")]
    assert paragraphs[0] == LEGIT
    assert len(driver.find_elements(By.CSS_SELECTOR, ".reading .body > *")) >= len(article.body) // 2
    widths = driver.execute_script(
        "const imgs=[...document.querySelectorAll('.images img')];"
        "return Promise.all(imgs.map(i=>{i.loading='eager';return i.decode().then(()=>i.naturalWidth,()=>0);}));"
    )
    assert widths and widths[0] > 0, widths  # the legitimate image loads
    captions = driver.find_elements(By.CSS_SELECTOR, ".images figcaption .caption")
    assert len(captions) == len(article.images)  # every caption shown, as text


def assert_clean(driver: Any, path: str) -> None:
    assert driver.execute_script("return window.__xss") is None, path
    assert driver.execute_script("return window.__cspViolations") == [], path
    assert driver.execute_script(DOM_CHECK) == [], path
