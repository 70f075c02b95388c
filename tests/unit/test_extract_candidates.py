"""Never a silent miss: the extractor checks its first reading of the page against other candidates."""

from __future__ import annotations

from warta.extract import extract
from warta.extract.body import agreement, extract_body
from warta.extract.html import parse_html
from warta.model import Article

STORY = [
    "The harbour authority opened the new ferry terminal on Monday after three years of building work.",
    "Ferries to the northern islands will leave every forty minutes from the new quay, the authority said.",
    "Local traders expect more visitors now that the crossing takes half the time it used to take.",
    "The old terminal will be turned into a market hall for fishermen and small producers next spring.",
    "Engineers said the quay was built to withstand storms far stronger than any recorded in the bay.",
    "Ticket prices stay the same for residents, while visitors will pay a small fee for the new parking.",
    "The mayor thanked the workers and said the town had waited for this terminal for a generation.",
    "Buses will connect the terminal to the railway station every quarter of an hour from next week on.",
    "Environmental groups welcomed the electric shore power that lets ferries switch off their engines.",
    "A second phase with a covered waiting hall and a cafe is planned for the year after next year.",
    "Residents can visit the terminal on an open day on Saturday, with guided tours every hour.",
]
PROMO = (
    "Welcome to our little magazine, where we bring you stories from the coast every week of the year. "
    "Consider a donation if you like what you read here, it keeps the lights on and the boats afloat."
)


def page(wrapper_class: str, description: str = "The harbour authority opened the new ferry terminal") -> str:
    paras = "".join(f"<p>{p}</p>" for p in STORY * 3)
    links = "".join(f"<li><a href='/t{i}'>Tides and ferries timetable page number {i}</a></li>" for i in range(30))
    footers = "".join(f"<div class='footer-links'><ul>{links}</ul></div>" for _ in range(3))
    return f"""<html><head><title>New ferry terminal opens</title>
    <meta name="description" content="{description}"></head><body>
    <div class="{wrapper_class}"><h2>New ferry terminal opens</h2><div class="post-body">{paras}</div></div>
    <div class="about"><p>{PROMO}</p><p>{PROMO}</p></div>{footers}
    </body></html>"""


def test_an_article_inside_a_furniture_named_wrapper_is_found_by_a_second_reading() -> None:
    art = extract(page("share_wrapper"), url="https://x.test/a")
    assert isinstance(art, Article)
    assert "ferry terminal on Monday" in art.text and "donation" not in art.text
    assert art.provenance["body"] == "dom-shelter"


def test_the_second_reading_is_not_taken_when_it_disagrees_with_the_page_description() -> None:
    art = extract(page("share_wrapper", description="Welcome to our little magazine donation"), url="https://x.test/a")
    assert isinstance(art, Article) and "donation" in art.text and art.provenance["body"] == "dom"


def test_repeated_items_such_as_comments_are_not_sheltered() -> None:
    comments = "".join(
        f"<dd class='comment'><div class='text'>{' '.join(STORY[:9])} {i}</div></dd>" for i in range(3)
    )
    html = f"""<html><head><title>The new terminal</title></head><body>
    <div class="about"><p>{PROMO}</p><p>{PROMO}</p></div><dl>{comments}</dl></body></html>"""
    body = extract_body(parse_html(html, None), None)
    assert body.strategy == "dom" and "donation" in " ".join(b.text for b in body.blocks)


def test_agreement_counts_content_words() -> None:
    assert agreement("The ferry terminal opens", "a new ferry terminal opens") == 1.0
    assert agreement("ferry terminal opens", "nothing here") == 0.0
    assert agreement("a to", "a to") == 0.0  # no content words: no evidence


def continued_page(hidden_class: str, items: int = 1) -> str:
    lead = "".join(f"<p>{p}</p>" for p in STORY[:3])
    rest = "".join(f"<p>{p} {p}</p>" for p in STORY[3:])
    hidden = "".join(f"<div class='{hidden_class} n{i}'>{rest}</div>" for i in range(items))
    links = "".join(f"<li><a href='/t{i}'>Tides and ferries timetable page number {i}</a></li>" for i in range(40))
    return f"""<html><head><title>New ferry terminal opens</title></head><body>
    <div class="story"><h1>New ferry terminal opens</h1>{lead}{hidden}</div>
    <div class="footer-links"><ul>{links}</ul></div><div class="footer-more"><ul>{links}</ul></div>
    </body></html>"""


def test_a_collapsed_read_more_part_inside_the_article_is_kept() -> None:
    art = extract(continued_page("hideOnInit toggle"), url="https://x.test/a")
    assert isinstance(art, Article)
    assert "withstand storms" in art.text and art.provenance["body"] == "dom-continued"


def test_repeated_furniture_items_inside_the_article_stay_out() -> None:
    art = extract(continued_page("comment", items=2), url="https://x.test/a")
    assert isinstance(art, Article)
    assert "withstand storms" not in art.text and art.provenance["body"] == "dom"
