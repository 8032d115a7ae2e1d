"""``--format parquet``: one Parquet file per table in a folder (``documents.parquet``, ...), typed as the
store declares its columns (INTEGER int64, REAL float64, TEXT string), and the days as dates: the
publication day (``published``), an event's day (``day``) and the day an event mention was seen
(``event_mentions.day_seen``) are Parquet dates, ``ingested_at`` a UTC timestamp (``tables.DAY_COLUMNS``).
Written in row groups, so an export never holds a whole table in memory."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from newsgraph.export.tables import DAY_COLUMNS, INSTANT_COLUMNS, columns, exported_tables, rows

ROW_GROUP = 50_000
_TYPES = {"INTEGER": pa.int64(), "REAL": pa.float64(), "TEXT": pa.string(), "BLOB": pa.binary()}


def write_parquet(conn: sqlite3.Connection, doc_ids: Sequence[str] | None, folder: Path) -> dict[str, int]:
    """Write every table's rows for the documents into ``folder``; rows written per table."""
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for table in exported_tables(conn):
        cols = columns(conn, table)
        schema = arrow_schema(cols)
        names = [name for name, _ in cols]
        target = folder / f"{table}.parquet"
        tmp = target.with_name(f".{target.name}.tmp")
        n = 0
        with pq.ParquetWriter(tmp, schema) as writer:
            batch: list[tuple[object, ...]] = []
            for row in rows(conn, table, doc_ids, names):
                batch.append(row)
                if len(batch) >= ROW_GROUP:
                    writer.write_table(arrow_table(batch, names, schema))
                    n += len(batch)
                    batch = []
            if batch or n == 0:
                writer.write_table(arrow_table(batch, names, schema))
                n += len(batch)
        os.replace(tmp, target)
        counts[table] = n
    return counts


def arrow_schema(cols: Sequence[tuple[str, str]]) -> pa.Schema:
    """The Arrow schema of (name, declared SQL type) columns, as every Parquet output types them."""
    return pa.schema([pa.field(name, _type(name, kind)) for name, kind in cols])


def _type(name: str, kind: str) -> pa.DataType:
    if kind == "TEXT" and name in DAY_COLUMNS:
        return pa.date32()
    if kind == "TEXT" and name in INSTANT_COLUMNS:
        return pa.timestamp("s", tz="UTC")
    return _TYPES.get(kind, pa.string())


def arrow_table(batch: Sequence[Sequence[object]], names: list[str], schema: pa.Schema) -> pa.Table:
    data = {name: [row[i] for row in batch] for i, name in enumerate(names)}
    for name in names:
        kind = schema.field(name).type
        if kind == pa.date32():
            data[name] = [dt.date.fromisoformat(v) if isinstance(v, str) and v else None for v in data[name]]
        elif pa.types.is_timestamp(kind):
            data[name] = [dt.datetime.fromisoformat(v) if isinstance(v, str) and v else None for v in data[name]]
    return pa.Table.from_pydict(data, schema=schema)
