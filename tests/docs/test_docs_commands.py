"""Every command and example shown in README.md, CONTRIBUTING.md and docs/ works (see CONTRIBUTING.md).

- ```console blocks: each ``$ ...`` line runs (bash, in a scratch directory with offline inputs and a
  store); exit 0, and each output line shown under it (unless it holds ``...``) is in the output.
- ```python blocks run as scripts there; ```pycon blocks run as doctests.
- A block whose first line is ``# file: PATH`` is written to PATH before the page's commands run.
- ```text blocks hold commands that need the internet or run until stopped: each ``warta`` one is
  listed in NOT_RUN and must parse (command and options exist); make targets, benchmark scripts and
  their options must exist; any other program is listed in OTHER_PROGRAMS.
- docs/cli.md names every command and every option.
"""

from __future__ import annotations

import csv
import dataclasses
import doctest
import gzip
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import warta
from warta.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
DOCS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
ANTARA_URL = "http://www.antaranews.com/berita/527615/29-penerbangan-bandara-internasional-lombok-dibatalkan"

# `warta` commands shown but not run, and why (each must still parse).
NOT_RUN = {
    "warta batch crawl-data/CC-NEWS/2024/01/warc.paths.gz --prefix /data/commoncrawl --engine ray --workers 16 --db news.db --out shards": "needs CC-NEWS WARC files",
    "warta batch dumps.paths --engine ray --address auto --corpus --out shards": "needs a Ray cluster",
    "warta crawl https://www.antaranews.com/ --since 2016-10-01 --until 2016-10-07": "internet",
    "warta crawl https://www.tempo.co/ https://www.detik.com/ --since 2016-10-01 --until 2016-10-07 --db news.db --delay 2 --json": "internet",
    "warta watch https://www.antaranews.com/ https://www.tempo.co/ --every 10m": "internet, runs until stopped",
    "warta watch https://www.antaranews.com/ --once": "internet",
    "warta watch https://www.antaranews.com/ --every 10m --revisit 1h,1d,7d": "internet, runs until stopped",
    f"warta extract {ANTARA_URL} --format markdown": "internet",
    "warta serve": "runs until stopped",
    "warta serve --db news.db --host 0.0.0.0 --port 8080": "runs until stopped",
    "WARTA_API_TOKEN=change-me warta serve": "runs until stopped",
    "warta sites check --live --recipes my-recipes example": "internet",
    "warta sites check --live --delay 1.0 detik kompas": "internet",
    "warta crawl http://127.0.0.1:8000/ --allow-private": "needs a site of your own on port 8000",
    "warta db copy news.db postgresql://warta@127.0.0.1/news": "needs a PostgreSQL server",
    "warta search --db postgresql://warta@127.0.0.1/news banjir": "needs a PostgreSQL server",
    "WARTA_DB=postgresql://warta@127.0.0.1/news warta stats": "needs a PostgreSQL server",
    "warta db copy postgresql://warta@127.0.0.1/news back.db": "needs a PostgreSQL server",
    "warta extract http://127.0.0.1:8000/page.html --allow-private": "needs a site of your own on port 8000",
    "warta eval ../shared/bench": "needs ../shared and minutes",
    "warta crawl https://www.antaranews.com/ --since 2016-10-01 --db postgresql://warta@db/news --engine ray --workers 16": "internet, PostgreSQL, Ray",
    "warta batch crawl-data/CC-NEWS/2024/01/warc.paths.gz --prefix /data/cc --db postgresql://warta@db/news --engine ray --part 1/4": "needs CC-NEWS WARC files and PostgreSQL",
    "warta batch --captures --db postgresql://warta@db/news --engine ray": "needs a PostgreSQL server",
    "warta crawl https://www.antaranews.com/ https://www.tempo.co/ --since 2016-02-01 --until 2016-02-29 --db postgresql://warta@db-host/news --engine ray --workers 16 --address auto": "internet, PostgreSQL, a Ray cluster",
    "warta batch --captures --db postgresql://warta@db-host/news --engine ray --address auto --part 1/4": "needs a PostgreSQL server and a Ray cluster",
    "warta batch --captures --db postgresql://warta@db-host/news --engine ray --address auto --part 2/4": "needs a PostgreSQL server and a Ray cluster",
    "warta crawl https://www.antaranews.com/ --since 2016-02-14 --until 2016-02-23 --db postgresql://warta@127.0.0.1/news": "internet, PostgreSQL",
    "warta serve --db postgresql://warta@127.0.0.1/news": "runs until stopped, PostgreSQL",
    "warta export --db postgresql://warta@127.0.0.1/news --format csv --out articles.csv --since 2016-02-14": "needs a PostgreSQL server",
    "warta sites health --db postgresql://warta@127.0.0.1/news": "needs a PostgreSQL server",
    "warta clusters --db postgresql://warta@127.0.0.1/news --json": "needs a PostgreSQL server",
    "warta batch --captures --db postgresql://warta@127.0.0.1/news --engine ray": "needs a PostgreSQL server",
}
# Other programs allowed in ```text blocks (shown, not run).
OTHER_PROGRAMS = {"pip", "curl"}
SHARED_TOOLS = ("../shared/bench/tools/",)


