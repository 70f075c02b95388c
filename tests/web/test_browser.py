"""End to end in real headless Chromium: search, filter by site, open an article, see it render."""

from __future__ import annotations

import time
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


def test_access_filter_in_the_search_form(driver: Any, live: LiveServer) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver.get(live.base + "/?q=laporan")
    choices = [o.get_attribute("value") for o in Select(driver.find_element(By.ID, "access")).options]
    assert choices == ["", "free", "metered", "teaser", "paywalled"]
    Select(driver.find_element(By.ID, "access")).select_by_value("paywalled")
    driver.find_element(By.CSS_SELECTOR, ".filterform button[type=submit]").click()
    wait_url(driver, "access=paywalled")
    assert driver.find_element(By.ID, "total").text == "3"
    assert Select(driver.find_element(By.ID, "access")).first_selected_option.get_attribute("value") == "paywalled"
    driver.find_element(By.CSS_SELECTOR, ".hit a.title").click()
    wait_url(driver, "/articles/")
    assert driver.find_element(By.CSS_SELECTOR, "dd.access-paywalled").text == "subscribers only"


def test_status_page(driver: Any, live: LiveServer) -> None:
    from selenium.webdriver.common.by import By

    driver.get(live.base + "/status")
    text = driver.find_element(By.CSS_SELECTOR, ".status").text
    assert "No crawl runs recorded." in text
    rows = driver.find_elements(By.CSS_SELECTOR, "table.sites tbody tr")
    assert len(rows) == 3 + len({a.domain for a in extracted_fixture_articles()})
    shot(driver, "5-status")


# -- the reader-facing UI (issue 15): copies, dates, authors, snippets, chart, paging, article, status ----


@pytest.fixture(scope="module")
def reader(serve: Callable[..., LiveServer], tmp_path_factory: pytest.TempPathFactory) -> tuple[LiveServer, dict[str, int]]:
    from .reader_data import fill_reader_store
    from .test_status import fill_frontier

    db = tmp_path_factory.mktemp("reader") / "warta.db"
    ids = fill_reader_store(db)
    fill_frontier(db)  # crawl runs and outcomes for the status page
    return serve(db), ids


def hit_texts(driver: Any, selector: str) -> list[str]:
    from selenium.webdriver.common.by import By

    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, selector)]


def test_copies_are_one_hit_with_a_switch_to_show_all(driver: Any, reader: tuple[LiveServer, dict[str, int]]) -> None:
    from selenium.webdriver.common.by import By

    live, ids = reader
    driver.get(live.base + "/?q=banjir")
    hits = driver.find_elements(By.CSS_SELECTOR, "ol.hits > li.hit")
    assert len(hits) == 1 and driver.find_element(By.ID, "total").text == "1"
    copies = hits[0].find_element(By.CSS_SELECTOR, ".copies")
    assert copies.text.startswith("3 copies: Antara"), copies.text
    assert [a.text for a in copies.find_elements(By.CSS_SELECTOR, "a.copy")] == ["Antara", "Republika", "Okezone"]
    hrefs = [a.get_attribute("href") for a in copies.find_elements(By.CSS_SELECTOR, "a.copy")]
    assert hrefs == [f"{live.base}/articles/{ids[f'wire{n}']}" for n in range(3)]
    assert "original" in copies.find_element(By.CSS_SELECTOR, "a.copy.original + .badge").text.lower()
    shot(driver, "6-collapsed")

    driver.find_element(By.ID, "show-copies").click()
    wait_url(driver, "collapse=false")
    assert driver.find_element(By.ID, "total").text == "3"
    assert len(driver.find_elements(By.CSS_SELECTOR, "ol.hits > li.hit")) == 3
    assert sorted(hit_texts(driver, ".hit .site-name")) == ["Antara", "Okezone", "Republika"]
    assert not driver.find_elements(By.CSS_SELECTOR, ".hit .copies")
    driver.find_element(By.ID, "collapse-copies").click()
    wait_url(driver, "/?")
    assert "collapse=false" not in driver.current_url
    assert len(driver.find_elements(By.CSS_SELECTOR, "ol.hits > li.hit")) == 1


