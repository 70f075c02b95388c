"""Seeded generator of the labelled near-duplicate evaluation.

From the development benchmark bodies (``<bench>/{scrapinghub,fundus,indonesian}/truth.jsonl``)
it builds, for every article long enough to be a story:

- easy tier: syndicated copies with another dateline prefix (and, for half, a headline line),
  captions and read-also lines inserted, one word replaced in up to 10% of sentences and up to
  20% of the closing paragraphs dropped;
- hard tier: the same edits plus 20% of the sentences rewritten (words reordered and half of them
  replaced);
- hard negatives: the other articles of the same site and language (every base is its own story)
  and templated families (daily market reports, weather, prayer times) whose members share most
  words but are different stories.

Copy styles and template families are data (``data/evalgen.json``).
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from warta.errors import InputError

SETS = ("scrapinghub", "fundus", "indonesian")
MIN_WORDS = 80
_SENT = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    text: str
    story: str  # items with the same story are copies of each other
    kind: str  # "base", "copy", "template"
    site: str
    lang: str


def load_material() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("warta.dedupe").joinpath("data/evalgen.json").read_text("utf-8")
    )
    return data


def load_bases(bench: Path) -> list[Item]:
    """The benchmark bodies with at least MIN_WORDS words, as base stories."""
    out: list[Item] = []
    for name in SETS:
        path = bench / name / "truth.jsonl"
        if not path.is_file():
            raise InputError("missing benchmark truth file", path=str(path))
        for line in path.read_text("utf-8").splitlines():
            row = json.loads(line)
            body = row.get("body") or ""
            if len(body.split()) >= MIN_WORDS:
                sid = f"{name}/{row['id']}"
                out.append(Item(sid, body, sid, "base", row.get("site") or "", row.get("lang") or "en"))
    return out


def _fill(template: str, rng: random.Random, vocab: list[str]) -> str:
    words = {f"w{i}": rng.choice(vocab) for i in (1, 2, 3)}
    words.update({f"W{i}": words[f"w{i}"].capitalize() for i in (1, 2, 3)})
    return template.format(**words)


def _replace_words(sentences: list[str], rng: random.Random, vocab: list[str], share: float) -> None:
    for i in rng.sample(range(len(sentences)), k=int(len(sentences) * share)):
        words = sentences[i].split(" ")
        j = rng.randrange(len(words))
        words[j] = rng.choice(vocab)
        sentences[i] = " ".join(words)


def _rewrite(sentence: str, rng: random.Random, vocab: list[str]) -> str:
    words = sentence.rstrip(".!?").split(" ")
    cut = rng.randrange(1, max(2, len(words)))
    words = words[cut:] + words[:cut]
    words = [rng.choice(vocab) if rng.random() < 0.5 else w for w in words]
    return " ".join(words).capitalize() + "."


def _style(material: dict[str, Any], lang: str) -> dict[str, list[str]]:
    styles: dict[str, dict[str, list[str]]] = material["copies"]
    return styles.get(lang) or styles["en"]


def make_copy(base: Item, n: int, tier: str, rng: random.Random, material: dict[str, Any]) -> Item:
    """One syndicated copy of ``base`` (tier "easy" or "hard")."""
    from warta.dedupe.normalize import strip_dateline

    style = _style(material, base.lang)
    vocab = _WORD.findall(base.text) or ["kata"]
    paras = [p for p in base.text.split("\n\n") if p.strip()]
    drop = rng.randint(0, int(len(paras) * 0.2))
    paras = paras[: len(paras) - drop] if drop else paras
    sents_per_para = [_SENT.split(p) for p in paras]
    flat = [s for ss in sents_per_para for s in ss]
    _replace_words(flat, rng, vocab, rng.uniform(0.0, 0.1))
    if tier == "hard":
        for i in rng.sample(range(len(flat)), k=round(len(flat) * 0.2)):
            flat[i] = _rewrite(flat[i], rng, vocab)
    it = iter(flat)
    paras = [" ".join(next(it) for _ in ss) for ss in sents_per_para]
    paras[0] = rng.choice(style["datelines"]) + strip_dateline(paras[0])
    for kind in ("captions", "read_also"):
        for _ in range(rng.randint(1, 2)):
            paras.insert(rng.randint(1, len(paras)), _fill(rng.choice(style[kind]), rng, vocab))
    if rng.random() < 0.5:
        paras.insert(0, _fill(rng.choice(style["headlines"]), rng, vocab))
    return Item(f"{base.id}#{tier}{n}", "\n\n".join(paras), base.story, "copy", base.site, base.lang)


def _slot(name: str, rng: random.Random) -> str:
    if name == "date":
        return f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{rng.randint(2019, 2025)}"
    if name[0] in "py":
        return f"{rng.randint(0, 4)},{rng.randint(10, 99)}"
    if name[0] == "h" and len(name) == 2:
        return f"{rng.randint(4, 19):02d}.{rng.randint(0, 59):02d}"
    if name[0] in "tw":
        return str(rng.randint(10, 40))
    return f"{rng.randint(10, 9999):,}".replace(",", ".")


def make_templates(rng: random.Random, material: dict[str, Any]) -> list[Item]:
    """Templated families: each member is a distinct story sharing most words with its family."""
    out: list[Item] = []
    for fam in material["templates"]:
        slots: dict[str, list[str]] = fam["slots"]
        names = sorted(set(re.findall(r"{(\w+)}", " ".join(fam["paragraphs"]))))
        for k in range(fam["count"]):
            values = {n: rng.choice(slots[n]) if n in slots else _slot(n, rng) for n in names}
            text = "\n\n".join(p.format(**values) for p in fam["paragraphs"])
            sid = f"template/{fam['kind']}-{fam['lang']}/{k}"
            out.append(Item(sid, text, sid, "template", fam["kind"], fam["lang"]))
    return out


def generate(bench: Path, tier: str, seed: int = 6, copies: int = 2) -> list[Item]:
    """The labelled items of one tier: bases, their copies and the templated negatives."""
    rng = random.Random(f"{seed}/{tier}")
    material = load_material()
    bases = load_bases(bench)
    items = list(bases)
    for base in bases:
        items.extend(make_copy(base, n, tier, rng, material) for n in range(copies))
    items.extend(make_templates(rng, material))
    return items
