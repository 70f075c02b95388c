"""User search syntax -> a safe SQLite FTS5 MATCH expression.

Supported syntax (operators are upper-case, as in most search engines)::

    banjir jakarta          both words (implicit AND)
    "gempa bumi"            a phrase
    pemilu*                 a prefix
    banjir OR longsor       either
    banjir NOT jakarta      exclusion (also: banjir -jakarta)
    (banjir OR longsor) AND jakarta

Every term is re-quoted before it reaches FTS5, so no user text is ever interpreted as FTS5
syntax (column filters, ``NEAR``, ``^`` ...). A malformed query raises :class:`QueryError`
with a message meant for the user; so does a query with no word at all (``(``, ``OR``, ``""``,
``!!``), while an empty or blank query means "no text condition" (browse everything).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from warta.errors import ConfigError

MAX_QUERY_CHARS = 500
MAX_TERMS = 64
_WORD_CHAR = re.compile(r"\w")
_TOKEN = re.compile(r'\s+|"[^"]*"?|\(|\)|[^\s"()]+')
_OPERATORS = {"AND", "OR", "NOT"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class QueryError(ConfigError):
    """A search query the user typed cannot be parsed (shown to the user, HTTP 400)."""


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "term", "prefix", "phrase", "and", "or", "not", "(", ")"
    text: str = ""


def tokenize(query: str) -> list[Token]:
    """Split a user query into tokens; raise QueryError on unclosed quotes or oversize input."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long (at most {MAX_QUERY_CHARS} characters)", query=query[:40])
    query = _CONTROL.sub(" ", query)
    tokens: list[Token] = []
    for match in _TOKEN.finditer(query):
        raw = match.group(0)
        token = _classify(raw)
        if token is not None:
            tokens.append(token)
    if sum(t.kind in {"term", "prefix", "phrase"} for t in tokens) > MAX_TERMS:
        raise QueryError(f"too many terms (at most {MAX_TERMS})")
    return tokens


def _classify(raw: str) -> Token | None:
    if raw.isspace():
        return None
    if raw.startswith('"'):
        if len(raw) < 2 or not raw.endswith('"'):
            raise QueryError("unclosed quote: a phrase needs a closing \"")
        inner = " ".join(raw[1:-1].split())
        return Token("phrase", inner) if _WORD_CHAR.search(inner) else None
    if raw in "()":
        return Token(raw)
    if raw in _OPERATORS:
        return Token(raw.lower())
    negate = raw.startswith("-") and len(raw) > 1
    word = raw[1:] if negate else raw
    token = _word_token(word)
    if token is None:
        return None
    return Token("neg-" + token.kind, token.text) if negate else token


def _word_token(word: str) -> Token | None:
    if word.endswith("*"):
        stem = word.rstrip("*")
        if not _WORD_CHAR.search(stem):
            raise QueryError(f"a prefix needs at least one letter or digit before '*': {word!r}")
        return Token("prefix", stem)
    return Token("term", word) if _WORD_CHAR.search(word) else None


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class _Parser:
    """Recursive descent: or_expr := and_expr (OR and_expr)*; and_expr := unary ((AND|NOT)? unary)*."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> str:
        expr = self.or_expr()
        if self.peek() is not None:
            raise QueryError(f"unexpected {self._describe(self.peek())}")
        return expr

    def or_expr(self) -> str:
        parts = [self.and_expr()]
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.take()
            if self.peek() is None or self.peek().kind in {"or", ")"}:  # type: ignore[union-attr]
                raise QueryError("OR must be followed by a term")
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def and_expr(self) -> str:
        positives: list[str] = []
        negatives: list[str] = []
        while (tok := self.peek()) is not None and tok.kind not in {"or", ")"}:
            if tok.kind in {"and", "not"}:
                self.take()
                if tok.kind == "and" and (nxt := self.peek()) is not None and nxt.kind == "not":
                    continue  # "a AND NOT b" reads as "a NOT b"
                target = negatives if tok.kind == "not" else positives
                if self.peek() is None or self.peek().kind in {"or", ")", "and", "not"}:  # type: ignore[union-attr]
                    raise QueryError(f"{tok.kind.upper()} must be followed by a term")
                target.append(self.unary(negatives, positives))
                continue
            positives.append(self.unary(negatives, positives))
        return self._combine(positives, negatives)

    def unary(self, negatives: list[str], positives: list[str]) -> str:
        tok = self.take()
        if tok.kind.startswith("neg-"):
            negatives.append(self._leaf(Token(tok.kind[4:], tok.text)))
            return self._next_positive(negatives, positives)
        if tok.kind == "(":
            inner = self.or_expr()
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise QueryError("unbalanced parentheses: missing ')'")
            self.take()
            return inner
        if tok.kind == ")":
            raise QueryError("unbalanced parentheses: unexpected ')'")
        return self._leaf(tok)

    def _next_positive(self, negatives: list[str], positives: list[str]) -> str:
        # a '-term' contributes nothing positive itself; keep parsing the same AND group
        tok = self.peek()
        if tok is None or tok.kind in {"or", ")", "and", "not"}:
            return ""
        return self.unary(negatives, positives)

    @staticmethod
    def _leaf(tok: Token) -> str:
        if tok.kind == "prefix":
            return _quote(tok.text) + "*"
        if tok.kind in {"term", "phrase"}:
            return _quote(tok.text)
        raise QueryError(f"unexpected {_Parser._describe(tok)}")

    @staticmethod
    def _combine(positives: list[str], negatives: list[str]) -> str:
        positives = [p for p in positives if p]
        negatives = [n for n in negatives if n]
        if not positives:
            if negatives:
                raise QueryError("a query cannot only exclude terms: add a term to search for")
            raise QueryError("empty query group")
        expr = positives[0] if len(positives) == 1 else "(" + " AND ".join(positives) + ")"
        for neg in negatives:
            expr = f"({expr} NOT {neg})"
        return expr

    @staticmethod
    def _describe(tok: Token | None) -> str:
        if tok is None:
            return "end of query"
        return {"or": "OR", "and": "AND", "not": "NOT", ")": "')'", "(": "'('"}.get(tok.kind, repr(tok.text))


def to_fts5(query: str) -> str | None:
    """Translate a user query into an FTS5 MATCH expression; ``None`` when the query has no terms."""
    tokens = tokenize(query)
    if not any(t.kind in {"term", "prefix", "phrase"} for t in tokens):
        if any(t.kind.startswith("neg-") for t in tokens):
            raise QueryError("a query cannot only exclude terms: add a term to search for")
        if _CONTROL.sub(" ", query).strip():
            # operators, parentheses, empty phrases or punctuation alone: matching every article
            # would answer a question the user did not ask
            raise QueryError("the query has no word to search for: operators, parentheses, empty"
                             " phrases and punctuation alone match nothing")
        return None
    if tokens and tokens[0].kind in {"or", "and", "not"}:
        raise QueryError(f"a query cannot start with {tokens[0].kind.upper()}")
    return _Parser(tokens).parse()