def test_hits_show_human_dates_authors_site_and_clean_snippets(driver: Any, reader: tuple[LiveServer, dict[str, int]]) -> None:
    from selenium.webdriver.common.by import By

    live, ids = reader
    driver.get(live.base + "/?q=pasar&sort=date")
    metas = {e.find_element(By.CSS_SELECTOR, "a.title").text: e.find_element(By.CSS_SELECTOR, ".meta").text
             for e in driver.find_elements(By.CSS_SELECTOR, ".hit")}
    assert metas["Pasar tradisional ramai nomor 0"] == (
        "Kabar Makassar · kabar0.example · Sabtu, 20 Februari 2016 09:15 WITA · Siti Rahma, Penulis 0")
    assert metas["Market day number 1"] == "Kabar 1 · kabar1.example · Sun 21 Feb 2016, 15:06 (+07:00) · Siti Rahma, Penulis 1"
    assert "Senin, 22 Februari 2016 ·" in metas["Pasar tradisional ramai nomor 2"]  # a date without a time
    assert "Selasa, 23 Februari 2016 08:30 WIB" in metas["Pasar tradisional ramai nomor 3"]
    machine = driver.find_element(By.CSS_SELECTOR, ".hit time").get_attribute("datetime")
    assert machine == "2016-02-24T08:30:00+07:00"  # ISO kept for machines
    snippets = hit_texts(driver, ".hit .snippet")
    assert snippets and not any("¶" in s for s in snippets), snippets
    assert any("Subjudul pasar Padang – Pasar tradisional" in s for s in snippets), snippets  # heading, then a dash
    assert any("peralatan sekolah. Penjual buku" in s for s in snippets), snippets  # sentence end, then a space
    shot(driver, "7-hits")


def test_chart_has_axes_labels_and_title(driver: Any, reader: tuple[LiveServer, dict[str, int]]) -> None:
    from selenium.webdriver.common.by import By

    live, _ = reader
    driver.get(live.base + "/")
    svg = driver.find_element(By.CSS_SELECTOR, ".chart svg")
    texts = [t.text for t in svg.find_elements(By.CSS_SELECTOR, "text")]
    assert "Articles per day" in texts
    assert "Articles" in texts and any(t.startswith("Publication date") for t in texts)
    assert [t.text for t in svg.find_elements(By.CSS_SELECTOR, ".x-axis text")][:2] == ["20 Feb", "21 Feb"]
    assert [t.text for t in svg.find_elements(By.CSS_SELECTOR, ".y-axis text")] == ["0", "2", "4"]
    assert len(svg.find_elements(By.CSS_SELECTOR, "line.axis")) == 2
    assert driver.execute_script("return window.__cspViolations.length") == 0


def test_empty_results_have_no_list_number(driver: Any, reader: tuple[LiveServer, dict[str, int]]) -> None:
    from selenium.webdriver.common.by import By

    live, _ = reader
    for path, message in (("/?q=tidakadakatainixyz", "No articles found."),
                          ("/?q=banjir&page=2", "No articles found on page 2.")):
        driver.get(live.base + path)
        assert driver.find_element(By.ID, "nohits").text == message
        assert not driver.find_elements(By.CSS_SELECTOR, "ol li"), "no numbered list item"
        assert "1. No" not in driver.find_element(By.CSS_SELECTOR, ".results").text
    shot(driver, "8-empty")


def test_per_page_is_respected_and_kept_by_paging(driver: Any, reader: tuple[LiveServer, dict[str, int]]) -> None:
    from selenium.webdriver.common.by import By

    live, _ = reader
    driver.get(live.base + "/?q=pasar&per_page=2")
    assert len(driver.find_elements(By.CSS_SELECTOR, "ol.hits > li.hit")) == 2
    driver.find_element(By.CSS_SELECTOR, "a[rel=next]").click()
    wait_url(driver, "page=2")
    assert "per_page=2" in driver.current_url
    assert len(driver.find_elements(By.CSS_SELECTOR, "ol.hits > li.hit")) == 2
    assert driver.find_element(By.CSS_SELECTOR, "ol.hits").get_attribute("start") == "3"
    driver.find_element(By.CSS_SELECTOR, ".per-page a[href*='per_page=50']").click()
    wait_url(driver, "per_page=50")
    assert len(driver.find_elements(By.CSS_SELECTOR, "ol.hits > li.hit")) == 6  # five market stories, the rice one
    assert driver.find_element(By.ID, "total").text == "6"


