"""Documents as pandas DataFrames, one per table, with the columns of the store's export.

    frames = newsgraph.to_frames(newsgraph.analyze_many(paths))
    frames["quotes"].groupby("speaker_name").size()

The rows are the store's own (``store.db.document_row`` and ``layer_rows``, which ``newsgraph batch`` writes
too), without a store: no near-duplicate search (``story_id`` is the document's id), no ``ingested_at``.
The days (``published``, an event's ``day``) are datetimes, as the Parquet export's are dates
(``export.tables.DAY_COLUMNS``). pandas is an extra (``pip install 'newsgraph[frames]'``), imported when
``to_frames`` runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
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


Documents = Document | Mapping[str, Any] | Iterable[Document | Mapping[str, Any]]


def _documents(documents: Documents) -> Iterator[dict[str, Any]]:
    """The documents' JSON: one Document (or its JSON) alone, or each of an iterable of them."""
    if isinstance(documents, Document | Mapping):
        documents = [documents]
    elif isinstance(documents, str | bytes | os.PathLike) or not isinstance(documents, Iterable):
        shown = repr(documents)[:60]
        raise TypeError(
            f"to_frames takes analysed documents (a Document, its JSON, or a list of them), not the"
            f" {type(documents).__name__} {shown}: analyse it first with newsgraph.analyze"
        )
    for i, doc in enumerate(documents):
        if isinstance(doc, Document):
            yield doc.to_json()
        elif isinstance(doc, Mapping):
            yield dict(doc)
        else:
            raise TypeError(
                f"to_frames: document {i} is a {type(doc).__name__}, not a Document or its newsgraph.document/1 JSON"
            )


def _as_datetimes(pandas: Any, frame: pd.DataFrame, table: str, name: str, *, utc: bool) -> Any:
    try:
        return pandas.to_datetime(frame[name], utc=utc, format="ISO8601")
    except (ValueError, TypeError):
        bad = next(v for v in frame[name] if v is not None and pandas.isna(pandas.to_datetime(v, errors="coerce")))
        kind = "an ISO 8601 instant" if utc else "a day (YYYY-MM-DD)"
        raise ValueError(f"to_frames: {table}.{name}: {bad!r} is not {kind}") from None


def to_frames(documents: Documents) -> dict[str, pd.DataFrame]:
    """One DataFrame per table: ``documents``, then every registered layer's (``entities``, ``mentions``,
    ``quotes``, ``quantities``, ``times``, ``places``, ``events``), with ``newsgraph export``'s columns, in
    input order. ``documents``: a Document or its ``newsgraph.document/1`` JSON (``doc.to_json()``), or an
    iterable of them. The days (``published``, ``day``) are datetime columns, ``ingested_at`` UTC."""
    pandas = _pandas()
    from newsgraph.batch.dataset import ERRORS, table_columns
    from newsgraph.export.tables import DAY_COLUMNS, INSTANT_COLUMNS
    from newsgraph.store.db import document_row, layer_rows

    tables = {t: cols for t, cols in table_columns().items() if t != ERRORS}
    rows: dict[str, list[list[Any]]] = {t: [] for t in tables}
    for data in _documents(documents):
        row = document_row(data, match=None, input_name=None, ingested_at=None)
        rows["documents"].append([row.get(name) for name, _ in tables["documents"]])
        for table, names, values in layer_rows(data):
            at = {name: i for i, name in enumerate(names)}
            picks = [at.get(name) for name, _ in tables[table]]
            rows[table].extend([v[i] if i is not None else None for i in picks] for v in values)
    frames: dict[str, pd.DataFrame] = {}
    for table, cols in tables.items():
        frame = pandas.DataFrame(rows[table], columns=[name for name, _ in cols], dtype=object)
        frame = frame.astype({name: _DTYPES.get(kind, "object") for name, kind in cols})
        for name, kind in cols:
            if kind == "TEXT" and (name in DAY_COLUMNS or name in INSTANT_COLUMNS):
                frame[name] = _as_datetimes(pandas, frame, table, name, utc=name in INSTANT_COLUMNS)
        frames[table] = frame
    return frames


__all__ = ["to_frames"]
