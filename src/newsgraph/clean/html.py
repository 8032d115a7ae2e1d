"""HTML articles: trafilatura finds the main text and metadata; we keep its structure as blocks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import trafilatura
from lxml import etree

from newsgraph.clean.blocks import Block, tidy
from newsgraph.dates import DAY
from newsgraph.errors import InputError

MIN_ARTICLE_CHARS = 80  # less main text than this is a page with no article
TITLE_COPY_WINDOW = 5  # blocks from the top in which a copy of the headline is dropped


@dataclass
class HtmlArticle:
    blocks: list[Block]
    title: str | None = None
    published: str | None = None
    byline: str | None = None
    site: str | None = None
    url: str | None = None
    language: str | None = None


def _text_of(el: etree._Element) -> str:
    for lb in el.iter("lb"):
        lb.tail = " " + (lb.tail or "")
    return tidy("".join(str(t) for t in el.itertext()))


def _table_rows(table: etree._Element) -> list[str]:
    out = []
    for row in table.iter("row"):
        cells = [_text_of(c) for c in row.iter("cell")]
        line = " | ".join(c for c in cells if c)
        if line:
            out.append(line)
    return out


def _blocks_of(container: etree._Element) -> Iterator[Block]:
    """Blocks in document order: elements by tag, nested <div>s walked into, loose text kept.

    trafilatura's XML sometimes leaves text between elements (``<head/>text<head/>``) and, when its
    fallback extractor wins, wraps the article in <div>s, or in the <cell> of a page laid out in a table.
    """
    if container.text and container.text.strip():
        yield Block(tidy(container.text), "body")
    for el in container:
        tag = el.tag
        if tag == "head":
            yield Block(_text_of(el), "heading")
        elif tag == "list":
            yield from (Block(_text_of(item), "body") for item in el.iter("item"))
        elif tag == "table":
            yield from (Block(row, "body") for row in _table_rows(el))
        elif tag in ("p", "quote", "code"):
            yield Block(_text_of(el), "body")
        elif tag in ("div", "cell", "row"):
            yield from _blocks_of(el)  # a table's cell loose in <main> (a page laid out in a table) holds paragraphs
        if el.tail and el.tail.strip():
            yield Block(tidy(el.tail), "body")


# where a page says its language: <html lang>, an http-equiv Content-Language, og:locale (in that order)
_DECLARED = (
    re.compile(r"<html\b[^>]*?\s(?:xml:)?lang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)", re.I),
    re.compile(
        r"<meta\b[^>]*http-equiv\s*=\s*[\"']?content-language[\"']?[^>]*content\s*=\s*[\"']?([A-Za-z]{2,3})", re.I
    ),
    re.compile(r"<meta\b[^>]*property\s*=\s*[\"']?og:locale[\"']?[^>]*content\s*=\s*[\"']?([A-Za-z]{2,3})", re.I),
)
HEAD_CHARS = 50_000  # a page declares its language in its head: the start of the page is read for it


def declared_language(html: str) -> str | None:
    """The language a page declares, as it writes it ("de", "en-US"); None when it declares none."""
    head = html[:HEAD_CHARS]
    for pattern in _DECLARED:
        m = pattern.search(head)
        if m:
            return m.group(1)
    return None


def _extract(html: str, url: str | None, *, with_metadata: bool) -> str | None:
    xml: str | None = trafilatura.extract(
        html,
        url=url,
        output_format="xml",
        with_metadata=with_metadata,
        include_comments=False,
        include_tables=True,
        include_images=False,
        favor_recall=True,
    )
    return xml


def extract_html(html: str, name: str, url: str | None = None) -> HtmlArticle:
    """Main text of an HTML page as blocks, with the page's metadata."""
    try:
        try:
            xml = _extract(html, url, with_metadata=True)
        except AssertionError:
            # htmldate (the date finder) asserts on some broken trees (``<svg><h3><p>...``): the text
            # without the page's metadata then, rather than no article
            xml = _extract(html, url, with_metadata=False)
    except (ValueError, TypeError, AssertionError, etree.LxmlError) as exc:  # unparseable markup
        raise InputError(name, f"cannot parse the HTML ({exc or type(exc).__name__})") from None
    if not xml:
        raise InputError(name, "no article text found in the HTML")
    # trafilatura NFC-normalises the XML it writes, so a text opening with U+0338 (combining long
    # solidus) fuses with the tag's ">" into "≯" and breaks the tag; both are the same text split apart
    xml = xml.replace("\u226f", ">\u0338")
    try:
        root = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        raise InputError(name, f"cannot read the extracted article ({exc})") from None
    main = root.find("main")
    if main is None:
        raise InputError(name, "no article text found in the HTML")
    title = tidy(root.get("title") or "") or None
    blocks = [b for b in _blocks_of(main) if b.text]
    if title:
        # copies of the headline near the top (the page's <h1>, a gallery's repeat) are not text
        key = title.casefold()
        blocks = [b for i, b in enumerate(blocks) if i >= TITLE_COPY_WINDOW or b.text.casefold() != key]
    blocks = [b for b in blocks if b.text]
    # a heading before the first paragraph is the standfirst
    if blocks and blocks[0].kind == "heading" and len(blocks) > 1 and len(blocks[0].text.split()) > 3:
        blocks[0].kind = "subtitle"
    if sum(len(b.text) for b in blocks if b.kind == "body") < MIN_ARTICLE_CHARS:
        raise InputError(name, "no article text found in the HTML")
    if title:
        blocks.insert(0, Block(title, "title"))
    date = root.get("date")
    return HtmlArticle(
        blocks=blocks,
        title=title,
        published=date if date and DAY.match(date) else None,
        byline=tidy(root.get("author") or "") or None,
        site=tidy(root.get("sitename") or "") or None,
        url=root.get("url") or url,
        language=root.get("language") or declared_language(html),
    )
