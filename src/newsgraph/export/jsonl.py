"""``--format jsonl``: one JSON document (``newsgraph.document/1``) per line, as ``analyze`` prints it."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TextIO

from newsgraph.export.tables import ID_CHUNK


def write_jsonl(conn: sqlite3.Connection, doc_ids: Sequence[str] | None, out: TextIO) -> int:
    """Write the documents (None: all, oldest first) to ``out``; the number written."""
    n = 0
    if doc_ids is None:
        for (text,) in conn.execute("SELECT json FROM documents ORDER BY published, n"):
            out.write(text + "\n")
            n += 1
        return n
    for i in range(0, len(doc_ids), ID_CHUNK):
        chunk = doc_ids[i : i + ID_CHUNK]
        found = dict(conn.execute(f"SELECT id, json FROM documents WHERE id IN ({', '.join('?' * len(chunk))})", chunk))
        for doc_id in chunk:
            if doc_id in found:
                out.write(found[doc_id] + "\n")
                n += 1
    return n
