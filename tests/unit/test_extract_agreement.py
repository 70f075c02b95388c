"""Body candidates checked against each other: the readability-style scored reading, agreement between
readings, and the witnesses that settle a disagreement (synthetic pages, one per mechanism)."""

from __future__ import annotations

from warta.extract import extract
from warta.extract.body import extract_body
from warta.extract.choose import Reading, agreeing_pair, find_headline
from warta.extract.html import parse_html
from warta.extract.scored import score_body
from warta.model import Article

STORY = [
    "The harbour authority opened the new ferry terminal on Monday, after three years of building work.",
    "Ferries to the northern islands will leave every forty minutes from the new quay, the authority said.",
    "Local traders expect more visitors, now that the crossing takes half the time it used to take.",
    "The old terminal will be turned into a market hall for fishermen and small producers next spring.",
    "Engineers said the quay was built to withstand storms far stronger than any recorded in the bay.",
    "Ticket prices stay the same for residents, while visitors will pay a small fee for the new parking.",
]
BLURB = (
    "Welcome to the Harbour Gazette, where we bring you the second and third look at every story from "
    "the coast that you will not find anywhere else. Consider a donation if you like what you read here: "
    "it keeps the lights on, the presses running and the boats afloat for another season of reporting."
)
COMMENT = (
    "I have taken this ferry for twenty years and I doubt the new quay changes much for people like me, "
    "who travel at dawn when the boats are empty anyway, but the parking fee is a scandal, frankly."
)


def _paras(lines: list[str], times: int = 1) -> str:
    return "".join(f"<p>{p}</p>" for p in lines * times)


def _nav(n: int = 60) -> str:
    """A link list holding more text than the article (so no wrapper holds most of the page's text)."""
    return "<ul class='menu'>" + "".join(
        f"<li><a href='/s{i}'>Tides, ferries and timetables, section {i}</a></li>" for i in range(n)
    ) + "</ul>"


def test_the_scored_reading_finds_paragraphs_by_their_parent_and_leaves_link_lists_out() -> None:
    links = "".join(f"<li><a href='/n{i}'>Another headline about the sea number {i}</a></li>" for i in range(20))
    html = f"<html><body><div class='nav'><ul>{links}</ul></div><div class='story'>{_paras(STORY)}</div></body></html>"
    scored = score_body(parse_html(html, None).find("body"))
    assert scored is not None
    assert scored.nodes[0].get("class") == "story"
    assert "ferry terminal on Monday" in scored.text and "Another headline" not in scored.text


def test_an_article_in_a_furniture_named_wrapper_beats_a_site_blurb_by_following_the_headline() -> None:
    # the main reading skips the 'widget' wrapper (a furniture word) and keeps the blurb; the
    # scored reading finds the article, and the headline shown by the <title> sits right above it
    html = f"""<html><head><title>New ferry terminal opens in the harbour</title></head><body>
    <div class="top"><div class="intro"><p>{BLURB}</p></div></div>
    <div class="widget"><h2>New ferry terminal opens in the harbour</h2>{_paras(STORY, 3)}</div>
    {_nav()}</body></html>"""
    art = extract(html, url="https://x.test/a")
    assert isinstance(art, Article)
    assert "ferry terminal on Monday" in art.text and "donation" not in art.text
    assert art.provenance["body"] == "score"


def test_without_a_witness_the_main_reading_stands() -> None:
    # the same page without a headline the titles show: nothing says which region is the article
    html = f"""<html><head><title>Harbour Gazette</title></head><body>
    <div class="top"><div class="intro"><p>{BLURB}</p></div></div>
    <div class="widget">{_paras(STORY, 3)}</div>{_nav()}</body></html>"""
    art = extract(html, url="https://x.test/a")
    assert isinstance(art, Article) and "donation" in art.text and art.provenance["body"] == "dom"


def test_a_meta_description_that_matches_the_main_reading_keeps_it() -> None:
    html = f"""<html><head><title>New ferry terminal opens in the harbour</title>
    <meta name="description" content="Welcome to the Harbour Gazette: consider a donation"></head><body>
    <div class="top"><div class="intro"><p>{BLURB}</p></div></div>
    <div class="widget"><h2>New ferry terminal opens in the harbour</h2>{_paras(STORY, 3)}</div>
    {_nav()}</body></html>"""
    art = extract(html, url="https://x.test/a")
    assert isinstance(art, Article) and "donation" in art.text and art.provenance["body"] == "dom"


def test_a_comment_thread_longer_than_a_short_article_is_outvoted() -> None:
    # the hinted reading finds the short article; the hint-free retry takes the longer comment thread;
    # the scored reading agrees with the first, so the pair wins over the retry
    comments = "".join(f"<div class='c'><p>{COMMENT} ({i})</p></div>" for i in range(6))
    html = f"""<html><head><title>Silence and slowness</title></head><body>
    <div class="entry"><h1>Silence and slowness</h1>
    <p>After all, silence and slowness lead to reflection, as the old harbour master liked to say.</p></div>
    {_nav(30)}<div id="comments">{comments}</div></body></html>"""
    body = extract_body(parse_html(html, None), None)
    text = " ".join(b.text for b in body.blocks)
    assert "silence and slowness lead to reflection" in text and "parking fee" not in text
    assert body.strategy == "dom"


def test_the_hint_free_retry_still_wins_when_nothing_agrees_against_it() -> None:
    # a short hinted reading and an article that only the hint-free reading sees (no agreeing pair)
    html = f"""<html><body><div class="entry"><p>Short teaser line of the day, nothing more to read.</p></div>
    <div class="share-box">{_paras(STORY, 2)}</div></body></html>"""
    body = extract_body(parse_html(html, None), None)
    assert body.strategy in ("dom-nohints", "dom-shelter") and "ferry terminal on Monday" in body.blocks[0].text


