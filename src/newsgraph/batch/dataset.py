"""``newsgraph batch``'s output: one Parquet dataset per table under the output folder, partitioned by
publication month, with the columns ``newsgraph export --format parquet`` gives the same tables.

    OUT/_batch.json                             what wrote it (schema, options): a re-run must match
    OUT/documents/month=2021-12/<shard>.parquet one file per shard and month (hive partitioning;
    OUT/entities/month=2021-12/<shard>.parquet  month=unknown: no publication date)
    ...                                         documents, then every registered layer's tables
    OUT/errors/<shard>.parquet                  the shard's bad inputs: input, problem
    OUT/<table>/_common_metadata                each table's schema (read it even before rows exist)
    OUT/_shards/<shard>.json                    written last: the shard is done (its counts and time)

A shard's files are written under ``OUT/_tmp/<shard>/`` and moved into place, then its marker is written:
a shard with a marker is complete and a re-run skips it; one without is cleared (its partial files
removed) and analysed again. Rows are those of ``store.db.write_document`` without a store: no
near-duplicate search across the corpus (``story_id`` is the document's own id, ``duplicate_of`` and
``similarity`` empty), no ``ingested_at``, no event clusters (``event_mentions`` is the store's).
"""

from __future__ import annotations

import functools
import json
import os
import resource
import shutil
import sqlite3
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from newsgraph.batch.analyse import Options, Outcome
from newsgraph.batch.shards import Shard
from newsgraph.errors import BatchError
from newsgraph.export.parquet import arrow_schema, arrow_table
from newsgraph.export.tables import STORE_TABLES, columns, exported_tables
from newsgraph.store.db import document_row, ensure_layer_tables, layer_rows
from newsgraph.store.schema import migrate

SCHEMA = "newsgraph.batch/1"
MANIFEST = "_batch.json"
DONE = "_shards"
TMP = "_tmp"
ERRORS = "errors"
NO_MONTH = "unknown"
ERROR_COLUMNS = [("input", "TEXT"), ("problem", "TEXT")]


