"""Site field rules as data: each bundled rule is proven on a recorded page (MIT-licensed anpandu
pages) where the generic extractor alone gets the field wrong; rules fall back to the generic
extractor when they match nothing or the page is outside their layout's dates; `warta sites
check --db` reports a rule that stopped matching."""

from __future__ import annotations

import datetime as dt
import gzip
import importlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from warta.cli.main import cli
from warta.errors import ConfigError
from warta.extract import extract
from warta.extract.site_rules import apply_rules, rule_report
from warta.model import Article, Capture
from warta.sites import load_recipes, parse_recipe
from warta.store.sqlite import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAGES = {
    "antara3": ("web/antaranews.com__anpandu_antara-singlepage3.html.gz",
                "http://www.antaranews.com/berita/546640/bantu-pulihkan-perdamaian-dunia-turki-selenggarakan-kontes-film-pendek-internasional"),
    "tempoen": ("web/en.tempo.co__anpandu_tempoen-singlepage.html.gz",
                "http://en.tempo.co/read/news/2015/11/04/055715684,uk.html/Indonesia-can-Learn-from-Finlands-Peatland-Fire-Case-Pratikno"),
    "tempo": ("meta/tempo.co__anpandu_tempo-singlepage.html.gz",
              "http://gaya.tempo.co/read/news/2015/11/05/060716092/ini-7-alasan-mengapa-orang-malas-bergerak?i=1"),
    "detikfoto": ("rules/detik.com__anpandu_detik-singlepage2.html.gz",
                  "http://finance.detik.com/readfoto/2016/02/23/153201/3149106/461/1/gardu-induk-milenium-pln-resmi-beroperasi"),
}


def page(name: str) -> tuple[bytes, str]:
    path, url = PAGES[name]
    return gzip.decompress((FIXTURES / path).read_bytes()), url


