"""The stages of ``src/warta`` import each other without cycles, and only downwards through layers.

A *stage* is a top-level subpackage of ``warta`` (``store``, ``extract``, ``pipeline``, ...) or a module
directly under it (``model.py``, ``urls.py``, ...). The graph is read from the source with :mod:`ast`:
every ``import`` and ``from ... import`` anywhere in a file (at module level, inside a function, under
``if TYPE_CHECKING:``), absolute or relative, counts. ``warta/__init__.py`` (the public API, which
re-exports from several stages) is not a stage and is left out.

The source scanned is the ``warta`` package that is imported, so ``PYTHONPATH=other/src pytest
tests/unit/test_architecture.py`` checks another tree.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator, Mapping
from itertools import pairwise
from pathlib import Path

import pytest

import warta

SRC = Path(warta.__file__).parent
Graph = dict[str, dict[str, list[str]]]  # stage -> imported stage -> ["file:line", ...]

# Each stage imports only stages of a lower layer; stages of one layer never import each other
# (docs/design.md, "Layout"). A new stage must be placed here.
LAYERS: dict[str, int] = {
    # 0. records, the error tree, shared text normalisation, URL keys: import no other stage
    "errors": 0, "model": 0, "signatures": 0, "textnorm": 0, "urls": 0, "lifeline": 0,
    # 1-2. settings and language data, dates in many languages
    "config": 1, "lang": 1,
    "dates": 2,
    # 3. site knowledge as data; the two seams that do I/O or run work (fetch, execute)
    "sites": 3, "fetch": 3, "execute": 3,
    # 4. the pure stages that read documents, and the store (sibling stages never import each other)
    "extract": 4, "clean": 4, "store": 4,
    # 5. stages built on those: discover reuses extract's HTML decoding; dedupe decides, the store keeps
    "discover": 5, "dedupe": 5,
    # 6. source health and recipe checks, batch jobs over WARCs, corpora and stored captures
    "health": 6, "batch": 6,
    # 7. the crawl runner wiring the stages
    "pipeline": 7,
    # 8-9. thin layers on top
    "web": 8, "demo": 8,
    "cli": 9,
}


def stages(src: Path) -> set[str]:
    """The top-level subpackages and modules of the package at ``src``."""
    found = {p.name for p in src.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    found |= {p.stem for p in src.glob("*.py") if p.name != "__init__.py"}
    return found


def _imported(node: ast.Import | ast.ImportFrom, module: tuple[str, ...], is_package: bool) -> Iterator[str]:
    """The dotted names ``node`` imports (relative imports resolved against ``module``)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    if node.level:
        base = module if is_package else module[:-1]
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join((*base, node.module)) if node.module else ".".join(base)
    else:
        prefix = node.module or ""
    for alias in node.names:  # ``from warta import store`` imports the stage ``store``
        yield f"{prefix}.{alias.name}"
    yield prefix


def import_graph(src: Path) -> Graph:
    """Stage -> imported stage -> where (``file:line``), for every Python file under ``src``."""
    known = stages(src)
    graph: Graph = defaultdict(lambda: defaultdict(list))
    for path in sorted(src.rglob("*.py")):
        rel = path.relative_to(src)
        if rel == Path("__init__.py"):
            continue
        stage = rel.parts[0].removesuffix(".py")
        module = ("warta", *rel.with_suffix("").parts)
        is_package = rel.name == "__init__.py"
        if is_package:
            module = module[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            targets = set()
            for name in _imported(node, module, is_package):
                parts = name.split(".")
                if len(parts) > 1 and parts[0] == "warta" and parts[1] in known:
                    targets.add(parts[1])
            for target in targets - {stage}:
                graph[stage][target].append(f"{rel}:{node.lineno}")
    return {s: dict(t) for s, t in graph.items()}


def find_cycle(graph: Mapping[str, Mapping[str, list[str]]]) -> list[str] | None:
    """One cycle ``[a, b, ..., a]`` of the graph, or None (depth-first search, colouring nodes)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, {})):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)) is not None:
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)) is not None:
            return found
    return None


def describe(cycle: list[str], graph: Mapping[str, Mapping[str, list[str]]]) -> str:
    lines = [" -> ".join(cycle)]
    for a, b in pairwise(cycle):
        lines.append(f"  {a} -> {b}: {', '.join(graph[a][b])}")
    return "\n".join(lines)


# -- the scanner itself, on a package written for the test ---------------------------------------


def _package(root: Path, files: dict[str, str]) -> Path:
    src = root / "warta"
    for name, text in {"__init__.py": "", **files}.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    return src


def test_every_kind_of_import_is_an_edge(tmp_path: Path) -> None:
    src = _package(tmp_path, {
        "model.py": "",
        "low/__init__.py": "",
        "low/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from warta.high.x import X\n",
        "high/__init__.py": "from . import x\n",
        "high/x.py": "def f():\n    import warta.low.a\n",
        "high/y.py": "from ..model import Record\nfrom warta import low\n",
        "mid.py": "from warta import __version__\nimport warta\n",
    })
    graph = import_graph(src)
    assert graph == {
        "low": {"high": ["low/a.py:3"]},
        "high": {"low": ["high/x.py:2", "high/y.py:2"], "model": ["high/y.py:1"]},
    }
    cycle = find_cycle(graph)
    assert cycle in (["high", "low", "high"], ["low", "high", "low"])
    assert "low -> high: low/a.py:3" in describe(cycle, graph)
    del graph["low"]
    assert find_cycle(graph) is None


# -- the rules, on the real source -----------------------------------------------------------------


def test_stages_import_each_other_without_cycles() -> None:
    graph = import_graph(SRC)
    assert {"pipeline", "store", "extract"} <= set(graph), "the scanner found no imports: wrong source?"
    cycle = find_cycle(graph)
    assert cycle is None, "stages import each other in a cycle:\n" + describe(cycle or [], graph)


def test_every_stage_has_a_layer() -> None:
    missing = sorted(stages(SRC) - set(LAYERS))
    assert not missing, f"place each new stage in LAYERS (tests/unit/test_architecture.py): {missing}"


def test_stages_import_only_lower_layers() -> None:
    graph = import_graph(SRC)
    wrong = [
        f"{a} (layer {LAYERS[a]}) imports {b} (layer {LAYERS[b]}): {', '.join(where)}"
        for a, targets in sorted(graph.items())
        for b, where in sorted(targets.items())
        if a in LAYERS and b in LAYERS and LAYERS[b] >= LAYERS[a]
    ]
    assert not wrong, "imports against the layering:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    ("stage", "never"),
    [
        ("errors", set(LAYERS) - {"errors"}),
        ("model", set(LAYERS) - {"model"}),
        ("store", {"dedupe", "extract", "discover", "clean", "sites", "pipeline", "batch", "web", "cli"}),
        ("sites", {"discover", "extract", "fetch", "store", "dedupe", "pipeline"}),  # recipes are data
        ("fetch", {"discover", "extract", "dedupe", "store", "sites", "pipeline"}),
        ("extract", {"fetch", "store", "dedupe", "discover", "pipeline", "batch"}),  # pure
        ("dedupe", {"fetch", "extract", "discover", "pipeline", "batch", "web", "cli"}),
        ("batch", {"pipeline", "web", "cli"}),
    ],
)
def test_named_rules(stage: str, never: set[str]) -> None:
    imported = import_graph(SRC).get(stage, {})
    bad = {b: where for b, where in imported.items() if b in never}
    assert not bad, f"{stage} imports {sorted(bad)}: {bad}"
