"""The README's own examples: ``warta extract page.html --url URL`` and the module paths under
``warta.extract`` work, and ``warta.extract(html, url)`` stays a call."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

import warta
import warta.clean.io
from sitefixture import sample_articles
from warta.cli.main import cli
from warta.model import Article

ENV = {"WARTA_CONFIG": os.devnull + ".absent"}
URL = "https://www.antaranews.com/berita/527615/29-penerbangan-bandara-internasional-lombok-dibatalkan"


def _page() -> bytes:
    return next(a for a in sample_articles() if a.path.startswith("/berita/527615/")).html


def test_extract_url_gives_a_saved_page_its_address(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(_page())
    bare = json.loads(CliRunner().invoke(cli, ["extract", str(page)], env=ENV).stdout)
    result = CliRunner().invoke(cli, ["extract", str(page), "--url", URL], env=ENV)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert bare["url"] is None
    assert data["url"] == URL
    assert data["domain"] == "antaranews.com"
    assert data["title"] == "29 penerbangan Bandara Internasional Lombok dibatalkan"
    stdin = CliRunner().invoke(cli, ["extract", "-", "--url", URL, "--format", "jsonl"], input=_page(), env=ENV)
    assert json.loads(stdin.stdout)["url"] == URL


def test_extract_url_needs_exactly_one_page(tmp_path: Path) -> None:
    for name in ("a.html", "b.html"):
        (tmp_path / name).write_bytes(_page())
    result = CliRunner().invoke(cli, ["extract", str(tmp_path), "--url", URL], env=ENV)
    assert result.exit_code == 2
    assert "one page, but 2 were given" in result.output
    bad = CliRunner().invoke(cli, ["extract", str(tmp_path / "a.html"), "--url", "antaranews.com/x"], env=ENV)
    assert bad.exit_code == 2 and "not an http(s) URL" in bad.output


def test_documented_module_paths_and_calls_both_work() -> None:
    tree = warta.extract.html.parse_html(_page(), URL)
    article = warta.extract.core.extract_tree(tree, URL)
    assert isinstance(article, Article) and article.domain == "antaranews.com"
    called = warta.extract(_page(), url=URL)
    assert isinstance(called, Article) and called.title == article.title
    assert warta.extract.extract(_page(), URL) == called

    from warta import clean, extract

    assert extract(_page(), URL) == called
    assert isinstance(clean("Jakarta - Banjir melanda ibu kota sejak pagi.\n\nWarga mengungsi."), (Article, warta.Skip))
    assert callable(warta.clean.io.read_documents)
