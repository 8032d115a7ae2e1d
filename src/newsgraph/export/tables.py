"""The store's tables as exports see them: which columns, which rows for a set of documents."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

# exported tables, in order; every one but documents has a doc_id column
TABLES = ("documents", "entities", "mentions", "quotes", "quantities", "times", "places", "events")
# columns no export carries: the store's own row numbers, and the JSON (``--format jsonl`` carries it)
LEFT_OUT = {"documents": {"n", "json"}}
ID_CHUNK = 500  # ids per IN (...) list, under SQLite's parameter limit


def columns(conn: sqlite3.Connection, table: str) -> list[tuple[str, str]]:
    """(name, declared type) of the table's exported columns."""
    if table not in TABLES:
        raise ValueError(f"not an exported table: {table}")
    skip = LEFT_OUT.get(table, {"n"})
    return [(row[1], str(row[2]).upper()) for row in conn.execute(f"PRAGMA table_info({table})") if row[1] not in skip]


def rows(
    conn: sqlite3.Connection, table: str, doc_ids: Sequence[str] | None, names: Sequence[str]
) -> Iterator[tuple[Any, ...]]:
    """The table's rows (``names`` columns) for the documents ``doc_ids`` (None: all), in document order."""
    key = "id" if table == "documents" else "doc_id"
    order = "n" if table == "documents" else "doc_id, n"
    cols = ", ".join(f'"{n}"' for n in names)
    if doc_ids is None:
        yield from conn.execute(f"SELECT {cols} FROM {table} ORDER BY {order}")
        return
    for i in range(0, len(doc_ids), ID_CHUNK):
        chunk = doc_ids[i : i + ID_CHUNK]
        marks = ", ".join("?" * len(chunk))
        yield from conn.execute(f"SELECT {cols} FROM {table} WHERE {key} IN ({marks}) ORDER BY {order}", chunk)
