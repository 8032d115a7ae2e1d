"""The layers' shortcuts read as the code they stand for: the quote-mark scanner jumps from mark to mark
(the same stretches as reading every character), and the quantities layer passes over only tokens at
which no number can start."""

from __future__ import annotations

from newsgraph.layers._support import quotemarks
from newsgraph.layers._support.numbers import read_number
from newsgraph.layers.quantities import _starters

from .helpers import SEED

QUOTED = (
    "\u201cWe will stay,\u201d he said. \u2018Not now\u2019, she wrote: 'the troops\u2019 return' and \"so on\". "
    "\u201eGerman\u201c and \u00abFrench\u00bb; an \u201copen one \u201cnever closed. Iraq\u2019s 'rock 'n' roll' "
    '"unclosed'
)


def _every_character(text: str, start: int, end: int, index: int) -> list[quotemarks.Stretch]:
    """scan_paragraph as it was: every character read."""
    out: list[quotemarks.Stretch] = []
    open_at: int | None = None
    kind = ""
    i = start
    while i < end:
        c = text[i]
        prev = text[i - 1] if i > start else " "
        nxt = text[i + 1] if i + 1 < end else " "
        if open_at is None:
            if c in quotemarks.DOUBLE_OPEN or (c == '"' and prev in quotemarks.OPEN_CONTEXT and not nxt.isspace()):
                open_at, kind = i, "double"
            elif c == "‘" or (c == "'" and prev in quotemarks.OPEN_CONTEXT and nxt.isalnum()):
                open_at, kind = i, "single"
        elif kind == "double":
            german = text[open_at] == "„" and c == "“"
            if c in quotemarks.DOUBLE_CLOSE or c == '"' or german:
                out.append(quotemarks._stretch(text, open_at, i, i + 1, index, start, closed=True))
                open_at = None
            elif c in "“«" and i > open_at + 1:
                # a new opening mark before any close: the first one was never closed
                if open_at == start:
                    out.append(quotemarks._stretch(text, open_at, i, i, index, start, closed=False))
                open_at = i
        # "troops’ " is a possessive when a later mark can still close the quote
        elif (
            c in "’'"
            and not quotemarks._is_apostrophe(text, i, start, end)
            and not nxt.isalnum()
            and not (prev in "sS" and quotemarks._later_single_close(text, i + 1, end))
        ):
            out.append(quotemarks._stretch(text, open_at, i, i + 1, index, start, closed=True))
            open_at = None
        i += 1
    if open_at is not None:
        out.append(quotemarks._stretch(text, open_at, end, end, index, start, closed=False))
    return [s for s in out if s.end > s.start]


def test_scan_paragraph_finds_what_reading_every_character_finds() -> None:
    seed = (SEED / "article.txt").read_text(encoding="utf-8")
    for text in (seed, QUOTED, QUOTED[5:], "", "no marks at all"):
        starts = [0, *(i + 1 for i, c in enumerate(text) if c == "\n"), len(text) + 1]
        for k in range(len(starts) - 1):
            a, b = starts[k], max(starts[k], starts[k + 1] - 1)
            assert quotemarks.scan_paragraph(text, a, b, k) == _every_character(text, a, b, k)
    assert len(quotemarks.scan_paragraph(QUOTED, 0, len(QUOTED), 0)) >= 5


def test_every_word_a_number_starts_at_is_a_starter() -> None:
    seed = (SEED / "article.txt").read_text(encoding="utf-8")
    words = [w.lower() for w in (seed + " a dozen half a million tens of thousands twenty-five 3,000 2bn").split()]
    read = [w for i, w in enumerate(words) if read_number(words, i) is not None]
    assert read and all(w in _starters() or w[:1].isdigit() for w in read)
