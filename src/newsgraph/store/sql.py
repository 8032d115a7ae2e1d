"""``newsgraph query``: one SQL statement on the store, read-only, its rows printed as JSON, JSON Lines or
CSV (as sqlite-utils' ``query`` does). The database is opened with ``mode=ro``, so a statement that would
write fails; a bad statement is a QueryError naming SQLite's complaint."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from newsgraph.errors import QueryError
from newsgraph.store.db import connect_readonly


def run_query(db: str | Path, sql: str, params: Sequence[Any] = (), *, fmt: str = "json", out: TextIO) -> int:
    """Run ``sql`` with ``params`` on the store at ``db`` and write its rows to ``out``; rows written."""
    conn = connect_readonly(db)
    try:
        try:
            cur = conn.execute(sql, tuple(params))
        except (sqlite3.Error, sqlite3.Warning) as exc:
            raise QueryError(f"query: {exc}") from None
        names = [d[0] for d in cur.description or ()]
        return _write(cur, names, fmt, out)
    finally:
        conn.close()


def _write(rows: Any, names: list[str], fmt: str, out: TextIO) -> int:
    n = 0
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(names)
        for row in rows:
            writer.writerow(_cell(v) for v in row)
            n += 1
        return n
    if fmt == "nl":
        for row in rows:
            out.write(json.dumps(dict(zip(names, map(_cell, row), strict=True)), ensure_ascii=False) + "\n")
            n += 1
        return n
    out.write("[")
    for row in rows:
        out.write(
            ("," if n else "") + "\n  " + json.dumps(dict(zip(names, map(_cell, row), strict=True)), ensure_ascii=False)
        )
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n


def _cell(value: Any) -> Any:
    return value.hex() if isinstance(value, bytes) else value  # a BLOB (a MinHash signature) as hex


__all__ = ["run_query"]
