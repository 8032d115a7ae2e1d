"""newsgraph: turn news articles into structured knowledge, locally.

    import newsgraph
    doc = newsgraph.analyze("article.txt", published="2021-12-09")   # a path, a URL, text or HTML
    doc.entities, doc.quotes, doc.times ...; doc.to_json() is SPEC's ``newsgraph.document/1``
    for doc in newsgraph.analyze_many(paths): ...
    frames = newsgraph.to_frames(docs)   # pandas DataFrames, one per table (the extra ``frames``)

Importing newsgraph loads no model: the first analysis does (``newsgraph.analysis``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsgraph.document import SCHEMA, Document, RawArticle
from newsgraph.errors import InputError, NewsgraphError

if TYPE_CHECKING:
    from newsgraph.analysis import analyze, analyze_many
    from newsgraph.frames import to_frames

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """``analyze`` and ``analyze_many`` (``newsgraph.analysis``), imported on first use: importing
    newsgraph stays light (no spaCy, no HTTP client) for the web server and the exporters."""
    if name in ("analyze", "analyze_many"):
        from newsgraph import analysis

        return getattr(analysis, name)
    if name == "to_frames":  # pandas and the store's row builders, imported when used
        from newsgraph.frames import to_frames

        return to_frames
    raise AttributeError(f"module 'newsgraph' has no attribute {name!r}")


__all__ = [
    "SCHEMA",
    "Document",
    "InputError",
    "NewsgraphError",
    "RawArticle",
    "__version__",
    "analyze",
    "analyze_many",
    "to_frames",
]
