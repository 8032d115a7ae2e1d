"""Blocks: the paragraphs of an article while it is being cleaned, and their assembly into text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from newsgraph.document import Paragraph, ParagraphKind

# Invisible characters that only get in the way of matching; they carry no text.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACES = re.compile(r"[ \t\r\f\v]+")


@dataclass
class Block:
    text: str
    kind: ParagraphKind | None = None  # None until classified
    caption_hint: bool = False  # lost a photo credit or an image name: a photo caption


def tidy(text: str) -> str:
    """One paragraph's text: invisible characters out, runs of spaces collapsed, NBSP kept.

    Non-breaking spaces stay (they are what the source said); layers match over a normalised copy.
    """
    text = text.translate(_INVISIBLE)
    text = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", text).strip()


def assemble(blocks: list[Block]) -> tuple[str, list[Paragraph]]:
    """Join classified blocks into the document text, paragraphs separated by a blank line."""
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    offset = 0
    for block in blocks:
        if not block.text:
            continue
        if parts:
            parts.append("\n\n")
            offset += 2
        parts.append(block.text)
        paragraphs.append(Paragraph(offset, offset + len(block.text), block.kind or "body"))
        offset += len(block.text)
    return "".join(parts), paragraphs
