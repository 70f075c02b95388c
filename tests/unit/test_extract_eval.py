"""The evaluation harness: score.py's rules on hand-computed cases, and `warta eval` on a tiny set."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from warta.cli.main import cli
from warta.extract.eval import Prediction, author_f1, load_set, page_prf, prf, score

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
    out = runner.invoke(cli, ["eval", str(set_dir)])
    assert out.exit_code == 0, out.output
    assert "### tiny (2 pages)" in out.output and "| warta |" in out.output
    out = runner.invoke(cli, ["eval", str(set_dir), "--json", "--runs", "2"])
    data = json.loads(out.output)
    assert data[0]["engine"] == "warta" and data[0]["f1"] > 0.9 and data[0]["crashes"] == 0


def test_unknown_peer_is_a_clear_error(tmp_path: Path) -> None:
    out = CliRunner().invoke(cli, ["eval", str(make_set(tmp_path)), "--compare", "nosuch"])
    assert out.exit_code != 0 and "unknown engine" in out.output
