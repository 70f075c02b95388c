"""``warta clean`` over real files: a directory, JSONL, CSV and Parquet corpora; JSONL and Parquet out."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from warta.cli.main import cli

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "clean" / "000_c6a3d81ec84d2db2.txt"
EN = "\n\n".join([
    "# Council approves new budget",
    "The city council voted on Tuesday to approve a new budget that includes funding for schools, parks and road repairs.",
    "Officials said the plan would be paid for by a combination of higher fees and savings from the transport department.",
    "Subscribe to our newsletter",
])
RECORDS = [
    {"doc": "bisnis__1", "body": SEED.read_text("utf8"), "link": "https://kabar.bisnis.com/read/1/menlu-as-dan-rusia-bicarakan-suriah-lewat-telepon"},
    {"doc": "en__2", "body": EN, "link": None},
    {"doc": "empty__3", "body": "   ", "link": None},
]
FIELDS = ["--text-field", "body", "--url-field", "link", "--id-field", "doc", "--quiet"]


def _run(args: list[str]) -> list[dict[str, object]]:
    result = CliRunner().invoke(cli, ["clean", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def _check(records: list[dict[str, object]]) -> None:
    by_id = {r["id"]: r for r in records}
    assert by_id["bisnis__1"]["title"] == "Menlu AS dan Rusia Bicarakan Suriah Lewat Telepon"
    assert by_id["bisnis__1"]["domain"] == "bisnis.com"
    assert by_id["en__2"]["title"] == "Council approves new budget"
    assert "newsletter" not in str(by_id["en__2"]["text"])
    assert by_id["empty__3"]["skip"] == "empty"


def test_jsonl_corpus(tmp_path: Path) -> None:
    src = tmp_path / "corpus.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), "utf8")
    _check(_run([str(src), *FIELDS]))


def test_csv_corpus(tmp_path: Path) -> None:
    src = tmp_path / "corpus.csv"
    with src.open("w", encoding="utf8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["doc", "body", "link"])
        writer.writeheader()
        writer.writerows([{**r, "link": r["link"] or ""} for r in RECORDS])
    _check(_run([str(src), *FIELDS]))


def test_parquet_corpus_to_parquet(tmp_path: Path) -> None:
    src, out = tmp_path / "corpus.parquet", tmp_path / "out.parquet"
    pq.write_table(pa.Table.from_pylist(RECORDS), src)
    result = CliRunner().invoke(cli, ["clean", str(src), *FIELDS, "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = pq.read_table(out).to_pylist()
    _check([{**r, "body": json.loads(r["body"]) if r["body"] else None} for r in rows])
    seed_row = next(r for r in rows if r["id"] == "bisnis__1")
    assert seed_row["authors"] == ["Martin Sihombing"]
    assert len(json.loads(seed_row["body"])) == 9


def test_directory_of_text_and_markdown(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(SEED.read_text("utf8"), "utf8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text(EN, "utf8")
    (tmp_path / "ignored.bin").write_bytes(b"\x00\x01")
    records = _run([str(tmp_path), "--quiet"])
    assert sorted(r["id"] for r in records) == ["a.txt", "sub/b.md"]


def test_corpus_mode_and_output_file(tmp_path: Path) -> None:
    src, out = tmp_path / "corpus.jsonl", tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), "utf8")
    result = CliRunner().invoke(cli, ["clean", str(src), *FIELDS, "--corpus", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    _check([json.loads(x) for x in out.read_text("utf8").splitlines()])
    assert json.loads(result.stderr.strip().splitlines()[-1]) == {"documents": 3, "articles": 2, "skip: empty": 1}


@pytest.mark.parametrize("content", ["{not json}\n", '["a list"]\n', '{"other": 1}\n'])
def test_bad_corpus_is_a_clear_error(tmp_path: Path, content: str) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_text(content, "utf8")
    result = CliRunner().invoke(cli, ["clean", str(src), "--quiet"])
    assert result.exit_code != 0
    assert "Error" in result.output


def test_missing_input_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["clean", str(tmp_path / "nope.jsonl")])
    assert result.exit_code != 0 and "no such file" in result.output


def test_worker_processes_write_the_same_output(tmp_path: Path) -> None:
    src = tmp_path / "corpus.jsonl"
    src.write_text("".join(json.dumps({**r, "doc": f"{r['doc']}-{n}"}) + "\n" for n in range(30) for r in RECORDS), "utf8")
    one = _run([str(src), *FIELDS])
    assert _run([str(src), *FIELDS, "--workers", "2"]) == one
    assert len(one) == 90


# An alarm may land in a GC callback (hypothesis installs one), where Python drops the exception with
# this warning; the alarm repeats until it lands in the cleaner, which is what the test checks.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_timeout_skips_a_slow_document(tmp_path: Path) -> None:
    src = tmp_path / "corpus.jsonl"
    slow = {"doc": "slow", "body": "x\n" * 150_000, "link": None}
    src.write_text("".join(json.dumps(r) + "\n" for r in [RECORDS[0], slow, RECORDS[1]]), "utf8")
    records = _run([str(src), *FIELDS, "--timeout", "0.3"])
    assert [r["id"] for r in records] == ["bisnis__1", "slow", "en__2"]
    assert records[1]["skip"] == "timeout" and records[0]["title"] and records[2]["title"]
