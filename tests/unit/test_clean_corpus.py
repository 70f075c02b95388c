"""Corpus mode on a small generated corpus whose repeated (furniture) lines are known."""

from __future__ import annotations

import random

import pytest

from warta.clean import Cleaner
from warta.clean.corpus import LineStats, line_key, site_key
from warta.clean.io import Document
from warta.clean.run import clean_documents, learn
from warta.model import Article

STOPWORDS = ("dan", "yang", "di", "itu", "akan", "untuk", "dengan", "dari")


def _sentence(rng: random.Random, words: int) -> str:
    """Prose-shaped: stopwords between random content words (so no two sentences paraphrase)."""
    parts = [rng.choice(STOPWORDS) if i % 3 == 1 else "".join(rng.choices("abcdefghijklmnoprstuw", k=7))
             for i in range(words)]
    text = " ".join(parts)
    return text[0].upper() + text[1:] + "."


def _corpus(seed: int = 7, sites: int = 3, per_site: int = 12) -> tuple[list[Document], dict[str, list[str]]]:
    """Each site prints the same long 'furniture' sentences around fresh story paragraphs."""
    rng = random.Random(seed)
    furniture = {f"site{s}.com": [_sentence(rng, 22) for _ in range(3)] for s in range(sites)}
    docs = []
    for site, lines in furniture.items():
        for n in range(per_site):
            story = [_sentence(rng, 25) for _ in range(5)]
            text = "\n\n".join([lines[0], *story, lines[1], lines[2]])
            docs.append(Document(f"{site}-{n}", text, f"https://www.{site}/news/{n}"))
    return docs, furniture


def test_line_stats_count_documents_and_repeated_lines() -> None:
    docs, furniture = _corpus()
    stats = learn(docs, LineStats(width=1 << 16))
    for site, lines in furniture.items():
        assert stats.documents(site) == 12
        for line in lines:
            assert stats.count(site, line) == 12
    first_story = docs[0].text.split("\n\n")[1]
    assert stats.count("site0.com", first_story) == 1
    assert stats.count("site1.com", furniture["site0.com"][0]) <= 1  # counted per site


def test_corpus_mode_removes_site_furniture_that_single_document_mode_keeps() -> None:
    docs, furniture = _corpus()
    single = dict(clean_documents(docs))
    stats = learn(docs, LineStats(width=1 << 16))
    corpus = dict(clean_documents(docs, stats))
    known = {line for lines in furniture.values() for line in lines}
    single_hits = corpus_hits = 0
    for doc in docs:
        a, b = single[doc], corpus[doc]
        assert isinstance(a, Article) and isinstance(b, Article)
        single_hits += sum(blk.text in known for blk in a.body)
        corpus_hits += sum(blk.text in known for blk in b.body)
        assert len(b.body) == 5  # exactly the story
    assert single_hits > 0 and corpus_hits == 0


def test_memory_is_fixed_by_the_sketch_size() -> None:
    stats = LineStats(width=1 << 12, depth=4)
    before = stats.nbytes
    docs, _ = _corpus(per_site=30)
    learn(docs, stats)
    assert stats.nbytes == before == 4 * (1 << 12) * 4


def test_thresholds_need_enough_documents() -> None:
    stats = LineStats(width=1 << 12, min_count=4, share=0.5)
    cleaner = Cleaner(boilerplate=stats.boilerplate)
    for _ in range(3):
        stats.add_text("a.com", "Shared line here\nOther")
    parsed = cleaner.parse("Shared line here", site="a.com")
    assert parsed.labels[0].why != "corpus"  # 3 < min_count
    stats.add_text("a.com", "Shared line here")
    parsed = cleaner.parse("Shared line here", site="a.com")
    assert parsed.labels[0].why == "corpus"


def test_keys() -> None:
    assert line_key("Updated 12 Hours Ago") == line_key("updated 3 hours ago")
    assert site_key("https://m.bisnis.com/x", None) == "bisnis.com"
    assert site_key(None, "kompas__123") == "kompas"
    assert site_key(None, "plain") == ""


def test_worker_processes_give_the_same_results_in_input_order() -> None:
    docs, _ = _corpus(per_site=30)  # 90 documents: several batches per worker
    docs.insert(40, Document("blank", "   \n  ", None))  # a Skip among the articles
    stats = learn(docs, LineStats(width=1 << 16))
    for corpus_stats in (None, stats):
        here = list(clean_documents(docs, corpus_stats))
        there = list(clean_documents(docs, corpus_stats, workers=2))
        assert [doc.id for doc, _ in there] == [doc.id for doc in docs]
        assert [result for _, result in there] == [result for _, result in here]
    per_cpu = list(clean_documents(docs, workers=0))  # 0: one process per CPU
    assert [result for _, result in per_cpu] == [result for _, result in clean_documents(docs)]


def test_a_document_over_the_time_limit_is_skipped_and_the_run_goes_on() -> None:
    # A limit is kept by killing a worker process, one worker or two; no signal is raised inside the
    # cleaner (an alarm there once landed in a GC callback and failed CI through pytest's hook).
    import signal

    from warta.model import Skip, SkipReason

    slow = Document("slow", "x\n" * 150_000, None)  # 150,000 lines: over a second to clean
    docs, _ = _corpus(per_site=2)
    mixed = [docs[0], slow, docs[1]]
    handler = signal.getsignal(signal.SIGALRM)
    for workers in (1, 2):
        results = [result for _, result in clean_documents(mixed, workers=workers, timeout=0.3)]
        assert isinstance(results[1], Skip) and results[1].reason == SkipReason.TIMEOUT
        assert isinstance(results[0], Article) and isinstance(results[2], Article)
    assert signal.getsignal(signal.SIGALRM) == handler  # the caller's alarm handler is untouched
    (_, unlimited), = clean_documents([slow], timeout=None)
    assert isinstance(unlimited, Skip) and unlimited.reason == SkipReason.NOT_AN_ARTICLE  # judged, however long


def _worker_processes() -> list[int]:
    """The worker processes below this one: spawned workers (children) or a fork server's workers
    (grandchildren); not the fork server or the resource tracker themselves."""
    import os
    from pathlib import Path

    def children(pid: int) -> list[int]:
        out: list[int] = []
        for task in Path(f"/proc/{pid}/task").iterdir():
            out += [int(p) for p in (task / "children").read_text().split()]
        return out

    found = []
    for child in children(os.getpid()):
        cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        if b"spawn_main" in cmdline:
            found.append(child)
        elif b"forkserver" in cmdline:
            found += children(child)
    return found


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="reads /proc")
def test_a_cleaning_worker_killed_mid_run_loses_no_document() -> None:
    import os
    import signal

    docs, _ = _corpus(per_site=60)  # 180 documents: several batches per worker
    expected = [result for _, result in clean_documents(docs)]
    results = clean_documents(docs, workers=2)
    first = next(results)  # the workers are up and busy with their batches
    victims = _worker_processes()
    assert victims
    os.kill(victims[0], signal.SIGKILL)
    out = [first, *results]
    assert [doc.id for doc, _ in out] == [doc.id for doc in docs]
    assert [result for _, result in out] == expected
