"""Score warta.clean on the text-mode benchmark set, overall, per source set and per kind.

Usage: python benchmarks/clean_textmode.py [SET_DIR] [--worst N] [--naive] [--repeat R] [--baseline SRC] [--peer]
       [--workers N]
SET_DIR defaults to ../shared/bench/textmode (relative to the repository root). The metric is the
reference ``tools/score.py`` (imported from SET_DIR/../tools). ``--naive`` also scores the peers: the
uncleaned dump and the keep-lines-of-more-than-12-words filter the issue names, and jusText (its
paragraph classifier over the dump's lines). ``--baseline SRC`` times this tree against another tree's
``src`` (e.g. ``git archive main src | tar -x -C /tmp/base``) and ``--peer`` times warta.clean against
jusText, in one process, alternating per document: the ratio is robust to load on a shared machine.
``--workers N`` times ``clean_documents`` in N worker processes against one process (wall clock).
"""

from __future__ import annotations

import argparse
import gzip
import html
import importlib.util
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from warta.clean import Cleaner  # noqa: E402


def _scorer(set_dir: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", set_dir.parent / "tools" / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _load(set_dir: Path) -> list[tuple[dict[str, Any], str]]:
    rows = [json.loads(x) for x in (set_dir / "truth.jsonl").read_text("utf8").splitlines()]
    out = []
    for row in rows:
        raw = (set_dir / row["page"]).read_bytes()
        out.append((row, (gzip.decompress(raw) if row["page"].endswith(".gz") else raw).decode("utf8", "replace")))
    return out


def _predict(pages: list[tuple[dict[str, Any], str]], engine: str) -> tuple[list[dict[str, Any]], float, float]:
    cleaner = Cleaner()
    cleaner.clean(pages[0][1], pages[0][0]["url"])  # warm-up: vocabulary load
    preds, total, cpu = [], 0.0, 0.0
    for row, text in pages:
        start, cpu_start = time.perf_counter(), time.process_time()
        if engine == "raw":
            pred: dict[str, Any] = {"body": text}
        elif engine == "naive12":
            pred = {"body": "\n".join(x for x in text.splitlines() if len(x.split()) > 12)}
        elif engine == "justext":
            pred = {"body": justext_body(row, text)}
        else:
            art = cleaner.clean(text, row["url"])
            d = art.to_dict() if hasattr(art, "title") else {"text": ""}
            pred = {"title": d.get("title"), "authors": d.get("authors"), "published": d.get("published"),
                    "body": d.get("text") or "", "language": d.get("language")}
        elapsed = time.perf_counter() - start
        cpu += time.process_time() - cpu_start
        total += elapsed
        preds.append({"id": row["id"], **pred, "seconds": elapsed})
    return preds, total, cpu


def _language_accuracy(rows: list[dict[str, Any]], preds: list[dict[str, Any]]) -> str:
    """How often Article.language matches the truth's ``lang`` (region subtags dropped: zh-cn is zh)."""
    pairs = [((r.get("lang") or "").split("-")[0], p.get("language")) for r, p in zip(rows, preds, strict=True)]
    pairs = [(truth, got) for truth, got in pairs if truth]
    right = sum(truth == got for truth, got in pairs)
    wrong = Counter(f"{truth}->{got}" for truth, got in pairs if truth != got)
    return f"language: {right}/{len(pairs)} right; wrong: {dict(wrong.most_common(8))}"


def _score(scorer: ModuleType, set_dir: Path, rows: list[dict[str, Any]], preds: list[dict[str, Any]]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        sub = Path(tmp)
        (sub / "truth.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf8")
        ids = {r["id"] for r in rows}
        (sub / "pred.jsonl").write_text(
            "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in preds if p["id"] in ids), "utf8")
        result: dict[str, Any] = scorer.score(sub, sub / "pred.jsonl")
        return result


IDLE_CALIBRATION = 0.42  # CPU seconds of calibration() on this machine when idle (best seen)


def calibration() -> float:
    """CPU seconds of a fixed pure-Python loop (1e7 additions): how fast this machine is right now."""
    start, total = time.process_time(), 0
    for i in range(10_000_000):
        total += i
    return time.process_time() - start


def _cleaner_from(src: Path) -> Any:
    """A Cleaner imported from another source tree (``git archive REV src | tar -x -C DIR``): its
    functions keep their own module globals after the swap, so both versions run in one process."""
    saved = {k: v for k, v in sys.modules.items() if k == "warta" or k.startswith("warta.")}
    for name in saved:
        del sys.modules[name]
    sys.path.insert(0, str(src))
    try:
        module = importlib.import_module("warta.clean")
        return module.Cleaner()
    finally:
        sys.path.remove(str(src))
        for name in [k for k in sys.modules if k == "warta" or k.startswith("warta.")]:
            del sys.modules[name]
        sys.modules.update(saved)


Engine = Callable[[dict[str, Any], str], Any]


def interleave(pages: list[tuple[dict[str, Any], str]], make: Callable[[], dict[str, Engine]], repeat: int) -> None:
    """Time two engines per document, alternating which goes first, so that load on a shared machine
    hits both alike (``make`` gives fresh engines per run, as one pass of a corpus); print CPU docs/s
    of each and the ratio per run, their median, then the ratio of the per-document best times over
    all runs (the least load-sensitive figure: a burst of load rarely hits every run of one document)."""
    ratios: list[float] = []
    best: dict[str, list[float]] = {}
    names: list[str] = []
    for rep in range(repeat):
        engines = make()
        names = list(engines)
        for engine in engines.values():
            engine(*pages[0])  # warm-up: vocabulary load
        cpu = dict.fromkeys(names, 0.0)
        for i, page in enumerate(pages):
            for name in names[:: 1 if (i + rep) % 2 else -1]:
                start = time.process_time()
                engines[name](*page)
                spent = time.process_time() - start
                cpu[name] += spent
                times = best.setdefault(name, [float("inf")] * len(pages))
                times[i] = min(times[i], spent)
        ratios.append(cpu[names[1]] / cpu[names[0]])
        print(f"run {rep}: " + ", ".join(f"{n} {len(pages) / cpu[n]:.0f} docs/CPU-s" for n in names)
              + f", {names[0]} faster by {ratios[-1]:.2f}x")
    ours, theirs = sum(best[names[0]]), sum(best[names[1]])
    print(f"median over {repeat} runs: {names[0]} faster than {names[1]} by {statistics.median(ratios):.2f}x; "
          f"per-document best: {names[0]} {len(pages) / ours:.0f} docs/CPU-s, {names[1]} {len(pages) / theirs:.0f}, "
          f"ratio {theirs / ours:.2f}")


def compare(pages: list[tuple[dict[str, Any], str]], baseline_src: Path, repeat: int) -> None:
    """This tree's cleaner against another tree's (``--baseline``), interleaved per document."""
    ours_cls, theirs_cls = Cleaner, type(_cleaner_from(baseline_src))

    def make() -> dict[str, Engine]:
        ours, theirs = ours_cls(), theirs_cls()
        return {"this tree": lambda row, text: ours.clean(text, row["url"]),
                "baseline": lambda row, text: theirs.clean(text, row["url"])}

    interleave(pages, make, repeat)


JUSTEXT_STOPLISTS = {  # truth language code -> jusText stoplist name (the peer needs the page's language)
    "en": "English", "de": "German", "id": "Indonesian", "sw": "Swahili", "es": "Spanish", "no": "Norwegian_Bokmal",
    "ko": "Korean", "cs": "Czech", "fr": "French", "sv": "Swedish", "da": "Danish", "it": "Italian", "pl": "Polish",
    "nl": "Dutch", "hi": "Hindi", "ru": "Russian", "tr": "Turkish",
}


def justext_body(row: dict[str, Any], text: str) -> str:
    """The peer: jusText's paragraph classifier over the dump's lines, each line one paragraph, with the
    stoplist of the page's true language (given to it: it cannot tell the language itself)."""
    import justext  # noqa: PLC0415  (only this peer needs it)

    lines = (html.escape(x.strip()) for x in text.splitlines() if x.strip())
    page = "<html><body>" + "".join(f"<p>{x}</p>" for x in lines) + "</body></html>"
    stoplist = justext.get_stoplist(JUSTEXT_STOPLISTS.get(row.get("lang") or "", "English"))
    return "\n".join(p.text for p in justext.justext(page, stoplist) if not p.is_boilerplate)


def peer(pages: list[tuple[dict[str, Any], str]], repeat: int) -> None:
    """warta.clean (with Article.to_dict) against jusText, interleaved per document."""

    def make() -> dict[str, Engine]:
        cleaner = Cleaner()

        def warta(row: dict[str, Any], text: str) -> Any:
            art = cleaner.clean(text, row["url"])
            return art.to_dict() if hasattr(art, "to_dict") else None

        return {"warta-clean": warta, "justext": justext_body}

    interleave(pages, make, repeat)


def workers(pages: list[tuple[dict[str, Any], str]], n: int, repeat: int, copies: int = 4) -> None:
    """Wall docs/s of ``clean_documents`` in one process and in ``n`` worker processes (start-up
    included), over the set repeated ``copies`` times, alternating which goes first."""
    from warta.clean.io import Document  # noqa: PLC0415
    from warta.clean.run import clean_documents  # noqa: PLC0415

    docs = [Document(f"{k}-{row['id']}", text, row["url"]) for k in range(copies) for row, text in pages]
    rates: dict[int, list[float]] = {1: [], n: []}
    for rep in range(repeat):
        for count in (1, n)[:: 1 if rep % 2 else -1]:
            start = time.perf_counter()
            done = sum(1 for _ in clean_documents(docs, None, count))
            rates[count].append(done / (time.perf_counter() - start))
        print(f"run {rep}: 1 process {rates[1][-1]:.0f} docs/s, {n} workers {rates[n][-1]:.0f} docs/s")
    one, many = statistics.median(rates[1]), statistics.median(rates[n])
    print(f"median of {repeat}: 1 process {one:.0f} docs/s, {n} workers {many:.0f} docs/s, speed-up {many / one:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("set_dir", nargs="?", default=str(ROOT.parent / "shared" / "bench" / "textmode"))
    ap.add_argument("--worst", type=int, default=0)
    ap.add_argument("--naive", action="store_true")
    ap.add_argument("--repeat", type=int, default=1, help="timing runs (median docs/s is reported)")
    ap.add_argument("--baseline", type=Path, help="another tree's src/ to time against, interleaved")
    ap.add_argument("--peer", action="store_true", help="time warta.clean against jusText, interleaved")
    ap.add_argument("--workers", type=int, help="wall docs/s of clean_documents in N worker processes vs one")
    args = ap.parse_args()
    set_dir = Path(args.set_dir)
    if args.baseline:
        compare(_load(set_dir), args.baseline, args.repeat)
        return
    if args.peer:
        peer(_load(set_dir), args.repeat)
        return
    if args.workers:
        workers(_load(set_dir), args.workers, args.repeat)
        return
    print(f"calibration: 1e7-iteration Python loop = {calibration():.2f} CPU s (about 0.4-0.5 s on an idle desktop)")
    scorer, pages = _scorer(set_dir), _load(set_dir)
    rows = [r for r, _ in pages]
    engines = ["raw", "naive12", "justext", "warta-clean"] if args.naive else ["warta-clean"]
    for engine in engines:
        rates, cpu_rates, normalised = [], [], []
        for _ in range(args.repeat):
            calib = calibration()
            preds, total, cpu = _predict(pages, engine)
            calib = (calib + calibration()) / 2
            rates.append(len(pages) / total)
            cpu_rates.append(len(pages) / cpu if cpu else 0.0)
            normalised.append(cpu_rates[-1] * calib / IDLE_CALIBRATION)
        groups: dict[str, list[dict[str, Any]]] = {"all": rows}
        for r in rows:
            groups.setdefault("set=" + r["id"].split("__")[0], []).append(r)
            groups.setdefault("kind=" + r["kind"], []).append(r)
        for name, group in groups.items():
            s = _score(scorer, set_dir, group, preds)
            print(f"{engine:12} {name:18} pages={s['pages']:3} P={s['precision']:.3f} R={s['recall']:.3f} "
                  f"F1={s['f1']:.3f} pageF1={s['page_f1']:.3f} title={s['title_exact']} date={s['date_day']} "
                  f"author={s['author_f1']}")
        if engine == "warta-clean":
            print(f"docs/s median of {args.repeat}: wall {statistics.median(rates):.0f} (runs: {[round(x) for x in rates]}), "
                  f"CPU time {statistics.median(cpu_rates):.0f} (runs: {[round(x) for x in cpu_rates]}), "
                  f"CPU time scaled to an idle machine {statistics.median(normalised):.0f} "
                  f"(runs: {[round(x) for x in normalised]})")
            print(_language_accuracy(rows, preds))
            if args.worst:
                per = []
                for r, p in zip(rows, preds, strict=True):
                    pr, rc, f = scorer.prf(r["body"], p["body"])
                    per.append((f, pr, rc, r["id"]))
                for f, pr, rc, pid in sorted(per)[: args.worst]:
                    print(f"  worst F1={f:.3f} P={pr:.3f} R={rc:.3f} {pid}")


if __name__ == "__main__":
    main()
