"""The store as a Datasette product: the metadata file ``datasette news.db -m metadata.json`` reads.

``newsgraph datasette-metadata --db news.db > metadata.json`` writes it from the store itself, so that it
names only the tables and columns this store has (a plugin layer's table included):

- tables titled and described, columns described (from the schema's own comments, ``COLUMN_NOTES`` beside);
- the heavy columns out of sight: ``articles`` (a view: the documents without ``text`` and ``json``, searchable
  through the documents' full-text index) is what the database page lists, and ``documents`` is hidden (a
  document's row page still shows its text); the store's internal tables are hidden too;
- default facets and sort orders, the label column of the entities (a mention's ``entity_n`` and a quote's
  ``speaker_n`` link to the entity's row, which lists its mentions and quotes) and of the documents;
- canned queries (``QUERIES``): quotes by speaker, counts by day, events by type and country.

Datasette itself is not a dependency: the metadata is plain JSON in the format of Datasette 0.x (``-m``;
Datasette 1.0 reads the same keys from its ``-c`` configuration file). Its shape is tested against a store
(every table and column it names exists, every canned query runs in sqlite3).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TableMeta:
    title: str
    description: str
    facets: tuple[str, ...] = ()
    sort_desc: str | None = None
    label_column: str | None = None
    hidden: bool = False
    fts: tuple[str, str] | None = None  # (full-text table, its key column) where Datasette cannot find it
    sortable: tuple[str, ...] = ()  # a view's sortable columns (Datasette sorts a view by none unless told)


TABLES: dict[str, TableMeta] = {
    "articles": TableMeta(
        "Articles",
        "One row per stored article (the documents table without its text and JSON: open a row's document"
        " for them). Search covers titles and texts.",
        facets=("source", "language"),
        sort_desc="published",
        label_column="title",
        fts=("documents_fts", "n"),
        sortable=("published", "title", "source", "language", "ingested_at", "n"),
    ),
    "documents": TableMeta(
        "Documents (with text and JSON)",
        "Every article with its cleaned text and its whole newsgraph.document/1 JSON; the articles view lists"
        " them without those.",
        facets=("source", "language"),
        sort_desc="published",
        label_column="title",
        hidden=True,
    ),
    "entities": TableMeta(
        "Entities",
        "One row per entity per document: people, organisations, places, groups, named canonically; the"
        " entity_id (E1, E2...) is the id quotes and events use inside that document.",
        facets=("type", "country"),
        label_column="name",
    ),
    "mentions": TableMeta(
        "Entity mentions",
        "Every mention of an entity in the text (character offsets into documents.text); entity_n links to the"
        " entity's row.",
    ),
    "quotes": TableMeta(
        "Quotes",
        "Direct quotes and reported speech, with the speaker (speaker_n links to the entity's row) and the cue.",
        facets=("kind", "cue", "channel"),
    ),
    "quantities": TableMeta(
        "Quantities", "Counts, money and percentages, with the counted noun.", facets=("category", "bound")
    ),
    "times": TableMeta("Time expressions", "TIMEX3 values resolved against the publication date.", facets=("type",)),
    "places": TableMeta(
        "Places", "Toponyms resolved to GeoNames, with their point.", facets=("country", "kind", "metonymy")
    ),
    "events": TableMeta(
        "Events (PLOVER)",
        "Who did what to whom, where and when: one row per event mention in an article.",
        facets=("type", "modality", "source_country", "place_country"),
        sort_desc="day",
    ),
    "event_clusters": TableMeta(
        "Happenings",
        "Event mentions of many articles grouped into one happening (same type and modality, days at most one"
        " apart, compatible actors and places).",
        facets=("type", "modality", "place_country"),
        sort_desc="mentions",
    ),
    "event_mentions": TableMeta(
        "Happenings' mentions", "Which event (doc_id, idx) of which article mentions which happening (cluster_id)."
    ),
    "entity_counts": TableMeta(
        "Entities across the store",
        "Each entity (name, type, country) with its mentions, stories and documents; a story's copies count once.",
        facets=("type", "country"),
        sort_desc="stories",
    ),
    "co_mentions": TableMeta(
        "Co-mentions",
        "Pairs of entities named in the same paragraph, with the paragraphs naming both (weight).",
        sort_desc="weight",
    ),
    "day_counts": TableMeta(
        "Volume per day",
        "Per day and outlet: the articles published, their quotes, and per event type the happenings told (each"
        " once per outlet), as the timeline charts them.",
        facets=("kind", "source", "type"),
        sort_desc="day",
    ),
    # the store's bookkeeping: hidden
    "signatures": TableMeta("Near-duplicate signatures", "MinHash signatures (binary).", hidden=True),
    "entity_stories": TableMeta("Entities per story", "What entity_counts is summed from.", hidden=True),
    "paragraph_entities": TableMeta("Entities per paragraph", "What co_mentions is counted from.", hidden=True),
}

# descriptions of columns whose DDL carries no comment (the schema's comments give the rest)
COLUMN_NOTES: dict[str, dict[str, str]] = {
    "mentions": {"entity_n": "the entity's row (entities.n)", "entity_id": "the entity's id inside the document"},
    "quotes": {"speaker_n": "the speaker's entity row (entities.n)", "speaker_name": "the speaker's name"},
    "entities": {"wikidata": "the Wikidata QID, where the knowledge base links the entity"},
    "documents": {
        "text": "the cleaned article text",
        "json": "the whole newsgraph.document/1 JSON",
        "source": "the outlet: the source given, else the outlet the URL's domain or the page's site name names",
    },
    "articles": {
        "source": "the outlet: the source given, else the outlet the URL's domain or the page's site name names"
    },
}


@dataclass(frozen=True)
class Query:
    title: str
    description: str
    sql: str


QUERIES: dict[str, Query] = {
    "speakers": Query(
        "Speakers",
        "Who is quoted most: quotes and articles per speaker.",
        "SELECT speaker_name, count(*) AS quotes, count(DISTINCT doc_id) AS articles FROM quotes"
        " WHERE speaker_name IS NOT NULL GROUP BY speaker_name ORDER BY quotes DESC LIMIT 200",
    ),
    "quotes_by_speaker": Query(
        "Quotes by speaker",
        "Every quote of one speaker (the name as the speakers query lists it), newest article first.",
        "SELECT q.text AS quote, q.kind, q.cue, d.published, d.source, d.title, q.doc_id FROM quotes q"
        " JOIN documents d ON d.id = q.doc_id WHERE q.speaker_name = :speaker COLLATE NOCASE"
        " ORDER BY d.published DESC, q.doc_id, q.idx LIMIT 1000",
    ),
    "articles_by_day": Query(
        "Articles by day",
        "Articles, stories (near-duplicate copies once) and outlets per publication day.",
        "SELECT published AS day, count(*) AS articles, count(DISTINCT story_id) AS stories,"
        " count(DISTINCT source) AS outlets FROM documents WHERE published IS NOT NULL"
        " GROUP BY published ORDER BY published DESC",
    ),
    "events_by_day": Query(
        "Events by day",
        "Event mentions per day and PLOVER type (an empty type: all types).",
        "SELECT day, type, count(*) AS events, count(DISTINCT doc_id) AS articles FROM events"
        " WHERE day IS NOT NULL AND (:type = '' OR type = :type) GROUP BY day, type ORDER BY day DESC, events DESC",
    ),
    "events_by_type_and_country": Query(
        "Events by type and country",
        "Event mentions per PLOVER type and the country where they happened (an empty modality: all; asserted,"
        " negated, future, hypothetical, demanded).",
        "SELECT type, place_country AS country, count(*) AS events, count(DISTINCT doc_id) AS articles FROM events"
        " WHERE (:modality = '' OR modality = :modality) GROUP BY type, place_country ORDER BY events DESC",
    ),
}

_COMMENT = re.compile(r"^\s*(\w+)\s+[A-Z][^-]*?--\s*(.+?)\s*$")
_PARAMS = re.compile(r"(?<!:):(\w+)")


def column_comments(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    """The ``-- comments`` of the table's CREATE statement, by column."""
    row = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    out: dict[str, str] = {}
    for line in (row[0] if row and row[0] else "").splitlines():
        m = _COMMENT.match(line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def query_params(sql: str) -> list[str]:
    """The named parameters (``:speaker``) of a canned query, in order of first use."""
    return list(dict.fromkeys(_PARAMS.findall(sql)))


def metadata(conn: sqlite3.Connection, database: str) -> dict[str, Any]:
    """Datasette's metadata for the store ``conn`` served under the name ``database`` (its file's stem)."""
    have = {
        name: kind
        for name, kind in conn.execute("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')")
    }
    tables: dict[str, Any] = {}
    for name, meta in TABLES.items():
        if name not in have:
            continue
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({name})")]
        notes = column_comments(conn, "documents" if name == "articles" else name) | COLUMN_NOTES.get(name, {})
        entry: dict[str, Any] = {"title": meta.title, "description": meta.description}
        described = {c: notes[c] for c in columns if c in notes}
        if described:
            entry["columns"] = described
        if meta.facets:
            entry["facets"] = [c for c in meta.facets if c in columns]
        if meta.sort_desc and meta.sort_desc in columns:
            entry["sort_desc"] = meta.sort_desc
        if meta.label_column:
            entry["label_column"] = meta.label_column
        if meta.fts:
            entry["fts_table"], entry["fts_pk"] = meta.fts
        if meta.sortable:
            entry["sortable_columns"] = [c for c in meta.sortable if c in columns]
        if meta.hidden:
            entry["hidden"] = True
        tables[name] = entry
    queries = {
        name: {"title": q.title, "description": q.description, "sql": q.sql, "params": query_params(q.sql)}
        for name, q in QUERIES.items()
    }
    return {
        "title": "newsgraph",
        "description": "News articles as structured knowledge: entities, quotes, quantities, times, places and"
        " PLOVER events, each pointing back to the characters it came from.",
        "databases": {database: {"tables": tables, "queries": queries}},
    }


__all__ = ["COLUMN_NOTES", "QUERIES", "TABLES", "column_comments", "metadata", "query_params"]
