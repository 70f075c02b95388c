"""Pages whose class/id names say nothing, or say the wrong thing: the body choice must rest on the
text, its structure and the page's own statements (description, headline), not on class words.

Synthetic pages, one per mechanism (``benchmarks/scramble_eval.py`` measures the same on the dev sets
with their class and id names scrambled or turned into furniture words)."""

from __future__ import annotations

from collections import Counter

from warta.extract import extract
from warta.extract.choose import Reading, agreeing_pair
from warta.model import Article

STORY = [  # paragraphs of a sentence or two (over 100 characters each), as articles have
    "The city council approved the new tram line on Tuesday, after two years of public hearings and a "
    "long fight over its route.",
    "Trams will run every seven minutes between the station and the university, the council said in a "
    "statement after the vote.",
    "Shop owners along the route asked for help during the works, which start in the spring and should "
    "last about eighteen months.",
    "The line will cost less than the bus lanes it replaces, according to the council's own figures, "
    "which the opposition disputes.",
    "Engineers expect the first trams to carry passengers within three years of the first dig, if the "
    "tracks arrive on time.",
    "Residents of the old quarter won a promise that the trams will not run there after midnight, nor "
    "before six in the morning.",
]
DESCRIPTION = "The city council approved the new tram line between the station and the university."
BLURB = [
    "Our newsroom is run by readers like you, and every subscription pays for another week of reporting "
    "from the hills, the harbour and the town hall: consider joining us today and supporting our work.",
    "We publish a morning letter, an evening letter and a weekend edition full of long reads, recipes "
    "and puzzles for the whole family, delivered free of charge to every member of our reader club.",
    "Members meet our editors twice a year in the old library to talk about what we should cover next "
    "and how we could do better at it, with coffee and cake on the house for everyone who comes along.",
]


def _paras(lines: list[str], times: int = 1) -> str:
    return "".join(f"<p>{p}</p>" for p in lines * times)


def _nav(n: int = 80) -> str:
    """A link list bigger than the article, so that no wrapper holds most of the page's text."""
    return "<ul class='c1'>" + "".join(
        f"<li><a href='/t{i}'>Timetables, routes and fares for district {i}</a></li>" for i in range(n)
    ) + "</ul>"


def _page(article: str, *, blurb_class: str = "c7") -> str:
    return f"""<html><head><title>Council approves the new tram line</title>
    <meta name="description" content="{DESCRIPTION}"></head><body>
    {_nav()}
    <div class="{blurb_class}">{_paras(BLURB)}</div>
    {article}
    {_nav()}</body></html>"""


def _body(html: str) -> str:
    art = extract(html, url="https://news.test/tram")
    assert isinstance(art, Article)
    return "\n".join(b.text for b in art.body)


def test_an_article_whose_wrappers_carry_furniture_words_still_gets_its_body() -> None:
    # 'share' and 'teaser' are furniture words, so the hinted reading skips the article and keeps the
    # reader-club blurb; the skipped wrapper holds more text than that, so the readings without hints
    # (the hint-free walk and the scored reading) vote, and the description backs them
    article = (
        "<div class='share-c31'><h1>Council approves the new tram line</h1>"
        f"<div class='teaser-c32'>{_paras(STORY, 2)}</div></div>"
    )
    body = _body(_page(article))
    assert "seven minutes between the station" in body
    assert "not run there after midnight" in body
    assert "reader club" not in body


def test_a_short_article_in_a_furniture_named_wrapper_beats_a_shorter_blurb() -> None:
    # the body kept under the hints is short (one blurb paragraph); the hint-free walk finds much more
    # text in the skipped wrapper: the readings vote, and where the vote keeps the blurb the
    # description decides between the two
    article = f"<div class='share-c41' id='promo-c42'><h1>Council approves the new tram line</h1>{_paras(STORY, 2)}</div>"
    html = _page(article).replace(_paras(BLURB), _paras(BLURB[:1]))
    body = _body(html)
    assert "tram line on Tuesday" in body
    assert "reader club" not in body and "subscription" not in body


def test_the_same_page_with_neutral_wrappers_reads_the_same_body() -> None:
    head = "<h1>Council approves the new tram line</h1>"
    plain = _body(_page(f"<div class='c31'>{head}<div class='c32'>{_paras(STORY, 2)}</div></div>"))
    misleading = _body(_page(f"<div class='share-c31'>{head}<div class='teaser-c32'>{_paras(STORY, 2)}</div></div>"))
    assert plain == misleading


def test_a_furniture_named_blurb_beside_a_furniture_named_article_is_not_overruled_by_class_words() -> None:
    # the article's wrapper reads as furniture to both the hinted walk and the scored reading, which
    # agree on the blurb; the hint-free walk alone reads twice the text in the article, and the
    # description and headline point at it
    article = f"<div class='meta-c51 share-c52'><h1>Council approves the new tram line</h1>{_paras(STORY, 3)}</div>"
    body = _body(_page(article, blurb_class="c8"))
    assert "Trams will run every seven minutes" in body
    assert "reader club" not in body


def test_a_page_of_teaser_blocks_with_meaningless_class_names_is_not_taken_as_the_article() -> None:
    # linked headline + one or two sentences, again and again: a related-stories list holding more
    # text than the article, with no class word to give it away
    teasers = "".join(
        f"<div class='c9'><a href='/story{i}'>Harbour ferries change their winter timetable number {i}</a> "
        "The new timetable brings fewer crossings in the evening. Commuters say the morning boats are full.</div>"
        for i in range(14)
    )
    html = f"""<html><head><title>Council approves the new tram line</title></head><body>
    {_nav(20)}<div class='c2'><h1>Council approves the new tram line</h1><div class='c3'>{_paras(STORY)}</div></div>
    <div class='c4'>{teasers}</div></body></html>"""
    body = _body(html)
    assert "approved the new tram line on Tuesday" in body
    assert "winter timetable" not in body and "morning boats" not in body


def _reading(name: str, text: str) -> Reading:
    return Reading(name, text)


def test_holding_a_reading_is_not_sharing_its_words() -> None:
    # comments under the story use the story's words; with ``holds`` they agree with it only if they
    # hold most of it (or are nearly all part of it), not because half their words are its words
    story = " ".join(STORY)
    comments = (
        "The council approved this tram line without asking residents. Trams every seven minutes? "
        "Nobody believes those figures about engineers, hearings and shop owners. Utterly pointless spending."
    )
    words = Counter(w for w in comments.casefold().split() if len(w) > 3)
    assert words  # the comment shares part of its vocabulary with the story
    main = _reading("dom", comments)
    others = [_reading("dom-nohints", story), _reading("score", story)]
    assert agreeing_pair(main, others) is None  # loosely, the comment "agrees" with the story
    pick = agreeing_pair(main, others, holds=True)
    assert pick is not None and pick.text == story


def test_a_main_reading_that_holds_the_others_stands() -> None:
    story = " ".join(STORY)
    main = _reading("dom", story)
    others = [_reading("dom-nohints", " ".join(STORY[:3])), _reading("score", " ".join(STORY[:3]))]
    assert agreeing_pair(main, others, holds=True) is None
