"""Read queries over the store, shared by the JSON API, ``export`` and the web pages.

Every function takes an open connection (``db.connect_readonly`` for readers) and returns plain
dicts and lists, ready for JSON. Lists come as ``{"items": [...], "total": N}`` pages. Arguments are
validated here (``QueryError``, a bad date or event type) so every caller rejects the same inputs.
Full-text queries are built from the user's words (``fts_query``), never passed to FTS5 raw.
"""

from __future__ import annotations

import heapq
import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from newsgraph.dates import DAY_EXAMPLE, DOC_ID, parse_day
from newsgraph.document import ENTITY_TYPES
from newsgraph.errors import QueryError as QueryError
from newsgraph.layers import REGISTRY, LayerError
from newsgraph.lexicons import plover_types
from newsgraph.store import search_syntax
from newsgraph.store.db import iter_rows

PLOVER_TYPES = plover_types()  # lexicons/events/plover_types.tsv
MAX_LIMIT = 500
MAX_INT = 2**63 - 1  # SQLite's largest integer: a larger offset or id would overflow in the query
# the quantities layer's categories of counts that report facts about events
CLAIM_CATEGORIES = ("people", "casualties", "military personnel", "vehicles", "weapons")
APPROX_TOLERANCE = 0.1  # "about 2,500" agrees with anything within 10%

# FTS5 highlight() marks: private-use characters, which article text does not hold (stripped if it does)
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"


Page = dict[str, Any]


@dataclass
class DocumentFilter:
    """Which documents: full text (``q``), outlet, published between ``since`` and ``until`` (inclusive,
    YYYY-MM-DD), naming an entity (its canonical name, any name an article called it by, or any of the
    knowledge base's aliases of it, any case: ``entity_names``), holding an event of a type, in a language
    (ISO 639-1), naming a place in a country (ISO 3166-1 alpha-2), of one story (the story's id: a document
    and its near-duplicates)."""

    q: str | None = None
    source: str | None = None
    since: str | None = None
    until: str | None = None
    entity: str | None = None
    event_type: str | None = None
    language: str | None = None
    country: str | None = None
    story: str | None = None

    def __post_init__(self) -> None:
        self.since = check_day(self.since, "since")
        self.until = check_day(self.until, "until")
        self.event_type = check_event_type(self.event_type, "event_type")
        self.language = check_language(self.language)
        self.country = check_country(self.country) if self.country else None
        if self.story:
            if not DOC_ID.match(self.story):
                raise QueryError(f"story: invalid story id {self.story!r}: expected 16 lower-case hex digits")
        else:
            self.story = None

    def selects_all(self) -> bool:
        """True when no filter is set: every document is selected."""
        return not any(getattr(self, name) for name in self.__dataclass_fields__)


