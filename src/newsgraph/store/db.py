"""Opening the store and writing one analysed document into it, in one transaction.

``connect`` opens for writing (WAL mode, schema migrated); ``connect_readonly`` opens with SQLite's
``mode=ro`` URI, so nothing done through it can change the file. A document is written with all its
layer rows, full-text entries and near-duplicate signature in one transaction: a crash or ``kill -9``
leaves either all of it or none of it, and ``INSERT`` keyed by the document id makes a second write a
no-op.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from datasketch import MinHash

from newsgraph.document import Document
from newsgraph.store.dedup import SCHEME, Match, to_blob
from newsgraph.store.schema import SCHEMA_VERSION, StoreError, check_version, migrate

DEFAULT_DB = "newsgraph.db"
ENV_DB = "NEWSGRAPH_DB"
BUSY_TIMEOUT_MS = 30_000

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def default_db_path() -> str:
    """``$NEWSGRAPH_DB`` when set, else ``./newsgraph.db``."""
    return os.environ.get(ENV_DB) or DEFAULT_DB


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
    """The outlet's name, else the URL's host without ``www.``."""
    if source:
        return source
    if url:
        host = urlsplit(url).hostname or ""
        return host.removeprefix("www.") or None
    return None


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
    story_id = match.story_id if match else doc_id
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with transaction(conn):
        cur = conn.execute(
            "INSERT INTO documents (id, story_id, duplicate_of, similarity, title, subtitle, source, url, published,"
            " language, byline, text, json, input, ingested_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (
                doc_id,
                story_id,
                match.doc_id if match else None,
                match.similarity if match else None,
                meta["title"],
                meta["subtitle"],
                source_of(meta["source"], meta["url"]),
                meta["url"],
                meta["published"],
                meta["language"],
                meta["byline"],
                data["text"],
                json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                input_name,
                now,
            ),
        )
        if cur.rowcount == 0:
            return False
        _write_layers(conn, doc_id, data)
        conn.execute(
            "INSERT INTO signatures (doc_id, scheme, num_perm, minhash) VALUES (?, ?, ?, ?)",
            (doc_id, SCHEME, len(signature.hashvalues), to_blob(signature)),
        )
    return True


# --- layer rows: one function per table, each a list of tuples in the table's column order ---------------

_ENTITY_KEYS = {"id", "name", "type", "title", "role", "country", "affiliation", "mentions"}
_QUOTE_KEYS = {"kind", "text", "start", "end", "speaker", "speaker_name", "cue", "channel", "original_source"}
_QUANTITY_KEYS = {"text", "start", "end", "value", "approx", "bound", "noun", "category", "country", "verb"}
_TIME_KEYS = {"text", "start", "end", "type", "value", "mod"}
_PLACE_KEYS = {"text", "start", "end", "name", "country", "kind", "lat", "lon", "geonameid", "metonymy"}
_EVENT_KEYS = {
    "type",
    "mode",
    "source",
    "target",
    "source_name",
    "target_name",
    "trigger",
    "start",
    "end",
    "date",
    "place",
}


def _extra(item: dict[str, Any], known: set[str]) -> str | None:
    rest = {k: v for k, v in item.items() if k not in known}
    return json.dumps(rest, ensure_ascii=False, separators=(",", ":")) if rest else None


def _flag(value: Any) -> int | None:
    return None if value is None else int(bool(value))


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _value_pair(value: Any) -> tuple[float | None, float | None]:
    """A quantity's value: a number, or a [low, high] range."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return _number(value[0]), _number(value[1])
    return _number(value), None


