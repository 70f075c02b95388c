"""The evaluation harness: run warta and peer extractors over benchmark sets and score them.

Reads the benchmark format of ``bench/`` (``SET/truth.jsonl`` + ``SET/pages/*.html.gz``), calls the
peers exactly as ``bench/tools/predict.py`` calls them, and scores with the rules of
``bench/tools/score.py`` (bag-of-words body P/R/F1, title exact, date to the day, author F1).
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from warta.errors import ConfigError, InputError

TOKEN = re.compile(r"\w+", re.UNICODE)
Engine = Callable[[str, str | None], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    url: str | None
    html: str
    truth: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Prediction:
    id: str
    title: str | None
    authors: list[str] | None
    published: str | None
    body: str
    seconds: float
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Score:
    """One engine's figures on one set (the fields of ``score.py`` plus p99 and crashes)."""

    set: str
    engine: str
    pages: int
    precision: float
    recall: float
    f1: float
    page_f1: float | None
    title_exact: float | None
    date_day: float | None
    author_f1: float | None
    pages_per_s: float
    p99_s: float
    empty: int
    crashes: int
    failed: int = 0
    fail_rate: float | None = None
    byline: float | None = None  # authors found in a free-text gold byline (sets with ``byline``, no ``authors``)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_set(set_dir: str | Path) -> list[Page]:
    """Read one benchmark set; pages are decoded as ``predict.py`` decodes them (UTF-8, replace)."""
    root = Path(set_dir)
    truth_file = root / "truth.jsonl"
    try:
        rows = [json.loads(line) for line in truth_file.read_text("utf8").splitlines() if line.strip()]
        pages = []
        for row in rows:
            raw = (root / row["page"]).read_bytes()
            raw = gzip.decompress(raw) if row["page"].endswith(".gz") else raw
            pages.append(Page(row["id"], row.get("url"), raw.decode("utf8", "replace"), row))
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(f"cannot read benchmark set {root}: {exc}", path=str(root)) from exc
    return pages