def check_day(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    day = parse_day(value)
    if day is None:
        raise QueryError(f"{name}: invalid date {value!r}: expected {DAY_EXAMPLE}")
    return day


def check_event_type(value: str | None, name: str = "type") -> str | None:
    """The PLOVER type, upper case; QueryError naming the parameter (``name``) for an unknown one."""
    if not value:
        return None
    if value.upper() not in PLOVER_TYPES:
        raise QueryError(f"{name}: unknown event type {value!r}: expected one of {', '.join(PLOVER_TYPES)}")
    return value.upper()


def check_entity_type(conn: sqlite3.Connection, value: str | None) -> str | None:
    """The entity type, upper case: one the entities layer gives (``document.ENTITY_TYPES``) or one the
    store holds (a plugin's); QueryError listing them for any other."""
    if not value:
        return None
    wanted = value.strip().upper()
    if wanted in ENTITY_TYPES:
        return wanted
    held = {r[0] for r in conn.execute("SELECT DISTINCT type FROM entity_counts")}
    if wanted not in held:
        valid = ", ".join([*ENTITY_TYPES, *sorted(held - set(ENTITY_TYPES))])
        raise QueryError(f"type: unknown entity type {value!r}: expected one of {valid}")
    return wanted


def check_language(value: str | None) -> str | None:
    if not value:
        return None
    if not re.fullmatch(r"[A-Za-z]{2,3}", value.strip()):
        raise QueryError(f"language: {value!r} is not an ISO 639-1 code (two letters, e.g. en, fr)")
    return value.strip().lower()


def check_country(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{2}", value.strip()):
        raise QueryError(f"country: {value!r} is not an ISO 3166-1 alpha-2 code (two letters, e.g. IQ)")
    return value.strip().upper()


def check_doc_id(value: str) -> str:
    if not DOC_ID.match(value):
        raise QueryError(f"invalid document id {value!r}: expected 16 lower-case hex digits")
    return value


def fts_query(text: str) -> str:
    """An FTS5 query from what the user wrote (``store.search_syntax``: words, "phrases", prefix*, OR,
    -word / NOT, parentheses); FTS5's own syntax is never passed through. "" when no word."""
    return search_syntax.fts_query(text)


def _like(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere (with ``ESCAPE '\\'``)."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _limits(limit: int, offset: int) -> tuple[int, int]:
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit: must be between 1 and {MAX_LIMIT}, got {limit}")
    if not 0 <= offset <= MAX_INT:
        raise QueryError(f"offset: must be between 0 and {MAX_INT}, got {offset}")
    return limit, offset


def document_where(f: DocumentFilter, alias: str = "d") -> tuple[list[str], list[Any]]:
    """Clauses over ``documents {alias}`` for every filter but ``q``."""
    where: list[str] = []
    params: list[Any] = []
    if f.source:
        where.append(f"{alias}.source = ? COLLATE NOCASE")
        params.append(f.source)
    if f.since:
        where.append(f"{alias}.published >= ?")
        params.append(f.since)
    if f.until:
        where.append(f"{alias}.published <= ?")
        params.append(f.until)
    if f.language:
        where.append(f"{alias}.language = ?")
        params.append(f.language)
    # the entity and event filters as IN subqueries: SQLite finds the entity's (the type's) rows once by its
    # index and looks each document up in that list; a correlated EXISTS searched the index anew for every
    # document (at 1,700 documents, 2 s for an entity named in half of them, against 3 ms)
    # an entity is matched by its stored name, by the words an article names it with (a mention's text),
    # by the knowledge base's other names and QID; and a name the knowledge base does not know ("Clinton",
    # "hillary") by the entities articles call so (Hillary Clinton: the documents naming her, however
    # they call her)
    if f.entity:
        names, qids = entity_names(f.entity)
        marks = ", ".join("?" * len(names))
        called, called_params = _called(names, qids)
        sub = (
            f"SELECT e.doc_id FROM entities e WHERE e.name COLLATE NOCASE IN ({marks})"
            f" UNION SELECT m.doc_id FROM mentions m WHERE m.text COLLATE NOCASE IN ({marks})"
        )
        if qids:
            sub += f" UNION SELECT e.doc_id FROM entities e WHERE e.wikidata IN ({', '.join('?' * len(qids))})"
        if called:
            sub += f" UNION SELECT e.doc_id FROM entities e WHERE e.name COLLATE NOCASE IN ({called})"
        where.append(f"{alias}.id IN ({sub})")
        params += [*names, *names, *qids, *called_params]
    if f.event_type:
        where.append(f"{alias}.id IN (SELECT v.doc_id FROM events v WHERE v.type = ?)")
        params.append(f.event_type)
    if f.country:
        where.append(f"{alias}.id IN (SELECT p.doc_id FROM places p WHERE p.country = ?)")
        params.append(f.country)
    if f.story:
        where.append(f"{alias}.story_id = ?")
        params.append(f.story)
    return where, params


def entity_names(text: str) -> tuple[list[str], list[str]]:
    """The names and QIDs an entity filter matches: what was written, and for each knowledge-base entity
    it is the canonical name or an alias of ("Pentagon", "the Pentagon": the United States Department of
    Defense), that entity's name, aliases and QID: the stored rows name an entity by its canonical
    name when it was linked, by the article's words when not."""
    from newsgraph.kb import fold, kb  # loaded only when an entity filter is used

    base = kb()
    entries = base.strong.get(fold(text), [])
    names = dict.fromkeys([text.strip()])
    qids: dict[str, None] = {}
    for entry in entries:
        names.update(dict.fromkeys((entry.name, *entry.aliases)))
        if entry.qid:
            qids[entry.qid] = None
    return list(names), list(qids)


def _called(names: list[str], qids: list[str]) -> tuple[str, list[str]]:
    """SQL for the names of the entities articles call by one of ``names``, unless the knowledge base
    knows an entity by it (it has a QID): that name is that entity's alone (an article calling Chelsea
    Clinton "Hillary Clinton" once does not make her so)."""
    if qids:
        return "", []
    marks = ", ".join("?" * len(names))
    sql = (
        "SELECT n.name FROM mentions m JOIN entities n ON n.doc_id = m.doc_id AND n.entity_id = m.entity_id"
        f" WHERE m.text COLLATE NOCASE IN ({marks})"
    )
    return sql, names


def stored_entity_names(conn: sqlite3.Connection, text: str) -> list[str]:
    """The names an entity filter stands for in the store: what was written and the knowledge base's other
    names of it, and (a name the knowledge base does not know: "Clinton") the names of the entities
    articles call so; as
    ``document_where`` matches documents, for the views that pick the entity's own rows in them (its
    quotes and events on the timeline, its node in the network)."""
    names, qids = entity_names(text)
    called, params = _called(names, qids)
    found = [r[0] for r in conn.execute(called, params)] if called else []
    return list(dict.fromkeys([*names, *sorted(found)]))


def _documents_from(f: DocumentFilter) -> tuple[str, list[Any], bool]:
    """FROM ... WHERE ... for the filter; True when it is a full-text search (ranked)."""
    where, params = document_where(f)
    if f.q is not None and f.q.strip():
        match = fts_query(f.q)
        if not match:
            return "FROM documents d WHERE 0", [], False
        sql = "FROM documents_fts JOIN documents d ON d.n = documents_fts.rowid WHERE documents_fts MATCH ?"
        return " AND ".join([sql, *where]), [match, *params], True
    sql = "FROM documents d" + (" WHERE " + " AND ".join(where) if where else "")
    return sql, params, False


def document_ids(conn: sqlite3.Connection, f: DocumentFilter) -> list[str]:
    """The ids of the documents the filter selects, oldest first (as exports want them)."""
    sql, params, _ = _documents_from(f)
    return [row[0] for row in conn.execute(f"SELECT d.id {sql} ORDER BY d.published, d.n", params)]


def search_documents(
    conn: sqlite3.Connection, f: DocumentFilter, *, limit: int = 20, offset: int = 0, collapse: bool = False
) -> Page:
    """``{"items": [{id, title, published, source, url, story_id, duplicate_of, versions, snippet?,
    title_marks?, snippet_marks?}], "total"}``; ranked by relevance with ``q``, else newest first.

    ``collapse``: one item per story (the best-ranked matching copy, else the newest), ``total`` counting
    stories; ``versions`` is the number of stored documents of the item's story either way. With ``q``,
    ``snippet`` is the text around the match and ``snippet_marks`` / ``title_marks`` the ``[start, end)``
    character offsets of the matched words in the snippet and the title (``marked_parts`` splits them)."""
    limit, offset = _limits(limit, offset)
    sql, params, ranked = _documents_from(f)
    rank = "documents_fts.rank" if ranked else "0"
    if collapse:
        # one row per story: SQLite's min()/max() aggregates take the bare columns from the row they pick
        best = "min(documents_fts.rank)" if ranked else "max(coalesce(d.published, '') || printf('%020d', d.n))"
        picked = f"SELECT d.n, d.story_id, {rank} AS r, {best} {sql} GROUP BY d.story_id"
        total = conn.execute(f"SELECT count(DISTINCT d.story_id) {sql}", params).fetchone()[0]
        order = "r, n" if ranked else "coalesce(published, '') = '', published DESC, n DESC"
        rows = conn.execute(
            f"SELECT p.n FROM ({picked}) p JOIN documents USING (n) ORDER BY {order} LIMIT ? OFFSET ?",
            (*params, limit, offset),
        ).fetchall()
    else:
        total = conn.execute(f"SELECT count(*) {sql}", params).fetchone()[0]
        order = "documents_fts.rank, d.n" if ranked else "d.published IS NULL, d.published DESC, d.n DESC"
        rows = conn.execute(f"SELECT d.n {sql} ORDER BY {order} LIMIT ? OFFSET ?", (*params, limit, offset)).fetchall()
    ns = [r[0] for r in rows]
    items = _document_items(conn, ns, sql, params, ranked)
    return {"items": items, "total": total}


def _document_items(
    conn: sqlite3.Connection, ns: list[int], sql: str, params: list[Any], ranked: bool
) -> list[dict[str, Any]]:
    """The result rows of documents ``ns``, in that order, with their story's size and, for a full-text
    search (``sql`` its FROM ... WHERE), the snippet and the marks of the matched words."""
    if not ns:
        return []
    marks = ", ".join("?" * len(ns))
    cols = (
        "d.n, d.id, d.title, d.published, d.source, d.url, d.story_id, d.duplicate_of,"
        " (SELECT count(*) FROM documents s WHERE s.story_id = d.story_id) AS versions"
    )
    if ranked:
        o, c = MARK_OPEN, MARK_CLOSE
        cols += (
            f", highlight(documents_fts, 0, '{o}', '{c}') AS title_hl,"
            f" snippet(documents_fts, 1, '{o}', '{c}', '…', 24) AS snippet_hl"
        )
        query = f"SELECT {cols} {sql} AND d.n IN ({marks})"
    else:
        query = f"SELECT {cols} FROM documents d WHERE d.n IN ({marks})"
        params = []
    by_n = {row["n"]: row for row in iter_rows(conn, query, (*params, *ns))}
    items = []
    for n in ns:
        row = by_n[n]
        row.pop("n")
        if ranked:
            row["title_marks"] = _marks(row.pop("title_hl"))[1] if row["title"] else []
            row["snippet"], row["snippet_marks"] = _marks(row.pop("snippet_hl"))
        items.append(row)
    return items


def _marks(marked: str | None) -> tuple[str, list[list[int]]]:
    """Text with FTS5's marks around matched words -> the text and the marked ``[start, end)`` spans."""
    text, spans, start = [], [], None
    pos = 0
    for ch in marked or "":
        if ch == MARK_OPEN:
            start = pos
        elif ch == MARK_CLOSE:
            if start is not None and pos > start:
                spans.append([start, pos])
            start = None
        else:
            text.append(ch)
            pos += 1
    return "".join(text), spans


def marked_parts(text: str | None, spans: list[list[int]] | None) -> list[tuple[str, bool]]:
    """``text`` cut at the spans: ``(piece, is_match)`` pairs, for a template to wrap matches in <mark>
    (each piece escaped as any text is)."""
    if not text:
        return []
    parts: list[tuple[str, bool]] = []
    at = 0
    for start, end in sorted(spans or []):
        if start < at:
            continue
        if start > at:
            parts.append((text[at:start], False))
        parts.append((text[start:end], True))
        at = end
    if at < len(text):
        parts.append((text[at:], False))
    return parts


FACET_SIZE = 15  # values per facet: the most frequent
FEW_FOR_A_JOIN = 300  # selections up to this many documents count their entities from every entity row


def document_facets(
    conn: sqlite3.Connection, f: DocumentFilter, *, collapse: bool = False, size: int = FACET_SIZE
) -> dict[str, list[dict[str, Any]]]:
    """How the documents the filter selects (stories with ``collapse``: a story's copies count once) fall
    by outlet, language, event type and entity: ``{"sources": [{"value", "count"}], "languages": [...],
    "event_types": [...], "entities": [{"name", "type", "country", "count"}]}``, the ``size`` most
    frequent of each, most first (ties by name). The selection is found once (a full-text match is
    the costly part) and handed to each facet's query as a JSON list."""
    if not 1 <= size <= MAX_LIMIT:
        raise QueryError(f"facet size: must be between 1 and {MAX_LIMIT}, got {size}")
    sql, where_params, _ = _documents_from(f)
    rows = conn.execute(f"SELECT d.n, d.id, d.story_id, d.source, d.language {sql}", where_params).fetchall()
    selected = {doc: story for _, doc, story, _, _ in rows}
    unit = "d.story_id" if collapse else "d.id"
    if len(rows) <= FEW_FOR_A_JOIN:
        entities = list(
            iter_rows(
                conn,
                f"SELECT e.name, e.type, nullif(e.country, '') AS country, count(DISTINCT {unit}) AS count"
                " FROM json_each(?) j JOIN documents d ON d.n = j.value JOIN entities e ON e.doc_id = d.id"
                " GROUP BY e.name, e.type, e.country ORDER BY count DESC, e.name, e.type LIMIT ?",
                (json.dumps([r[0] for r in rows]), size),
            )
        )
    else:
        entities = _top_entities(conn, selected, collapse, size)
    event_types = list(
        iter_rows(
            conn,
            f"SELECT v.type AS value, count(DISTINCT {unit}) AS count FROM json_each(?) j"
            " JOIN documents d ON d.n = j.value JOIN events v ON v.doc_id = d.id"
            " GROUP BY v.type ORDER BY count DESC, value LIMIT ?",
            (json.dumps([r[0] for r in rows]), size),
        )
    )
    return {
        "sources": _top_values(((r[3], r[2] if collapse else r[1]) for r in rows), size, fold=True),
        "languages": _top_values(((r[4], r[2] if collapse else r[1]) for r in rows), size),
        "event_types": event_types,
        "entities": entities,
    }


def _top_values(pairs: Iterable[tuple[str | None, str]], size: int, *, fold: bool = False) -> list[dict[str, Any]]:
    """``(value, unit)`` pairs -> the ``size`` values with the most distinct units, most first (ties by value);
    ``fold``: values differing only in case are one (the first spelling seen)."""
    units: dict[str, set[str]] = defaultdict(set)
    spelling: dict[str, str] = {}
    for value, unit in pairs:
        if value is None:
            continue
        key = value.lower() if fold else value
        spelling.setdefault(key, value)
        units[key].add(unit)
    top = sorted(((len(u), spelling[k]) for k, u in units.items()), key=lambda x: (-x[0], x[1]))
    return [{"value": v, "count": n} for n, v in top[:size]]


def _top_entities(
    conn: sqlite3.Connection, selected: dict[str, str], collapse: bool, size: int
) -> list[dict[str, Any]]:
    """The ``size`` entities named in the most selected documents (stories), for a large selection: grouping
    every entity row of a thousand documents takes 70 ms, so entities are taken in the order of the counts
    the store keeps over all documents (``entity_counts``: no selection can name one more often), each
    counted in the selection by its own rows, until the next one's count over all documents could not
    reach the ``size``-th found (a threshold algorithm: exact, and a few dozen lookups)."""
    bound = "stories" if collapse else "documents"
    found: list[tuple[int, str, str, str]] = []
    kth: list[int] = []  # a min-heap of the size best counts so far
    for name, etype, country, most in conn.execute(
        f"SELECT name, type, country, {bound} FROM entity_counts ORDER BY {bound} DESC"
    ):
        if len(kth) >= size and most < kth[0]:
            break
        docs = {
            doc
            for doc, stored in conn.execute(
                "SELECT doc_id, name FROM entities WHERE name = ? COLLATE NOCASE AND type = ?"
                " AND coalesce(country, '') = ?",
                (name, etype, country),
            )
            if stored == name and doc in selected
        }
        n = len({selected[d] for d in docs}) if collapse else len(docs)
        if n == 0:
            continue
        found.append((n, name, etype, country))
        if len(kth) < size:
            heapq.heappush(kth, n)
        elif n > kth[0]:
            heapq.heapreplace(kth, n)
    found.sort(key=lambda x: (-x[0], x[1], x[2]))
    return [{"name": nm, "type": t, "country": c or None, "count": n} for n, nm, t, c in found[:size]]


def document_json(conn: sqlite3.Connection, doc_id: str) -> str | None:
    """The stored JSON document, as text (the exact bytes ``analyze`` printed, without indentation)."""
    row = conn.execute("SELECT json FROM documents WHERE id = ?", (check_doc_id(doc_id),)).fetchone()
    return None if row is None else str(row[0])


def document(conn: sqlite3.Connection, doc_id: str) -> dict[str, Any] | None:
    text = document_json(conn, doc_id)
    return None if text is None else dict(json.loads(text))


def document_info(conn: sqlite3.Connection, doc_id: str) -> dict[str, Any] | None:
    """The store's row for a document, without text and JSON: metadata, story, input, ingest time."""
    rows = iter_rows(
        conn,
        "SELECT id, title, subtitle, source, url, published, language, byline, story_id, duplicate_of, similarity,"
        " input, ingested_at FROM documents WHERE id = ?",
        (check_doc_id(doc_id),),
    )
    return next(rows, None)


def _doc_ref(row: dict[str, Any]) -> dict[str, Any]:
    """Moves the joined document columns of a row under ``document``."""
    row["document"] = {
        "id": row["doc_id"],
        "title": row.pop("doc_title"),
        "published": row.pop("doc_published"),
        "source": row.pop("doc_source"),
        "url": row.pop("doc_url"),
        "story_id": row.pop("doc_story_id"),
    }
    return row


_DOC_COLS = (
    "d.title AS doc_title, d.published AS doc_published, d.source AS doc_source, d.url AS doc_url,"
    " d.story_id AS doc_story_id"
)


@dataclass
class Where:
    """SQL conditions joined by AND, with their parameters, built one filter at a time."""

    clauses: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, clause: str, *params: Any) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    def sql(self) -> str:
        return " WHERE " + " AND ".join(self.clauses) if self.clauses else ""


def _layer_page(
    conn: sqlite3.Connection, table: str, cols: str, where: Where, order: str, limit: int, offset: int
) -> Page:
    """One page of a layer's rows (alias ``x``) with their document's reference, and the total."""
    sql = f"FROM {table} x JOIN documents d ON d.id = x.doc_id" + where.sql()
    total = conn.execute(f"SELECT count(*) {sql}", where.params).fetchone()[0]
    rows = iter_rows(
        conn,
        f"SELECT {cols}, {_DOC_COLS} {sql} ORDER BY {order} LIMIT ? OFFSET ?",
        (*where.params, limit, offset),
    )
    return {"items": [_doc_ref(r) for r in rows], "total": total}


def quotes(
    conn: sqlite3.Connection,
    *,
    speaker: str | None = None,
    q: str | None = None,
    doc_id: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """Quotes, newest documents first: ``speaker`` matches part of the speaker's canonical name (any
    case), ``q`` is a full-text search in the quote's words. Each item has its document's id and title
    and offsets into its text."""
    limit, offset = _limits(limit, offset)
    where = Where()
    if speaker:
        where.add("x.speaker_name LIKE ? ESCAPE '\\'", _like(speaker))
    if doc_id:
        where.add("x.doc_id = ?", check_doc_id(doc_id))
    if q is not None and q.strip():
        match = fts_query(q)
        if match:
            where.add("x.n IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)", match)
        else:
            where.add("0")
    cols = (
        "x.doc_id, x.idx, x.kind, x.text, x.char_start AS start, x.char_end AS end, x.speaker,"
        " x.speaker_name, x.cue, x.channel, x.original_source"
    )
    order = "d.published IS NULL, d.published DESC, d.n DESC, x.idx"
    return _layer_page(conn, "quotes", cols, where, order, limit, offset)


MODALITIES = ("asserted", "negated", "future", "hypothetical", "demanded")


def check_modality(value: str | None) -> str | None:
    if not value:
        return None
    low = value.strip().lower()
    if low not in MODALITIES:
        raise QueryError(f"modality: {value!r} is not one of {', '.join(MODALITIES)}")
    return low


def add_event_filters(
    where: Where, *, type: str | None, modality: str | None, since: str | None, until: str | None
) -> None:
    """The filters every events query takes, on the events table aliased ``x``: the PLOVER type, the
    modality and the day range (checked: a bad value is a QueryError naming the parameter)."""
    event_type = check_event_type(type)
    if event_type:
        where.add("x.type = ?", event_type)
    wanted = check_modality(modality)
    if wanted:
        where.add("x.modality = ?", wanted)
    first, last = check_day(since, "since"), check_day(until, "until")
    if first:
        where.add("x.day >= ?", first)
    if last:
        where.add("x.day <= ?", last)


def events(
    conn: sqlite3.Connection,
    *,
    type: str | None = None,
    actor: str | None = None,
    country: str | None = None,
    modality: str | None = None,
    since: str | None = None,
    until: str | None = None,
    doc_id: str | None = None,
    cluster: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """Events by PLOVER type, an actor (part of the source's or the target's name, any case), a country
    (an actor's or the place's, ISO2), the modality (``asserted`` for what happened as told), the day
    (the event's own date when it is a day, else its document's publication date) and the cluster of
    mentions of one happening. Each has its cluster's id and counts of mentions, articles and outlets."""
    limit, offset = _limits(limit, offset)
    where = Where()
    add_event_filters(where, type=type, modality=modality, since=since, until=until)
    if actor:
        where.add("(x.source_name LIKE ? ESCAPE '\\' OR x.target_name LIKE ? ESCAPE '\\')", _like(actor), _like(actor))
    if country:
        cc = check_country(country)
        where.add("(x.source_country = ? OR x.target_country = ? OR x.place_country = ?)", cc, cc, cc)
    if doc_id:
        where.add("x.doc_id = ?", check_doc_id(doc_id))
    if cluster is not None:
        if not 1 <= cluster <= MAX_INT:
            raise QueryError(f"cluster: must be between 1 and {MAX_INT}, got {cluster}")
        where.add(
            "x.doc_id || '/' || x.idx IN (SELECT doc_id || '/' || idx FROM event_mentions WHERE cluster_id = ?)",
            cluster,
        )
    cols = (
        f"{_EVENT_COLS},"
        " (SELECT m.cluster_id FROM event_mentions m WHERE m.doc_id = x.doc_id AND m.idx = x.idx) AS cluster"
    )
    page = _layer_page(conn, "events", cols, where, "x.day IS NULL, x.day DESC, d.n DESC, x.idx", limit, offset)
    _add_cluster_counts(conn, page["items"])
    return page


# an event's columns (``events x`` joined with ``documents d``), its sentence's text among them
_EVENT_COLS = (
    "x.doc_id, x.idx, x.type, x.mode, x.context, x.modality, x.source, x.target, x.source_name, x.target_name,"
    " x.source_country, x.source_sector, x.target_country, x.target_sector, x.trigger,"
    " x.char_start AS start, x.char_end AS end, x.sentence_start, x.sentence_end,"
    " substr(d.text, x.sentence_start + 1, x.sentence_end - x.sentence_start) AS sentence, x.date, x.date_basis,"
    " x.place, x.place_country, x.lat, x.lon, x.dead, x.injured, x.size, x.day"
)


def _add_cluster_counts(conn: sqlite3.Connection, items: list[dict[str, Any]]) -> None:
    ids = sorted({i["cluster"] for i in items if i.get("cluster") is not None})
    counts = {}
    if ids:
        marks = ", ".join("?" * len(ids))
        sql = f"SELECT id, mentions, articles, sources FROM event_clusters WHERE id IN ({marks})"
        counts = {r[0]: r[1:] for r in conn.execute(sql, ids)}
    for item in items:
        got = counts.get(item.get("cluster"), (1, 1, 1))
        item["mentions"], item["articles"], item["sources"] = got


def event_cluster(conn: sqlite3.Connection, cluster_id: int) -> dict[str, Any] | None:
    """One happening: ``{"cluster": summary, "mentions": [...]}``, None when there is no such cluster.

    ``mentions`` are its events as ``events`` gives them (each with its document, its sentence, the
    outlet and the day the article came out, and the entities behind its actors), earliest article
    first. The summary has the cluster's type, modality, day and counts; its mode and actors are those
    of the first mention naming the most of source and target (the store keeps the cluster's own key
    lower-cased), its place that of the first mention naming one, ``dead``, ``injured`` and ``size``
    every distinct figure the mentions give."""
    if not 1 <= cluster_id <= MAX_INT:  # beyond SQLite's integers: there is no such cluster
        return None
    found = next(
        iter_rows(
            conn,
            "SELECT id, type, modality, day, mentions, articles, sources FROM event_clusters WHERE id = ?",
            (int(cluster_id),),
        ),
        None,
    )
    if found is None:
        return None
    rows = iter_rows(
        conn,
        f"SELECT {_EVENT_COLS}, m.cluster_id AS cluster, m.source AS outlet, m.day_seen,"
        " es.name AS s_name, es.type AS s_type, es.country AS s_country,"
        f" et.name AS t_name, et.type AS t_type, et.country AS t_country, {_DOC_COLS}"
        " FROM event_mentions m JOIN events x ON x.doc_id = m.doc_id AND x.idx = m.idx"
        " JOIN documents d ON d.id = x.doc_id"
        " LEFT JOIN entities es ON es.doc_id = x.doc_id AND es.entity_id = x.source"
        " LEFT JOIN entities et ON et.doc_id = x.doc_id AND et.entity_id = x.target"
        " WHERE m.cluster_id = ? ORDER BY m.day_seen IS NULL, m.day_seen, d.n, x.idx",
        (int(cluster_id),),
    )
    mentions = []
    for row in rows:
        for side, p in (("source", "s"), ("target", "t")):
            name, etype, country = row.pop(f"{p}_name"), row.pop(f"{p}_type"), row.pop(f"{p}_country")
            row[f"{side}_entity"] = {"name": name, "type": etype, "country": country} if name else None
        row["mentions"], row["articles"], row["sources"] = found["mentions"], found["articles"], found["sources"]
        mentions.append(_doc_ref(row))
    return {"cluster": _cluster_summary(found, mentions), "mentions": mentions}


def _cluster_summary(cluster: dict[str, Any], mentions: list[dict[str, Any]]) -> dict[str, Any]:
    def first(*keys: str) -> dict[str, Any]:
        """The values of ``keys`` from the first mention with any of them."""
        got = next((m for m in mentions if any(m[k] is not None for k in keys)), None)
        return {k: (got[k] if got else None) for k in keys}

    def figures(key: str) -> list[float]:
        return sorted({float(m[key]) for m in mentions if m[key] is not None})

    def sides(m: dict[str, Any]) -> int:
        return sum(any(m[f"{side}_{k}"] is not None for k in ("name", "country")) for side in ("source", "target"))

    told = max(mentions, key=sides, default=None)  # the first of those naming the most sides
    actors = {
        side: {k: (told[f"{side}_{k}"] if told else None) for k in ("name", "country", "sector", "entity")}
        for side in ("source", "target")
    }
    seen = sorted(m["day_seen"] for m in mentions if m["day_seen"])
    return {
        **cluster,
        "mode": told["mode"] if told else None,
        **actors,
        **first("place", "place_country", "lat", "lon"),
        "dead": figures("dead"),
        "injured": figures("injured"),
        "size": figures("size"),
        "outlets": sorted({m["outlet"] for m in mentions if m["outlet"]}),
        "first_seen": seen[0] if seen else None,
        "last_seen": seen[-1] if seen else None,
    }


def entities(
    conn: sqlite3.Connection,
    *,
    q: str | None = None,
    type: str | None = None,
    country: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """Entities merged across documents by (canonical name, type, country), most widely reported first.

    ``mentions`` and ``stories`` count near-duplicate copies once (a story counts the mentions of its
    fullest copy); ``documents`` counts every stored document naming the entity. Read from
    ``entity_counts``, which the store keeps as documents are written (what the ``entity_totals`` view
    computes from every entity row)."""
    limit, offset = _limits(limit, offset)
    where = Where()
    if q:
        where.add("name LIKE ? ESCAPE '\\'", _like(q))
    wanted = check_entity_type(conn, type)
    if wanted:
        where.add("type = ?", wanted)
    if country:
        where.add("country = ?", country.upper())
    total = conn.execute(f"SELECT count(*) FROM entity_counts{where.sql()}", where.params).fetchone()[0]
    items = list(
        iter_rows(
            conn,
            "SELECT name, type, nullif(country, '') AS country, mentions, stories, documents FROM entity_counts"
            f"{where.sql()} ORDER BY stories DESC, mentions DESC, name LIMIT ? OFFSET ?",
            (*where.params, limit, offset),
        )
    )
    for item in items:
        item["wikidata"] = wikidata_of(conn, item["name"], item["type"], item["country"])
        item["aliases"] = kb_aliases(item["wikidata"], item["name"])
    return {"items": items, "total": total}


def wikidata_of(conn: sqlite3.Connection, name: str, type: str, country: str | None) -> str | None:
    """The QID the documents naming an entity linked it to (the first stored), or None."""
    row = conn.execute(
        # the name's index is case-blind (entities_key): compared so first, then exactly; without the first
        # comparison every call scanned the table (600 ms for the 200 entities the search page lists)
        "SELECT wikidata FROM entities WHERE name = ? COLLATE NOCASE AND name = ? AND type = ?"
        " AND coalesce(country, '') = ? AND wikidata IS NOT NULL LIMIT 1",
        (name, name, type, country or ""),
    ).fetchone()
    return None if row is None else str(row[0])


def load_aliases() -> None:
    """Load the knowledge base ``kb_aliases`` reads now rather than at its first call (a server does so as it
    starts: its first load, 0.1-0.15 s, was most of the first answer of every page listing entities)."""
    from newsgraph.kb import kb

    kb()


def kb_aliases(qid: str | None, name: str) -> list[str]:
    """The knowledge base's other names of the entity a QID or a canonical name is."""
    from newsgraph.kb import kb  # loaded only when entities are listed

    base = kb()
    entry = base.by_qid.get(qid) if qid else base.by_name.get(name)
    if entry is None:
        return []
    return [a for a in dict.fromkeys((entry.name, *entry.aliases)) if a != name]


def story(conn: sqlite3.Connection, story_id: str) -> dict[str, Any] | None:
    """A story: its documents (the first stored, then its near-duplicates, by publication date)."""
    rows = list(
        iter_rows(
            conn,
            "SELECT id, title, source, url, published, duplicate_of, similarity, ingested_at FROM documents"
            " WHERE story_id = ? ORDER BY id != story_id, published, n",
            (check_doc_id(story_id),),
        )
    )
    if not rows:
        return None
    sources = sorted({r["source"] for r in rows if r["source"]})
    days = sorted(r["published"] for r in rows if r["published"])
    return {
        "id": story_id,
        "title": rows[0]["title"],
        "documents": rows,
        "sources": sources,
        "first_published": days[0] if days else None,
        "last_published": days[-1] if days else None,
    }


def story_of(conn: sqlite3.Connection, doc_id: str) -> str | None:
    row = conn.execute("SELECT story_id FROM documents WHERE id = ?", (check_doc_id(doc_id),)).fetchone()
    return None if row is None else str(row[0])


# --- claims: the same count of the same thing, reported by several sources ---------------------------------


def _interval(value: float, high: float | None, bound: str | None, approx: int | None) -> tuple[float, float]:
    if high is not None:
        return (min(value, high), max(value, high))
    if bound == "more_than":
        return (value, float("inf"))
    if bound == "less_than":
        return (0.0, value)
    if approx or bound == "about":
        return (value * (1 - APPROX_TOLERANCE), value * (1 + APPROX_TOLERANCE))
    return (value, value)


def _disagree(intervals: list[tuple[float, float]]) -> bool:
    """True when some two readings cannot both be true (their intervals do not overlap)."""
    return max(lo for lo, _ in intervals) > min(hi for _, hi in intervals)


def claims(
    conn: sqlite3.Connection,
    *,
    q: str | None = None,
    noun: str | None = None,
    country: str | None = None,
    place: str | None = None,
    category: str | None = None,
    since: str | None = None,
    until: str | None = None,
    min_sources: int = 2,
    disagree: bool | None = None,
    limit: int = 20,
    offset: int = 0,
) -> Page:
    """Quantities about the same thing from different sources side by side (``disagree``: only the claims
    whose figures cannot all hold, or only those that agree).

    "The same thing" is what is counted: the counted noun, the country it belongs to ("2,500 US
    troops"), and the event verb if any ("six people wounded"), within one happening: one story (an
    article and its near-duplicate copies), joined with the other stories that tell the same event in
    the figure's sentence (one event cluster: the same attack reported by three outlets). Figures of
    stories with no event in common are never compared ("13,000 US troops" in Afghanistan and "2,500"
    in Iraq are different claims). Only counts of CLAIM_CATEGORIES
    (people, casualties, forces, vehicles, weapons) by default, since a sum of money, a percentage or a
    distance does not say what it measures; ``category`` asks for one category instead.

    A claim lists, per value, which sources gave it and when, and ``disagree`` is true when two
    readings cannot both hold ("2,500" and "3,000"; but "about 2,500" and "2,600" agree, and so do
    "more than 2,000" and "2,500"). ``sources`` counts outlets (a document without one counts as its
    own source), ``stories`` independent stories (near-duplicate copies are one). ``place`` keeps
    readings whose paragraph names that place; ``q`` matches part of the noun or the quantity's words.
    Claims with the most sources come first."""
    limit, offset = _limits(limit, offset)
    if min_sources < 1:
        raise QueryError(f"min_sources: must be 1 or more, got {min_sources}")
    where, params = _claim_where(q=q, noun=noun, country=country, category=category, since=since, until=until)
    rows = iter_rows(
        conn,
        "SELECT x.doc_id, x.text, x.char_start AS start, x.char_end AS end, x.value, x.value_high, x.approx,"
        f" x.bound, x.noun, x.category, x.country, x.verb, {_PLACES_NEARBY} AS places, {_CLUSTER} AS cluster,"
        f" {_DOC_COLS} FROM quantities x JOIN documents d ON d.id = x.doc_id WHERE "
        + " AND ".join(where)
        + " ORDER BY d.published, d.n, x.idx",
        tuple(params),
    )
    out = []
    for (_, noun_key, country_key, verb_key), readings in _readings_by_subject(rows, place).items():
        sources = {r["document"]["source"] or r["document"]["id"] for r in readings}
        if len(sources) < min_sources:
            continue
        claim = _claim(noun_key, country_key, verb_key, readings, len(sources))
        claim["subject"]["story_ids"] = sorted({r["document"]["story_id"] for r in readings})
        claim["subject"]["cluster_ids"] = sorted({r["cluster"] for r in readings if r["cluster"] is not None})
        if disagree is None or claim["disagree"] == disagree:
            out.append(claim)
    out.sort(key=lambda c: (-c["sources"], -len(c["readings"]), c["subject"]["noun"], c["subject"]["country"] or ""))
    return {"items": out[offset : offset + limit], "total": len(out)}


# the event cluster of the first event whose sentence holds the quantity (None: no event told there)
_CLUSTER = (
    "(SELECT m.cluster_id FROM events v JOIN event_mentions m ON m.doc_id = v.doc_id AND m.idx = v.idx"
    " WHERE v.doc_id = x.doc_id AND v.sentence_start <= x.char_start AND x.char_start < v.sentence_end"
    " ORDER BY v.idx LIMIT 1)"
)
# the places named in a quantity's paragraph (outside its own words), as a JSON array
_PLACES_NEARBY = (
    "(SELECT json_group_array(name) FROM (SELECT DISTINCT p.name FROM places p WHERE p.doc_id = x.doc_id"
    " AND p.paragraph = x.paragraph AND NOT (p.char_start < x.char_end AND p.char_end > x.char_start)"
    " AND p.name IS NOT NULL ORDER BY p.char_start))"
)


def _claim_where(
    *,
    q: str | None,
    noun: str | None,
    country: str | None,
    category: str | None,
    since: str | None,
    until: str | None,
) -> tuple[list[str], list[Any]]:
    """Clauses over ``quantities x`` and ``documents d`` for the quantities ``claims`` compares."""
    where = ["x.noun IS NOT NULL", "x.value IS NOT NULL"]
    params: list[Any] = []
    if category:
        where.append("x.category = ?")
        params.append(category)
    else:
        where.append(f"x.category IN ({', '.join('?' * len(CLAIM_CATEGORIES))})")
        params += CLAIM_CATEGORIES
    if q:
        where.append("(x.noun LIKE ? ESCAPE '\\' OR x.text LIKE ? ESCAPE '\\')")
        params += [_like(q), _like(q)]
    if noun:
        where.append("x.noun = ? COLLATE NOCASE")
        params.append(noun)
    if country:
        where.append("x.country = ?")
        params.append(country.upper())
    first, last = check_day(since, "since"), check_day(until, "until")
    if first:
        where.append("d.published >= ?")
        params.append(first)
    if last:
        where.append("d.published <= ?")
        params.append(last)
    return where, params


def _readings_by_subject(
    rows: Iterable[dict[str, Any]], place: str | None
) -> dict[tuple[str, str, str, str], list[dict[str, Any]]]:
    """Quantity rows grouped by the happening they are about and what they count: (the happening, noun in
    lower case, country or "", verb or ""); with ``place``, only those whose paragraph names it. A
    happening is a set of stories tied by event clusters (a story and a cluster its figures' sentences
    tell are one; ``_Happenings``)."""
    kept: list[dict[str, Any]] = []
    happenings = _Happenings()
    for row in rows:
        row["places"] = json.loads(row["places"] or "[]")
        if place and not any(p.lower() == place.lower() for p in row["places"]):
            continue
        row["approx"] = None if row["approx"] is None else bool(row["approx"])
        for key in ("value", "value_high"):
            row[key] = clean_number(row[key])
        ref = _doc_ref(row)
        happenings.tie(ref["document"]["story_id"], ref["cluster"])
        kept.append(ref)
    by_thing: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for ref in kept:
        happening = happenings.of(f"s:{ref['document']['story_id']}")
        by_thing[(happening, ref["noun"].lower(), ref["verb"] or "")].append(ref)
    groups: dict[tuple[str, str, str, str], list[dict[str, Any]]] = {}
    for (happening, noun, verb), refs in by_thing.items():
        # whose: a figure that names no country is the one country the others name ("four policemen" beside
        # "five Iraqi policemen"); with several countries named, it is compared with none of them
        known = {r["country"] for r in refs if r["country"]}
        for ref in refs:
            country = ref["country"] or (next(iter(known)) if len(known) == 1 else "")
            groups.setdefault((happening, noun, country, verb), []).append(ref)
    return groups


class _Happenings:
    """Stories joined when figures of both are told in sentences of one event cluster (union-find)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def of(self, node: str) -> str:
        self.parent.setdefault(node, node)
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:  # path compression: linear in the readings overall
            self.parent[node], node = root, self.parent[node]
        return root

    def tie(self, story: str, cluster: int | None) -> None:
        a = self.of(f"s:{story}")
        if cluster is not None:
            b = self.of(f"c:{cluster}")
            if a != b:
                self.parent[b] = a


def clean_number(value: float | None) -> float | None:
    """A figure without the artefacts of binary floating point: 16.6 million is 16600000.0, not
    16600000.000000002 (12 significant digits: more than any reported count has)."""
    return None if value is None else float(f"{value:.12g}")


def _claim(noun: str, country: str, verb: str, readings: list[dict[str, Any]], n_sources: int) -> dict[str, Any]:
    # one reading per document and value: a figure repeated in an article is one report of it
    firsts: dict[tuple[str, float, float | None, str | None], dict[str, Any]] = {}
    for r in readings:
        k = (r["doc_id"], r["value"], r["value_high"], r["bound"])
        if k in firsts:
            firsts[k]["occurrences"] += 1
        else:
            firsts[k] = {**r, "occurrences": 1}
    values: dict[tuple[float, float | None, str | None], dict[str, Any]] = {}
    for r in firsts.values():
        v = values.setdefault(
            (r["value"], r["value_high"], r["bound"]),
            {"value": r["value"], "value_high": r["value_high"], "bound": r["bound"], "sources": [], "dates": []},
        )
        source = r["document"]["source"] or r["document"]["id"]
        if source not in v["sources"]:
            v["sources"].append(source)
        if r["document"]["published"] and r["document"]["published"] not in v["dates"]:
            v["dates"].append(r["document"]["published"])
    intervals = [_interval(r["value"], r["value_high"], r["bound"], r["approx"]) for r in firsts.values()]
    categories = sorted({r["category"] for r in readings if r["category"]})
    return {
        "subject": {
            "noun": noun,
            "country": country or None,
            "verb": verb or None,
            "category": categories[0] if categories else None,
        },
        "sources": n_sources,
        "stories": len({r["document"]["story_id"] for r in firsts.values()}),
        "documents": len({r["doc_id"] for r in firsts.values()}),
        "disagree": _disagree(intervals),
        "values": sorted(values.values(), key=lambda v: (v["value"], v["value_high"] or 0.0)),
        "readings": list(firsts.values()),
    }


# --- any registered layer's rows (the generic API route /api/layers/{name}) ------------------------------


def layers(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """The registered layers with their tables and whether this store has them."""
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return [
        {
            "name": layer.name,
            "reads": list(layer.reads),
            "needs": list(layer.needs),
            "tables": [{"name": t.name, "columns": t.column_names(), "stored": t.name in have} for t in layer.tables],
        }
        for layer in REGISTRY
    ]


def layer_rows(
    conn: sqlite3.Connection, name: str, *, doc_id: str | None = None, limit: int = 50, offset: int = 0
) -> Page:
    """Rows of a layer's first table, in document order (one document's with ``doc_id``); ``extra`` as JSON."""
    limit, offset = _limits(limit, offset)
    try:
        layer = REGISTRY.get(name)
    except LayerError as exc:
        raise QueryError(str(exc)) from None
    if not layer.tables:
        raise QueryError(f"layer {name!r} stores no rows")
    table = layer.tables[0]
    stored = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table.name,)).fetchone()
    if stored is None:
        return {"layer": name, "table": table.name, "items": [], "total": 0}
    where, params = ("WHERE doc_id = ?", [check_doc_id(doc_id)]) if doc_id else ("", [])
    total = conn.execute(f"SELECT count(*) FROM {table.name} {where}", params).fetchone()[0]
    cols = ", ".join(table.column_names())
    items = list(
        iter_rows(
            conn, f"SELECT {cols} FROM {table.name} {where} ORDER BY n LIMIT ? OFFSET ?", (*params, limit, offset)
        )
    )
    for item in items:
        if isinstance(item.get("extra"), str):
            item["extra"] = json.loads(item["extra"])
    return {"layer": name, "table": table.name, "items": items, "total": total}
