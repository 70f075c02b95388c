"""``warta extract`` (pages to articles) and ``warta eval`` (benchmark sets to score tables)."""

from __future__ import annotations

import asyncio
import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click
from tqdm import tqdm

from warta.cli.common import examples, fail
from warta.config import Settings, load_settings
from warta.errors import FetchError, InputError, WartaError
from warta.extract.batch import BatchExtractor
from warta.extract.core import extract
from warta.extract.eval import Score, evaluate_sets
from warta.fetch import FetchPolicy, fetch_one
from warta.model import Article, Skip
from warta.pipeline.pages import complete_article

PAGE_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz", ".xhtml")
Doc = tuple[str, bytes, str | None]


def _read_file(path: Path) -> bytes:
    try:
        data = path.read_bytes()
        return gzip.decompress(data) if path.name.endswith(".gz") else data
    except OSError as exc:
        reason = "it is a directory" if path.is_dir() else (exc.strerror or str(exc)).lower()
        raise InputError(f"cannot read {path}: {reason}", path=str(path)) from exc
    except (EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"cannot read {path}: not valid gzip data ({exc})", path=str(path)) from exc


def _fetch(url: str, settings: Settings) -> bytes:
    """The crawler's fetch: robots.txt, size caps, deadline, no private addresses unless allowed."""
    try:
        capture = asyncio.run(fetch_one(url, FetchPolicy.from_settings(settings.replace(delay=0.0))))
    except FetchError as exc:
        raise FetchError(f"cannot fetch {url}: {exc.args[0] if exc.args else exc}", url=url) from exc
    return capture.body


def iter_inputs(inputs: tuple[str, ...], settings: Settings) -> Iterator[Doc]:
    """(source, bytes, url) for every file, file under a directory, URL, or ``-`` (stdin)."""
    for item in inputs:
        if item == "-":
            yield "-", sys.stdin.buffer.read(), None
        elif item.startswith(("http://", "https://")):
            yield item, _fetch(item, settings), item
        elif Path(item).is_dir():
            for path in sorted(Path(item).rglob("*")):
                if path.is_file() and path.name.lower().endswith(PAGE_SUFFIXES):
                    yield str(path), _read_file(path), None
        else:
            yield item, _read_file(Path(item)), None


def _with_url(docs: list[Doc], url: str | None) -> list[Doc]:
    """Give the one saved page its address (``--url``)."""
    if url is None:
        return docs
    if not url.startswith(("http://", "https://")):
        raise click.BadParameter(f"{url!r} is not an http(s) URL", param_hint="'--url'")
    if len(docs) != 1:
        raise click.BadParameter(f"gives the address of one page, but {len(docs)} were given", param_hint="'--url'")
    source, data, _ = docs[0]
    return [(source, data, url)]


def render(source: str, result: Article | Skip, fmt: str, explain: bool) -> str:
    """One result in the chosen format (json/jsonl print ``Article.to_dict()`` exactly)."""
    if isinstance(result, Skip):
        data = {"source": source, **result.to_dict()}
        return json.dumps(data, ensure_ascii=False) if fmt in ("json", "jsonl") else f"{source}: {result}"
    if fmt == "jsonl":
        return json.dumps(result.to_dict(), ensure_ascii=False)
    if fmt == "json":
        return json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
    lines = [f"# {result.title}" if fmt == "markdown" else (result.title or "")]
    byline = ", ".join(result.authors)
    meta = " | ".join(x for x in (byline, result.published or "", result.url or "") if x)
    if meta:
        lines.append(f"*{meta}*" if fmt == "markdown" else meta)
    for block in result.body:
        text = block.text
        if fmt == "markdown":
            text = {"heading": f"## {text}", "list_item": f"- {text}", "quote": f"> {text}"}.get(block.type, text)
        lines.append(text)
    if explain:
        lines.append("provenance: " + ", ".join(f"{k}={v}" for k, v in sorted(result.provenance.items())))
    return "\n\n".join(lines)


def _whole(result: Article | Skip, doc: Doc, settings: Settings) -> Article | Skip:
    source, data, url = doc
    if isinstance(result, Skip) or url is None or source != url:
        return result
    return complete_article(result, data, url, FetchPolicy.from_settings(settings))


def _results(
    docs: list[Doc], workers: int, timeout: float, max_bytes: int, quiet: bool
) -> Iterator[tuple[str, Article | Skip]]:
    if len(docs) == 1:
        source, data, url = docs[0]
        yield source, extract(data, url, max_bytes=max_bytes)
        return
    show = not quiet and sys.stderr.isatty()
    with BatchExtractor(workers=workers, timeout=timeout, max_bytes=max_bytes) as batch:
        results = batch.extract_many(docs)
        for source, result in tqdm(results, total=len(docs), disable=not show, file=sys.stderr, unit="page"):
            yield source, result


@click.command("extract", epilog=examples(
    "warta extract page.html",
    "warta extract page.html --url https://www.antaranews.com/berita/527615/... --explain",
    "warta extract https://example.com/news/1 --format markdown",
    "warta extract pages/ --format jsonl --workers 4 > articles.jsonl",
    "curl -s https://example.com/a | warta extract - --url https://example.com/a --format text"))
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "markdown", "text"]), default="json",
              show_default=True, help="json: Article.to_dict() (a list for several pages); jsonl: one per line.")
@click.option("--url", default=None,
              help="The address a saved page (one file or -) was fetched from: fills url, domain and site.")