def _write_layers(conn: sqlite3.Connection, doc_id: str, data: dict[str, Any]) -> None:
    published = data["meta"]["published"]
    starts = [p["start"] for p in data["paragraphs"]]

    def para(offset: int) -> int | None:
        """The index of the paragraph holding ``offset``."""
        i = bisect.bisect_right(starts, offset) - 1
        return i if i >= 0 else None

    conn.executemany(
        "INSERT INTO entities (doc_id, idx, entity_id, name, type, title, role, country, affiliation, mentions, extra)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                doc_id,
                i,
                e["id"],
                e["name"],
                e["type"],
                e.get("title"),
                e.get("role"),
                e.get("country"),
                e.get("affiliation"),
                len(e.get("mentions", [])),
                _extra(e, _ENTITY_KEYS),
            )
            for i, e in enumerate(data["entities"])
        ],
    )
    conn.executemany(
        "INSERT INTO mentions (doc_id, entity_id, char_start, char_end, paragraph, text) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (doc_id, e["id"], m["start"], m["end"], para(m["start"]), m["text"])
            for e in data["entities"]
            for m in e.get("mentions", [])
        ],
    )
    conn.executemany(
        "INSERT INTO quotes (doc_id, idx, kind, text, char_start, char_end, paragraph, speaker, speaker_name, cue,"
        " channel, original_source, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                doc_id,
                i,
                q["kind"],
                q["text"],
                q["start"],
                q["end"],
                para(q["start"]),
                q.get("speaker"),
                q.get("speaker_name"),
                q.get("cue"),
                q.get("channel"),
                q.get("original_source"),
                _extra(q, _QUOTE_KEYS),
            )
            for i, q in enumerate(data["quotes"])
        ],
    )
    conn.executemany(
        "INSERT INTO quantities (doc_id, idx, text, char_start, char_end, paragraph, value, value_high, approx, bound,"
        " noun, category, country, verb, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                doc_id,
                i,
                q["text"],
                q["start"],
                q["end"],
                para(q["start"]),
                *_value_pair(q.get("value")),
                _flag(q.get("approx")),
                q.get("bound"),
                q.get("noun"),
                q.get("category"),
                q.get("country"),
                q.get("verb"),
                _extra(q, _QUANTITY_KEYS),
            )
            for i, q in enumerate(data["quantities"])
        ],
    )
    conn.executemany(
        "INSERT INTO times (doc_id, idx, text, char_start, char_end, paragraph, type, value, mod, extra)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                doc_id,
                i,
                t["text"],
                t["start"],
                t["end"],
                para(t["start"]),
                t.get("type"),
                _str(t.get("value")),
                t.get("mod"),
                _extra(t, _TIME_KEYS),
            )
            for i, t in enumerate(data["times"])
        ],
    )
    conn.executemany(
        "INSERT INTO places (doc_id, idx, text, char_start, char_end, paragraph, name, country, kind, lat, lon,"
        " geonameid, metonymy, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                doc_id,
                i,
                p["text"],
                p["start"],
                p["end"],
                para(p["start"]),
                p.get("name"),
                p.get("country"),
                p.get("kind"),
                _number(p.get("lat")),
                _number(p.get("lon")),
                p.get("geonameid") if isinstance(p.get("geonameid"), int) else None,
                _flag(p.get("metonymy")),
                _extra(p, _PLACE_KEYS),
            )
            for i, p in enumerate(data["places"])
        ],
    )
    conn.executemany(
        "INSERT INTO events (doc_id, idx, type, mode, source, target, source_name, target_name, trigger,"
        " char_start, char_end, paragraph, date, place, day, extra)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                doc_id,
                i,
                ev["type"],
                ev.get("mode"),
                ev.get("source"),
                ev.get("target"),
                ev.get("source_name"),
                ev.get("target_name"),
                ev.get("trigger"),
                ev.get("start"),
                ev.get("end"),
                para(ev["start"]) if isinstance(ev.get("start"), int) else None,
                _str(ev.get("date")),
                ev.get("place"),
                _event_day(ev.get("date"), published),
                _extra(ev, _EVENT_KEYS),
            )
            for i, ev in enumerate(data["events"])
        ],
    )


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _event_day(date: Any, published: str | None) -> str | None:
    """The day an event is filed under: its own date when that is a day, else the document's."""
    if isinstance(date, str) and _DAY.match(date[:10]):
        return date[:10]
    return published


def iter_rows(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> Iterator[dict[str, Any]]:
    """Rows as dicts keyed by column name."""
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    for row in cur:
        yield dict(zip(names, row, strict=True))


__all__ = [
    "DEFAULT_DB",
    "SCHEMA_VERSION",
    "StoreError",
    "connect",
    "connect_readonly",
    "default_db_path",
    "has_document",
    "iter_rows",
    "transaction",
    "write_document",
]
