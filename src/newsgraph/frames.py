"""Documents as pandas DataFrames, one per table, with the columns of the store's export.

    frames = newsgraph.to_frames(newsgraph.analyze_many(paths))
    frames["quotes"].groupby("speaker_name").size()

The rows are the store's own (``store.db.document_row`` and ``layer_rows``, which ``newsgraph batch`` writes
too), without a store: no near-duplicate search (``story_id`` is the document's id), no ``ingested_at``.
pandas is an extra (``pip install 'newsgraph[frames]'``), imported when ``to_frames`` runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from newsgraph.document import Document
from newsgraph.errors import ExtraError

if TYPE_CHECKING:
    import pandas as pd

# pandas' types for the store's declared ones: integers nullable (a missing count is <NA>, not a float NaN)
_DTYPES = {"INTEGER": "Int64", "REAL": "float64", "TEXT": "object"}


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ExtraError("to_frames needs pandas, which is not installed: pip install 'newsgraph[frames]'") from None
    return pandas


def to_frames(documents: Iterable[Document | Mapping[str, Any]]) -> dict[str, pd.DataFrame]:
    """One DataFrame per table: ``documents``, then every registered layer's (``entities``, ``mentions``,
    ``quotes``, ``quantities``, ``times``, ``places``, ``events``), with ``newsgraph export``'s columns, in
    input order. ``documents``: Documents or their ``newsgraph.document/1`` JSON (``doc.to_json()``)."""
    pandas = _pandas()
    from newsgraph.batch.dataset import ERRORS, table_columns
    from newsgraph.store.db import document_row, layer_rows

    tables = {t: cols for t, cols in table_columns().items() if t != ERRORS}
    rows: dict[str, list[list[Any]]] = {t: [] for t in tables}
    for doc in documents:
        data = doc.to_json() if isinstance(doc, Document) else dict(doc)
        row = document_row(data, match=None, input_name=None, ingested_at=None)
        rows["documents"].append([row.get(name) for name, _ in tables["documents"]])
        for table, names, values in layer_rows(data):
            at = {name: i for i, name in enumerate(names)}
            picks = [at.get(name) for name, _ in tables[table]]
            rows[table].extend([v[i] if i is not None else None for i in picks] for v in values)
    frames: dict[str, pd.DataFrame] = {}
    for table, cols in tables.items():
        frame = pandas.DataFrame(rows[table], columns=[name for name, _ in cols], dtype=object)
        frames[table] = frame.astype({name: _DTYPES.get(kind, "object") for name, kind in cols})
    return frames


__all__ = ["to_frames"]