@dataclass(frozen=True)
class Block:
    path: Path
    line: int
    lang: str
    text: str

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def blocks(path: Path) -> list[Block]:
    found: list[Block] = []
    lang: str | None = None
    start, body, indent = 0, [], ""
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        stripped = line.strip()
        if lang is None:
            if stripped.startswith("```"):
                lang, start, body = stripped[3:].strip(), number, []
                indent = line[: len(line) - len(line.lstrip())]
        elif stripped == "```":
            found.append(Block(path, start, lang, "\n".join(body)))
            lang = None
        else:
            body.append(line[len(indent) :] if line.startswith(indent) else line)
    assert lang is None, f"{path}: unclosed code block at line {start}"
    return found


@dataclass(frozen=True)
class Command:
    line: str
    expected: tuple[str, ...]


def commands(block: Block) -> list[Command]:
    """The ``$ `` lines of a block (``\\`` continues a line), each with the output lines shown under it."""
    found: list[Command] = []
    current: list[str] | None = None
    expected: list[str] = []
    continued = False
    for raw in block.text.splitlines():
        if continued and current is not None:
            current.append(raw.strip())
        elif raw.startswith("$ "):
            if current is not None:
                found.append(Command(" ".join(current), tuple(expected)))
            current, expected = [raw[2:]], []
        elif raw.strip() and current is not None:
            expected.append(raw.strip())
        continued = raw.endswith("\\")
        if continued and current is not None:
            current[-1] = current[-1][:-1].rstrip()
    if current is not None:
        found.append(Command(" ".join(current), tuple(expected)))
    return found


def all_blocks(lang: str) -> list[Block]:
    return [b for path in DOCS for b in blocks(path) if b.lang == lang]


def docs_with(lang: str) -> list[Path]:
    return [path for path in DOCS if any(b.lang == lang for b in blocks(path))]


def doc_id(path: Path) -> str:
    return str(path.relative_to(ROOT))


# ---------------------------------------------------------------- the scratch directory


