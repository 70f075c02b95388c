"""Labelled near-duplicate evaluation: ``python -m warta.dedupe.evaluate --bench ../shared/bench``.

Generates each tier with :mod:`warta.dedupe.evalgen`, clusters it with :func:`warta.cluster`
and reports pair precision/recall, cluster purity and false merges of templated articles.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from itertools import combinations
from pathlib import Path

import click

from warta.dedupe.batch import cluster
from warta.dedupe.evalgen import Item, generate

Clusterer = Callable[[Iterable[tuple[str, str]]], dict[str, str]]


@dataclass(frozen=True, slots=True)
class TierScore:
    tier: str
    items: int
    true_pairs: int
    predicted_pairs: int
    precision: float
    recall: float
    f1: float
    purity: float
    template_false_pairs: int
    seconds: float


def _pairs(groups: Iterable[list[str]]) -> set[tuple[str, str]]:
    return {(a, b) for g in groups for a, b in combinations(sorted(g), 2)}


def _groups(labels: dict[str, str]) -> list[list[str]]:
    by: dict[str, list[str]] = defaultdict(list)
    for ident, label in labels.items():
        by[label].append(ident)
    return list(by.values())


def score_tier(tier: str, items: list[Item], predicted: dict[str, str], seconds: float) -> TierScore:
    truth = {i.id: i.story for i in items}
    true_pairs = _pairs(_groups(truth))
    pred_pairs = _pairs(_groups(predicted))
    hit = len(true_pairs & pred_pairs)
    prec = hit / len(pred_pairs) if pred_pairs else 1.0
    rec = hit / len(true_pairs) if true_pairs else 1.0
    pure = sum(Counter(truth[i] for i in g).most_common(1)[0][1] for g in _groups(predicted))
    templates = {i.id for i in items if i.kind == "template"}
    false_tpl = sum(1 for a, b in pred_pairs - true_pairs if a in templates or b in templates)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return TierScore(
        tier, len(items), len(true_pairs), len(pred_pairs), round(prec, 4), round(rec, 4),
        round(f1, 4), round(pure / len(items), 4), false_tpl, round(seconds, 2),
    )


def evaluate(bench: Path, seed: int = 6, clusterer: Clusterer = cluster) -> list[TierScore]:
    out = []
    for tier in ("easy", "hard"):
        items = generate(bench, tier, seed)
        start = time.perf_counter()
        predicted = clusterer((i.id, i.text) for i in items)
        out.append(score_tier(tier, items, predicted, time.perf_counter() - start))
    return out


def format_table(scores: list[TierScore]) -> str:
    head = "| tier | items | true pairs | predicted pairs | precision | recall | F1 | purity | template false pairs | seconds |"
    rows = [head, "|" + "---|" * 10]
    for s in scores:
        rows.append(
            f"| {s.tier} | {s.items} | {s.true_pairs} | {s.predicted_pairs} | {s.precision:.4f} | "
            f"{s.recall:.4f} | {s.f1:.4f} | {s.purity:.4f} | {s.template_false_pairs} | {s.seconds} |"
        )
    return "\n".join(rows)


@click.command()
@click.option("--bench", type=click.Path(path_type=Path), default=Path("../shared/bench"), show_default=True)
@click.option("--seed", type=int, default=6, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def main(bench: Path, seed: int, as_json: bool) -> None:
    """Score warta.cluster on the seeded labelled evaluation built from the benchmark bodies."""
    scores = evaluate(bench, seed)
    if as_json:
        click.echo(json.dumps([asdict(s) for s in scores], indent=2))
    else:
        click.echo(format_table(scores))


if __name__ == "__main__":
    main()
