"""Related-stories lists (linked headline + one- or two-sentence summary) are not article text."""

from __future__ import annotations

from warta.extract import extract
from warta.extract.body import extract_body
from warta.extract.html import parse_html
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