def _store_fixture_articles(db: Path) -> None:
    """Recorded articles with known URLs: one copied under another site (a cluster), one revised."""
    from warta.pipeline.hooks import on_stored
    from warta.urls import url_key

    urls = json.loads((FIXTURES / "web" / "urls.json").read_text("utf-8"))
    with warta.Store(str(db)) as store:
        for name, url in sorted(urls.items()):
            article = warta.extract(gzip.decompress((FIXTURES / "web" / f"{name}.html.gz").read_bytes()), url=url)
            assert isinstance(article, warta.Article), name
            article_id, _ = store.upsert_article(url_key(url), article)
            on_stored(store, article_id, article)
            if name.startswith("antaranews"):
                copy_url = "https://www.example-wire.co.id/read/546640/turki-kontes-film-pendek"
                copy = article.replace(url=copy_url, domain="example-wire.co.id")
                copy_id, _ = store.upsert_article(url_key(copy_url), copy)
                on_stored(store, copy_id, copy)
            if name.startswith("kapanlagi"):
                revised = article.replace(title=f"{article.title} (diperbarui)")
                revised_id, _ = store.upsert_article(url_key(url), revised)
                on_stored(store, revised_id, revised)


def _write_inputs(root: Path) -> None:
    (root / "page.html").write_bytes(gzip.decompress((FIXTURES / "extract" / "antara.html.gz").read_bytes()))
    (root / "pages").mkdir()
    for page in sorted((FIXTURES / "meta").glob("*.html.gz")):
        shutil.copy(page, root / "pages" / page.name)
    seed = (FIXTURES / "clean" / "000_c6a3d81ec84d2db2.txt").read_text("utf-8")
    (root / "dump.txt").write_text(seed, "utf-8")
    (root / "dumps").mkdir()
    (root / "dumps" / "bisnis.txt").write_text(seed, "utf-8")
    rows = []
    for truth in sorted((FIXTURES / "dedupe" / "bench").glob("*/truth.jsonl")):
        for line in truth.read_text("utf-8").splitlines():
            doc = json.loads(line)
            text = f"{doc.get('title') or ''}\n\n{doc['body']}".strip()
            rows.append({"id": doc["id"], "url": doc.get("url") or "", "text": text})
    (root / "corpus.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    with (root / "corpus.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["id", "url", "text"])
        writer.writeheader()
        writer.writerows(rows)


