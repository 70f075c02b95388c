"""Line features of the cleaner: word counts across scripts."""

from __future__ import annotations

import time

import pytest

from warta.clean import clean
from warta.clean.lines import split_lines
from warta.clean.vocab import vocabulary
from warta.model import Article

# Japanese news prose: commas, quotes and figures every few characters split it into short \w runs
JA_PARAGRAPH = "市は10日、駅前の広場を、来年の春までに改修すると発表した。費用は約3億円で、市の予算と、国の補助金で賄う。市長は「誰もが、安心して過ごせる場所に」と話した。"
JA_STORY = [
    JA_PARAGRAPH,
    "改修後の広場には、屋根付きのベンチや、子どもの遊び場を設け、週末には「朝市」を開く。近くに住む70代の女性は「買い物の後に、休める場所ができる」と話した。",
    "市は今月中に、住民説明会を2回開き、意見を設計に生かす。日程は、市のホームページや、広報誌の12月号で知らせる。",
]


def _words(line: str) -> int:
    (parsed,) = split_lines(line, vocabulary())
    return parsed.words


def test_japanese_words_are_counted_by_characters_not_by_punctuated_runs() -> None:
    # the paragraph is a handful of \w runs between its commas and quotes, yet some 70 characters long
    assert _words(JA_PARAGRAPH) >= 35
    # about the same count whatever the punctuation: commas do not make a Japanese line shorter
    assert abs(_words(JA_PARAGRAPH.replace("、", "")) - _words(JA_PARAGRAPH)) <= 6


def test_korean_and_latin_words_are_their_tokens() -> None:
    assert _words("대통령은 오늘 밤 긴급 담화를 발표했다.") == 6
    assert _words("The council said on Tuesday it would rebuild the square.") == 10
    assert _words("Die Stadt baut den Bahnhofsplatz bis zum Frühjahr um.") == 9


def test_japanese_story_between_menus_is_kept() -> None:
    menu = ["* トップ", "* 社会", "* 経済", "* 政治", "* 国際", "* スポーツ", "* ログイン"]
    story = ["# 駅前広場を来春までに改修へ", *JA_STORY]
    footer = ["* 利用規約", "* お問い合わせ", "* サイトマップ", "* 広告掲載"]
    article = clean("\n".join(menu + [""] + story + [""] + footer), url="https://example.jp/news/1")
    assert isinstance(article, Article)
    assert [b.text for b in article.body] == story[1:]
    assert article.title == "駅前広場を来春までに改修へ"
    assert article.language == "ja"


def test_every_stoplist_has_a_language_code() -> None:
    import justext

    from warta.lang import stoplist_code

    assert all(stoplist_code(name) for name in justext.get_stoplists())
    assert (stoplist_code("Indonesian"), stoplist_code("Simple_English"), stoplist_code("Klingon")) == ("id", "en", None)


def test_document_language_prefers_the_language_over_long_lists_that_quote_it() -> None:
    from warta.clean.lines import document_language
    from warta.lang import stoplist_code

    texts = {
        "en": "The council said on Tuesday that it would open the new square in the spring.\n"
              "Officials said the work would cost about three million dollars, and that the state would pay for most of it.\n"
              "Residents can send their ideas to the city until the end of the month, the mayor said.",
        "de": "Die Stadt will den Platz vor dem Bahnhof bis zum Frühjahr umbauen, teilte die Verwaltung am Dienstag mit.\n"
              "Der Umbau soll rund drei Millionen Euro kosten und wird von Bund und Land gefördert.\n"
              "Die Bürger können ihre Ideen noch bis Ende des Monats einreichen, sagte der Bürgermeister.",
        "id": "Pemerintah kota akan merenovasi alun-alun di depan stasiun hingga tahun depan, kata wali kota pada hari Selasa.\n"
              "Biaya renovasi sekitar tiga miliar rupiah dan akan ditanggung oleh anggaran daerah serta pemerintah pusat.\n"
              "Warga dapat menyampaikan usulan mereka hingga akhir bulan ini, kata dia.",
    }
    for code, text in texts.items():
        name = document_language(split_lines(text, vocabulary()), vocabulary())
        assert name is not None and stoplist_code(name) == code, (code, name)
    assert document_language(split_lines("12 34 56", vocabulary()), vocabulary()) is None


def test_script_tells_japanese_and_chinese() -> None:
    from warta.clean.lines import script_language

    assert script_language(JA_PARAGRAPH) == "ja"
    assert script_language("国务院总理今天在北京会见了来访的外国代表团。") == "zh"
    assert script_language("대통령은 오늘 밤 긴급 담화를 발표했다.") is None  # Korean has a stoplist
    assert script_language("The council said “yes” on Tuesday.") is None


def test_near_tie_between_sister_languages_goes_to_the_wider_coverage_and_list() -> None:
    from collections import Counter

    from warta.clean.lines import language_for

    vocab = vocabulary()
    shared = [w for w in ("yang", "dan", "di", "ini", "itu", "dengan", "untuk", "dari", "akan", "tidak", "ke", "juga")
              if {"Indonesian", "Malay"} <= set(vocab.word_langs.get(w, ()))]
    assert len(shared) >= 8
    # Malay's list is a little shorter, so per list length it would edge out Indonesian on shared words
    assert len(vocab.stopwords["Malay"]) < len(vocab.stopwords["Indonesian"])
    assert language_for(Counter({w: 5 for w in shared}), vocab) == "Indonesian"


def test_cleaned_articles_carry_their_language() -> None:
    from pathlib import Path

    seed = Path(__file__).resolve().parent.parent / "fixtures" / "clean" / "000_c6a3d81ec84d2db2.txt"
    article = clean(seed.read_text("utf8"), url="https://kabar.bisnis.com/read/20161006/19/589591/x")
    assert isinstance(article, Article) and article.language == "id" and article.provenance["language"] == "text"
    english = "\n\n".join([
        "# Council approves new budget",
        "The city council voted on Tuesday to approve a new budget that includes funding for schools, parks and road repairs.",
        "Officials said the plan would be paid for by a combination of higher fees and savings from the transport department.",
    ])
    article = clean(english)
    assert isinstance(article, Article) and article.language == "en"


@pytest.mark.parametrize("line", [
    "[" * 50_000 + "](" * 50_000,  # link brackets that never close
    "[a](" * 50_000,  # link targets that never close
    "**a " * 50_000,  # bold openers that never close
    "# " + "#" * 100_000 + " x",  # a heading of hashes
])
def test_hostile_markdown_lines_take_linear_time(line: str) -> None:
    # each took 14 s to several minutes with unbounded lazy patterns
    start = time.perf_counter()
    clean(line + "\n\n" + JA_PARAGRAPH)
    assert time.perf_counter() - start < 10