def test_agreeing_pair_prefers_two_agreeing_readings_over_the_main_one() -> None:
    article, other = " ".join(STORY), COMMENT * 4
    main = Reading("dom-nohints", other)
    pick = agreeing_pair(main, [Reading("dom", article[:300]), Reading("score", article)])
    assert pick is not None and pick.name == "dom"
    assert agreeing_pair(Reading("dom", article), [Reading("score", article[:200]), Reading("x", other)]) is None
    assert agreeing_pair(main, [Reading("dom", article), Reading("score", BLURB)]) is None  # no pair agrees


def test_find_headline_needs_a_heading_the_titles_show() -> None:
    tree = parse_html("<html><body><h2>News</h2><h3>New ferry terminal opens</h3></body></html>", None)
    found = find_headline(tree, ["New ferry terminal opens | Harbour Gazette"])
    assert found is not None and found.tag == "h3"
    assert find_headline(tree, ["Something else entirely"]) is None


def test_a_comment_header_cell_in_a_table_does_not_end_the_body() -> None:
    # a stop line ("Comment") ends the body only as a section heading, not as a table's header cell
    rows = "".join(f"<tr><td>state {i}</td><td>retried after a timeout of {i} minutes</td></tr>" for i in range(2))
    html = f"""<html><body><article>{_paras(STORY, 2)}
    <table><tr><th><p>Status</p></th><th><p>Comment</p></th></tr>{rows}</table>
    <p>The open day is on Saturday.</p></article></body></html>"""
    art = extract(html, url="https://x.test/a")
    assert isinstance(art, Article) and "timeout of 1 minutes" in art.text and "open day" in art.text


READERS = ("Ann", "Bob", "Cleo", "Dan", "Eve", "Finn", "Gus", "Hal", "Ida")


def _thread(n: int) -> str:
    """``n`` reader comments, each signed by the same template line after its text."""
    return "".join(
        f"<div id='c{i}'><p>{COMMENT} {i}</p><p>{COMMENT}</p></div>"
        f"<p class='posted'>Posted by: {READERS[i % 9]} at October 29, 2012 0{i % 9}:23 PM</p>"
        for i in range(n)
    )


def test_a_comment_thread_longer_than_the_article_is_cut_at_its_first_signed_post() -> None:
    html = f"""<html><body><div class="content"><h1>New ferry terminal opens</h1>{_paras(STORY)}
    <p class="posted">Posted by Ann Lee at October 29, 2012 05:10 PM</p>
    <h2 id="comments">Comments</h2>{_thread(8)}</div></body></html>"""
    art = extract(html, url="https://x.test/a")
    assert isinstance(art, Article)
    assert STORY[-1] in art.text and "parking fee" not in art.text


def test_embedded_posts_and_unsigned_source_lines_do_not_make_a_thread() -> None:
    # signed quotes (embedded social posts) and source lines without a template class stay in the body
    tweets = "".join(
        f"<p>{STORY[i]}</p><blockquote class='tweet'><p>{COMMENT}</p><p class='sig'>Ann (@ann{i}) November 2, 2012</p></blockquote>"
        for i in range(5)
    )
    sources = "".join(f"<p>{STORY[i]}</p><p>Ann Lee, The Harbour Times, August {i + 1}, 2012</p>" for i in range(5))
    for inner in (tweets, sources):
        art = extract(f"<html><body><div class='content'>{_paras(STORY)}{inner}</div></body></html>", url="https://x.test/a")
        assert isinstance(art, Article) and art.text.count(STORY[4]) == 2


def test_a_section_heading_that_reads_like_a_stop_line_does_not_end_the_article() -> None:
    # "Comment" is one of several same-level section headings of the article, each followed by prose
    sections = "".join(f"<h2>{name}</h2><p>{STORY[i]} {STORY[i + 1]}</p>" for i, name in enumerate(("Comment", "Briefing", "Data")))
    html = f"<html><body><div class='post'>{_paras(STORY)}{sections}</div></body></html>"
    art = extract(html, url="https://x.test/a")
    assert isinstance(art, Article) and "Briefing" in art.text and art.text.count(STORY[3]) == 2


def test_a_stop_heading_followed_by_linked_headlines_still_ends_the_article() -> None:
    teasers = "".join(f"<h2><a href='/s{i}'>Another story about the harbour, part {i}</a></h2><p>{COMMENT}</p>" for i in range(3))
    html = f"<html><body><div class='post'>{_paras(STORY, 2)}<h2>Comments</h2><p>{COMMENT}</p>{teasers}</div></body></html>"
    art = extract(html, url="https://x.test/a")
    assert isinstance(art, Article) and STORY[-1] in art.text and "parking fee" not in art.text


def test_a_list_of_short_unlinked_items_inside_the_article_is_kept() -> None:
    towns = "".join(f"<li>{name}</li>" for name in ("Ardmore", "Fort Smith", "Minneapolis", "Tulsa", "Wichita", "Omaha", "Boise"))
    links = "".join(f"<li><a href='/t{i}'>Topic {i}</a></li>" for i in range(8))
    html = f"""<html><body><div class='post'>{_paras(STORY[:3])}<p>Ferries will call at these towns:</p>
    <ul>{towns}</ul>{_paras(STORY[3:])}<ul>{links}</ul></div></body></html>"""
    art = extract(html, url="https://x.test/a")
    assert isinstance(art, Article) and "Fort Smith" in art.text and "Wichita" in art.text
    assert "Topic 3" not in art.text  # a list of links is still pruned
