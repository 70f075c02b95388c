from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from warta.extract.meta_authors import clean_name, split_names, vocab

# function words the byline vocabulary gives a meaning ("par" is French "by", "Foto" a role): a name
# made of them is deliberately no name, so generated names avoid them (and the joiners)
_FUNCTION_WORDS = {"dan", "and", *vocab().by_words, *vocab().role}
word = st.from_regex(r"[A-Z][a-z]{2,9}", fullmatch=True).filter(lambda w: w.lower() not in _FUNCTION_WORDS)
name = st.lists(word, min_size=1, max_size=3).map(" ".join)
names = st.lists(name, min_size=1, max_size=4, unique_by=str.casefold)
joiner = st.sampled_from([", ", " dan ", " and ", " & "])


@given(names, joiner, st.sampled_from(["", "Oleh ", "By ", "Penulis: ", "Reporter: "]))
def test_split_recovers_the_names(people: list[str], sep: str, prefix: str) -> None:
    assert split_names(prefix + sep.join(people)) == people


@given(name, st.sampled_from(["", " (Jakarta)", " @handle", " - detikNews"]))
def test_clean_name_is_idempotent(person: str, noise: str) -> None:
    cleaned = clean_name(person + noise)
    assert cleaned is not None
    assert clean_name(cleaned) == cleaned


@given(st.text(max_size=80))
def test_split_never_crashes_and_yields_short_names(text: str) -> None:
    for found in split_names(text):
        assert 0 < len(found) <= 60 and found == found.strip()