def _environment(bin_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARTA_")}
    src = str(Path(warta.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["COLUMNS"] = "200"
    return env


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    base = tmp_path_factory.mktemp("docs")
    bin_dir = base / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "warta"
    shim.write_text(
        f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -c "
        "'import sys; from warta.cli.main import cli; sys.exit(cli(prog_name=\"warta\"))' \"$@\"\n"
    )
    shim.chmod(0o755)
    (bin_dir / "python").symlink_to(sys.executable)
    env = _environment(bin_dir)
    root = base / "template"
    root.mkdir()
    _write_inputs(root)
    demo = subprocess.run(["warta", "demo", "--db", "warta.db"], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    _store_fixture_articles(root / "warta.db")
    for lock in root.glob("warta.db.job*.lock"):
        lock.unlink()
    return root, env


def sandbox(template: tuple[Path, dict[str, str]], tmp_path: Path, doc: Path) -> Path:
    root = tmp_path / "work"
    shutil.copytree(template[0], root)
    for block in blocks(doc):
        first = block.text.splitlines()[0] if block.text else ""
        if first.startswith("# file: "):
            target = root / first[len("# file: ") :].strip()
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.text + "\n", "utf-8")
    return root


def _squash(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- console blocks run


@pytest.mark.parametrize("doc", docs_with("console"), ids=doc_id)
def test_console_commands_run(doc: Path, template: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    root = sandbox(template, tmp_path, doc)
    for block in blocks(doc):
        if block.lang != "console":
            continue
        found = commands(block)
        assert found, f"{block.where}: a console block without a '$ ' command"
        for command in found:
            done = subprocess.run(
                ["bash", "-o", "pipefail", "-c", command.line], cwd=root, env=template[1],
                capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
            )
            output = done.stdout + done.stderr
            assert done.returncode == 0, f"{block.where}: `{command.line}` exited {done.returncode}:\n{output[-3000:]}"
            for line in command.expected:
                if "..." in line or "…" in line:
                    continue
                assert _squash(line) in _squash(output), f"{block.where}: `{command.line}` did not print {line!r}:\n{output[-3000:]}"


# ---------------------------------------------------------------- python and pycon blocks run


@pytest.mark.parametrize("doc", docs_with("python"), ids=doc_id)
def test_python_blocks_run(doc: Path, template: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    root = sandbox(template, tmp_path, doc)
    for number, block in enumerate(b for b in blocks(doc) if b.lang == "python"):
        script = root / f"_docs_example_{number}.py"
        script.write_text(block.text + "\n", "utf-8")
        done = subprocess.run(
            [sys.executable, script.name], cwd=root, env=template[1], capture_output=True, text=True,
            timeout=180, stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, f"{block.where}: the example failed:\n{(done.stdout + done.stderr)[-3000:]}"


@pytest.mark.parametrize("block", all_blocks("pycon"), ids=lambda b: b.where)
def test_pycon_blocks_are_doctests(block: Block) -> None:
    test = doctest.DocTestParser().get_doctest(block.text, {}, block.where, str(block.path), block.line)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0, f"{block.where}: doctest failed (output above)"


@pytest.mark.parametrize("block", all_blocks("toml"), ids=lambda b: b.where)
def test_toml_blocks_parse(block: Block) -> None:
    data = tomllib.loads(block.text)
    if "warta" in data:  # a warta.toml: every key is a real setting
        from warta.config import load_settings

        settings = load_settings(data["warta"], environ={})
        assert settings.db == data["warta"].get("db", settings.db)


# ---------------------------------------------------------------- text blocks: shown, not run, checked


def _words(line: str) -> list[str]:
    words = shlex.split(line)
    while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=\S*", words[0]):
        words.pop(0)
    for stop in ("|", ">", ">>", "<", "&&", ";", "2>"):
        if stop in words:
            words = words[: words.index(stop)]
    return words


def _options(words: list[str]) -> list[str]:
    return [w.split("=")[0] for w in words if w.startswith("--")]


def text_commands() -> list[tuple[Block, Command]]:
    return [(b, c) for b in all_blocks("text") for c in commands(b)]


@pytest.mark.parametrize("block,command", text_commands(), ids=lambda x: x.where if isinstance(x, Block) else x.line[:60])
def test_text_commands_exist(block: Block, command: Command) -> None:
    words = _words(command.line)
    program = words[0]
    if program == "warta":
        assert command.line in NOT_RUN, (
            f"{block.where}: `{command.line}` is shown but not run; run it in a ```console block, or list it "
            "in NOT_RUN with the reason it cannot run offline"
        )
        result = CliRunner().invoke(cli, [*words[1:], "--help"], prog_name="warta")
        assert result.exit_code == 0 and "Usage:" in result.output, f"{block.where}: `{command.line}`: {result.output}"
    elif program == "make":
        targets = re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text("utf-8"), re.M)
        assert words[1] in targets, f"{block.where}: no make target {words[1]!r}"
    elif program == "python" or program.endswith("/python"):
        if words[1] == "-m":
            spec = importlib.util.find_spec(words[2])
            assert spec is not None and spec.origin, f"{block.where}: no module {words[2]}"
            source = Path(spec.origin).read_text("utf-8")
        elif words[1].startswith(SHARED_TOOLS):
            return  # the shared benchmark's own tools, outside this repository
        else:
            script = ROOT / words[1]
            assert script.is_file(), f"{block.where}: no script {words[1]}"
            source = script.read_text("utf-8")
        for option in _options(words):
            assert f'"{option}"' in source, f"{block.where}: {words[1]} has no option {option}"
    else:
        assert program in OTHER_PROGRAMS, f"{block.where}: `{command.line}`: unknown program {program!r}"


def test_not_run_commands_are_all_shown() -> None:
    shown = {c.line for _, c in text_commands()}
    assert not set(NOT_RUN) - shown, f"listed in NOT_RUN but no longer in the docs: {set(NOT_RUN) - shown}"


def test_commands_are_in_console_or_text_blocks() -> None:
    """Shell blocks would escape the test: commands go in ```console (run) or ```text (checked)."""
    shell = [b.where for path in DOCS for b in blocks(path) if b.lang in {"sh", "bash", "shell", "zsh", ""}]
    assert not shell, f"use ```console or ```text for these blocks: {shell}"


# ---------------------------------------------------------------- reference and build


def _commands_of(group: click.Group, prefix: str = "warta") -> Iterator[tuple[str, click.Command]]:
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _commands_of(command, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}", command


@pytest.mark.parametrize("name,command", list(_commands_of(cli)), ids=lambda x: x if isinstance(x, str) else "")
def test_cli_reference_names_every_option(name: str, command: click.Command) -> None:
    sections = _cli_sections()
    assert name in sections, f"docs/cli.md has no section '## {name}'"
    for param in command.params:
        if isinstance(param, click.Option) and param.name != "help":
            row = f"| {', '.join(f'`{o}`' for o in param.opts)} | {'' if param.is_flag else param.type.name.upper()} | {param.help or ''} |"
            assert any(f"`{opt}`" in sections[name] for opt in param.opts), (
                f"docs/cli.md, section '## {name}': option {param.opts[0]} is missing; add a row such as\n{row}"
            )


def _cli_sections() -> dict[str, str]:
    text = (ROOT / "docs" / "cli.md").read_text("utf-8")
    return {s.split("\n", 1)[0].strip(): s for s in re.split(r"^## ", text, flags=re.M)[1:]}


def test_cli_reference_options_exist() -> None:
    """Each option row of docs/cli.md names a real option of its command (and each section a command)."""
    commands = dict(_commands_of(cli))
    for name, section in _cli_sections().items():
        assert name in commands, f"docs/cli.md: '## {name}' is not a command"
        real = {opt for p in commands[name].params for opt in getattr(p, "opts", [])}
        for row in re.findall(r"^\| ((?:`-[^`]+`(?:, )?)+) \|", section, flags=re.M):
            for opt in re.findall(r"`(-[^`]+)`", row):
                assert opt in real, f"docs/cli.md, {name}: no option {opt}"


def _inline_commands() -> list[tuple[str, str]]:
    found = []
    for path in DOCS:
        prose = re.sub(r"^\s*```.*?^\s*```", "", path.read_text("utf-8"), flags=re.S | re.M)
        found += [(doc_id(path), span) for span in re.findall(r"`(warta [^`]+)`", prose)]
    return found


@pytest.mark.parametrize("where,span", _inline_commands(), ids=lambda x: x)
def test_inline_commands_parse(where: str, span: str) -> None:
    """`warta ...` spans in prose name real commands and options (UPPER-CASE words are placeholders)."""
    words = shlex.split(span)[1:]
    if words and re.fullmatch(r"[A-Z_]+", words[0]):
        words = words[1:]
    result = CliRunner().invoke(cli, [*words, "--help"], prog_name="warta")
    assert result.exit_code == 0, f"{where}: `{span}`: {result.output}"


def test_data_model_lists_every_article_field() -> None:
    text = (ROOT / "docs" / "data-model.md").read_text("utf-8")
    table = text[text.index("| field | type | meaning |") :].split("\n\n", 1)[0]
    missing = [f.name for f in dataclasses.fields(warta.Article) if f"`{f.name}`" not in table]
    assert not missing, f"docs/data-model.md: the Article table lacks {missing}"


def test_mkdocs_nav_lists_every_page() -> None:
    nav = (ROOT / "mkdocs.yml").read_text("utf-8")
    missing = [p.name for p in (ROOT / "docs").glob("*.md") if p.name not in nav]
    assert not missing, f"pages not in mkdocs.yml nav: {missing}"


def test_docs_build_strict(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs", reason="the docs extra (mkdocs) is not installed: pip install -e '.[docs]'")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
