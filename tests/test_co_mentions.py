"""The co-mention network kept up to date at ingest (schema step 4: ``paragraph_entities`` and
``co_mentions``, kept by triggers), and the faster read paths of the network and the document filters:
always the answers that reading (pairing) every mention, or the correlated EXISTS filters, give, as
documents are written (a wire copy joining its story counts once), when one is deleted, and when an
older store is migrated. On real articles: the seed, its wire copy, benchmark pages."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from newsgraph.document import Document
from newsgraph.pipeline import analyze
from newsgraph.store import aggregates, queries
from newsgraph.store.db import connect, iter_rows
from newsgraph.store.dedup import StoryIndex
from newsgraph.store.schema import CO_MENTION_TYPES, MIGRATIONS, migrate

from .helpers import benchmark_page, variant_of_seed, write, write_old


@pytest.fixture(scope="module")
def docs(seed_doc: Document) -> list[Document]:
    return [seed_doc, analyze(variant_of_seed()), *(analyze(benchmark_page(i)) for i in (1, 2, 3, 5))]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, docs: list[Document]) -> Path:
    path = tmp_path_factory.mktemp("co") / "co.db"
    conn = connect(path)
    index = StoryIndex.load(conn)
    for doc in docs:
        assert write(conn, doc, index)
    conn.close()
    return path


def kept(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    return sorted(conn.execute("SELECT * FROM co_mentions"))


def computed(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """Every pair of entities of the network's types named in one paragraph of a story, from the mentions."""
    paragraphs: dict[tuple[str, int], set[tuple[str, str, str]]] = {}
    for story, paragraph, name, type_, country in conn.execute(
        "SELECT d.story_id, m.paragraph, e.name, e.type, coalesce(e.country, '') FROM mentions m"
        " JOIN entities e ON e.doc_id = m.doc_id AND e.entity_id = m.entity_id JOIN documents d ON d.id = m.doc_id"
        f" WHERE e.type IN ({', '.join('?' * len(CO_MENTION_TYPES))})",
        CO_MENTION_TYPES,
    ):
        paragraphs.setdefault((story, -1 if paragraph is None else paragraph), set()).add((name, type_, country))
    weights: dict[tuple[str, ...], int] = {}
    for members in paragraphs.values():
        ordered = sorted(members)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                weights[(*a, *b)] = weights.get((*a, *b), 0) + 1
    return sorted((*pair, w) for pair, w in weights.items())


def paired_from_every_mention(conn: sqlite3.Connection, f: queries.DocumentFilter, size: int) -> dict[str, Any]:
    """The network as it was computed before schema 4: every mention of the selected documents paired."""
    where, params = aggregates._doc_filter(f)
    rows = iter_rows(
        conn,
        "SELECT d.story_id, m.paragraph, e.name, e.type, coalesce(e.country, '') AS country"
        " FROM mentions m JOIN entities e ON e.doc_id = m.doc_id AND e.entity_id = m.entity_id"
        f" JOIN documents d ON d.id = m.doc_id WHERE e.type IN ({', '.join('?' * len(aggregates.NETWORK_TYPES))})"
        f" AND {where}",
        (*aggregates.NETWORK_TYPES, *params),
    )
    focus = queries.stored_entity_names(conn, f.entity) if f.entity else []
    return aggregates._co_mentions(rows, f, size, 1, focus)


def test_the_pairs_follow_writes_and_deletes(tmp_path: Path, docs: list[Document]) -> None:
    conn = connect(tmp_path / "pairs.db")
    index = StoryIndex.load(conn)
    for doc in docs:
        assert write(conn, doc, index)
        assert kept(conn) == computed(conn)
    seed, variant = docs[0], docs[1]
    stories = dict(conn.execute("SELECT id, story_id FROM documents"))
    assert stories[variant.id] == seed.id  # the wire copy joined the seed's story: its paragraphs count once
    assert len(kept(conn)) > 100
    for doc in (variant, docs[3], seed):  # the store never deletes; a user of sqlite3 may
        conn.execute("DELETE FROM documents WHERE id = ?", (doc.id,))
        assert kept(conn) == computed(conn)
    assert conn.execute("SELECT count(*) FROM paragraph_entities WHERE story_id = ?", (seed.id,)).fetchone()[0] == 0
    conn.close()


def test_an_older_store_is_paired_when_migrated(tmp_path: Path, docs: list[Document]) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    assert migrate(conn, "old.db", tuple(m for m in MIGRATIONS if m.version < 4)) == 3
    index = StoryIndex.load(conn)
    for doc in docs[:4]:
        assert write_old(conn, doc, index)
    assert migrate(conn, "old.db") == MIGRATIONS[-1].version
    assert kept(conn) and kept(conn) == computed(conn)
    for doc in docs[4:]:  # and kept from then on
        assert write(conn, doc, index)
    assert kept(conn) == computed(conn)
    conn.close()


