"""``newsgraph export``: documents and their layers out of the store, as JSON Lines, CSV, Parquet, or a
GDELT-style events table. Filters select documents as the API's do (``store.queries.DocumentFilter``)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from newsgraph.errors import NewsgraphError
from newsgraph.export.csvfiles import write_csv
from newsgraph.export.gdelt import write_gdelt
from newsgraph.export.jsonl import write_jsonl
from newsgraph.export.parquet import write_parquet
from newsgraph.store.db import connect_readonly
from newsgraph.store.queries import DocumentFilter, document_ids

Format = Literal["jsonl", "csv", "parquet", "gdelt"]
FORMATS: tuple[Format, ...] = ("jsonl", "csv", "parquet", "gdelt")
FOLDER_FORMATS = ("csv", "parquet")


class ExportError(NewsgraphError):
    """An export that cannot be written: a missing or unusable --out."""


@dataclass
class ExportReport:
    format: str
    out: str
    documents: int
    rows: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        counts = ", ".join(f"{n} {table}" for table, n in self.rows.items())
        return (
            f"exported {self.documents} document{'s' if self.documents != 1 else ''} as {self.format} to {self.out}"
            + (f" ({counts})" if counts else "")
        )


def _selected(f: DocumentFilter) -> bool:
    return any((f.q, f.source, f.since, f.until, f.entity, f.event_type))


def export(db_path: str | Path, fmt: str, out: str | None, f: DocumentFilter | None = None) -> ExportReport:
    """Export the documents the filter selects (all without one). ``out``: a folder for csv and parquet
    (required), a file for jsonl and gdelt (``None`` or ``-``: standard output)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
    f = f or DocumentFilter()
    conn = connect_readonly(db_path)
    try:
        ids: Sequence[str] | None = document_ids(conn, f) if _selected(f) else None
        n_docs = len(ids) if ids is not None else conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        if fmt in FOLDER_FORMATS:
            if not out or out == "-":
                raise ExportError(f"--format {fmt} writes one file per table: give a folder with --out")
            folder = Path(out)
            if folder.exists() and not folder.is_dir():
                raise ExportError(f"{out}: exists and is not a folder")
            rows = write_csv(conn, ids, folder) if fmt == "csv" else write_parquet(conn, ids, folder)
            return ExportReport(fmt, str(folder), n_docs, rows)
        if not out or out == "-":
            n = write_jsonl(conn, ids, sys.stdout) if fmt == "jsonl" else write_gdelt(conn, ids, sys.stdout)
            sys.stdout.flush()
            return ExportReport(fmt, "<stdout>", n_docs, {} if fmt == "jsonl" else {"events": n})
        target = Path(out)
        if target.is_dir():
            raise ExportError(f"{out}: is a folder; --format {fmt} writes one file")
        if not target.parent.exists():
            raise ExportError(f"{out}: folder {target.parent} does not exist")
        tmp = target.with_name(f".{target.name}.tmp")
        try:
            with tmp.open("w", encoding="utf-8", newline="\n") as fh:
                n = write_jsonl(conn, ids, fh) if fmt == "jsonl" else write_gdelt(conn, ids, fh)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        return ExportReport(fmt, str(target), n_docs, {} if fmt == "jsonl" else {"events": n})
    finally:
        conn.close()


__all__ = ["FORMATS", "ExportError", "ExportReport", "export"]