def prf(truth: str, pred: str) -> tuple[float, float, float]:
    t, p = Counter(TOKEN.findall(truth)), Counter(TOKEN.findall(pred))
    tp = sum((t & p).values())
    precision = tp / sum(p.values()) if p else 0.0
    recall = tp / sum(t.values()) if t else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _fold(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def _day(value: object) -> str | None:
    m = re.match(r"\d{4}-\d{2}-\d{2}", str(value or ""))
    return m.group(0) if m else None


def author_f1(truth: Sequence[str], pred: Sequence[str] | None) -> float:
    t, p = {_fold(a) for a in truth}, {_fold(a) for a in (pred or [])}
    if not t and not p:
        return 1.0
    tp = len(t & p)
    return 2 * tp / (len(t) + len(p)) if tp else 0.0


def byline_match(byline: str, pred: Sequence[str] | None) -> float:
    """Share of predicted authors whose name the gold byline contains (``By Jane Doe, MA`` holds
    ``Jane Doe``); no prediction scores 0. For sets whose gold is a free-text byline, not a name list."""
    names = [_fold(a) for a in pred or [] if a.strip()]
    text = _fold(byline)
    return sum(1 for n in names if n in text) / len(names) if names else 0.0


def page_prf(truth: dict[str, Any], body: str) -> tuple[float, float, float]:
    """Per-page P/R/F1; where the truth has ``body_required`` the better reference counts."""
    refs = [truth["body"]] + ([truth["body_required"]] if truth.get("body_required") else [])
    return max((prf(ref, body) for ref in refs), key=lambda x: x[2])


def _mean(xs: Sequence[float]) -> float | None:
    return round(sum(xs) / len(xs), 4) if xs else None


FAIL_F1 = 0.5  # tools/failrate.py: a page under this body F1 is badly wrong


def page_f1s(pages: Sequence[Page], preds: Sequence[Prediction]) -> dict[str, float]:
    """Body F1 per page with a non-empty truth (an empty or missing prediction scores 0)."""
    by_id = {p.id: p for p in preds}
    out = {}
    for page in pages:
        if page.truth["body"].strip():
            pred = by_id.get(page.id)
            out[page.id] = page_prf(page.truth, pred.body if pred else "")[2]
    return out


def score(set_name: str, engine: str, pages: Sequence[Page], preds: Sequence[Prediction]) -> Score:
    """Score predictions exactly as ``bench/tools/score.py`` does; ``failed``/``fail_rate`` as
    ``bench/tools/failrate.py`` counts them (pages with a non-empty truth and body F1 under 0.5)."""
    by_id = {p.id: p for p in preds}
    ps: list[float] = []
    rs: list[float] = []
    fs: list[float] = []
    titles: list[float] = []
    dates: list[float] = []
    authors: list[float] = []
    bylines: list[float] = []
    for page in pages:
        t = page.truth
        pred = by_id.get(page.id)
        body = pred.body if pred else ""
        p, r, f = page_prf(t, body)
        if body.strip():
            ps.append(p)
        if t["body"].strip():
            rs.append(r)
            fs.append(f)
        if t.get("title"):
            titles.append(float(_fold(t["title"]) == _fold(pred.title if pred else None)))
        if t.get("published"):
            dates.append(float(_day(t["published"]) == _day(pred.published if pred else None)))
        if t.get("authors") is not None:
            authors.append(author_f1(t["authors"], pred.authors if pred else None))
        elif str(t.get("byline") or "").strip():
            bylines.append(byline_match(t["byline"], pred.authors if pred else None))
    mp, mr = sum(ps) / max(len(ps), 1), sum(rs) / max(len(rs), 1)
    seconds = sorted(p.seconds for p in preds) or [0.0]
    p99 = seconds[min(len(seconds) - 1, int(round(0.99 * (len(seconds) - 1))))]
    return Score(
        set=set_name, engine=engine, pages=len(pages),
        precision=round(mp, 4), recall=round(mr, 4),
        f1=round(2 * mp * mr / (mp + mr), 4) if mp + mr else 0.0,
        page_f1=_mean(fs), title_exact=_mean(titles), date_day=_mean(dates), author_f1=_mean(authors),
        pages_per_s=round(len(preds) / max(sum(seconds), 1e-9), 1), p99_s=round(p99, 4),
        empty=sum(1 for p in pages if not (by_id[p.id].body if p.id in by_id else "").strip()),
        crashes=sum(1 for p in preds if p.error),
        failed=sum(1 for f in fs if f < FAIL_F1),
        fail_rate=round(sum(1 for f in fs if f < FAIL_F1) / len(fs), 4) if fs else None,
        byline=_mean(bylines),
    )


def _warta_engine() -> Engine:
    from warta.extract.core import extract

    def run(html: str, url: str | None) -> dict[str, Any]:
        art = extract(html, url=url)
        if not hasattr(art, "title"):
            return {"body": "", "skip": str(art)}
        d = art.to_dict()
        return {"title": d["title"], "authors": d["authors"], "published": d["published"], "body": d["text"]}

    return run


def _trafilatura_engine() -> Engine:
    import trafilatura

    def run(html: str, url: str | None) -> dict[str, Any]:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
        if doc is None:
            return {"body": ""}
        d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
        authors = d.get("author")
        return {"title": d.get("title"), "authors": authors.split("; ") if authors else [],
                "published": d.get("date"), "body": d.get("text") or ""}

    return run


def _readability_engine() -> Engine:
    import logging

    import lxml.html
    from readability import Document

    # readability logs its own crashes with a traceback on stderr; they are counted in the table
    logging.getLogger("readability").addHandler(logging.NullHandler())

    def run(html: str, url: str | None) -> dict[str, Any]:
        doc = Document(html)
        text = str(lxml.html.fromstring(doc.summary()).text_content())
        return {"title": doc.short_title(), "body": text}

    return run


ENGINES: dict[str, Callable[[], Engine]] = {
    "warta": _warta_engine,
    "trafilatura": _trafilatura_engine,
    "readability": _readability_engine,
}


def make_engine(name: str) -> Engine:
    """Build an engine by name; a missing peer library is a clear ConfigError."""
    if name not in ENGINES:
        raise ConfigError(f"unknown engine {name!r}; known: {', '.join(ENGINES)}", field="compare")
    try:
        return ENGINES[name]()
    except ImportError as exc:
        raise ConfigError(f"engine {name!r} is not installed: pip install 'warta[eval]' ({exc})") from exc


def predict(engine: Engine, pages: Sequence[Page]) -> Iterator[Prediction]:
    """Run one engine over pages (after one warm-up call), timing only the extraction call."""
    if pages:
        try:
            engine(pages[0].html, pages[0].url)
        except Exception:  # noqa: BLE001 - the warm-up mirrors predict.py, crashes are counted below
            pass
    for page in pages:
        start = time.perf_counter()
        error = None
        try:
            out = engine(page.html, page.url)
        except Exception as exc:  # noqa: BLE001 - a crash counts as an empty prediction
            out, error = {"body": ""}, f"{type(exc).__name__}: {exc}"[:300]
        seconds = time.perf_counter() - start
        published = out.get("published")
        yield Prediction(
            id=page.id, title=out.get("title"), authors=out.get("authors"),
            published=None if published is None else str(published),
            body=str(out.get("body") or ""), seconds=seconds, error=error,
        )


def find_sets(paths: Sequence[str | Path]) -> list[Path]:
    """Benchmark set directories: each path is a set (it has ``truth.jsonl``) or a directory of sets,
    of which every subdirectory whose truth points at HTML pages is taken (text-dump sets are not)."""
    found: list[Path] = []
    for raw in paths:
        root = Path(raw)
        if (root / "truth.jsonl").is_file():
            found.append(root)
            continue
        subs = sorted(d for d in root.iterdir() if d.is_dir() and _is_html_set(d)) if root.is_dir() else []
        if not subs:
            raise InputError(f"{root} is neither a benchmark set nor a directory of sets", path=str(root))
        found.extend(subs)
    return found


def _is_html_set(root: Path) -> bool:
    truth = root / "truth.jsonl"
    if not truth.is_file():
        return False
    with truth.open(encoding="utf8") as fh:
        first = fh.readline()
    try:
        page = str(json.loads(first).get("page", ""))
    except ValueError:
        return False
    return page.endswith((".html", ".htm", ".html.gz", ".htm.gz", ".xhtml"))


@dataclass(frozen=True, slots=True)
class _Run:
    pages: list[Page]
    preds: list[Prediction]


def _median_speed(first: Score, trials: Sequence[Score]) -> Score:
    speed = statistics.median(t.pages_per_s for t in trials)
    p99 = statistics.median(t.p99_s for t in trials)
    return Score(**{**first.to_dict(), "pages_per_s": speed, "p99_s": p99})


def _pooled(engine: str, runs: Sequence[tuple[str, list[_Run]]]) -> Score:
    """One engine over the union of all sets (page ids prefixed by set), speed median over trials."""
    n_trials = min(len(trials) for _, trials in runs)
    scores = []
    for k in range(n_trials):
        pages: list[Page] = []
        preds: list[Prediction] = []
        for name, trials in runs:
            pages += [Page(f"{name}/{p.id}", p.url, "", p.truth) for p in trials[k].pages]
            preds += [Prediction(**{**asdict(p), "id": f"{name}/{p.id}"}) for p in trials[k].preds]
        scores.append(score("overall", engine, pages, preds))
    return _median_speed(scores[0], scores)


def evaluate_sets(
    set_dirs: Sequence[str | Path], engines: Sequence[str], runs: int = 1
) -> tuple[list[list[Score]], list[Score]]:
    """Score every engine on every set in one process: per-set tables and one overall row per engine.
    Engines take turns set by set, so that a change in machine load hits them alike."""
    dirs = find_sets(set_dirs)
    built = {name: make_engine(name) for name in engines}
    tables: list[list[Score]] = []
    per_engine: dict[str, list[tuple[str, list[_Run]]]] = {name: [] for name in engines}
    for set_dir in dirs:
        name, pages = set_dir.name, load_set(set_dir)
        row = []
        for engine_name in engines:
            trials = [_Run(pages, list(predict(built[engine_name], pages))) for _ in range(max(runs, 1))]
            scores = [score(name, engine_name, t.pages, t.preds) for t in trials]
            row.append(_median_speed(scores[0], scores))
            per_engine[engine_name].append((name, trials))
        tables.append(row)
    overall = [_pooled(name, per_engine[name]) for name in engines]
    return tables, overall


def evaluate(set_dir: str | Path, engines: Sequence[str], runs: int = 1) -> list[Score]:
    """Score every engine on one set; with ``runs`` > 1 speed figures are medians over the runs."""
    tables, _ = evaluate_sets([set_dir], engines, runs)
    return tables[0]
