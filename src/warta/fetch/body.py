"""Read a response body with caps before and after decompression (gzip bombs)."""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator

from warta.errors import BodyTooLarge, FetchError

_WBITS = {"gzip": 47, "x-gzip": 47, "deflate": 15}  # 47 = auto-detect zlib/gzip header


class _Decoder:
    """Incremental decompressor that never produces more than ``limit`` bytes."""

    def __init__(self, encoding: str, limit: int, url: str) -> None:
        self.url = url
        self.limit = limit
        self.size = 0
        enc = encoding.strip().lower()
        self.obj = zlib.decompressobj(_WBITS[enc]) if enc in _WBITS else None
        if enc not in _WBITS and enc not in ("", "identity"):
            raise FetchError(f"unsupported content-encoding {encoding!r}", url=url)

    def feed(self, chunk: bytes) -> bytes:
        if self.obj is None:
            return self._count(chunk)
        try:
            out = self.obj.decompress(chunk, self.limit - self.size + 1)
            if self.obj.unconsumed_tail:  # more output pending than the cap allows
                raise BodyTooLarge("body too large after decompression", url=self.url, limit=self.limit)
        except zlib.error as exc:
            raise FetchError(f"bad compressed body: {exc}", url=self.url) from exc
        return self._count(out)

    def take(self, chunk: bytes) -> bytes:
        """Decode at most one byte past the cap, never raising for size (the caller cuts)."""
        if self.obj is None:
            out = chunk
        else:
            try:
                out = self.obj.decompress(chunk, self.limit - self.size + 1)  # always >= 1
            except zlib.error as exc:
                raise FetchError(f"bad compressed body: {exc}", url=self.url) from exc
        self.size += len(out)
        return out

    def flush_prefix(self) -> bytes:
        if self.obj is None:
            return b""
        try:
            out = self.obj.flush()
        except zlib.error as exc:
            raise FetchError(f"bad compressed body: {exc}", url=self.url) from exc
        self.size += len(out)
        return out

    def flush(self) -> bytes:
        return self._count(self.obj.flush()) if self.obj is not None else b""

    def _count(self, data: bytes) -> bytes:
        self.size += len(data)
        if self.size > self.limit:
            raise BodyTooLarge("body too large after decompression", url=self.url, limit=self.limit)
        return data


async def read_capped(raw: AsyncIterator[bytes], encoding: str, limit: int, url: str) -> bytes:
    """Consume raw (still encoded) chunks; cap the wire size and the decoded size at ``limit``."""
    decoder = _Decoder(encoding, limit, url)
    parts: list[bytes] = []
    wire = 0
    async for chunk in raw:
        wire += len(chunk)
        if wire > limit:
            raise BodyTooLarge("body too large", url=url, limit=limit)
        parts.append(decoder.feed(chunk))
    parts.append(decoder.flush())
    return b"".join(parts)



async def read_prefix(raw: AsyncIterator[bytes], encoding: str, limit: int, url: str) -> tuple[bytes, bool]:
    """The first ``limit`` decoded bytes of a body and whether it was cut there (robots.txt: RFC
    9309 asks for at least 500 KiB to be parsed, not for the file to be refused). Reading stops
    at the cut; the wire is capped at ``4 * limit`` bytes too (a body that barely inflates)."""
    decoder = _Decoder(encoding, limit, url)
    parts: list[bytes] = []
    wire = 0
    async for chunk in raw:
        wire += len(chunk)
        parts.append(decoder.take(chunk))
        if decoder.size > limit or wire > 4 * limit:
            return b"".join(parts)[:limit], True
    parts.append(decoder.flush_prefix())
    body = b"".join(parts)
    return body[:limit], len(body) > limit
