"""Entities across documents kept up to date at ingest (schema step 3: ``entity_stories`` and
``entity_counts``, kept by triggers): always what the ``entity_totals`` view computes from every entity
row, as documents are written (a wire copy joining its story counts once), when one is deleted, and when
an older store is migrated."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from newsgraph.document import Document
from newsgraph.pipeline import analyze
from newsgraph.store.db import connect
from newsgraph.store.dedup import StoryIndex
from newsgraph.store.schema import MIGRATIONS, migrate

from .helpers import benchmark_page, variant_of_seed, write, write_old


@pytest.fixture(scope="module")
def docs(seed_doc: Document) -> list[Document]:
    return [seed_doc, analyze(variant_of_seed()), analyze(benchmark_page(3))]


def kept(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    return sorted(
        conn.execute("SELECT name, type, nullif(country, ''), mentions, stories, documents FROM entity_counts")
    )


def computed(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    return sorted(conn.execute("SELECT name, type, country, mentions, stories, documents FROM entity_totals"))


def test_counts_follow_writes_and_deletes(tmp_path: Path, docs: list[Document]) -> None:
    conn = connect(tmp_path / "counts.db")
    index = StoryIndex.load(conn)
    for doc in docs:
        assert write(conn, doc, index)
        assert kept(conn) == computed(conn)
    seed, variant, _ = docs
    stories = dict(conn.execute("SELECT id, story_id FROM documents"))
    assert stories[variant.id] == seed.id  # the wire copy joined the seed's story: its entities count once
    aaraji = conn.execute("SELECT stories, documents FROM entity_counts WHERE name = 'Qassem Al Aaraji'").fetchone()
    assert aaraji == (1, 2)
    for doc in (variant, seed):  # the store never deletes; a user of sqlite3 may
        conn.execute("DELETE FROM documents WHERE id = ?", (doc.id,))
        assert kept(conn) == computed(conn)
    assert conn.execute("SELECT count(*) FROM entity_counts WHERE name = 'Qassem Al Aaraji'").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM entity_stories WHERE story_id = ?", (seed.id,)).fetchone()[0] == 0
    conn.close()


def test_an_older_store_is_counted_when_migrated(tmp_path: Path, docs: list[Document]) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    before = tuple(m for m in MIGRATIONS if m.version < 3)
    assert migrate(conn, "old.db", before) == 2
    index = StoryIndex.load(conn)
    for doc in docs:
        assert write_old(conn, doc, index)
    assert migrate(conn, "old.db") == MIGRATIONS[-1].version
    assert kept(conn) and kept(conn) == computed(conn)
    conn.close()
