"""The search box's syntax, turned into an FTS5 query that FTS5 cannot misread.

What a user may write, as in a web search engine:

- words, all of which must occur: ``coalition troops``;
- ``"a phrase"`` (an unclosed quote runs to the end);
- ``word*``: words starting with ``word``;
- ``a OR b`` (also ``a | b``), binding tighter than the implicit AND as in web search engines:
  ``iraq troops OR soldiers`` is ``iraq AND (troops OR soldiers)``; parentheses group:
  ``(iraq troops) OR (syria soldiers)``;
- ``-word``, ``-"a phrase"``, ``-(a OR b)`` or ``NOT word``: must not occur (beside something that must).

Only the words (``\\w+``) of what is written reach FTS5, each inside a double-quoted string, joined by
operators this module writes itself: a column filter (``title:x``), ``NEAR(``, ``^`` or a stray quote is
read as words, never as FTS5 syntax. A query that only excludes, or is too long or too deeply nested, is
a ``QueryError`` naming ``q``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsgraph.errors import QueryError

MAX_TERMS = 64  # words and phrases in one query: FTS5's cost grows with them
MAX_DEPTH = 8  # nested parentheses

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)\(|\)|\||(-?)([^\s"()|]+)')
_WORD = re.compile(r"\w+")


@dataclass
class _Term:
    words: list[str]
    prefix: bool

    def fts(self) -> str:
        return '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")


@dataclass
class _All:
    """What must all occur (``must``) and what must not (``must_not``)."""

    must: list[_Node] = field(default_factory=list)
    must_not: list[_Node] = field(default_factory=list)


@dataclass
class _Any:
    options: list[_Node]


_Node = _Term | _All | _Any


@dataclass
class _Tok:
    kind: str  # term, open, close, or, and, not
    neg: bool = False
    term: _Term | None = None


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _TOKEN.finditer(text):
        whole = m.group(0)
        if m.group(2) is not None or whole.lstrip("-").startswith('"'):
            words = _WORD.findall(m.group(2) or "")
            if words:
                out.append(_Tok("term", neg=bool(m.group(1)), term=_Term(words, prefix=False)))
        elif whole in ("(", "-("):
            out.append(_Tok("open", neg=whole == "-("))
        elif whole == ")":
            out.append(_Tok("close"))
        elif whole == "|" or whole == "OR":
            out.append(_Tok("or"))
        elif whole == "AND":
            out.append(_Tok("and"))
        elif whole == "NOT":
            out.append(_Tok("not"))
        else:
            word = m.group(5)
            words = _WORD.findall(word)
            if words:
                out.append(_Tok("term", neg=bool(m.group(4)), term=_Term(words, prefix=word.endswith("*"))))
    return out


class _Parser:
    """Recursive descent over the tokens: a query is items that must all occur; an item is an OR of
    (possibly negated) terms or parenthesised queries. OR binds tighter than the implicit AND, as in web
    search engines: ``iraq troops OR soldiers`` is ``iraq AND (troops OR soldiers)``."""

    def __init__(self, text: str, tokens: list[_Tok]) -> None:
        self.text = text
        self.toks = tokens
        self.i = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def query(self) -> _Node | None:
        node = _All()
        while self.peek() is not None:
            part = self.all(0)
            node.must += part.must
            node.must_not += part.must_not
            if (tok := self.peek()) is not None and tok.kind == "close":
                self.i += 1  # a stray ")": ignored
        return self.finish(node)

    def finish(self, node: _All) -> _Node | None:
        if not node.must and not node.must_not:
            return None
        if not node.must:
            raise QueryError(
                f"q: {self.text!r} only says what must not occur (-word, NOT word): add a word to search for"
            )
        return _simplify(node)

    def all(self, depth: int) -> _All:
        node = _All()
        while (tok := self.peek()) is not None and tok.kind != "close":
            item, negated = self.either(depth)
            if item is not None:
                (node.must_not if negated else node.must).append(item)
        return node

    def either(self, depth: int) -> tuple[_Node | None, bool]:
        options = [self.unary(depth)]
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.i += 1
            options.append(self.unary(depth))
        found = [(n, neg) for n, neg in options if n is not None]
        if len(found) <= 1:
            return found[0] if found else (None, False)
        if any(neg for _, neg in found):
            raise QueryError(f"q: {self.text!r}: OR offers what may occur; a -word or NOT inside it cannot be searched")
        return _Any([n for n, _ in found]), False

    def unary(self, depth: int) -> tuple[_Node | None, bool]:
        negated = False
        while (tok := self.peek()) is not None and tok.kind in ("not", "and"):
            negated = negated or tok.kind == "not"
            self.i += 1
        tok = self.peek()
        if tok is None or tok.kind in ("or", "close"):
            return None, False  # an operator with nothing after it: ignored
        self.i += 1
        if tok.kind == "term":
            return tok.term, negated or tok.neg
        if depth + 1 > MAX_DEPTH:
            raise QueryError(f"q: {self.text!r} nests parentheses more than {MAX_DEPTH} deep")
        inner = self.finish(self.all(depth + 1))
        if (close := self.peek()) is not None and close.kind == "close":
            self.i += 1  # an unclosed "(" closes at the end
        return inner, negated or tok.neg


def _simplify(node: _All) -> _Node:
    if len(node.must) == 1 and not node.must_not:
        return node.must[0]
    return node


def _fts(node: _Node) -> str:
    if isinstance(node, _Term):
        return node.fts()
    if isinstance(node, _Any):
        return " OR ".join(_group(o) for o in node.options)
    plain = all(isinstance(m, _Term) for m in node.must)
    must = (" " if plain else " AND ").join(_group(m) for m in node.must)
    if node.must_not:
        if len(node.must) > 1:
            must = f"({must})"
        must += "".join(f" NOT {_group(n)}" for n in node.must_not)
    return must


def _group(node: _Node) -> str:
    return node.fts() if isinstance(node, _Term) else f"({_fts(node)})"


def _count(node: _Node) -> int:
    if isinstance(node, _Term):
        return 1
    if isinstance(node, _Any):
        return sum(_count(o) for o in node.options)
    return sum(_count(n) for n in (*node.must, *node.must_not))


def fts_query(text: str) -> str:
    """The FTS5 query for what the user wrote (the module's syntax); "" when it holds no word."""
    tree = _Parser(text, _tokens(text)).query()
    if tree is None:
        return ""
    if _count(tree) > MAX_TERMS:
        raise QueryError(f"q: too many words and phrases (at most {MAX_TERMS})")
    return _fts(tree)


__all__ = ["MAX_DEPTH", "MAX_TERMS", "fts_query"]
