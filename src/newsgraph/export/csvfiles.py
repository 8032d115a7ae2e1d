"""``--format csv``: one CSV file per table in a folder (``documents.csv``, ``entities.csv``, ...), UTF-8
with a header row; empty cells for nulls. ``documents.csv`` has the text but not the JSON."""

from __future__ import annotations

import csv
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from newsgraph.export.tables import columns, exported_tables, rows


def write_csv(conn: sqlite3.Connection, doc_ids: Sequence[str] | None, folder: Path) -> dict[str, int]:
    """Write every table's rows for the documents into ``folder``; rows written per table."""
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for table in exported_tables(conn):
        names = [name for name, _ in columns(conn, table)]
        target = folder / f"{table}.csv"
        tmp = target.with_name(f".{target.name}.tmp")
        n = 0
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(names)
            for row in rows(conn, table, doc_ids, names):
                writer.writerow(row)
                n += 1
        os.replace(tmp, target)
        counts[table] = n
    return counts
