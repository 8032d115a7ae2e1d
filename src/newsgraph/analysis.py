"""The library's front door: ``newsgraph.analyze(text_or_path, published=...)`` and ``analyze_many``.

An article is given as its text (plain or HTML), a ``pathlib.Path``, a path or URL string, ``"-"`` for
standard input, or a ``RawArticle``; the metadata given here override what the input carries. The
CLI's ``analyze`` is this, printed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

from newsgraph.dates import check_date
from newsgraph.defaults import BATCH_SIZE
from newsgraph.document import Document, RawArticle, encodable
from newsgraph.language import check_language
from newsgraph.sources.fetch_guard import without_credentials
from newsgraph.sources.raw import looks_like_html, read_input
from newsgraph.sources.urls import MAX_BYTES, TIMEOUT_S, Fetcher, is_url

Article = str | Path | RawArticle
MAX_PATH = 4096  # a string longer than this, or with a line break, is an article's text, not a path


def read_article(
    article: Article,
    *,
    published: str | None = None,
    source: str | None = None,
    url: str | None = None,
    language: str | None = None,
    timeout: float = TIMEOUT_S,
    max_bytes: int = MAX_BYTES,
    allow_private: bool = False,
) -> RawArticle:
    """The ``RawArticle`` of a text, path, URL or ``-``; InputError naming the input when it cannot be read
    or ``published`` is not YYYY-MM-DD, or ``language`` no ISO 639-1 code (a language given is taken as said,
    not detected). A URL is fetched from public addresses only unless ``allow_private``."""
    day = check_date(published, "published")
    lang = check_language(language, "language")
    if isinstance(article, RawArticle):
        raw = article
    elif isinstance(article, Path) or _is_path(article):
        raw = read_input(str(article))
    elif is_url(article):
        with Fetcher(timeout=timeout, max_bytes=max_bytes, allow_private=allow_private) as fetcher:
            raw = fetcher.article(article)
        raw.url = without_credentials(article)  # the address asked for, not where redirects ended
    else:
        raw = RawArticle(name="<text>", content=article, format=_format_of(article))
    raw.url = encodable(without_credentials(url)) if url else raw.url
    raw.published = day or raw.published
    raw.source = encodable(source) if source else raw.source
    raw.language = lang or raw.language
    return raw


def _is_path(value: str) -> bool:
    if value == "-":
        return True
    if is_url(value) or len(value) > MAX_PATH or "\n" in value:
        return False
    try:
        exists = Path(value).exists()
    except OSError:  # a name the file system cannot even look up (a part over 255 bytes): text
        return False
    return exists or " " not in value.strip()  # one word: a path, even a missing one


def _format_of(text: str) -> Literal["text", "html"]:
    return "html" if looks_like_html(text[:4096].encode("utf-8", "replace")) else "text"


def analyze(
    article: Article,
    *,
    published: str | None = None,
    source: str | None = None,
    url: str | None = None,
    language: str | None = None,
    geo: bool = True,
    allow_private: bool = False,
) -> Document:
    """One article through the whole pipeline: cleaning, the parse, every registered layer.

    ``geo=False`` leaves the layers that need the gazetteer (places) empty; ``allow_private`` lets a URL
    be fetched from a loopback or private address."""
    from newsgraph import pipeline

    raw = read_article(
        article, published=published, source=source, url=url, language=language, allow_private=allow_private
    )
    return pipeline.analyze(raw, geo=geo)


def analyze_many(
    articles: Iterable[Article], *, published: str | None = None, geo: bool = True, batch_size: int = BATCH_SIZE
) -> Iterator[Document]:
    """Many articles, parsed in batches; Documents in input order. A bad input raises InputError."""
    from newsgraph import pipeline

    raws = (read_article(a, published=published) for a in articles)
    yield from pipeline.analyze_many(raws, batch_size, geo=geo)


__all__ = ["Article", "analyze", "analyze_many", "read_article"]
