"""Normalisation, hashing, LSH and warta.cluster on small real texts (no store)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

import warta
from warta.dedupe.evalgen import Item, load_material, make_copy, make_templates
from warta.dedupe.fingerprint import compare, fingerprint
from warta.dedupe.lsh import LshIndex
from warta.dedupe.minhash import MinHasher, jaccard_estimate, shingle_hashes, token_hashes
from warta.dedupe.normalize import normalise_text, strip_dateline
from warta.textnorm import unify

BENCH = Path(__file__).parents[1] / "fixtures" / "dedupe" / "bench"


def bodies() -> list[dict[str, str]]:
    rows = []
    for path in sorted(BENCH.glob("*/truth.jsonl")):
        rows += [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    return rows


@pytest.mark.parametrize(
    ("para", "rest"),
    [
        ("Bisnis.com, JAKARTA - Harga emas naik.", "Harga emas naik."),
        ("JAKARTA, KOMPAS.com - Presiden pergi.", "Presiden pergi."),
        ("Jakarta (ANTARA) - Menteri berkata.", "Menteri berkata."),
        ("Mataram, NTB (ANTARA News) - Sebanyak 29 penerbangan.", "Sebanyak 29 penerbangan."),
        ("TEMPO.CO, Jakarta - Polisi menangkap.", "Polisi menangkap."),
        ("Liputan6.com, Jakarta - Harga cabai.", "Harga cabai."),
        ("WASHINGTON, Nov 5 (Reuters) - The U.S. said.", "The U.S. said."),
        ("BERLIN (dpa) - Die Regierung.", "Die Regierung."),
        ("The president said - no.", "The president said - no."),
    ],
)
def test_dateline_prefixes_are_stripped(para: str, rest: str) -> None:
    assert strip_dateline(unify(para)) == rest


def test_normalisation_drops_furniture_and_unifies() -> None:
    text = (
        "Jakarta (ANTARA) - Harga \u201cemas\u201d naik 2,5 persen \u2014 kata pedagang.\n\n"
        "Baca juga: Harga perak turun tajam\n\n"
        "Foto: Ilustrasi emas batangan\n\n"
        "Petugas menimbang emas di Jakarta. (ANTARA FOTO/Galih Pradipta)\n\n"
        "Pedagang berharap harga stabil."
    )
    norm = normalise_text(text)
    assert norm.sentences == ("harga emas naik 2 5 persen kata pedagang", "pedagang berharap harga stabil")
    assert "antara" not in norm.tokens and "baca" not in norm.tokens


def test_minhash_estimates_jaccard_and_is_deterministic() -> None:
    rng = np.random.default_rng(0)
    universe = rng.integers(0, 2**63, size=3000, dtype=np.uint64)
    a, b = np.unique(universe[:2000]), np.unique(universe[1000:3000])  # true Jaccard 1/3
    mh = MinHasher(num_perm=256)
    est = jaccard_estimate(mh.signature(a), mh.signature(b))
    assert abs(est - 1 / 3) < 0.08
    batch = MinHasher(num_perm=256, chunk=500).signatures([a, b, np.empty(0, dtype=np.uint64)])
    assert np.array_equal(batch[0], mh.signature(a)) and np.array_equal(batch[1], mh.signature(b))
    assert (batch[2] == 0xFFFFFFFF).all()


def test_shingles_are_order_sensitive() -> None:
    x = shingle_hashes(token_hashes(["a", "b", "c", "d"]), 3)
    y = shingle_hashes(token_hashes(["d", "c", "b", "a"]), 3)
    assert len(x) == 2 and not set(x.tolist()) & set(y.tolist())


def _copies(row: dict[str, str], n: int, tier: str) -> list[Item]:
    base = Item(row["id"], row["body"], row["id"], "base", row["site"], row["lang"])
    rng = random.Random(row["id"])
    return [make_copy(base, k, tier, rng, load_material()) for k in range(n)]


def test_cluster_groups_syndicated_copies_and_separates_templates() -> None:
    rows = bodies()
    items = [(r["id"], r["body"]) for r in rows]
    for r in rows:
        items += [(c.id, c.text) for c in _copies(r, 2, "easy")]
    templates = make_templates(random.Random(1), load_material())
    items += [(t.id, t.text) for t in templates]
    got = warta.cluster(items)
    for r in rows:
        assert got[f"{r['id']}#easy0"] == got[f"{r['id']}#easy1"] == got[r["id"]] == min(
            r["id"], f"{r['id']}#easy0", f"{r['id']}#easy1"
        )
    assert len({got[r["id"]] for r in rows}) == len(rows)
    assert all(got[t.id] == t.id for t in templates), "templated articles must stay singletons"


def test_templated_pairs_are_rejected_by_the_guards_not_by_jaccard() -> None:
    fam = [t for t in make_templates(random.Random(3), load_material()) if t.story.startswith("template/weather")]
    fps = [fingerprint(normalise_text(t.text)) for t in fam]
    a, b = max(
        ((x, y) for i, x in enumerate(fps) for y in fps[i + 1 :]),
        key=lambda p: jaccard_estimate(p[0].sig, p[1].sig),
    )
    assert jaccard_estimate(a.sig, b.sig) >= 0.45  # they look alike to MinHash...
    assert compare(a, b) is None  # ...but differ in their numbers and sentences


def test_lsh_index_finds_the_copy_and_only_the_copy() -> None:
    rows = bodies()
    index = LshIndex()
    index.add([fingerprint(normalise_text(r["body"])) for r in rows])
    copy = _copies(rows[0], 1, "hard")[0]
    matches = index.query(fingerprint(normalise_text(copy.text)))
    assert [m.row for m in matches] == [0]
    assert 0.3 <= matches[0].score < 1.0
    assert index.query(fingerprint(normalise_text("Satu kalimat pendek yang tidak ada di mana pun."))) == []


def test_empty_bodies_never_cluster() -> None:
    got = warta.cluster([("a", ""), ("b", ""), ("c", "   ")])
    assert got == {"a": "a", "b": "b", "c": "c"}


def test_scripts_without_spaces_are_shingled_by_character() -> None:
    rows = [json.loads(x) for x in (BENCH.parent / "cjk.jsonl").read_text("utf-8").splitlines()]
    assert len(normalise_text("政府は発表した。首相は説明した！").sentences) == 2
    a, b = rows[0]["body"], rows[1]["body"]
    paras = a.split("\n\n")
    edited = "\n\n".join(["写真：共同通信", *paras[: max(1, len(paras) - 1)]]).replace("。", "、", 1)
    got = warta.cluster([("a", a), ("a2", edited), ("b", b)])
    assert got == {"a": "a", "a2": "a", "b": "b"}
