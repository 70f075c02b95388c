"""Script-rendered pages: the article text is read from embedded script data when the DOM has none."""

from __future__ import annotations

import json

from warta.extract import extract
from warta.extract.embedded import embedded_article
from warta.extract.html import parse_html
from warta.model import Article

PARAS = [
    "The city council approved the new cycling lanes on Tuesday evening after a long debate.",
    "Work on the first lane along the river will start in April and take about six months.",
    "Shop owners on the main street asked for delivery zones, which the plan now includes.",
    "The council will publish a map of all planned lanes on its website next week, it said.",
]
TEASERS = [
    "Another story about the weather this weekend, with rain expected in the north and sun later.",
    "A second teaser summary for a story on the school holidays, which start earlier this year.",
]


def shell(script: str, description: str = "The city council approved the new cycling lanes") -> str:
    return f"""<html><head><title>Council approves cycling lanes</title>
    <meta name="description" content="{description}"></head>
    <body><div id="root"></div>{script}</body></html>"""


def next_data() -> str:
    props = {
        "props": {"pageProps": {
            "related": [{"url": f"https://x.test/{i}", "id": i, "image": {"src": f"/img/{i}.jpg", "w": 800, "h": 600,
                         "alt": "a picture of something that has nothing to do with this story at all"},
                         "summary": t, "tags": ["a", "b", "c"] * 40} for i, t in enumerate(TEASERS)],
            "article": {"body": [{"type": "paragraph", "text": p} for p in PARAS]},
        }}
    }
    return f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(props)}</script>'


def test_next_data_paragraphs_are_read_in_order_without_scattered_teasers() -> None:
    text = embedded_article(parse_html(shell(next_data()), None))
    assert text == "\n\n".join(PARAS)


def test_react_flight_chunks_are_decoded_one_level_deeper() -> None:
    rsc = json.dumps(["$", "article", None, {"children": [["$", "p", None, {"children": p}] for p in PARAS]}])
    push = f"<script>self.__next_f.push({json.dumps([1, '5:' + rsc])})</script>"
    text = embedded_article(parse_html(shell(push), None))
    assert text is not None and all(p in text for p in PARAS)


def test_html_in_nuxt_or_initial_state_strings_becomes_paragraphs() -> None:
    body = "".join(f"<p>{p}</p>" for p in PARAS) + "<figure><figcaption>A caption here.</figcaption></figure>"
    for script in (
        f"<script>window.__NUXT__={json.dumps({'data': [{'content': body}]})}</script>",
        f"<script>window.__INITIAL_STATE__ = {json.dumps({'story': {'html': body}})};</script>",
    ):
        assert embedded_article(parse_html(shell(script), None)) == "\n\n".join(PARAS)


def test_code_urls_and_other_scripts_are_not_prose() -> None:
    noise = json.dumps({"a": "https://x.test/" + "a" * 80, "b": "function(){return 1}; " * 5})
    assert embedded_article(parse_html(shell(f"<script>window.__NUXT__={noise}</script>"), None)) is None
    plain = f"<script>var story = {json.dumps({'text': ' '.join(PARAS)})};</script>"  # no framework marker
    assert embedded_article(parse_html(shell(plain), None)) is None


def test_a_page_whose_article_is_only_in_script_data_is_extracted_from_it() -> None:
    art = extract(shell(next_data()), url="https://x.test/story")
    assert isinstance(art, Article)
    assert [b.text for b in art.body] == PARAS and art.provenance["body"] == "embedded"


def test_embedded_text_that_disagrees_with_the_description_is_not_taken() -> None:
    dom = "<div class='box'><p>The city council met on Tuesday, a short note about the cycling lanes.</p></div>"
    html = shell(next_data(), description="Council short note").replace(
        '<div id="root"></div>', dom
    )
    art = extract(html, url="https://x.test/story")
    assert isinstance(art, Article) and art.provenance["body"] != "embedded"


LONG = [f"{p} Part {i} of the report." for i in range(3) for p in PARAS]
OTHER = (
    "Our newsroom follows strict editorial guidelines, and every reader can write to the ombudsman. "
    "We correct mistakes openly and publish each correction below the story it concerns, with a date."
)


def test_a_dom_body_that_is_another_text_yields_to_embedded_data_agreeing_with_the_description() -> None:
    dom = f"<div class='box'><p>{OTHER}</p><p>{OTHER}</p></div>"  # longer than 500 chars, not the article
    props = {"props": {"pageProps": {"article": {"body": [{"type": "paragraph", "text": p} for p in LONG]}}}}
    script = f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(props)}</script>'
    html = shell(script, description="City council approved cycling lanes delivery zones").replace(
        '<div id="root"></div>', dom
    )
    art = extract(html, url="https://x.test/story")
    assert isinstance(art, Article) and art.provenance["body"] == "embedded" and "ombudsman" not in art.text


def test_a_dom_body_that_agrees_with_the_description_is_kept_beside_other_embedded_text() -> None:
    dom = f"<div class='box'><p>{OTHER}</p><p>{OTHER}</p></div>"
    props = {"props": {"pageProps": {"article": {"body": [{"type": "paragraph", "text": p} for p in LONG]}}}}
    script = f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(props)}</script>'
    html = shell(script, description="Newsroom editorial guidelines ombudsman").replace('<div id="root"></div>', dom)
    art = extract(html, url="https://x.test/story")
    assert isinstance(art, Article) and art.provenance["body"] != "embedded" and "ombudsman" in art.text


def test_a_dom_body_of_another_text_yields_to_embedded_data_many_times_longer_agreeing_as_well() -> None:
    # the description backs both texts alike (a title naming the site's section and the story), but
    # the script data holds eight times the text and none of the DOM body's passages
    dom = f"<div class='box'><p>{OTHER}</p><p>{OTHER}</p><p>{OTHER}</p></div>"
    long = [f"{p} Part {i} of the report." for i in range(12) for p in PARAS]
    props = {"props": {"pageProps": {"article": {"body": [{"type": "paragraph", "text": p} for p in long]}}}}
    script = f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(props)}</script>'
    html = shell(script, description="Council cycling: editorial newsroom").replace('<div id="root"></div>', dom)
    art = extract(html, url="https://x.test/story")
    assert isinstance(art, Article) and art.provenance["body"] == "embedded" and "ombudsman" not in art.text
    # the same data only four times as long: the DOM body stands
    props["props"]["pageProps"]["article"]["body"] = [{"type": "paragraph", "text": p} for p in long[:24]]
    script = f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(props)}</script>'
    html = shell(script, description="Council cycling: editorial newsroom").replace('<div id="root"></div>', dom)
    art = extract(html, url="https://x.test/story")
    assert isinstance(art, Article) and art.provenance["body"] != "embedded" and "ombudsman" in art.text
