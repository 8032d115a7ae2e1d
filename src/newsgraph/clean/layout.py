"""Classifying paragraphs by layout: title, subtitle, headings, body, captions, trailing site lines.

Plain text has no markup, so the rules read shape: length, end punctuation and position. HTML
blocks arrive with kinds from their tags and only pass through the parts that still apply.
"""

from __future__ import annotations

import re

from newsgraph.clean.blocks import Block, tidy
from newsgraph.document import Meta, Removed

_QUOTES = "\"'“”‘’«»„‚‹›"
_SENTENCE_END = re.compile(r"[.!?…:;,]$")
_BYLINE = re.compile(r"^by\s+[A-Z][\w.'’-]+(\s+[A-Z][\w.'’-]+){0,4}(\s*(,|and)\s*[A-Z][\w.'’ -]+)*$", re.I)


def word_count(text: str) -> int:
    return len(text.split())


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text.rstrip(_QUOTES + ") ]")))


def _ends_with_full_stop(text: str) -> bool:
    """A first line ending "... stay.”" is a sentence, not a headline (which may end in ? or !)."""
    return text.rstrip(_QUOTES + ") ]").endswith(".")


def is_heading_shaped(text: str, max_words: int = 12) -> bool:
    return word_count(text) <= max_words and not ends_sentence(text)


def _trailing_site_lines(blocks: list[Block], source: str | None) -> list[Removed]:
    """Short unpunctuated lines after the last body paragraph are the outlet's name or chrome.

    Unclassified (plain-text) lines qualify by shape; paragraphs from HTML only when they are the
    outlet's name itself.
    """
    removed: list[Removed] = []
    while len(blocks) > 1 and is_heading_shaped(blocks[-1].text, 6):
        text = blocks[-1].text
        named = bool(source) and text.casefold().strip() == (source or "").casefold().strip()
        if not (named or blocks[-1].kind in (None, "heading")):
            break
        if not any(b.kind in (None, "body") and not is_heading_shaped(b.text) for b in blocks[:-1]):
            break
        blocks.pop()
        removed.insert(0, Removed(text, "outlet name" if named else "trailing site line (outlet name or chrome)"))
    return removed


def mark_given_title(blocks: list[Block], title: str) -> None:
    """The first block is the title when it says what the given title says, with a full stop after it or
    not (a JSON Lines record's ``title`` that its text repeats as the opening line, "Title."): classify
    would take a line ending in a full stop for body text."""
    if blocks and blocks[0].kind is None and _bare_title(blocks[0].text) == _bare_title(title):
        blocks[0].kind = "title"


def _bare_title(text: str) -> str:
    return tidy(text).rstrip(". ").casefold()


def classify(blocks: list[Block], meta: Meta) -> list[Removed]:
    """Give every block a kind, in place; return the trailing lines taken out as debris."""
    removed = _trailing_site_lines(blocks, meta.source)
    i = 0
    if (
        blocks
        and blocks[0].kind is None
        and word_count(blocks[0].text) <= 30
        and not _ends_with_full_stop(blocks[0].text)
    ):
        blocks[0].kind = "title"
        i = 1
        if (
            len(blocks) > 2
            and blocks[1].kind is None
            and word_count(blocks[1].text) <= 60
            and not ends_sentence(blocks[1].text)
            and not _BYLINE.match(blocks[1].text)
        ):
            blocks[1].kind = "subtitle"
            i = 2
    for j, block in enumerate(blocks[i:], start=i):
        if block.caption_hint and block.kind in (None, "body"):
            block.kind = "caption"
        if block.kind is not None:
            continue
        elif j + 1 < len(blocks) and is_heading_shaped(block.text):
            block.kind = "heading"
        else:
            block.kind = "body"
    # a byline right under the title is metadata, not text
    for j, block in enumerate(blocks[:4]):
        if block.kind in ("heading", "subtitle") and _BYLINE.match(block.text):
            meta.byline = meta.byline or re.sub(r"^by\s+", "", block.text, flags=re.I)
            removed.append(Removed(block.text, "byline"))
            del blocks[j]
            break
    return removed


def split_plain_text(raw: str) -> list[Block]:
    """Paragraphs of a plain-text article: blank-line blocks, hard-wrapped lines joined back."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", raw):
        lines = [tidy(ln) for ln in chunk.split("\n") if tidy(ln)]
        if not lines:
            continue
        if _hard_wrapped(lines):
            blocks.append(Block(" ".join(lines)))
        else:
            blocks.extend(Block(ln) for ln in lines)
    return blocks


def _hard_wrapped(lines: list[str]) -> bool:
    """Lines of one paragraph broken at a fixed width: long, and most not ending a sentence."""
    if len(lines) < 2:
        return False
    inner = lines[:-1]
    long_lines = sum(len(ln) >= 40 for ln in inner)
    open_ends = sum(not ends_sentence(ln) for ln in inner)
    return long_lines >= 0.8 * len(inner) and open_ends >= 0.5 * len(inner)
