"""End to end in real headless Chromium: search, filter by site, open an article, see it render."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from warta.model import Article

from .browser import chromium_driver, requires_chromium
from .conftest import ARTIFACTS, LiveServer, extracted_fixture_articles, generated_articles

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    yield from chromium_driver()


@pytest.fixture(scope="module")
def live(serve: Callable[..., LiveServer], tmp_path_factory: pytest.TempPathFactory) -> LiveServer:
    db = tmp_path_factory.mktemp("ui") / "warta.db"

    def fill(base: str) -> list[Article]:
        return extracted_fixture_articles() + generated_articles(base)

    return serve(db, fill=fill)


def shot(driver: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"web-{name}.png"))


def test_search_filter_open_article(driver: Any, live: LiveServer) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver.get(live.base + "/")
    box = driver.find_element(By.ID, "q")
    box.send_keys("banjir", Keys.ENTER)
    wait_url(driver, "q=banjir")
    assert driver.find_element(By.ID, "total").text == "6"
    assert driver.find_elements(By.CSS_SELECTOR, ".chart svg rect.bar"), "per-day chart is drawn"
    assert driver.find_elements(By.CSS_SELECTOR, ".hit .snippet mark"), "matched terms are highlighted"
    shot(driver, "1-search")

    driver.find_element(By.CSS_SELECTOR, '[data-facet="site"] a[data-value="kabar.example"]').click()
    wait_url(driver, "site=kabar.example")
    assert driver.find_element(By.ID, "total").text == "2"
    sites = {e.text for e in driver.find_elements(By.CSS_SELECTOR, ".hit .site")}
    assert sites == {"kabar.example"}
    shot(driver, "2-filtered")

    first = driver.find_element(By.CSS_SELECTOR, ".hit a.title")
    title = first.text
    first.click()
    wait_url(driver, "/articles/")
    assert driver.find_element(By.ID, "article-title").text == title
    paragraphs = driver.find_elements(By.CSS_SELECTOR, ".reading .body p")
    assert len(paragraphs) >= 3 and "banjir" in paragraphs[0].text
    assert driver.find_elements(By.CSS_SELECTOR, ".reading .body h2")
    assert len(driver.find_elements(By.CSS_SELECTOR, ".reading .body ul li")) == 2
    assert driver.find_elements(By.CSS_SELECTOR, ".reading blockquote")
    assert_images_loaded(driver, minimum=1)
    caption = driver.find_element(By.CSS_SELECTOR, ".images figcaption").text
    assert "Foto banjir" in caption and "Dok. Redaksi" in caption
    original = driver.find_element(By.CSS_SELECTOR, ".original a").get_attribute("href")
    assert original.startswith("https://kabar.example/berita/")
    shot(driver, "3-article")
    assert driver.execute_script("return window.__cspViolations.length") == 0


def wait_url(driver: Any, fragment: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 15).until(lambda d: fragment in d.current_url)
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")


def assert_images_loaded(driver: Any, minimum: int) -> None:
    loaded = driver.execute_script(
        "const imgs=[...document.querySelectorAll('.images img')];"
        "return Promise.all(imgs.map(i=>{i.loading='eager';return i.decode().then(()=>i.naturalWidth,()=>0);}));"
    )
    assert len(loaded) >= minimum and all(w > 0 for w in loaded), loaded


def test_extracted_article_reads(driver: Any, live: LiveServer) -> None:
    from selenium.webdriver.common.by import By

    driver.get(live.base + "/?q=Turki")
    driver.find_element(By.CSS_SELECTOR, ".hit a.title").click()
    wait_url(driver, "/articles/")
    assert "Turki" in driver.find_element(By.ID, "article-title").text
    assert len(driver.find_elements(By.CSS_SELECTOR, ".reading .body p")) >= 5
    shot(driver, "4-extracted-article")


def test_status_page(driver: Any, live: LiveServer) -> None:
    from selenium.webdriver.common.by import By

    driver.get(live.base + "/status")
    text = driver.find_element(By.CSS_SELECTOR, ".status").text
    assert "No crawl runs recorded." in text
    rows = driver.find_elements(By.CSS_SELECTOR, "table.sites tbody tr")
    assert len(rows) == 3 + len({a.domain for a in extracted_fixture_articles()})
    shot(driver, "5-status")
