"""Script-rendered articles in the shapes frameworks ship them (``benchmarks/scripted_variant.py`` measures
the same on the dev sets): the DOM holds an empty root and the page's furniture, the article is only in
embedded data, beside teaser lists of other stories, image records and ids."""

from __future__ import annotations

import json

from warta.extract import extract
from warta.extract.embedded import embedded_article
from warta.extract.html import parse_html
from warta.model import Article

PARAS = [
    "The regional water board voted on Thursday to raise the reservoir's summer limit by two metres.",
    "Farmers in the valley had asked for the change after two dry years left their wells half empty.",
    "Environmental groups warned that a higher level would flood nesting grounds along the northern shore.",
    "The board said it would move the nesting platforms before May and monitor the birds every week.",
    "Engineers expect the new limit to hold about twelve million cubic metres more water by August.",
    "A public hearing on the details of the plan is planned for the second week of next month.",
]
LINKED = ("The decision follows ", "a report published in March", " that found the dam could hold more water safely.")
TEASERS = [
    ("Storm closes mountain pass", "Heavy snow closed the mountain pass for the third time this winter, and the "
     "police asked drivers to wait in the town until the ploughs have cleared the road."),
    ("New library opens downtown", "The new library downtown opened its doors on Saturday with a reading by local "
     "authors, a children's corner and a café on the top floor overlooking the river."),
    ("Local team wins the cup", "The local football team won the regional cup on Sunday after a penalty shoot-out "
     "that kept the crowd in the stadium long after the final whistle had blown."),
    ("Bus fares to rise in spring", "Bus fares will rise by ten cents in spring, the transport authority said, "
     "blaming higher fuel prices and the cost of the new electric buses it bought."),
]
DESCRIPTION = "The water board raised the reservoir's summer limit after farmers asked for more water."


def page(scripts: str, root: str = '<div id="c4821937"></div>', head: str = "") -> str:
    return f"""<!DOCTYPE html><html><head><title>Water board raises reservoir limit | Valley News</title>
    <meta name="description" content="{DESCRIPTION}">{head}</head>
    <body><header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
    {root}
    <footer><p>© Valley News. All rights reserved.</p></footer>{scripts}</body></html>"""


def image(n: int) -> dict[str, object]:
    """An image record as CMSs ship them: large enough to separate two paragraphs by hundreds of characters."""
    src = f"https://cdn.valley.test/images/2024/05/{n:06d}-reservoir.jpg"
    return {"id": 9000 + n, "url": src, "width": 1600, "height": 900, "alt": "The reservoir seen from the dam",
            "caption": "The reservoir in April.", "credit": "Valley News",
            "srcSet": [f"{src}?w={w} {w}w" for w in (320, 640, 1024, 1600)],
            "focalPoint": {"x": 0.5, "y": 0.4}, "mimeType": "image/jpeg"}


def teasers() -> list[dict[str, object]]:
    return [{"id": 500 + i, "title": t, "summary": s, "url": f"https://valley.test/news/{500 + i}",
             "image": image(100 + i)} for i, (t, s) in enumerate(TEASERS)]


def linked_html() -> str:
    return f'{LINKED[0]}<a href="https://valley.test/report">{LINKED[1]}</a>{LINKED[2]}'


def linked_text() -> str:
    return "".join(LINKED)


def body_of(html: str) -> Article:
    art = extract(html, url="https://valley.test/news/reservoir-limit")
    assert isinstance(art, Article)
    return art


def assert_recovered(art: Article, linked: bool = False) -> None:
    texts = [b.text for b in art.body]
    for para in PARAS + ([linked_text()] if linked else []):
        assert para in texts
    assert not any(s in art.text for _, s in TEASERS)
    assert art.provenance["body"] == "embedded"