def test_the_network_types_are_the_ones_kept() -> None:
    assert aggregates.NETWORK_TYPES == CO_MENTION_TYPES


@pytest.mark.parametrize("size", [2, 5, 40, 200])
@pytest.mark.parametrize(
    "filters",
    [{}, {"since": "2000-01-01"}, {"until": "2021-12-31"}, {"source": "Arab Observer"}, {"entity": "Iraq"}],
)
def test_the_network_is_the_one_every_mention_gives(store: Path, filters: dict[str, str], size: int) -> None:
    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    f = queries.DocumentFilter(**filters)
    got = aggregates.network(conn, f, size=size)
    assert got == paired_from_every_mention(conn, f, size)
    if not filters:
        marks = ", ".join("?" * len(CO_MENTION_TYPES))
        entities = conn.execute(f"SELECT count(*) FROM entity_counts WHERE type IN ({marks})", CO_MENTION_TYPES)
        assert len(got["nodes"]) == min(size, entities.fetchone()[0])
        assert size < 40 or (got["links"] and all(link["weight"] >= 1 for link in got["links"]))
    conn.close()


def test_the_document_filters_select_what_the_correlated_exists_did(store: Path) -> None:
    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    names = [r[0] for r in conn.execute("SELECT DISTINCT name FROM entities ORDER BY name LIMIT 40")]
    types = [r[0] for r in conn.execute("SELECT DISTINCT type FROM events ORDER BY type")]
    assert names and types
    for name in [*names, "IRAQ", "nobody at all"]:
        # the filter matches the name and the knowledge base's aliases of it, and the entity's QID
        aliases, qids = queries.entity_names(name)
        old = [
            doc
            for (doc,) in conn.execute("SELECT d.id FROM documents d ORDER BY d.published, d.n")
            if conn.execute(
                "SELECT 1 FROM entities e WHERE e.doc_id = ? AND (e.name COLLATE NOCASE IN"
                " (SELECT value FROM json_each(?)) OR e.wikidata IN (SELECT value FROM json_each(?)))",
                (doc, json.dumps(aliases), json.dumps(qids)),
            ).fetchone()
        ]
        assert queries.document_ids(conn, queries.DocumentFilter(entity=name)) == old, name
        found = queries.search_documents(conn, queries.DocumentFilter(entity=name), limit=100)
        assert found["total"] == len(old) and sorted(i["id"] for i in found["items"]) == sorted(old)
    for event_type in [*types, "SANCTION", "AID"]:
        old = [
            r[0]
            for r in conn.execute(
                "SELECT d.id FROM documents d WHERE EXISTS (SELECT 1 FROM events v WHERE v.doc_id = d.id"
                " AND v.type = ?) ORDER BY d.published, d.n",
                (event_type,),
            )
        ]
        assert queries.document_ids(conn, queries.DocumentFilter(event_type=event_type)) == old, event_type
    assert queries.document_ids(conn, queries.DocumentFilter(entity="Iraq", event_type=types[0])) == [
        i
        for i in queries.document_ids(conn, queries.DocumentFilter(entity="Iraq"))
        if i in set(queries.document_ids(conn, queries.DocumentFilter(event_type=types[0])))
    ]
    conn.close()


def test_the_entities_named_beside_are_the_ones_every_pair_of_mentions_gives(store: Path) -> None:
    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    keys = [aggregates.EntityKey(str(n)) for (n,) in conn.execute("SELECT DISTINCT name FROM entities LIMIT 30")]
    keys += [aggregates.EntityKey("Iraq", "GPE"), aggregates.EntityKey("iraq", None, "IQ"), aggregates.EntityKey("x")]
    some = 0
    for key in keys:
        where, params = key.where("e")
        old = list(
            iter_rows(
                conn,
                "SELECT o.name, o.type, o.country, count(DISTINCT m2.doc_id || ':' || m2.paragraph) AS paragraphs"
                " FROM entities e JOIN mentions m1 ON m1.doc_id = e.doc_id AND m1.entity_id = e.entity_id"
                " JOIN mentions m2 ON m2.doc_id = m1.doc_id AND m2.paragraph = m1.paragraph"
                " AND m2.entity_id != m1.entity_id"
                " JOIN entities o ON o.doc_id = m2.doc_id AND o.entity_id = m2.entity_id"
                f" WHERE {where} GROUP BY o.name, o.type, o.country"
                " ORDER BY paragraphs DESC, o.name, o.type, o.country LIMIT 20",
                tuple(params),
            )
        )
        assert aggregates._named_beside(conn, where, params) == old, key
        some += bool(old)
    assert some >= 10
    conn.close()
