"""Article cleaning: plain text and HTML into titled, classified paragraphs with debris removed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsgraph.clean.blocks import assemble
from newsgraph.clean.debris import strip_debris
from newsgraph.clean.layout import classify, mark_given_title, split_plain_text
from newsgraph.clean.markup import defuse
from newsgraph.defaults import MAX_ARTICLE_CHARS, MAX_HTML_BYTES
from newsgraph.document import Document, Meta, RawArticle
from newsgraph.errors import InputError
from newsgraph.language import decide
from newsgraph.outlets import outlet

if TYPE_CHECKING:
    from newsgraph.clean.html import HtmlArticle


def check_size(raw: RawArticle) -> None:
    """InputError for an input over the limits (``newsgraph.defaults``), before any work is spent on it:
    plain text over MAX_ARTICLE_CHARS characters, an HTML page over MAX_HTML_BYTES bytes."""
    if raw.format == "html":
        size = _utf8_size(raw.content)
        if size > MAX_HTML_BYTES:
            raise InputError(
                raw.name, f"HTML page too large: {size:,} bytes (limit {MAX_HTML_BYTES:,}); not cleaned or analysed"
            )
    elif len(raw.content) > MAX_ARTICLE_CHARS:
        raise InputError(
            raw.name,
            f"article too long: {len(raw.content):,} characters (limit {MAX_ARTICLE_CHARS:,}); not cleaned or analysed",
        )


def _utf8_size(text: str) -> int:
    """The text's size in UTF-8 bytes; a short text is not encoded (four bytes a character at most)."""
    if 4 * len(text) <= MAX_HTML_BYTES:
        return len(text)  # a lower bound, and under the limit whatever the characters
    return len(text.encode("utf-8", "surrogatepass"))


def extract_html(html: str, name: str, url: str | None = None) -> HtmlArticle:
    """``clean.html.extract_html``, imported at the first page: trafilatura and lxml take 0.1 s to import,
    which plain text never needs."""
    from newsgraph.clean.html import extract_html as extract

    return extract(html, name, url)


def clean_article(raw: RawArticle) -> Document:
    """A Document with cleaned text, classified paragraphs and the debris listed; no layers yet.
    An input over the size limits is refused first (``check_size``)."""
    check_size(raw)
    meta = Meta(source=raw.source, url=raw.url, published=raw.published)
    declared: str | None = None
    if raw.format == "html":
        page = extract_html(defuse(raw.content), raw.name, raw.url)
        blocks = page.blocks
        meta.url = meta.url or page.url
        meta.source = meta.source or outlet(page.site, meta.url)  # an explicit source wins; else the outlet
        meta.published = meta.published or page.published
        meta.byline = page.byline
        declared = page.language
    else:
        blocks = split_plain_text(raw.content)
        meta.source = meta.source or outlet(None, meta.url)  # a text with a URL (JSON Lines) has its outlet too
    blocks, removed = strip_debris(blocks)
    if raw.title:
        mark_given_title(blocks, raw.title)
    removed += classify(blocks, meta)
    text, paragraphs = assemble(blocks)
    if not text.strip():
        raise InputError(raw.name, "no article text left after cleaning")
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(
            raw.name, f"article too long: {len(text):,} characters after cleaning (limit {MAX_ARTICLE_CHARS:,})"
        )
    if raw.language:  # the user's word: no detector overrules it (language_score None: not detected)
        meta.language, meta.language_score = raw.language, None
    else:
        meta.language, meta.language_score = decide(text, declared)
    doc = Document(meta=meta, text=text, paragraphs=paragraphs, removed=removed)
    titles, subtitles = doc.paragraphs_of("title"), doc.paragraphs_of("subtitle")
    meta.title = raw.title or (titles[0] if titles else None)  # a title given with the article wins
    meta.subtitle = subtitles[0] if subtitles else None
    return doc


__all__ = ["MAX_ARTICLE_CHARS", "MAX_HTML_BYTES", "check_size", "clean_article"]
