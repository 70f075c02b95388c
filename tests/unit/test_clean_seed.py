"""The issue's seed: a Bisnis.com text dump with the site's furniture still in it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import warta
from warta.cli.main import cli
from warta.model import Article

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "clean" / "000_c6a3d81ec84d2db2.txt"


def _ws(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def seed() -> Article:
    result = warta.clean(SEED.read_text("utf8"))
    assert isinstance(result, Article)
    return result


def test_seed_metadata(seed: Article) -> None:
    assert seed.title == "Menlu AS dan Rusia Bicarakan Suriah Lewat Telepon"
    assert list(seed.authors) == ["Martin Sihombing"]
    assert set(seed.source_agencies) == {"ANTARA", "REUTERS"}
    assert seed.dateline == "MOSKOW"
    assert seed.site_name == "Bisnis.com"
    assert seed.published is not None and seed.published.startswith("2016-10-05")
    assert seed.lead is not None
    assert seed.lead.startswith("Menteri Luar Negeri Rusia Sergei Lavrov dan Menlu AS John Kerry membicarakan")


def test_seed_image_once_with_credit(seed: Article) -> None:
    assert len(seed.images) == 1
    image = seed.images[0]
    assert image.caption == (
        "Menteri Luar Negeri Amerika Serikat John Kerry (kiri) dan Menteri Luar Negeri Rusia Sergei Lavrov."
    )
    assert image.credit == "Reuters"


def test_seed_body_is_the_nine_story_paragraphs(seed: Article) -> None:
    texts = [_ws(b.text) for b in seed.body]
    assert len(texts) == 9
    assert texts[0].startswith("Bisnis.com, MOSKOW - Menteri Luar Negeri Rusia Sergei Lavrov")
    assert texts[-1] == _ws('"Upaya itu ditangguhkan," kata Toner, "Namun, itu tidak menghalangi kami untuk berbicara."')
    joined = " ".join(texts)
    for furniture in ("Langganan", "Google News", "Penulis", "Sumber", "Konten Premium", "Artikel Terkait",
                      "Berita Lainnya", "Berita Terbaru", "Rekomendasi", "Hot Topic", "QR Code", "/Reuters"):
        assert furniture not in joined


def test_seed_body_matches_source_paragraphs(seed: Article) -> None:
    source = [_ws(x) for x in SEED.read_text("utf8").split("\n\n") if x.strip()]
    story = source[source.index(next(x for x in source if x.startswith("Bisnis.com, MOSKOW"))):][:9]
    assert [_ws(b.text) for b in seed.body] == story


def test_seed_provenance_names_text(seed: Article) -> None:
    for name in ("title", "authors", "source_agencies", "dateline", "site_name", "published", "lead", "images", "body"):
        assert seed.provenance.get(name) == "text"


def test_seed_through_cli() -> None:
    result = CliRunner().invoke(cli, ["clean", str(SEED), "--quiet"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout.strip().splitlines()[0])
    assert record["title"] == "Menlu AS dan Rusia Bicarakan Suriah Lewat Telepon"
    assert record["dateline"] == "MOSKOW"
    assert len(record["body"]) == 9
    assert record["images"] == [{
        "url": None,
        "caption": "Menteri Luar Negeri Amerika Serikat John Kerry (kiri) dan Menteri Luar Negeri Rusia Sergei Lavrov.",
        "credit": "Reuters",
    }]
