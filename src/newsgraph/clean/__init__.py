"""Article cleaning: plain text and HTML into titled, classified paragraphs with debris removed."""

from __future__ import annotations

from newsgraph.clean.blocks import assemble
from newsgraph.clean.debris import strip_debris
from newsgraph.clean.html import extract_html
from newsgraph.clean.layout import classify, split_plain_text
from newsgraph.document import Document, Meta, RawArticle
from newsgraph.errors import InputError

# spaCy parses at most a million characters at once; no news article comes near it
MAX_ARTICLE_CHARS = 1_000_000


def clean_article(raw: RawArticle) -> Document:
    """A Document with cleaned text, classified paragraphs and the debris listed; no layers yet."""
    meta = Meta(source=raw.source, url=raw.url, published=raw.published)
    if raw.format == "html":
        page = extract_html(raw.content, raw.name, raw.url)
        blocks = page.blocks
        meta.url = meta.url or page.url
        meta.source = meta.source or page.site
        meta.published = meta.published or page.published
        meta.byline = page.byline
        if page.language:
            meta.language = page.language
    else:
        blocks = split_plain_text(raw.content)
    blocks, removed = strip_debris(blocks)
    removed += classify(blocks, meta)
    text, paragraphs = assemble(blocks)
    if not text.strip():
        raise InputError(raw.name, "no article text left after cleaning")
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(
            raw.name, f"article too long: {len(text):,} characters after cleaning (limit {MAX_ARTICLE_CHARS:,})"
        )
    doc = Document(meta=meta, text=text, paragraphs=paragraphs, removed=removed)
    titles, subtitles = doc.paragraphs_of("title"), doc.paragraphs_of("subtitle")
    meta.title = titles[0] if titles else None
    meta.subtitle = subtitles[0] if subtitles else None
    return doc


__all__ = ["clean_article"]
