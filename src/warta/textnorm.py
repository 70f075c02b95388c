"""Text normalisation shared by the stages that compare texts: :func:`unify`.

The dedupe stage normalises bodies with it before hashing (:mod:`warta.dedupe.normalize`), and the
store hashes the content of a revision with it (:mod:`warta.store.revisions`), so it sits below both.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["CJK_CHARS", "unify"]

# kana, CJK ideographs and Hangul: scripts written without spaces between words (a character class body)
CJK_CHARS = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"

_ODD_CHARS = {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
        "\u2212": "-", "\u00a0": " ", "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "",
}
_ODD = re.compile("[" + "".join(_ODD_CHARS) + "]")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def unify(text: str) -> str:
    """NFKC, one kind of quote and dash, single spaces."""
    if not text.isascii():
        text = _ODD.sub(lambda m: _ODD_CHARS[m.group()], unicodedata.normalize("NFKC", text))
    return _SPACES.sub(" ", text).strip()
