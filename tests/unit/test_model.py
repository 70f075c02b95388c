from __future__ import annotations

from warta.model import Article, Block, Image, Skip, SkipReason


def test_article_round_trips_through_dict() -> None:
    art = Article(
        url="https://example.com/a",
        title="T",
        authors=("A", "B"),
        body=(Block("paragraph", "one"), Block("heading", "two")),
        images=(Image("https://example.com/i.jpg", "cap", "Reuters"),),
        provenance={"title": "meta"},
    )
    data = art.to_dict()
    assert data["text"] == "one\n\ntwo"
    assert data["authors"] == ["A", "B"]
    assert Article.from_dict(data) == art


def test_skip_is_a_value_with_reason() -> None:
    skip = Skip(SkipReason.NOT_AN_ARTICLE, "no paragraphs")
    assert "not an article" in str(skip)
    assert skip.to_dict()["skip"] == "not an article"