@functools.cache
def table_columns() -> dict[str, list[tuple[str, str]]]:
    """(name, SQL type) of each table's columns as the store's export has them, from a store made in memory."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(conn, ":memory:")
        ensure_layer_tables(conn)
        tables = [t for t in exported_tables(conn) if t not in STORE_TABLES]
        return {t: columns(conn, t) for t in tables} | {ERRORS: ERROR_COLUMNS}
    finally:
        conn.close()


@dataclass
class ShardSummary:
    """What one shard gave: documents written, inputs unchanged (met twice) or failed, rows per table."""

    key: str
    shard: str
    documents: int = 0
    unchanged: int = 0
    failed: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0  # the whole shard: reading, analysis, writing
    write_seconds: float = 0.0  # of which turning the documents into rows and writing the Parquet files
    peak_rss_mb: float = 0.0
    problems: list[tuple[str, str]] = field(default_factory=list)  # (input, problem) of each failure
    error: str | None = None  # the shard as a whole could not be done (nothing of it written)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ShardSummary:
        return cls(**{**data, "problems": [tuple(p) for p in data.get("problems", [])]})


class Output:
    """The output folder of a batch."""

    def __init__(self, folder: str | Path, options: Options) -> None:
        self.folder = Path(folder)
        self.options = options

    def open(self) -> None:
        """Create the folder (or check that an earlier run wrote it with the same options) and the schemas."""
        if self.folder.exists() and not self.folder.is_dir():
            raise BatchError(f"{self.folder}: exists and is not a folder")
        manifest = self.folder / MANIFEST
        want = {"schema": SCHEMA, "geo": self.options.geo}
        if manifest.exists():
            try:
                have = json.loads(manifest.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise BatchError(f"{manifest}: unreadable ({exc}); not a newsgraph batch output?") from None
            if have != want:
                raise BatchError(
                    f"{self.folder}: written by a batch with other options ({_options(have)}), not {_options(want)};"
                    " give another --out, or the same options"
                )
        elif self.folder.exists() and any(p.name != TMP for p in self.folder.iterdir()):
            raise BatchError(f"{self.folder}: not empty and not a newsgraph batch output; give another --out")
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / DONE).mkdir(exist_ok=True)
        for table, cols in table_columns().items():
            (self.folder / table).mkdir(exist_ok=True)
            pq.write_metadata(arrow_schema(cols), self.folder / table / "_common_metadata")
        _write_atomically(manifest, json.dumps(want, indent=2) + "\n")

    def marker(self, shard: Shard) -> Path:
        return self.folder / DONE / f"{shard.key}.json"

    def done(self, shard: Shard) -> ShardSummary | None:
        """The summary of a finished shard, None when it is not finished."""
        try:
            return ShardSummary.from_json(json.loads(self.marker(shard).read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None

    def clear(self, shard: Shard) -> None:
        """Remove what a run that stopped half-way left of the shard (its files, its temporary folder)."""
        for table in table_columns():
            for path in (self.folder / table).glob(f"**/{shard.key}.parquet"):
                path.unlink(missing_ok=True)
        shutil.rmtree(self.folder / TMP / shard.key, ignore_errors=True)

    def write(self, shard: Shard, outcomes: Iterable[Outcome], seconds: float) -> ShardSummary:
        """Write the shard's rows (outcomes in any order; written in input order), then its marker.
        ``seconds``: what reading and analysing the shard took."""
        started = time.perf_counter()
        summary = ShardSummary(shard.key, shard.describe())
        parts: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for outcome in sorted(outcomes, key=lambda o: o.index):
            if outcome.failure is not None:
                summary.failed += 1
                summary.problems.append((outcome.failure.name, outcome.failure.problem))
                parts[(ERRORS, "")].append({"input": outcome.failure.name, "problem": outcome.failure.problem})
            elif outcome.doc is None:
                summary.unchanged += 1
            else:
                summary.documents += 1
                _add_rows(parts, outcome.doc.to_json(), outcome.name)
        tmp = self.folder / TMP / shard.key
        shutil.rmtree(tmp, ignore_errors=True)
        moves: list[tuple[Path, Path]] = []
        cols = table_columns()
        for (table, month), records in sorted(parts.items()):
            names = [name for name, _ in cols[table]]
            part = Path(table) / (f"month={month}" if month else "") / f"{shard.key}.parquet"
            (tmp / part).parent.mkdir(parents=True, exist_ok=True)
            rows = [[r.get(n) for n in names] for r in records]
            pq.write_table(arrow_table(rows, names, arrow_schema(cols[table])), tmp / part)
            moves.append((tmp / part, self.folder / part))
            summary.rows[table] = summary.rows.get(table, 0) + len(records)
        for source, target in moves:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
        shutil.rmtree(tmp, ignore_errors=True)
        summary.write_seconds = round(time.perf_counter() - started, 3)
        summary.seconds = round(seconds + summary.write_seconds, 3)
        summary.peak_rss_mb = peak_rss_mb()
        _write_atomically(self.marker(shard), json.dumps(summary.to_json(), ensure_ascii=False) + "\n")
        return summary


def _add_rows(parts: dict[tuple[str, str], list[dict[str, Any]]], data: dict[str, Any], name: str) -> None:
    published = data["meta"]["published"]
    month = published[:7] if published else NO_MONTH
    parts[("documents", month)].append(document_row(data, match=None, input_name=name, ingested_at=None))
    for table, names, values in layer_rows(data):
        parts[(table, month)].extend(dict(zip(names, row, strict=True)) for row in values)


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _options(manifest: dict[str, Any]) -> str:
    return "places on" if manifest.get("geo", True) else "--no-geo"


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MiB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


__all__ = ["Output", "ShardSummary", "peak_rss_mb", "table_columns"]
