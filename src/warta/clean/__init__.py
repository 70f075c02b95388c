"""Text-dump cleaning: plain or markdown-ish text -> Article (placeholder until the clean stage lands)."""

from __future__ import annotations

from warta.model import Article, Skip


def clean(text: str, url: str | None = None) -> Article | Skip:
    raise NotImplementedError("warta.clean is not implemented yet")
