"""Properties of warta.cluster: order independence, exact copies always cluster, singletons keep their id."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import warta

BENCH = Path(__file__).parents[1] / "fixtures" / "dedupe" / "bench"
BODIES = [
    json.loads(line)["body"]
    for path in sorted(BENCH.glob("*/truth.jsonl"))
    for line in path.read_text("utf-8").splitlines()
][:6]
DATELINES = ["", "Jakarta (ANTARA) - ", "JAKARTA, KOMPAS.com - ", "Bisnis.com, JAKARTA - ", "LONDON (Reuters) - "]


def dress(body: str, dateline: str, spaces: int, read_also: bool) -> str:
    """An exact copy as another portal prints it: dateline, spacing, a read-also line."""
    paras = body.split("\n\n")
    paras[0] = dateline + paras[0]
    if read_also:
        paras.insert(1, "Baca juga: Berita lain yang tidak berhubungan")
    return ("\n\n" + " " * spaces).join(p.replace(" ", " " * (1 + spaces % 2)) for p in paras)


copies = st.lists(
    st.tuples(
        st.integers(0, len(BODIES) - 1), st.sampled_from(DATELINES), st.integers(0, 3), st.booleans()
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=25, deadline=None)
@given(copies, st.randoms(use_true_random=False))
def test_cluster_ids_do_not_depend_on_input_order(spec: list[tuple[int, str, int, bool]], rnd: object) -> None:
    items = [(f"doc{k}", dress(BODIES[b], d, s, r)) for k, (b, d, s, r) in enumerate(spec)]
    shuffled = list(items)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert warta.cluster(items) == warta.cluster(shuffled)


@settings(max_examples=25, deadline=None)
@given(copies)
def test_exact_copies_always_cluster_and_distinct_stories_do_not(spec: list[tuple[int, str, int, bool]]) -> None:
    items = [(f"doc{k}", dress(BODIES[b], d, s, r)) for k, (b, d, s, r) in enumerate(spec)]
    got = warta.cluster(items)
    for k, (b, *_rest) in enumerate(spec):
        same = [f"doc{j}" for j, (c, *_r) in enumerate(spec) if c == b]
        assert got[f"doc{k}"] == min(same)
    assert len(set(got.values())) == len({b for b, *_ in spec})


@given(st.lists(st.text(max_size=30), min_size=1, max_size=8, unique=True))
@settings(max_examples=30, deadline=None)
def test_every_id_gets_a_cluster_and_singletons_keep_their_id(ids: list[str]) -> None:
    got = warta.cluster((i, f"kalimat unik nomor {n} " * (n % 3)) for n, i in enumerate(ids))
    assert set(got) == set(ids)
    assert all(got[i] in ids and got[got[i]] == got[i] for i in ids)