@pytest.fixture
def generic_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The extractor without its site step: what every site without rules gets."""
    core = importlib.import_module("warta.extract.core")
    monkeypatch.setattr(core, "site_rules", lambda tree, article, url: article)
    yield


def both(name: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Article, Article]:
    html, url = page(name)
    with_rules = extract(html, url)
    core = importlib.import_module("warta.extract.core")
    with monkeypatch.context() as m:
        m.setattr(core, "site_rules", lambda tree, article, url: article)
        generic = extract(html, url)
    assert isinstance(with_rules, Article) and isinstance(generic, Article)
    return with_rules, generic


def test_antaranews_body_rule_keeps_the_press_release_contact_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    ruled, generic = both("antara3", monkeypatch)
    assert "KONTAK: info@merhametveadalet.com" in ruled.text and "KONTAK" not in generic.text
    assert ruled.text.startswith(generic.text.split("\n\n")[0])  # same opening paragraph
    assert ruled.provenance["body"] == "recipe:antaranews@2015" and generic.provenance["body"].startswith("dom")
    assert ruled.authors == generic.authors == ("prwir",)  # the byline line is still read, not body


def test_tempo_needs_no_body_rule_since_captions_are_found_by_structure(monkeypatch: pytest.MonkeyPatch) -> None:
    # tempo's 2015 layout had a body rule (div.artikel > p) only to leave out the photo caption;
    # the generic extractor now finds that caption by its image wrapper, so the rule was removed.
    ruled, generic = both("tempo", monkeypatch)
    assert ruled == generic and ruled.provenance["body"] == "dom"
    assert "Rektor UNY buka invitasi" not in ruled.text
    assert any((i.caption or "").startswith("Rektor UNY buka invitasi") for i in ruled.images)
    assert "DINI TEJA" not in ruled.text and ruled.text.startswith("TEMPO.CO, Jakarta - Organisasi Kesehatan Dunia")


def test_english_tempo_rules_fix_the_body_and_the_publication_time(monkeypatch: pytest.MonkeyPatch) -> None:
    ruled, generic = both("tempoen", monkeypatch)
    headline = "Indonesia can Learn from Finland`s Peatland Fire Case: Pratikno"
    assert headline in generic.text and headline not in ruled.text
    assert ruled.text.startswith("TEMPO.CO, Jakarta - Indonesia could learn from Finland")
    assert generic.published == "2015-11-04T19:14:00+07:00"  # a later time the page's metadata gives
    assert ruled.published == "2015-11-04T07:28:00+07:00"  # the time printed above the article
    assert ruled.provenance["published"] == ruled.provenance["body"] == "recipe:tempo@en-2015"


def test_detik_photo_gallery_rule_credits_the_photographer(monkeypatch: pytest.MonkeyPatch) -> None:
    ruled, generic = both("detikfoto", monkeypatch)
    assert generic.authors == ()
    assert ruled.authors == ("Grandyos Zafna",) and ruled.provenance["authors"] == "recipe:detik@foto-2016"


def test_every_bundled_rule_is_proven_by_a_test_here() -> None:
    this = Path(__file__).name
    rules = [(r.id, rule) for r in load_recipes().values() for rule in r.rules]
    assert rules, "no bundled field rules"
    for site, rule in rules:
        assert this in rule.proven_by, f"{site} {rule.field}@{rule.layout} names no proof in {this}"


# --- fallback and validity, on invented pages ---------------------------------------------------

ANTARA_URL = "https://www.antaranews.com/berita/1/contoh"
PARAGRAPHS = "".join(f"<p>Kalimat nomor {i} dari berita ini cukup panjang untuk menjadi isi artikel.</p>" for i in range(8))


def invented(published: str, container: str) -> bytes:
    return (
        f'<html><head><title>Contoh berita</title><meta property="article:published_time" content="{published}">'
        f'</head><body><h1>Contoh berita</h1><div {container}>{PARAGRAPHS}'
        '<p>Pewarta: Budi Santoso</p></div><div class="footer"><a href="/a">Tautan</a></div></body></html>'
    ).encode()


def test_a_rule_that_matches_nothing_falls_back_to_the_generic_extractor() -> None:
    article = extract(invented("2016-02-23T10:00:00+07:00", 'class="isi-baru"'), ANTARA_URL)
    assert isinstance(article, Article)
    assert article.provenance["body"].startswith("dom") and "Kalimat nomor 7" in article.text


def test_a_rule_applies_only_to_pages_of_its_layout_dates() -> None:
    inside = extract(invented("2016-02-23T10:00:00+07:00", 'id="content_news"'), ANTARA_URL)
    after = extract(invented("2019-06-01T10:00:00+07:00", 'id="content_news"'), ANTARA_URL)
    assert isinstance(inside, Article) and isinstance(after, Article)
    assert inside.provenance["body"] == "recipe:antaranews@2015"
    assert after.provenance["body"].startswith("dom")
    assert "Pewarta" not in inside.text and inside.authors == ("Budi Santoso",)


def test_first_valid_matching_rule_wins_and_a_page_without_a_date_uses_the_fetch_day() -> None:
    from warta.extract.html import parse_html

    recipe = parse_recipe({
        "id": "contoh", "name": "Contoh", "domains": ["contoh.id"],
        "rules": [
            {"field": "authors", "selector": ".penulis-lama", "layout": "old", "valid_until": "2015-12-31"},
            {"field": "authors", "selector": ".tidak-ada", "layout": "new-missing", "valid_from": "2016-01-01"},
            {"field": "authors", "selector": ".penulis", "layout": "new", "valid_from": "2016-01-01",
             "pattern": r"Oleh\s*:?\s*(.+)"},
        ],
    })
    tree = parse_html(b'<html><body><p class="penulis-lama">Ani</p><p class="penulis">Oleh: Budi dan Citra</p></body></html>')
    base = Article(title="x")
    new = apply_rules(tree, base, recipe.id, recipe.rules, today=dt.date(2020, 1, 1))
    old = apply_rules(tree, base, recipe.id, recipe.rules, today=dt.date(2015, 6, 1))
    assert new.authors == ("Budi", "Citra") and new.provenance == {"authors": "recipe:contoh@new"}
    assert old.authors == ("Ani",) and old.provenance == {"authors": "recipe:contoh@old"}
    empty = parse_html(b"<html><body><p>Tata letak baru</p></body></html>")
    url = "https://contoh.id/a"
    pages = [(tree, url, dt.date(2020, 1, 1)), (tree, url, dt.date(2021, 1, 1)), (empty, url, dt.date(2021, 2, 1))]
    checks = rule_report(recipe.rules, pages)
    assert [(c.layout, c.pages, c.matched, c.newest_misses, c.since) for c in checks] == [
        ("old", 0, 0, 0, None), ("new-missing", 3, 0, 3, dt.date(2020, 1, 1)), ("new", 3, 2, 1, dt.date(2021, 2, 1))]
    assert checks[2].problem() == (
        "authors rule @new matched nothing on the newest 1 of 3 page(s) of its validity window (since 2021-02-01)")


def test_a_rule_for_one_kind_of_page_leaves_other_pages_alone() -> None:
    html, url = page("detikfoto")
    other = url.replace("/readfoto/", "/read/")
    article = extract(html, other)
    assert isinstance(article, Article) and article.authors == () and "authors" not in article.provenance


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"field": "title", "selector": "h1"}, "rule field must be one of"),
        ({"field": "body", "selector": "div[["}, "bad CSS selector"),
        ({"field": "body"}, "needs a CSS 'selector'"),
        ({"field": "body", "selector": "div", "valid_from": "2016-13-01"}, "must be a day"),
        ({"field": "authors", "selector": "p", "pattern": "("}, "bad rule pattern"),
        ({"field": "body", "selector": "div", "colour": "red"}, "unknown rule keys: colour"),
    ],
)
def test_bad_rules_are_refused_with_a_clear_error(rule: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("(", r"\(")):
        parse_recipe({"id": "contoh", "name": "Contoh", "domains": ["contoh.id"], "rules": [rule]})


# --- warta sites check --db -----------------------------------------------------------------------


def store_page(db: Path, html: bytes, url: str) -> None:
    article = extract(html, url)
    assert isinstance(article, Article)
    with Store(db) as store:
        capture_id = store.add_capture(url, Capture(url, url, 200, (), html, "2026-01-01T00:00:00+00:00"))
        store.upsert_article(url, article, capture_id)


def test_sites_check_reports_a_rule_that_stopped_matching(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    html, url = page("antara3")
    store_page(db, html, url)
    runner = CliRunner()
    ok = runner.invoke(cli, ["sites", "check", "antaranews", "--db", str(db), "--json"])
    assert ok.exit_code == 0, ok.output
    # the site changes its layout: a page of the rule's window without its container
    changed = html.replace(b'id="content_news"', b'id="isi_berita"')
    store_page(db, changed, url.replace("546640", "546641"))
    broken = runner.invoke(cli, ["sites", "check", "antaranews", "--db", str(db), "--json"])
    assert broken.exit_code == 1
    problems = json.loads(broken.output)["offline"][0]["problems"]
    assert problems == [
        "body rule @2015 matched nothing on the newest 1 of 2 page(s) of its validity window (since 2016-02-23)"]
