"""Text normalisation shared by the extraction stages."""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """NFC, drop zero-width characters and soft hyphens, collapse every whitespace run to one space."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return _SPACE.sub(" ", text).strip()
