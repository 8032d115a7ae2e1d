"""Finding quoted stretches by their marks, paragraph by paragraph.

Handles curly, straight, guillemet and low-9 marks; apostrophes (Iraq’s, troops’) are never marks;
single quotes inside double quotes are nested, not quotes of their own; a quote that opens a
paragraph and is never closed runs to the paragraph's end (it continues in the next one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
# every character scan_paragraph acts on; it goes from one to the next, past the rest
_MARK_CHARS = frozenset(DOUBLE_OPEN + DOUBLE_CLOSE + "\"‘'’")
_NEXT_MARK = re.compile("[" + re.escape("".join(sorted(_MARK_CHARS))) + "]")
OPEN_CONTEXT = " \t\n([{—–-/:;"  # what may stand before an opening mark


@dataclass
class Stretch:
    """One quoted stretch: ``start``/``end`` bound the words inside the marks."""

    start: int
    end: int
    mark_start: int  # the opening mark
    mark_end: int  # just after the closing mark (the paragraph's end when left open)
    paragraph: int
    closed: bool
    opens_paragraph: bool


def _is_apostrophe(text: str, i: int, start: int, end: int) -> bool:
    prev = text[i - 1] if i > start else " "
    nxt = text[i + 1] if i + 1 < end else " "
    return prev.isalnum() and nxt.isalpha()


def _later_single_close(text: str, i: int, end: int) -> bool:
    """Is there a later closing candidate for a single quote in this paragraph?"""
    for j in range(i, end):
        if text[j] in "’'" and not _is_apostrophe(text, j, i, end):
            nxt = text[j + 1] if j + 1 < end else " "
            if not nxt.isalnum():
                return True
    return False


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def scan_paragraph(text: str, start: int, end: int, index: int) -> list[Stretch]:
    """The quoted stretches of ``text[start:end]`` (one paragraph)."""
    out: list[Stretch] = []
    open_at: int | None = None
    kind = ""
    i = start
    while i < end:
        c = text[i]
        if c not in _MARK_CHARS:  # no mark: nothing to do until the next one
            found = _NEXT_MARK.search(text, i, end)
            if found is None:
                break
            i = found.start()
            c = text[i]
        prev = text[i - 1] if i > start else " "
        nxt = text[i + 1] if i + 1 < end else " "
        if open_at is None:
            if c in DOUBLE_OPEN or (c == '"' and prev in OPEN_CONTEXT and not nxt.isspace()):
                open_at, kind = i, "double"
            elif c == "‘" or (c == "'" and prev in OPEN_CONTEXT and nxt.isalnum()):
                open_at, kind = i, "single"
        elif kind == "double":
            german = text[open_at] == "„" and c == "“"
            if c in DOUBLE_CLOSE or c == '"' or german:
                out.append(_stretch(text, open_at, i, i + 1, index, start, closed=True))
                open_at = None
            elif c in "“«" and i > open_at + 1:
                # a new opening mark before any close: the first one was never closed
                if open_at == start:
                    out.append(_stretch(text, open_at, i, i, index, start, closed=False))
                open_at = i
        # "troops’ " is a possessive when a later mark can still close the quote
        elif (
            c in "’'"
            and not _is_apostrophe(text, i, start, end)
            and not nxt.isalnum()
            and not (prev in "sS" and _later_single_close(text, i + 1, end))
        ):
            out.append(_stretch(text, open_at, i, i + 1, index, start, closed=True))
            open_at = None
        i += 1
    if open_at is not None:
        out.append(_stretch(text, open_at, end, end, index, start, closed=False))
    return [s for s in out if s.end > s.start]


# the incise of a spoken line: a dash after a space, before a lower-case word ("—No nos vamos —dijo el ministro—")
_INCISE = re.compile(r"\s([^\w\s])\s?(?=[^\W\d_])")


def scan_dialogue(text: str, start: int, end: int, index: int, dashes: str) -> list[Stretch]:
    """A paragraph that opens with one of ``dashes`` as a spoken line ("—No nos vamos —dijo el ministro—."):
    its words up to the incise (a dash before a lower-case word), or the whole paragraph; [] for any other."""
    if not dashes or end - start < 2 or text[start] not in dashes:
        return []
    close = end
    for m in _INCISE.finditer(text, start + 1, end):
        if m.group(1) in dashes and text[m.end()].islower():
            close = m.start(1)
            break
    mark_end = close + 1 if close < end else end
    found = _stretch(text, start, close, mark_end, index, start, closed=True)
    return [found] if found.end > found.start else []


def _stretch(text: str, mark: int, close: int, mark_end: int, index: int, pstart: int, closed: bool) -> Stretch:
    s, e = _trim(text, mark + 1, close)
    return Stretch(s, e, mark, mark_end, index, closed, opens_paragraph=mark == pstart)
