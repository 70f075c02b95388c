"""Fixtures for the web/search tests: a real SQLite store, a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

import gzip
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from warta.config import Settings
from warta.extract import extract
from warta.model import Article, Block, Image
from warta.store.sqlite import Store
from warta.web.app import create_app

FIXTURES = Path(__file__).parent.parent / "fixtures" / "web"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def png_bytes(width: int = 48, height: int = 32, rgb: tuple[int, int, int] = (11, 110, 79)) -> bytes:
    """A valid solid-colour PNG (so that the browser really decodes an image)."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def extracted_fixture_articles() -> list[Article]:
    """Really extracted articles from the committed MIT fixture pages."""
    urls = json.loads((FIXTURES / "urls.json").read_text())
    articles = []
    for name, url in sorted(urls.items()):
        result = extract(gzip.decompress((FIXTURES / f"{name}.html.gz").read_bytes()), url)
        assert isinstance(result, Article), f"{name}: {result}"
        articles.append(result)
    return articles


SITES = ("kabar.example", "warta.example", "berita.example")
TOPICS = ("banjir", "pemilu", "gempa", "ekonomi", "sepakbola")


def generated_articles(image_base: str, count: int = 30) -> list[Article]:
    """Articles with known fields, for filter, facet and paging assertions."""
    out = []
    for i in range(count):
        topic = TOPICS[i % len(TOPICS)]
        site = SITES[i % len(SITES)]
        out.append(
            Article(
                url=f"https://{site}/berita/{i}",
                site_name=site.split(".")[0].title(),
                domain=site,
                language="id" if i % 4 else "en",
                title=f"Laporan {topic} nomor {i}",
                lead=f"Ringkasan {topic} hari ini",
                authors=(f"Penulis {i % 3}",) + (("Siti Rahma",) if i % 2 else ()),
                published=f"2024-03-{1 + i % 28:02d}T08:{i % 60:02d}:00+07:00",
                section="nasional" if i % 2 else "olahraga",
                body=(
                    Block("paragraph", f"Paragraf pertama tentang {topic} di Jakarta, nomor urut {i}."),
                    Block("heading", f"Subjudul {topic}"),
                    Block("paragraph", "Warga menyampaikan pendapat mereka kepada wartawan."),
                    Block("list_item", "butir satu"),
                    Block("list_item", "butir dua"),
                    Block("quote", "Kami siap menghadapi situasi ini."),
                ),
                images=(Image(f"{image_base}/img/photo{i % 3}.png", f"Foto {topic} {i}", "Dok. Redaksi"),),
                access="paywalled" if i % 10 == 0 else "free",
            )
        )
    return out


def fill_store(path: Path, articles: list[Article]) -> list[int]:
    ids = []
    with Store(path) as store:
        for article in articles:
            key = f"{len(ids)}|{article.url}"
            article_id, _ = store.upsert_article(key, article)
            ids.append(article_id)
    return ids


@dataclass
class LiveServer:
    base: str
    app: FastAPI
    db: Path


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


SRC = Path(__file__).resolve().parents[2] / "src"


@dataclass
class ServeProcess:
    """A ``warta serve`` subprocess: ``client`` talks to it; ``stderr`` is its log once it ended."""

    client: httpx.Client
    port: int
    stderr: str = ""


@contextmanager
def serve_process(db: Path | str, cwd: Path, *args: str, **env: str) -> Iterator[ServeProcess]:
    """``warta serve --db DB --port PORT *ARGS`` as a user starts it, with only the ``WARTA_*``
    variables given in ``env``; yields once it answers, and stops it after."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WARTA_")}
    environ.update(PYTHONPATH=str(SRC), WARTA_CONFIG=str(cwd / "absent.toml"), **env)
    cmd = [sys.executable, "-c", "from warta.cli.main import main; main()", "serve", "--db", str(db),
           "--port", str(port), *args]
    proc = subprocess.Popen(cmd, env=environ, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    server = ServeProcess(httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5), port)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                server.client.get("/api/stats/sites")
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "warta serve did not start"
                time.sleep(0.2)
        yield server
    finally:
        server.client.close()
        proc.terminate()
        _, server.stderr = proc.communicate(timeout=10)


@pytest.fixture(scope="module")
def serve() -> Iterator[Callable[..., LiveServer]]:
    """Factory: serve(db_path, fill=callable(base) -> articles, token=...) -> a running server."""
    running: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(db: Path, fill: Callable[[str], list[Article]] | None = None, token: str | None = None) -> LiveServer:
        sock = _free_socket()
        base = f"http://127.0.0.1:{sock.getsockname()[1]}"
        if fill is not None:
            fill_store(db, fill(base))
        app = create_app(Settings(db=str(db), api_token=token))
        images = db.parent / "img"
        images.mkdir(exist_ok=True)
        for n, rgb in enumerate(((11, 110, 79), (180, 40, 40), (30, 60, 170))):
            (images / f"photo{n}.png").write_bytes(png_bytes(rgb=rgb))
        app.mount("/img", StaticFiles(directory=images), name="test-images")  # images from the same server
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        running.append((server, thread))
        return LiveServer(base, app, db)

    yield start
    for server, thread in running:
        server.should_exit = True
        thread.join(timeout=5)


class _CountingHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.server.hits.append(self.path)  # type: ignore[attr-defined]
        self.send_response(204)
        self.end_headers()

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def beacon() -> Iterator[tuple[str, list[str]]]:
    """A loopback server that records every request it receives (the XSS sentinel)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    server.hits = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", server.hits  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()
