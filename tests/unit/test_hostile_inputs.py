"""Hostile input in batch mode: every document ends in an Article or a clear Skip within the limit."""

from __future__ import annotations

import os
import time

import pytest

from warta.extract import extract
from warta.extract.batch import BatchExtractor
from warta.model import Article, Skip, SkipReason

GOOD = "<html><body><article>" + "<p>" + "Warga menyambut baik jembatan baru itu, kata kepala desa. " * 8 + "</p>" * 3 + "</article></body></html>"


def hostile_documents() -> list[tuple[str, str | bytes, str | None]]:
    return [
        ("truncated", GOOD[: len(GOOD) // 2], None),
        ("lying-charset", ('<meta charset="windows-1251">' + GOOD.replace("Warga", "Wargä")).encode("utf-8"), None),
        ("fifty-mb", b"<html><body><p>" + b"a " * 25_000_000, None),
        ("deep", "<div>" * 10_000 + "deep text" + "</div>" * 10_000, None),
        ("attributes", "<div " + " ".join(f"a{i}='1'" for i in range(200_000)) + ">x</div>", None),
        ("garbage", bytes(range(256)) * 400, None),
        ("good", GOOD, "https://example.test/a"),
    ]


@pytest.fixture(scope="module")
def results() -> dict[str, Article | Skip]:
    start = time.monotonic()
    with BatchExtractor(workers=2, timeout=10.0) as batch:
        out = dict(batch.extract_many(hostile_documents()))
    assert time.monotonic() - start < 60
    return out


def test_every_document_has_a_result(results: dict[str, Article | Skip]) -> None:
    assert set(results) == {key for key, _, _ in hostile_documents()}


def test_expected_outcomes(results: dict[str, Article | Skip]) -> None:
    assert isinstance(results["good"], Article) and results["good"].url == "https://example.test/a"
    assert isinstance(results["truncated"], Article)  # a cut-off page still yields its text
    lying = results["lying-charset"]
    assert isinstance(lying, Article) and "Wargä" in lying.text
    big = results["fifty-mb"]
    assert isinstance(big, Skip) and big.reason is SkipReason.TOO_LARGE
    garbage = results["garbage"]
    assert isinstance(garbage, Skip) and garbage.reason is SkipReason.UNREADABLE
    for key in ("deep", "attributes"):
        assert isinstance(results[key], Skip | Article)
        assert not (isinstance(results[key], Skip) and results[key].reason is SkipReason.ERROR)


def test_stuck_document_times_out_and_batch_goes_on() -> None:
    slow = "<html><body>" + "<div><p>" + "kata " * 40 + "</p></div>" * 1 + ("<p>" + "isi berita yang panjang " * 30 + "</p>") * 4000 + "</body></html>"
    docs: list[tuple[str, str | bytes, str | None]] = [("slow", slow, None), ("after", GOOD, None)]
    with BatchExtractor(workers=1, timeout=0.01) as batch:
        out = dict(batch.extract_many(docs))
        assert isinstance(out["slow"], Skip) and out["slow"].reason is SkipReason.TIMEOUT
        (pid,) = batch.pids()  # the stuck worker was replaced by a fresh one
        os.kill(pid, 0)
    with BatchExtractor(workers=1, timeout=10.0) as batch:
        assert isinstance(dict(batch.extract_many([("after", GOOD, None)]))["after"], Article)


def test_too_large_is_decided_without_a_worker() -> None:
    with BatchExtractor(workers=1, timeout=5.0, max_bytes=100) as batch:
        ((key, result),) = list(batch.extract_many([("k", "<p>" + "x" * 200 + "</p>", None)]))
    assert key == "k" and isinstance(result, Skip) and result.reason is SkipReason.TOO_LARGE


def test_in_process_extract_of_hostile_inputs_is_fast() -> None:
    for key, doc, url in hostile_documents():
        if key == "fifty-mb":
            continue
        start = time.monotonic()
        result = extract(doc, url)
        assert isinstance(result, Article | Skip), key
        assert time.monotonic() - start < 10, key
