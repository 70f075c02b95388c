"""The evaluation harness: score.py's rules on hand-computed cases, and `warta eval` on a tiny set."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from warta.cli.main import cli
from warta.extract.eval import (
    Prediction,
    author_f1,
    byline_match,
    evaluate_sets,
    find_sets,
    load_set,
    page_prf,
    prf,
    score,
)

BODY = "Warga menyambut baik jembatan baru itu, kata kepala desa setempat kepada wartawan. " * 5


def test_prf_is_a_bag_of_words() -> None:
    p, r, f = prf("a b b c", "b b b d")
    assert (p, r) == (0.5, 0.5) and f == 0.5
    assert prf("x", "") == (0.0, 0.0, 0.0)


def test_body_required_takes_the_better_reference() -> None:
    truth = {"body": "a b c d", "body_required": "a b"}
    assert page_prf(truth, "a b")[2] == 1.0


def test_author_f1_rules() -> None:
    assert author_f1([], []) == 1.0
    assert author_f1(["Budi  Santoso"], ["budi santoso"]) == 1.0
    assert author_f1(["A", "B"], ["A"]) == pytest.approx(2 / 3)


def test_byline_match_is_the_share_of_predicted_names_the_gold_byline_holds() -> None:
    assert byline_match("By Brenda  Goodman, MA\n WebMD Health News", ["brenda goodman"]) == 1.0
    assert byline_match("By Brenda Goodman, MA", ["Brenda Goodman", "MA WebMD Health News"]) == 0.5
    assert byline_match("Jane Doe", []) == 0.0


def test_sets_with_a_free_text_byline_get_a_byline_column(tmp_path: Path) -> None:
    root = make_set(tmp_path)
    rows = [json.loads(line) for line in (root / "truth.jsonl").read_text("utf8").splitlines()]
    for row in rows:
        row["authors"], row["byline"] = None, "By Budi Santoso"
    (root / "truth.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", "utf8")
    preds = [Prediction("p0", None, ["Budi Santoso"], None, BODY, 0.1), Prediction("p1", None, ["Redaksi"], None, BODY, 0.1)]
    s = score("tiny", "x", load_set(root), preds)
    assert (s.author_f1, s.byline) == (None, 0.5)
    out = CliRunner().invoke(cli, ["eval", str(root), "--compare", "none"])
    assert out.exit_code == 0 and "| byline |" in out.output


def make_set(root: Path) -> Path:
    pages = root / "tiny" / "pages"
    pages.mkdir(parents=True)
    rows = []
    for i in range(2):
        html = f"<html><head><title>Judul {i}</title></head><body><article><p>{BODY}</p></article></body></html>"
        (pages / f"p{i}.html.gz").write_bytes(gzip.compress(html.encode()))
        rows.append({"id": f"p{i}", "page": f"pages/p{i}.html.gz", "url": f"https://x.test/{i}", "title": f"Judul {i}",
                     "authors": ["Budi"], "published": "2016-10-05T10:00:00+07:00", "body": BODY.strip()})
    (root / "tiny" / "truth.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", "utf8")
    return root / "tiny"


def test_score_matches_hand_computed_figures(tmp_path: Path) -> None:
    pages = load_set(make_set(tmp_path))
    preds = [
        Prediction("p0", "judul 0", ["budi"], "2016-10-05T03:00:00+00:00", BODY, 0.5),
        Prediction("p1", "Other", [], None, "", 1.5, error="boom"),
    ]
    s = score("tiny", "x", pages, preds)
    assert (s.precision, s.recall, s.page_f1) == (1.0, 0.5, 0.5)  # precision only over non-empty predictions
    assert s.f1 == round(2 * 1.0 * 0.5 / 1.5, 4)
    assert (s.title_exact, s.date_day, s.author_f1) == (0.5, 0.5, 0.5)
    assert (s.pages_per_s, s.empty, s.crashes) == (1.0, 1, 1)


def test_eval_command_prints_table_and_json(tmp_path: Path) -> None:
    set_dir = make_set(tmp_path)
    runner = CliRunner()
    out = runner.invoke(cli, ["eval", str(set_dir), "--compare", "none"])
    assert out.exit_code == 0, out.output
    assert "### tiny (2 pages)" in out.output and "| warta |" in out.output
    out = runner.invoke(cli, ["eval", str(set_dir), "--json", "--runs", "2", "--compare", "none"])
    data = json.loads(out.output)["sets"]["tiny"]  # JSON is now {"sets": {name: rows}, "overall": rows}
    assert data[0]["engine"] == "warta" and data[0]["f1"] > 0.9 and data[0]["crashes"] == 0


def test_unknown_peer_is_a_clear_error(tmp_path: Path) -> None:
    out = CliRunner().invoke(cli, ["eval", str(make_set(tmp_path)), "--compare", "nosuch"])
    assert out.exit_code != 0 and "unknown engine" in out.output


def test_failure_rate_counts_pages_under_half_f1_as_failrate_py(tmp_path: Path) -> None:
    pages = load_set(make_set(tmp_path))
    half = " ".join(BODY.split()[: len(BODY.split()) // 4])  # recall 0.25, precision 1: F1 0.4
    preds = [Prediction("p0", None, None, None, BODY, 0.1), Prediction("p1", None, None, None, half, 0.1)]
    s = score("tiny", "x", pages, preds)
    assert (s.failed, s.fail_rate) == (1, 0.5)


def test_a_bench_directory_runs_every_html_set_and_an_overall_row(tmp_path: Path) -> None:
    make_set(tmp_path)
    second = make_set(tmp_path / "b")
    second.rename(tmp_path / "other")
    text_set = tmp_path / "textdump"
    text_set.mkdir()
    (text_set / "truth.jsonl").write_text(json.dumps({"id": "t", "page": "pages/t.txt", "body": "x"}) + "\n")
    assert [d.name for d in find_sets([tmp_path])] == ["other", "tiny"]  # the text-dump set is not an HTML set
    tables, overall = evaluate_sets([tmp_path], ["warta"])
    assert [t[0].set for t in tables] == ["other", "tiny"]
    assert overall[0].set == "overall" and overall[0].pages == 4 and overall[0].fail_rate == 0.0
    out = CliRunner().invoke(cli, ["eval", str(tmp_path), "--compare", "none"])
    assert "### overall (2 sets, 4 pages)" in out.output and "### summary" in out.output
    assert "| tiny | 2 | " in out.output and "fail" in out.output


def test_a_directory_without_sets_is_a_clear_error(tmp_path: Path) -> None:
    out = CliRunner().invoke(cli, ["eval", str(tmp_path), "--compare", "none"])
    assert out.exit_code != 0 and "neither a benchmark set" in out.output
