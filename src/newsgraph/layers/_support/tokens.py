"""The parse's tokens as lists, made once per parse and shared by the layers.

Every ``for t in parsed`` and ``parsed[i]`` makes a new spaCy Token object, and each layer went over
the whole parse several times (about 16 Token objects per token of an article). ``of(parsed)`` gives
the tokens, their offsets and the string attributes the layers test every token for, made once for the
last parse asked about (the layers run one document at a time, in turn): the same objects and values
the parse gives, read once.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


class Tokens:
    """One parse's tokens and their attributes, by token index."""

    def __init__(self, parsed: Doc) -> None:
        self.parsed = parsed
        self.tokens: list[Token] = list(parsed)

    @cached_property
    def idx(self) -> list[int]:
        """Each token's character offset (``Token.idx``)."""
        return [t.idx for t in self.tokens]

    @cached_property
    def text(self) -> list[str]:
        return [t.text for t in self.tokens]

    @cached_property
    def text_lower(self) -> list[str]:
        """``t.text.lower()``."""
        return [t.lower() for t in self.text]

    @cached_property
    def lower(self) -> list[str]:
        """``t.lower_`` (the lexeme's lower form)."""
        return [t.lower_ for t in self.tokens]

    @cached_property
    def lemma_lower(self) -> list[str]:
        """``t.lemma_.lower()``."""
        return [t.lemma_.lower() for t in self.tokens]

    @cached_property
    def pos(self) -> list[str]:
        return [t.pos_ for t in self.tokens]

    @cached_property
    def dep(self) -> list[str]:
        return [t.dep_ for t in self.tokens]


_last: Tokens | None = None


def of(parsed: Doc) -> Tokens:
    """The token lists of ``parsed``: those made for it already if it was the last parse asked about."""
    global _last
    found = _last
    if found is None or found.parsed is not parsed:
        found = _last = Tokens(parsed)
    return found


def text_of(parsed: Doc) -> str:
    """The parse's text, computed once per parse (kept in its ``user_data``): spaCy rebuilds ``Doc.text``
    from its tokens on every call, and the entities and places layers read it whole."""
    text = parsed.user_data.get("newsgraph_text")
    if not isinstance(text, str):
        text = parsed.user_data["newsgraph_text"] = parsed.text
    return text
