"""Corpus mode across shards: line statistics merged from every shard clean like one process."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pyarrow.parquet as pq

from warta.batch.corpus import learn_shard
from warta.batch.run import run_batch
from warta.batch.shards import Part
from warta.clean.corpus import LineStats
from warta.clean.io import Document
from warta.clean.run import clean_documents, learn
from warta.execute.local import LocalExecutor
from warta.model import Article

STOPWORDS = ("dan", "yang", "di", "itu", "akan", "untuk", "dengan", "dari")


def _sentence(rng: random.Random, words: int) -> str:
    parts = [rng.choice(STOPWORDS) if i % 3 == 1 else "".join(rng.choices("abcdefghijklmnoprstuw", k=7))
             for i in range(words)]
    text = " ".join(parts)
    return text[0].upper() + text[1:] + "."


def _corpus(per_site: int = 9) -> tuple[list[Document], set[str]]:
    rng = random.Random(11)
    furniture = {f"site{s}.com": [_sentence(rng, 22) for _ in range(3)] for s in range(2)}
    docs = []
    for site, lines in furniture.items():
        for n in range(per_site):
            story = [_sentence(rng, 25) for _ in range(5)]
            docs.append(Document(f"{site}-{n}", "\n\n".join([lines[0], *story, lines[1], lines[2]]),
                                 f"https://www.{site}/news/{n}"))
    return docs, {line for lines in furniture.values() for line in lines}


def test_corpus_mode_merges_line_statistics_across_shards(tmp_path: Path) -> None:
    docs, furniture = _corpus()
    shards = []
    for n in range(3):  # each shard holds 3 documents per site: under min_count (4) on its own
        path = tmp_path / f"part{n}.jsonl"
        path.write_text("".join(json.dumps({"id": d.id, "url": d.url, "text": d.text}) + "\n" for d in docs[n::3]))
        shards.append(path)
    alone = learn_shard(shards[0])
    assert alone.documents("site0.com") == 3 and alone.threshold("site0.com") == 4
    expected = {doc.id: result for doc, result in clean_documents(docs, learn(docs, LineStats()))}
    with LocalExecutor(2) as ex:
        report = run_batch([str(p) for p in shards], ex, out=tmp_path / "out", timeout=30, corpus=True)
        plain = run_batch([str(p) for p in shards], ex, out=tmp_path / "plain", timeout=30)
    assert report.articles == len(docs)
    rows = {r["id"]: r for f in (tmp_path / "out").glob("*.parquet") for r in pq.read_table(f).to_pylist()}
    for ident, article in expected.items():
        assert isinstance(article, Article)
        assert json.loads(rows[ident]["body"]) == [b.to_dict() for b in article.body]
        assert not any(b.text in furniture for b in article.body)
    plain_rows = [r for f in (tmp_path / "plain").glob("*.parquet") for r in pq.read_table(f).to_pylist()]
    assert plain.articles == len(docs)
    assert any(b["text"] in furniture for r in plain_rows for b in json.loads(r["body"]))  # single-document mode keeps it
    assert (tmp_path / "out" / "_shards_linestats.npz").exists()  # a rerun reuses the same statistics


def test_corpus_mode_in_parts_cleans_with_every_parts_statistics(tmp_path: Path) -> None:
    """Three drivers with a part each learn the line statistics of all shards, not of their part."""
    docs, furniture = _corpus()
    shards = []
    for n in range(3):
        path = tmp_path / f"part{n}.jsonl"
        path.write_text("".join(json.dumps({"id": d.id, "url": d.url, "text": d.text}) + "\n" for d in docs[n::3]))
        shards.append(path)
    with LocalExecutor(2) as ex:
        reports = [run_batch([str(p) for p in shards], ex, out=tmp_path / f"out{i}", timeout=30, corpus=True,
                             part=Part(i, 3)) for i in (1, 2, 3)]
    assert [len(r.shards) for r in reports] == [1, 1, 1]
    rows = [r for f in tmp_path.glob("out*/*.parquet") for r in pq.read_table(f).to_pylist()]
    assert len(rows) == len(docs)
    assert not any(b["text"] in furniture for r in rows for b in json.loads(r["body"]))
