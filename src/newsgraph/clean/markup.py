"""Markup that would stall the HTML parser, made harmless before trafilatura reads the page.

libxml2 (lxml, which trafilatura parses with) compares each attribute of an element with every one before
it, so one element with 100,000 attributes takes minutes. No page needs more than MAX_ATTRIBUTES on one
element (real ones have tens), so an element with more keeps its name and loses its attributes; its
content stays. The page is scanned once, as the HTML tokenizer reads it: comments and the raw text of
<script>, <style> and the like are skipped whole, attribute values in quotes may hold ``>``. The scan
cannot backtrack (possessive and atomic groups only), so it takes time in proportion to the page.

Deep nesting needs nothing here: libxml2 stops descending at 256 levels, and the page is then cleaned or
refused as having no article text, in well under a second.
"""

from __future__ import annotations

import re

MAX_ATTRIBUTES = 1_000  # on one element
_MIN_CHARS = 2 * MAX_ATTRIBUTES  # each attribute takes two characters at least (" a")

# one attribute: its name, and "=" with a value in double or single quotes or none
_ATTRIBUTE = r"""[^\s/>=][^\s/>=]*+(?>\s*+=\s*+(?>"[^"]*+"|'[^']*+'|[^\s>]*+))?"""
_TAG_BODY = rf"(?:[\s/]++|{_ATTRIBUTE}|=)*+"
_RAW_TEXT = "script|style|textarea|title|xmp|iframe|noembed|noframes|noscript"
_SCAN = re.compile(
    rf"""
      <!--(?:[^-]++|-(?!->))*+(?:-->|\Z)                      # a comment, to its end or the page's
    | <(?P<raw>{_RAW_TEXT})(?![^\s/>])(?P<raw_body>{_TAG_BODY})>?  # a raw-text element: its start tag,
      (?:[^<]++|<(?!/(?P=raw)(?![^\s/>])))*+                  # its text, unread,
      (?:</(?P=raw)[^>]*+>?|\Z)                               # and its end tag
    | <[A-Za-z][^\s/>]*+(?P<body>{_TAG_BODY})>?               # a start tag
    """,
    re.IGNORECASE | re.VERBOSE,
)
_ONE_ATTRIBUTE = re.compile(_ATTRIBUTE)


def defuse(html: str) -> str:
    """The page with every element of more than MAX_ATTRIBUTES attributes stripped of them; the page
    itself (the same object) when it has none."""
    cuts: list[tuple[int, int]] = []
    for m in _SCAN.finditer(html):
        group = "body" if m.group("body") is not None else "raw_body" if m.group("raw_body") is not None else None
        if group is None:
            continue
        start, end = m.span(group)
        if end - start > _MIN_CHARS and _attributes(html, start, end) > MAX_ATTRIBUTES:
            cuts.append((start, end))
    if not cuts:
        return html
    kept, last = [], 0
    for start, end in cuts:
        kept.append(html[last:start])
        last = end
    kept.append(html[last:])
    return "".join(kept)


def _attributes(html: str, start: int, end: int) -> int:
    return sum(1 for _ in _ONE_ATTRIBUTE.finditer(html, start, end))


__all__ = ["MAX_ATTRIBUTES", "defuse"]