def test_top_search_box_keeps_per_page_and_show_every_copy(driver: Any, reader: tuple[LiveServer, dict[str, int]]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    live, _ = reader
    driver.get(live.base + "/?q=pasar&per_page=2&collapse=false")
    box = driver.find_element(By.ID, "q")
    box.clear()
    box.send_keys("beras", Keys.ENTER)
    wait_url(driver, "q=beras")
    assert "per_page=2" in driver.current_url and "collapse=false" in driver.current_url
    assert driver.find_element(By.ID, "collapse-copies"), "every copy is still shown"
    driver.get(live.base + "/status")  # pages without view settings submit a plain search
    box = driver.find_element(By.ID, "q")
    box.send_keys("beras", Keys.ENTER)
    wait_url(driver, "q=beras")
    assert "per_page" not in driver.current_url and "collapse" not in driver.current_url


def test_article_page_shows_cluster_and_revision_diff(driver: Any, reader: tuple[LiveServer, dict[str, int]]) -> None:
    from selenium.webdriver.common.by import By

    from .reader_data import NEW_SENTENCE, OLD_SENTENCE

    live, ids = reader
    driver.get(f"{live.base}/articles/{ids['wire1']}")
    assert driver.find_element(By.CSS_SELECTOR, ".reading time.published").text == "Selasa, 23 Februari 2016 11:06 WIB"
    rows = driver.find_elements(By.CSS_SELECTOR, "#cluster tr.member")
    assert [r.get_attribute("data-id") for r in rows] == [str(ids[f"wire{n}"]) for n in range(3)]
    assert [r.find_element(By.CSS_SELECTOR, ".kind").text for r in rows] == ["original", "exact copy", "exact copy"]
    assert "this page" in rows[1].text.lower() and not rows[1].find_elements(By.CSS_SELECTOR, "a")
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "#cluster a")]
    assert links == [f"{live.base}/articles/{ids['wire0']}", f"{live.base}/articles/{ids['wire2']}"]
    shot(driver, "9-cluster")
    driver.find_element(By.CSS_SELECTOR, "#cluster a").click()
    wait_url(driver, f"/articles/{ids['wire0']}")
    assert "original" in driver.find_element(By.CSS_SELECTOR, "#cluster tr.current .kind").text

    driver.get(f"{live.base}/articles/{ids['revised']}")
    versions = driver.find_elements(By.CSS_SELECTOR, "#revisions .revision")
    assert [v.get_attribute("data-version") for v in versions] == ["1", "2"]
    removed = hit_texts(driver, "#revisions .diff .del")
    added = hit_texts(driver, "#revisions .diff .add")
    assert removed == ["-" + OLD_SENTENCE] and added == ["+" + NEW_SENTENCE]
    assert not driver.find_elements(By.CSS_SELECTOR, "#revisions .diff b"), "scraped markup stays text"
    assert not driver.find_elements(By.CSS_SELECTOR, "#cluster"), "an article alone in its cluster lists no copies"
    shot(driver, "10-revisions")


def test_status_page_has_human_headings(driver: Any, reader: tuple[LiveServer, dict[str, int]]) -> None:
    from selenium.webdriver.common.by import By

    live, _ = reader
    driver.get(live.base + "/status")
    headings = hit_texts(driver, "table.runs th")
    assert headings == ["Run", "Job", "Command", "Process id", "Started", "Finished", "State", "Requests", "Articles stored",
                        "Outcomes"]
    page = driver.find_element(By.CSS_SELECTOR, ".status").text
    for raw in ("started_at", "finished_at", "job_id"):
        assert raw not in page
    assert "Mon 1 Jan 2024, 00:00" in page  # run times read as dates
    assert hit_texts(driver, "#site-health th")[:3] == ["Site", "URLs with an outcome", "Failed or blocked"]
    assert "bad.example" in driver.find_element(By.CSS_SELECTOR, "#site-health tr.failure").text
    assert hit_texts(driver, "table.sites th") == ["Site", "Name", "Articles", "First article", "Latest article"]
    shot(driver, "11-status")


def test_hostile_copies_and_revisions_stay_inert(
    driver: Any, serve: Callable[..., LiveServer], beacon: tuple[str, list[str]],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Scraped payloads in copies (site names, titles) and in revision diffs render as text only."""
    from dataclasses import replace

    from selenium.webdriver.common.by import By

    from warta.dedupe.hooks import on_stored
    from warta.model import Block
    from warta.store.sqlite import Store

    from . import xss_payloads
    from .test_hostile import assert_clean, hostile_articles

    beacon_url, calls = beacon
    db = tmp_path_factory.mktemp("hostile-copies") / "warta.db"
    live = serve(db)
    payloads = xss_payloads.payloads(beacon_url, live.base)
    articles = hostile_articles(beacon_url, live.base)[:4]
    with Store(db) as store:
        for j, article in enumerate(articles):
            for copy in range(2):  # each story twice: an exact copy on another "site"
                stored = replace(article, site_name=f"{payloads[(j + copy) % len(payloads)]}", domain=f"copy{copy}.example")
                article_id, _ = store.upsert_article(f"k{j}-{copy}", stored)
                on_stored(store, article_id, stored)
        revised = replace(articles[0], body=articles[0].body + tuple(Block("paragraph", p) for p in payloads[:40]))
        store.upsert_article("k0-0", revised)
        on_stored(store, 1, revised)
    for path in ("/?q=hostile", "/?q=hostile&collapse=false", "/articles/1", "/articles/2", "/api/search?q=hostile&collapse=true"):
        driver.get(live.base + path)
        if not path.startswith("/api/"):
            assert_clean(driver, path)
    driver.get(live.base + "/?q=hostile")
    assert {e.text.split(" copies")[0] for e in driver.find_elements(By.CSS_SELECTOR, ".hit .copies")} == {"2"}
    driver.get(live.base + "/articles/1")
    assert len(driver.find_elements(By.CSS_SELECTOR, "#revisions .diff .add")) == 40
    assert len(driver.find_elements(By.CSS_SELECTOR, "#cluster tr.member")) == 2
    time.sleep(1.0)  # let any delayed request arrive
    assert calls == [], f"beacon was called: {calls[:5]}"
