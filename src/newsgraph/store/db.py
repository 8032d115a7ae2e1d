"""Opening the store and writing one analysed document into it, in one transaction.

``connect`` opens for writing (WAL mode, schema migrated); ``connect_readonly`` opens with SQLite's
``mode=ro`` URI, so nothing done through it can change the file. A document is written with all its
layer rows, full-text entries and near-duplicate signature in one transaction: a crash or ``kill -9``
leaves either all of it or none of it, and ``INSERT`` keyed by the document id makes a second write a
no-op.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from datasketch import MinHash

from newsgraph.document import Document
from newsgraph.layers import REGISTRY, RowContext
from newsgraph.outlets import outlet
from newsgraph.store import event_clusters
from newsgraph.store.dedup import SCHEME, Match, to_blob
from newsgraph.store.schema import SCHEMA_VERSION, StoreError, check_version, migrate

BUSY_TIMEOUT_MS = 30_000


def connect(path: str | Path) -> sqlite3.Connection:
    """Open (creating if need be) the store for writing, in WAL mode, migrated to the current schema.

    The connection is in autocommit mode: callers open their own transactions (``transaction``)."""
    name = str(path)
    p = Path(path)
    if p.is_dir():
        raise StoreError(f"{name}: is a directory, not a database file")
    if not p.parent.exists():
        raise StoreError(f"{name}: folder {p.parent} does not exist")
    try:
        conn = sqlite3.connect(name, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(f"{name}: cannot switch the database to WAL mode (journal mode {mode})")
        conn.execute("PRAGMA synchronous = NORMAL")  # in WAL mode: durable on commit against crashes of the process
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn, name)
        ensure_layer_tables(conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{name}: cannot open as a newsgraph database ({exc})") from None
    return conn


def connect_readonly(path: str | Path, *, check_same_thread: bool = True) -> sqlite3.Connection:
    """Open an existing store read-only (``mode=ro``); StoreError when it is missing or at another schema."""
    name = str(path)
    p = Path(path)
    if not p.is_file():
        raise StoreError(f"{name}: no such database; create it with `newsgraph ingest`")
    uri = "file:" + quote(str(p.resolve())) + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=check_same_thread)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
        check_version(conn, name)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{name}: cannot open as a newsgraph database ({exc})") from None
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, or ``ROLLBACK`` when the block raises."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def has_document(conn: sqlite3.Connection, doc_id: str) -> bool:
    return conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None


def source_of(source: str | None, url: str | None) -> str | None:
    """The document's source, else the outlet its URL names (``newsgraph.outlets``: the table's name for a known
    domain, else the registrable domain)."""
    return source or outlet(None, url)


def write_document(
    conn: sqlite3.Connection,
    doc: Document,
    *,
    signature: MinHash,
    match: Match | None = None,
    input_name: str | None = None,
) -> bool:
    """Write one document with its layers in one transaction; False (and nothing written) if its id is stored.

    ``match`` is the stored near-duplicate it joins (its story), if any; ``signature`` its MinHash."""
    data = doc.to_json()
    doc_id: str = data["id"]
    meta = data["meta"]
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    row = document_row(data, match=match, input_name=input_name, ingested_at=now)
    meta["source"] = row["source"]  # the JSON says what the row says (a Document made without its outlet)
    row["json"] = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    with transaction(conn):
        cur = conn.execute(
            f"INSERT INTO documents ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})"
            " ON CONFLICT (id) DO NOTHING",
            tuple(row.values()),
        )
        if cur.rowcount == 0:
            return False
        _write_layers(conn, data)
        event_clusters.assign(conn, doc_id, data, source_of(meta["source"], meta["url"]))
        conn.execute(
            "INSERT INTO signatures (doc_id, scheme, num_perm, minhash) VALUES (?, ?, ?, ?)",
            (doc_id, SCHEME, len(signature.hashvalues), to_blob(signature)),
        )
    return True


def document_row(
    data: dict[str, Any], *, match: Match | None, input_name: str | None, ingested_at: str | None
) -> dict[str, Any]:
    """The documents table's columns of one document's JSON, but ``n`` and ``json`` (the store adds them;
    ``newsgraph batch`` writes the same row, in Parquet). ``match``: the near-duplicate whose story it joins."""
    meta = data["meta"]
    return {
        "id": data["id"],
        "story_id": match.story_id if match else data["id"],
        "duplicate_of": match.doc_id if match else None,
        "similarity": match.similarity if match else None,
        "title": meta["title"],
        "subtitle": meta["subtitle"],
        "source": source_of(meta["source"], meta["url"]),
        "url": meta["url"],
        "published": meta["published"],
        "language": meta["language"],
        "byline": meta["byline"],
        "text": data["text"],
        "input": input_name,
        "ingested_at": ingested_at,
    }


# --- layer rows: every registered layer's tables, as the registry declares them -----------------------------


def _write_layers(conn: sqlite3.Connection, data: dict[str, Any]) -> None:
    for table, names, values in layer_rows(data):
        conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})", values)


def layer_rows(data: dict[str, Any]) -> Iterator[tuple[str, list[str], list[tuple[Any, ...]]]]:
    """(table, column names, rows) of every registered layer's tables for one document's JSON."""
    ctx = RowContext(data["id"], data["meta"]["published"], [p["start"] for p in data["paragraphs"]])
    for layer, table in REGISTRY.tables():
        yield table.name, table.column_names(), list(table.values(data.get(layer.writes, []), ctx))


def ensure_layer_tables(conn: sqlite3.Connection) -> None:
    """Create the tables of layers registered after the store's migrations (a new layer's), if missing.
    A changed column of an existing table needs a migration (``schema.py``)."""
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = [t for _, t in REGISTRY.tables() if t.name not in have]
    if not missing:
        return
    with transaction(conn):
        for table in missing:
            for statement in table.ddl():
                conn.execute(statement)


def iter_rows(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> Iterator[dict[str, Any]]:
    """Rows as dicts keyed by column name."""
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    for row in cur:
        yield dict(zip(names, row, strict=True))


__all__ = [
    "SCHEMA_VERSION",
    "StoreError",
    "connect",
    "connect_readonly",
    "document_row",
    "has_document",
    "iter_rows",
    "layer_rows",
    "transaction",
    "write_document",
]