@click.option("--explain", is_flag=True, help="Show which strategy produced each field.")
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Worker processes for many documents (0 = one per CPU).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Seconds per document in batch mode (default 10).")
@click.option("--allow-private", is_flag=True, help="Also fetch loopback, private and link-local addresses (refused by default: SSRF).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def extract_command(
    inputs: tuple[str, ...], fmt: str, url: str | None, explain: bool, workers: int | None, timeout: float | None,
    allow_private: bool, quiet: bool,
) -> None:
    """Extract articles from HTML files, directories, URLs, or - (stdin)."""
    try:  # --allow-private unset: warta.toml / WARTA_ALLOW_PRIVATE decide
        settings = load_settings({"workers": workers, "doc_timeout": timeout, "allow_private": allow_private or None})
        docs = list(iter_inputs(inputs, settings))
        docs = _with_url(docs, url)
        results = list(_results(docs, settings.workers, settings.doc_timeout, settings.max_bytes, quiet))
    except WartaError as exc:
        raise fail(exc) from exc
    if not docs:
        click.echo(f"no pages found in {', '.join(inputs)} (looked for {', '.join(PAGE_SUFFIXES)})", err=True)
        if fmt == "json":
            click.echo("[]")
        return
    order = {source: i for i, (source, _, _) in enumerate(docs)}
    results.sort(key=lambda r: order[r[0]])
    try:  # an article fetched by URL gets its other pages (multi-page articles), fetched politely
        results = [(s, _whole(r, docs[order[s]], settings)) for s, r in results]
    except WartaError as exc:
        raise fail(exc) from exc
    if fmt == "json" and len(results) > 1:
        items = [r.to_dict() if isinstance(r, Article) else {"source": s, **r.to_dict()} for s, r in results]
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    for source, result in results:
        if isinstance(result, Skip) and fmt in ("markdown", "text"):
            click.echo(render(source, result, fmt, explain), err=True)
        else:
            click.echo(render(source, result, fmt, explain))
        if fmt in ("markdown", "text") and len(results) > 1:
            click.echo("\n" + "-" * 72 + "\n")


COLUMNS = (
    ("engine", "engine", "{}"), ("P", "precision", "{:.3f}"), ("R", "recall", "{:.3f}"), ("F1", "f1", "{:.3f}"),
    ("page F1", "page_f1", "{:.3f}"), ("title", "title_exact", "{:.2f}"), ("date", "date_day", "{:.2f}"),
    ("author F1", "author_f1", "{:.2f}"), ("byline", "byline", "{:.2f}"),
    ("pages/s", "pages_per_s", "{:.1f}"), ("p99 s", "p99_s", "{:.3f}"),
    ("fail", "fail_rate", "{:.1%}"), ("empty", "empty", "{}"), ("crashes", "crashes", "{}"),
)


def score_table(scores: list[Score], heading: str | None = None) -> str:
    """A markdown table of one set's scores (fail = share of pages with body F1 under 0.5)."""
    head = "| " + " | ".join(c[0] for c in COLUMNS) + " |"
    rule = "|" + "|".join("---" for _ in COLUMNS) + "|"
    rows = []
    for s in scores:
        d = s.to_dict()
        rows.append("| " + " | ".join("-" if d[k] is None else f.format(d[k]) for _, k, f in COLUMNS) + " |")
    title = heading or f"{scores[0].set} ({scores[0].pages} pages)"
    return "\n".join([f"### {title}", "", head, rule, *rows])


def summary_table(tables: list[list[Score]], overall: list[Score]) -> str:
    """Body F1 / failure rate of every engine on every set, one row per set, then the overall row."""
    engines = [s.engine for s in overall]
    head = "| set | pages | " + " | ".join(f"{e} F1 / fail" for e in engines) + " |"
    rule = "|---|---|" + "|".join("---" for _ in engines) + "|"
    rows = [
        f"| {t[0].set} | {t[0].pages} | "
        + " | ".join(f"{s.f1:.3f} / {s.fail_rate or 0:.1%}" for s in t) + " |"
        for t in [*tables, overall]
    ]
    return "\n".join(["### summary", "", head, rule, *rows])


DEFAULT_BENCH = "../shared/bench"


@click.command("eval", epilog=examples(
    "warta eval ../shared/bench",
    "warta eval ../shared/bench/indonesian --compare none",
    "warta eval ../shared/bench/scrapinghub --compare trafilatura,readability --runs 3"))
@click.argument("set_dirs", nargs=-1, type=click.Path(exists=True, file_okay=False))
@click.option(
    "--compare", default="trafilatura,readability", show_default=True,
    help="Peers to run in the same process (comma-separated; 'none' for warta alone).",
)
@click.option("--runs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Runs per engine; speed figures are the median.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def eval_command(set_dirs: tuple[str, ...], compare: str, runs: int, as_json: bool) -> None:
    """Score warta and peers on benchmark sets with the rules of bench/tools/score.py.

    SET_DIRS are set directories (with truth.jsonl) or directories of sets; default ../shared/bench
    (every HTML set under it). Prints a table per set, an overall table and a summary.
    """
    peers = [e.strip() for e in compare.split(",") if e.strip() and e.strip() != "none"]
    engines = ["warta", *peers]
    try:
        tables, overall = evaluate_sets(set_dirs or (DEFAULT_BENCH,), engines, runs=runs)
    except WartaError as exc:
        raise fail(exc) from exc
    if as_json:
        data = {"sets": {t[0].set: [s.to_dict() for s in t] for t in tables},
                "overall": [s.to_dict() for s in overall]}
        click.echo(json.dumps(data, indent=2))
        return
    pages = sum(t[0].pages for t in tables)
    parts = [score_table(t) for t in tables]
    parts.append(score_table(overall, f"overall ({len(tables)} sets, {pages} pages)"))
    parts.append(summary_table(tables, overall))
    click.echo("\n\n".join(parts))


def register(group: click.Group) -> None:
    """Add ``extract`` and ``eval`` to ``group``."""
    group.add_command(extract_command)
    group.add_command(eval_command)
