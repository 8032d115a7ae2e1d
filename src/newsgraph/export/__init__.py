"""``newsgraph export``: documents and their layers out of the store, as JSON Lines, CSV, Parquet, or a
GDELT-style events table. Filters select documents as the API's do (``store.queries.DocumentFilter``).

Each format is one module with one writer, registered in ``FORMATS`` (in the spirit of Datasette's
renderers): a folder format writes one file per table (``writer(conn, ids, folder) -> rows per table``),
a file format one stream (``writer(conn, ids, out) -> rows``). Writers are imported when used, so the
CLI lists the formats without loading pyarrow."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsgraph.errors import ExportError as ExportError

if TYPE_CHECKING:  # the store (and with it datasketch, scipy) is imported by export(), not by the CLI's parser
    from newsgraph.store.queries import DocumentFilter


@dataclass(frozen=True)
class Format:
    """An export format: its name, its writer (``"module:function"``), whether it writes a folder of
    tables, and which table its row count is of (file formats; None: documents, not counted as rows)."""

    name: str
    writer: str
    folder: bool = False
    counts: str | None = None
    help: str = ""
    options: tuple[str, ...] = ()  # keyword options its writer takes (``header`` for gdelt)

    def write(self, *args: Any, **options: Any) -> Any:
        module, _, attr = self.writer.partition(":")
        fn: Callable[..., Any] = getattr(importlib.import_module(module), attr)
        return fn(*args, **options)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("jsonl", "newsgraph.export.jsonl:write_jsonl", help="one newsgraph.document/1 JSON per line"),
        Format("csv", "newsgraph.export.csvfiles:write_csv", folder=True, help="one CSV file per table"),
        Format("parquet", "newsgraph.export.parquet:write_parquet", folder=True, help="one Parquet file per table"),
        Format(
            "gdelt",
            "newsgraph.export.gdelt:write_gdelt",
            folder=True,
            help="GDELT 2.0's events and mentions tables and GKG 2.1's table, exactly their columns, no header"
            " (events.tsv, mentions.tsv, gkg.tsv; newsgraph's own columns beside them)",
            options=("header",),
        ),
    )
}


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
    return not f.selects_all()


def export(
    db_path: str | Path, fmt: str, out: str | None, f: DocumentFilter | None = None, **options: Any
) -> ExportReport:
    """Export the documents the filter selects (all without one). ``out``: a folder for csv, parquet and
    gdelt (required), a file for jsonl (``None`` or ``-``: standard output). ``options``: the format's own
    (``header=True`` for gdelt); ExportError for one the format does not take."""
    from newsgraph.store.db import connect_readonly
    from newsgraph.store.queries import DocumentFilter, document_ids

    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
    form = FORMATS[fmt]
    for name in options:
        if name not in form.options:
            takes = ", ".join(f"--{o}" for o in form.options) or "no options of its own"
            raise ExportError(f"--{name.replace('_', '-')} is not an option of --format {fmt} (it takes {takes})")
    f = f or DocumentFilter()
    conn = connect_readonly(db_path)
    try:
        ids: Sequence[str] | None = document_ids(conn, f) if _selected(f) else None
        n_docs = len(ids) if ids is not None else conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        if form.folder:
            folder = _folder(out, fmt)
            return ExportReport(fmt, str(folder), n_docs, form.write(conn, ids, folder, **options))
        if not out or out == "-":
            n = form.write(conn, ids, sys.stdout)
            sys.stdout.flush()
            return ExportReport(fmt, "<stdout>", n_docs, {form.counts: n} if form.counts else {})
        target = _file(out, fmt)
        tmp = target.with_name(f".{target.name}.tmp")
        try:
            with tmp.open("w", encoding="utf-8", newline="\n") as fh:
                n = form.write(conn, ids, fh)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        return ExportReport(fmt, str(target), n_docs, {form.counts: n} if form.counts else {})
    finally:
        conn.close()


def _folder(out: str | None, fmt: str) -> Path:
    if not out or out == "-":
        raise ExportError(f"--format {fmt} writes one file per table: give a folder with --out")
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{out}: exists and is not a folder")
    return folder


def _file(out: str, fmt: str) -> Path:
    target = Path(out)
    if target.is_dir():
        raise ExportError(f"{out}: is a folder; --format {fmt} writes one file")
    if not target.parent.exists():
        raise ExportError(f"{out}: folder {target.parent} does not exist")
    return target


__all__ = ["FORMATS", "ExportError", "ExportReport", "Format", "export"]
