"""``--format jsonl``: one JSON document (``newsgraph.document/1``) per line, as ``analyze`` prints it, with
what the store knows of it beyond the analysis under ``"store"``: its story (the near-duplicate group it
was linked into: ``story_id``, ``duplicate_of``, ``similarity``) and when it was ingested."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from newsgraph.export.tables import ID_CHUNK

_COLUMNS = "id, json, story_id, duplicate_of, similarity, ingested_at"


def with_store(row: Sequence[Any]) -> str:
    """The document's stored JSON with its ``"store"`` member added (the stored text is kept byte for byte
    before it)."""
    _, stored, story_id, duplicate_of, similarity, ingested_at = row
    text: str = stored
    store = {"story_id": story_id, "duplicate_of": duplicate_of, "similarity": similarity, "ingested_at": ingested_at}
    return text.rstrip()[:-1] + ', "store": ' + json.dumps(store) + "}"  # a document is never an empty object


def _write(rows: Iterable[Sequence[Any]], out: TextIO) -> int:
    n = 0
    for row in rows:
        out.write(with_store(row) + "\n")
        n += 1
    return n


def write_jsonl(conn: sqlite3.Connection, doc_ids: Sequence[str] | None, out: TextIO) -> int:
    """Write the documents (None: all, oldest first) to ``out``; the number written."""
    if doc_ids is None:
        return _write(conn.execute(f"SELECT {_COLUMNS} FROM documents ORDER BY published, n"), out)
    n = 0
    for i in range(0, len(doc_ids), ID_CHUNK):
        chunk = doc_ids[i : i + ID_CHUNK]
        marks = ", ".join("?" * len(chunk))
        found = {r[0]: r for r in conn.execute(f"SELECT {_COLUMNS} FROM documents WHERE id IN ({marks})", chunk)}
        n += _write((found[d] for d in chunk if d in found), out)
    return n
