"""The store's tables as exports see them: which columns, which rows for a set of documents."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from newsgraph.layers import REGISTRY
from newsgraph.store.schema import STORE_COLUMNS

# the store's own tables that point to documents: which event cluster each event mention joins
# (store/event_clusters.py); its row is (doc_id, idx), the events row it marks
STORE_TABLES = ("event_mentions",)
# the built-in exported tables: documents, every layer table the registry declares, then the store's
# own (all have doc_id)
TABLES = ("documents", *(t.name for _, t in REGISTRY.tables()), *STORE_TABLES)
# columns no export carries: the store's own row numbers and the keys made of them (an entity's ``n``), and the
# JSON (``--format jsonl`` carries it)
LEFT_OUT = {"documents": {"n", "json"}} | {table: {"n", *names} for table, names in STORE_COLUMNS.items()}
ID_CHUNK = 500  # ids per IN (...) list, under SQLite's parameter limit
# the exported TEXT columns that hold a day (YYYY-MM-DD) or an instant (ISO 8601, UTC): typed as such by the
# exports that have types (Parquet's dates and timestamps, to_frames' datetimes); a day column of a new
# table belongs here (tests/test_export.py finds one that holds only days and is not)
DAY_COLUMNS = frozenset({"published", "day", "day_seen"})
INSTANT_COLUMNS = frozenset({"ingested_at"})


def exported_tables(conn: sqlite3.Connection) -> list[str]:
    """documents, then the tables of the layers registered now, then the store's own, that this store has."""
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    names = [*(t.name for _, t in REGISTRY.tables()), *STORE_TABLES]
    return ["documents", *(name for name in names if name in have)]


def columns(conn: sqlite3.Connection, table: str) -> list[tuple[str, str]]:
    """(name, declared type) of the table's exported columns."""
    if table != "documents" and table not in {t.name for _, t in REGISTRY.tables()} | set(STORE_TABLES):
        raise ValueError(f"not an exported table: {table}")
    skip = LEFT_OUT.get(table, {"n"})
    return [(row[1], str(row[2]).upper()) for row in conn.execute(f"PRAGMA table_info({table})") if row[1] not in skip]


def rows(
    conn: sqlite3.Connection, table: str, doc_ids: Sequence[str] | None, names: Sequence[str]
) -> Iterator[tuple[Any, ...]]:
    """The table's rows (``names`` columns) for the documents ``doc_ids`` (None: all), in document order."""
    key = "id" if table == "documents" else "doc_id"
    order = "n" if table == "documents" else "doc_id, idx" if table in STORE_TABLES else "doc_id, n"
    cols = ", ".join(f'"{n}"' for n in names)
    if doc_ids is None:
        yield from conn.execute(f"SELECT {cols} FROM {table} ORDER BY {order}")
        return
    for i in range(0, len(doc_ids), ID_CHUNK):
        chunk = doc_ids[i : i + ID_CHUNK]
        marks = ", ".join("?" * len(chunk))
        yield from conn.execute(f"SELECT {cols} FROM {table} WHERE {key} IN ({marks}) ORDER BY {order}", chunk)