def test_next_data_with_the_body_as_an_html_string_beside_related_stories() -> None:
    body = "".join(f"<p>{p}</p>" for p in PARAS[:3]) + f"<p>{linked_html()}</p>"
    body += '<figure><img src="/r.jpg"><figcaption>The dam.</figcaption></figure>'
    body += "".join(f"<p>{p}</p>" for p in PARAS[3:])
    data = {"props": {"pageProps": {
        "navigation": [{"label": "News", "href": "/news"}],
        "article": {"id": 48213, "slug": "reservoir-limit", "title": "Water board raises reservoir limit",
                    "heroImage": image(1), "body": body, "related": teasers()},
        "mostRead": teasers(), "__N_SSP": True}},
        "page": "/[section]/[slug]", "query": {"slug": "reservoir-limit"}, "buildId": "x8Fq2", "isFallback": False}
    script = f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>'
    assert_recovered(body_of(page(script)), linked=True)


def flight_pushes(stream: str, size: int) -> str:
    """The flight stream cut every ``size`` characters, wherever that falls (inside rows and strings)."""
    pushes = ["(self.__next_f=self.__next_f||[]).push([0])"]
    pushes += [f"self.__next_f.push({json.dumps([1, stream[i:i + size]])})" for i in range(0, len(stream), size)]
    return "".join(f"<script>{p}</script>" for p in pushes)


def test_react_flight_chunks_cut_mid_string_with_links_splitting_a_paragraph() -> None:
    kids: list[object] = [["$", "h1", None, {"children": "Water board raises reservoir limit"}]]
    kids += [["$", "p", str(i), {"children": p}] for i, p in enumerate(PARAS[:3])]
    kids.append(["$", "p", "l", {"children": [LINKED[0], ["$", "$L5", None, {"href": "/report", "children": LINKED[1]}],
                                              LINKED[2]]}])
    kids.append(["$", "figure", "f", {"children": [["$", "$L4", None, image(2)]]}])
    kids += [["$", "p", str(i + 3), {"children": p}] for i, p in enumerate(PARAS[3:])]
    aside = ["$", "aside", None, {"children": [["$", "article", str(t["id"]), {"children": [
        ["$", "$L5", None, {"href": t["url"], "children": t["title"]}], ["$", "p", None, {"children": t["summary"]}]]}]
        for t in teasers()]}]
    stream = ('1:HL["/_next/static/css/a1.css","style"]\n4:I[5878,["878","static/chunks/878.js"],"Image"]\n'
              '5:I[2972,["972","static/chunks/972.js"],""]\n'
              f'3:{json.dumps(["$", "main", None, {"children": [["$", "article", None, {"children": kids}], aside]}])}\n'
              '0:["$","$L2",null,{"children":"$L3"}]\n')
    assert_recovered(body_of(page(flight_pushes(stream, 700))), linked=True)


def test_react_flight_text_row_holding_the_cms_html() -> None:
    html = "".join(f"<p>{p}</p>" for p in PARAS) + "<pre>fetch('/api').then(r => r.json());</pre>"
    size = len(html.encode())
    stream = (f'2:I[7423,["931","static/chunks/app/layout.js"],"default"]\n6:T{size:x},{html}'
              '3:["$","article",null,{"children":[["$","div",null,{"dangerouslySetInnerHTML":{"__html":"$6"}}]]}]\n')
    art = body_of(page(flight_pushes(stream, 400)))
    assert_recovered(art)
    assert "fetch(" not in art.text


def test_nuxt2_function_payload_with_escaped_html_and_hoisted_arguments() -> None:
    body = "".join(f"<p>{p}</p>" for p in PARAS).replace("<", "\\u003C").replace("/", "\\u002F")
    related = ",".join(f'{{id:{500 + i},title:"{t}",summary:"{s}",url:"\\u002Fnews\\u002F{500 + i}",image:{json.dumps(image(i))}}}'
                       for i, (t, s) in enumerate(TEASERS))
    script = ("<script>window.__NUXT__=(function(a,b,c){return {layout:\"default\",data:[{article:{id:48213,"
              f"title:\"Water board raises reservoir limit\",category:a,author:[{{name:b}}],date:c,content:\"{body}\","
              f"related:[{related}]}}}}],fetch:{{}},error:null,serverRendered:true,routePath:\"\\u002Fnews\"}}}}"
              '("news","Ana Ruiz","2024-05-14T08:30:00Z"));</script>')
    assert_recovered(body_of(page(script)))


