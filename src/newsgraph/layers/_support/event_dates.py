"""The date of an event mention, from the times layer's expressions and the parse: shared by the times
layer (which exports it) and the events layer (which dates its events with it).

The date is the value of the nearest time expression that governs the event word in the parse
(attached to it, to a verb above it in its clause, or below the event word itself, as in "attacks in
recent months"), else the publication date. A time on "said" dates the saying, not what was said, and
one on a main verb does not date a relative clause under it.
"""

from __future__ import annotations

import bisect
from typing import Any

from spacy.tokens import Doc, Token

from newsgraph.document import Document
from newsgraph.layers._support import tokens

# Dependencies that open a clause of its own: a time outside it does not date the event inside it.
CLAUSE_EDGES = {"ccomp", "advcl", "relcl", "acl", "parataxis", "csubj"}


class TimesIndex:
    """A document's time expressions by start, so that an event looks only at its sentence's."""

    def __init__(self, doc: Document) -> None:
        self.items = sorted(doc.times, key=lambda x: x["start"])
        self.starts = [x["start"] for x in self.items]

    def between(self, lo: int, hi: int) -> list[dict[str, Any]]:
        return self.items[bisect.bisect_left(self.starts, lo) : bisect.bisect_left(self.starts, hi)]


def event_date(
    doc: Document, parsed: Doc, tok: Token, times: TimesIndex | None = None
) -> tuple[str | None, str | None]:
    """The date of the event told by ``tok`` and its basis: ``"text"`` (a time expression governing it)
    or ``"published"`` (the article's date); (None, None) without either. Reads ``doc.times`` (through
    ``times``, built once per document by a caller dating many events)."""
    ancestors = _clause_path(tok)
    best: tuple[int, str] | None = None
    sent = tok.sent
    for item in (times or TimesIndex(doc)).between(sent.start_char, sent.end_char):
        if item["type"] not in ("DATE", "TIME") or not item["value"]:
            continue
        sp = parsed.char_span(item["start"], item["end"], alignment_mode="expand")
        if sp is None or not len(sp) or tok.i in range(sp.start, sp.end):
            continue
        root = sp.root
        distance: int | None = None
        governor = _governor(root)
        if governor in ancestors:
            distance = ancestors.index(governor)
        else:
            above = list(root.ancestors)
            if tok in above:
                distance = above.index(tok)
        if distance is not None and (best is None or distance < best[0]):
            best = (distance, str(item["value"]))
    if best is not None:
        return best[1], "text"
    published = doc.meta.published
    return (published, "published") if published else (None, None)


def date_for(doc: Document, parsed: Doc, token_or_char_offset: Token | int) -> str | None:
    """The date of an event mention (a token, or a character offset into the text): ``event_date``'s
    value."""
    if isinstance(token_or_char_offset, Token):
        tok: Token | None = token_or_char_offset
    else:
        starts = list(tokens.of(parsed).idx)
        i = bisect.bisect_right(starts, token_or_char_offset) - 1
        tok = parsed[i] if i >= 0 else None
    if tok is None:
        return doc.meta.published
    return event_date(doc, parsed, tok)[0]


def _clause_path(tok: Token) -> list[Token]:
    """The token and the words above it up to its clause's verb."""
    path = [tok]
    while path[-1].dep_ not in CLAUSE_EDGES and path[-1].head.i != path[-1].i:
        path.append(path[-1].head)
    return path


def _governor(root: Token) -> Token:
    """The word a time expression hangs from: the first verb above it, or the sentence root."""
    t = root.head
    while t.pos_ not in ("VERB", "AUX") and t.head.i != t.i:
        t = t.head
    return t
