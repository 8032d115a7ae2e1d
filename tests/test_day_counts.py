"""The timeline's volumes kept up to date at ingest (schema step 9: ``day_counts``, kept by triggers): always
what a direct count over the documents, quotes and event mentions gives, as documents are written (a wire
copy telling the seed's happenings counts them for its own outlet), deleted and written again, and when a
store at version 8 is migrated."""

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

from .helpers import benchmark_page, variant_of_seed, write


@pytest.fixture(scope="module")
def docs(seed_doc: Document) -> list[Document]:
    return [seed_doc, analyze(variant_of_seed()), analyze(benchmark_page(3))]


def kept(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    return sorted(conn.execute("SELECT day, kind, source, type, n FROM day_counts"))


def counted(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """The same figures counted from the rows themselves: articles and quotes by the article's day and
    outlet, happenings (distinct event clusters) by the cluster's day, the telling outlet and the type."""
    rows = conn.execute(
        "SELECT published, 'articles', coalesce(source, ''), '', count(*) FROM documents"
        " WHERE published IS NOT NULL GROUP BY 1, 3"
    ).fetchall()
    rows += conn.execute(
        "SELECT d.published, 'quotes', coalesce(d.source, ''), '', count(*) FROM documents d"
        " JOIN quotes x ON x.doc_id = d.id WHERE d.published IS NOT NULL GROUP BY 1, 3"
    ).fetchall()
    rows += conn.execute(
        "SELECT c.day, 'events', coalesce(m.source, ''), c.type, count(DISTINCT c.id) FROM event_mentions m"
        " JOIN event_clusters c ON c.id = m.cluster_id WHERE c.day IS NOT NULL GROUP BY 1, 3, 4"
    ).fetchall()
    return sorted(rows)


def test_counts_follow_writes_deletes_and_rewrites(tmp_path: Path, docs: list[Document]) -> None:
    conn = connect(tmp_path / "days.db")
    index = StoryIndex.load(conn)
    for doc in docs:
        assert write(conn, doc, index)
        assert kept(conn) == counted(conn)
    seed, variant, _ = docs
    kinds = {k for _, k, *_ in kept(conn)}
    assert kinds == {"articles", "quotes", "events"}
    # the seed's happenings that its wire copy tells too count once for each outlet
    shared = conn.execute(
        "SELECT count(*) FROM event_clusters WHERE sources = 2 AND articles = 2 AND day IS NOT NULL"
    ).fetchone()[0]
    assert shared > 0
    gulf = sum(n for _, kind, source, _, n in kept(conn) if kind == "events" and source == "Gulf Wire")
    assert gulf >= shared
    for doc in (variant, seed):  # the store never deletes; a user of sqlite3 may
        conn.execute("DELETE FROM documents WHERE id = ?", (doc.id,))
        assert kept(conn) == counted(conn)
    assert not [r for r in kept(conn) if r[2] in ("Arab Observer", "Gulf Wire")]
    assert all(r[4] > 0 for r in kept(conn))
    index = StoryIndex.load(conn)
    for doc in (seed, variant):  # written again: counted again, as the first time
        assert write(conn, doc, index)
        assert kept(conn) == counted(conn)
    assert sum(n for _, kind, source, _, n in kept(conn) if kind == "events" and source == "Gulf Wire") == gulf
    conn.close()


def test_a_store_at_version_8_is_counted_when_migrated(tmp_path: Path, docs: list[Document]) -> None:
    path = tmp_path / "v8.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    before = tuple(m for m in MIGRATIONS if m.version <= 8)
    assert migrate(conn, "v8.db", before) == 8
    index = StoryIndex.load(conn)
    for doc in docs:
        assert write(conn, doc, index)
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'day_counts'").fetchone()
    assert migrate(conn, "v8.db") == MIGRATIONS[-1].version
    assert kept(conn) and kept(conn) == counted(conn)
    assert {k for _, k, *_ in kept(conn)} == {"articles", "quotes", "events"}
    # and kept from then on
    conn.execute("DELETE FROM documents WHERE id = ?", (docs[1].id,))
    assert kept(conn) == counted(conn)
    conn.close()
