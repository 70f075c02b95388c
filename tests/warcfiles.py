"""Small WARC files written by hand for the batch tests and benchmark (gzip per record).

Pages come from ``tests/fixtures/extract`` (real news pages); each one can be repeated under
many URLs. Odd records on request: a non-HTML response, a request record, a truncated record at
the end, and a page whose HTTP header names a charset that its bytes are not in.
"""

from __future__ import annotations

import gzip
import uuid
from collections.abc import Iterator
from pathlib import Path

PAGES = Path(__file__).parent / "fixtures" / "extract"


def fixture_pages() -> list[bytes]:
    return [gzip.decompress(p.read_bytes()) for p in sorted(PAGES.glob("*.html.gz"))]


def record(kind: str, uri: str, block: bytes, content_type: str) -> bytes:
    head = (
        "WARC/1.0\r\n"
        f"WARC-Type: {kind}\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, kind + uri)}>\r\n"
        "WARC-Date: 2026-01-02T03:04:05Z\r\n"
        f"WARC-Target-URI: {uri}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(block)}\r\n\r\n"
    ).encode()
    return head + block + b"\r\n\r\n"


def response(uri: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> bytes:
    http = (
        f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    return record("response", uri, http, "application/http; msgtype=response")


def lying_charset_page() -> bytes:
    """UTF-8 bytes of an Indonesian article whose HTTP header says ISO-8859-1."""
    para = "Pemerintah mengumumkan kebijakan baru untuk petani kopi di Sumatera — “langkah penting”, kata menteri. "
    body = "".join(f"<p>{para}Paragraf {i} menjelaskan dampaknya bagi ekonomi daerah.</p>" for i in range(8))
    html = f"<html><head><title>Kebijakan kopi baru</title></head><body><article><h1>Kebijakan kopi baru</h1>{body}</article></body></html>"
    return html.encode("utf-8")


def write_warc(
    path: Path, pages: list[tuple[str, bytes]], *, odd: bool = False, truncate: bool = False
) -> Path:
    """A gzip-per-record WARC of (url, html) responses; ``odd`` adds a warcinfo record, a request
    record, a non-HTML response and a lying-charset page; ``truncate`` cuts the last record short."""
    members: list[bytes] = []
    if odd:
        members.append(record("warcinfo", "", b"software: warta tests\r\n", "application/warc-fields"))
    for url, html in pages:
        if odd:
            members.append(record("request", url, f"GET {url} HTTP/1.1\r\n\r\n".encode(), "application/http; msgtype=request"))
        members.append(response(url, html))
    if odd:
        members.append(response("https://example.id/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png"))
        members.append(response("https://example.id/kopi", lying_charset_page(), "text/html; charset=iso-8859-1"))
    data = b"".join(gzip.compress(m) for m in members)
    if truncate:
        last = gzip.compress(response("https://example.id/truncated", fixture_pages()[0]))
        data += last[: len(last) // 2]
    path.write_bytes(data)
    return path


def many_pages(n: int, host: str = "news.example.id") -> Iterator[tuple[str, bytes]]:
    pages = fixture_pages()
    for i in range(n):
        yield f"https://{host}/berita/{i}", pages[i % len(pages)]