def devalue(value: object) -> str:
    """Nuxt 3's ``__NUXT_DATA__``: one flat array, objects' and arrays' values given as indexes, strings once."""
    table: list[object] = [["ShallowReactive", 1], None]
    seen: dict[str, int] = {}

    def put(v: object) -> int:
        if isinstance(v, str) and v in seen:
            return seen[v]
        at = len(table)
        table.append(None)
        if isinstance(v, dict):
            table[at] = {k: put(x) for k, x in v.items()}
        elif isinstance(v, list):
            table[at] = [put(x) for x in v]
        else:
            table[at] = v
            if isinstance(v, str):
                seen[v] = at
        return at

    table[1] = {"data": put(value), "state": put({}), "serverRendered": put(True)}
    return json.dumps(table)


def blocks() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for i, p in enumerate(PARAS):
        out.append({"type": "paragraph", "id": f"b{i}", "text": p})
        if i % 2:
            out.append({"type": "image", "id": f"i{i}", "image": image(i)})
    out.append({"type": "paragraph", "id": "bl", "text": linked_html()})
    return out


def test_nuxt3_devalue_array_with_index_references() -> None:
    data = {"article-reservoir-limit": {"id": 48213, "title": "Water board raises reservoir limit",
                                        "blocks": blocks(), "related": teasers()}}
    script = f'<script type="application/json" id="__NUXT_DATA__" data-ssr="true">{devalue(data)}</script>'
    assert_recovered(body_of(page(script)), linked=True)


def state() -> dict[str, object]:
    return {"router": {"location": {"pathname": "/news/reservoir-limit"}},
            "article": {"current": {"id": 48213, "headline": "Water board raises reservoir limit", "content": blocks()}},
            "teasers": {"mostPopular": teasers(), "editorsPicks": teasers()[:2]}, "user": {"loggedIn": False}}


def test_initial_state_blocks_with_image_records_between_paragraphs() -> None:
    assert_recovered(body_of(page(f"<script>window.__INITIAL_STATE__ = {json.dumps(state())};</script>")), linked=True)


def test_initial_state_given_to_json_parse() -> None:
    script = f"<script>window.__INITIAL_STATE__=JSON.parse({json.dumps(json.dumps(state()))});</script>"
    assert_recovered(body_of(page(script)), linked=True)


def test_a_teaser_list_in_next_data_does_not_replace_the_article_of_the_dom() -> None:
    dom = '<main><h1>Water board raises reservoir limit</h1><div class="c1">' + "".join(
        f"<p>{p}</p>" for p in PARAS) + "</div></main>"
    data = {"props": {"pageProps": {"latest": teasers(), "mostRead": teasers()[::-1], "__N_SSP": True}},
            "page": "/[section]/[slug]", "buildId": "x8Fq2"}
    script = f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>'
    art = body_of(page(script, root=dom))
    assert [b.text for b in art.body] == PARAS
    assert art.provenance["body"] != "embedded"


def test_burmese_prose_with_its_own_sentence_mark_is_read() -> None:
    para = ("နိုင်ငံတော်အကြည်ညိုပျက်စေမှု ပုဒ်မ နဲ့ တရားစွဲ အဖမ်းခံထားရတဲ့ သတင်းစာတိုက်က တာဝန်ခံအယ်ဒီတာ နှစ်ယောက် "
            "နဲ့ သတင်းထောက်ချုပ်တို့ကို ဒီကနေ့ တရားရုံးက အာမခံပေးလိုက်ပြီလို့ ရှေ့နေက အတည်ပြုပြောပါတယ်။")
    data = {"article": {"content": [{"type": "paragraph", "text": para}] * 1}}
    tree = parse_html(page(f"<script>window.__INITIAL_STATE__ = {json.dumps(data)};</script>"), None)
    assert embedded_article(tree) == para
