"""newsgraph: turn news articles into structured knowledge, locally.

    import newsgraph
    doc = newsgraph.analyze("article.txt", published="2021-12-09")   # a path, a URL, text or HTML
    doc.entities, doc.quotes, doc.times ...; doc.to_json() is SPEC's ``newsgraph.document/1``
    for doc in newsgraph.analyze_many(paths): ...

Importing newsgraph loads no model: the first analysis does (``newsgraph.analysis``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from newsgraph.document import SCHEMA, Document, RawArticle
from newsgraph.errors import InputError, NewsgraphError

if TYPE_CHECKING:
    from newsgraph.analysis import Article

__version__ = "0.1.0"


def analyze(
    article: Article,
    *,
    published: str | None = None,
    source: str | None = None,
    url: str | None = None,
    geo: bool = True,
) -> Document:
    """One article (text, HTML, a path, a URL, ``-`` or a RawArticle) through the whole pipeline."""
    from newsgraph import analysis

    return analysis.analyze(article, published=published, source=source, url=url, geo=geo)


def analyze_many(
    articles: Iterable[Article], *, published: str | None = None, geo: bool = True, batch_size: int | None = None
) -> Iterator[Document]:
    """Many articles, parsed in batches; Documents in input order."""
    from newsgraph import analysis

    return analysis.analyze_many(articles, published=published, geo=geo, batch_size=batch_size)


__all__ = [
    "SCHEMA",
    "Document",
    "InputError",
    "NewsgraphError",
    "RawArticle",
    "__version__",
    "analyze",
    "analyze_many",
]
