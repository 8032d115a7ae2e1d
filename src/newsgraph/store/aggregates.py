"""Read queries behind the web pages that ``store.queries`` has no answer for: the counts of the
health check and the search page, the aggregates of the quote explorer, the entity page, the
timeline, the map (places and events), the co-mention network and the actor network (who acts on
whom, from the events).

Each takes a read-only connection and returns plain dicts and lists (the pages embed them as JSON
for their charts). An entity across documents is its (canonical name, type, country), as
``queries.entities`` merges them; names compare without case.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from newsgraph.dates import DAY, MONTH
from newsgraph.lexicons import cameo_roots
from newsgraph.store.db import iter_rows
from newsgraph.store.queries import (
    DocumentFilter,
    QueryError,
    Where,
    add_event_filters,
    check_doc_id,
    document_where,
    kb_aliases,
    stored_entity_names,
)

NETWORK_TYPES = ("PERSON", "ORG", "GPE", "LOC", "NORP")
TIMELINE_ROWS = 5000  # at most this many quotes, dated mentions and events on the timeline
ENTITY_EVENTS = 200  # at most this many happenings in each of an entity's two event lists
ACTOR_NETWORK_SIZE = 150  # the actor network's busiest actors
MAP_EVENT_ITEMS = 8  # happenings listed per point of the map


def _quad(cameo_root: str) -> int:
    """GDELT's QuadClass of a CAMEO root code: 1 verbal cooperation (01-05), 2 material cooperation
    (06-08), 3 verbal conflict (09-13), 4 material conflict (14-20)."""
    root = int(cameo_root)
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


QUAD_CLASS = {t: _quad(root) for t, root in cameo_roots().items()}  # PLOVER type -> its quad class

Node = tuple[str, str, str]  # an entity in the network: (name, type, country or "")


@dataclass(frozen=True)
class EntityKey:
    """An entity across documents; ``type`` and ``country`` None match any."""

    name: str
    type: str | None = None
    country: str | None = None

    def where(self, alias: str = "e") -> tuple[str, list[Any]]:
        clauses = [f"{alias}.name = ? COLLATE NOCASE"]
        params: list[Any] = [self.name]
        if self.type:
            clauses.append(f"{alias}.type = ?")
            params.append(self.type.upper())
        if self.country is not None:
            clauses.append(f"coalesce({alias}.country, '') = ?")
            params.append(self.country.upper())
        return " AND ".join(clauses), params


def document_count(conn: sqlite3.Connection) -> int:
    """The number of stored documents (the health check's)."""
    return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How much the store holds, for the search page's header."""
    one = conn.execute(
        "SELECT (SELECT count(*) FROM documents), (SELECT count(DISTINCT story_id) FROM documents),"
        " (SELECT count(DISTINCT source) FROM documents), (SELECT count(*) FROM quotes),"
        " (SELECT count(*) FROM (SELECT DISTINCT name, type FROM entity_counts)), (SELECT count(*) FROM events)"
    ).fetchone()
    return dict(zip(("documents", "stories", "sources", "quotes", "entities", "events"), one, strict=True))


def sources(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return list(
        iter_rows(
            conn,
            "SELECT source, count(*) AS documents FROM documents WHERE source IS NOT NULL"
            " GROUP BY source COLLATE NOCASE ORDER BY documents DESC, source LIMIT 200",
        )
    )


def entity_types(conn: sqlite3.Connection) -> list[str]:
    """The entity types the store holds, sorted (the entities page's filter)."""
    return [r[0] for r in conn.execute("SELECT DISTINCT type FROM entities ORDER BY type")]


def speakers(conn: sqlite3.Connection, limit: int = 100) -> list[dict[str, Any]]:
    """Speakers by their number of quotes (with the number of documents quoting them)."""
    return list(
        iter_rows(
            conn,
            "SELECT speaker_name AS name, count(*) AS quotes, count(DISTINCT doc_id) AS documents FROM quotes"
            " WHERE speaker_name IS NOT NULL GROUP BY speaker_name ORDER BY quotes DESC, name LIMIT ?",
            (limit,),
        )
    )


def speaker_entities(conn: sqlite3.Connection, names: list[str]) -> dict[str, dict[str, Any]]:
    """For speaker names, the entity (type, country) most often behind them: links to entity pages."""
    if not names:
        return {}
    marks = ", ".join("?" * len(names))
    rows = iter_rows(
        conn,
        "SELECT x.speaker_name AS name, e.type, e.country, count(*) AS n FROM quotes x"
        " JOIN entities e ON e.doc_id = x.doc_id AND e.entity_id = x.speaker"
        f" WHERE x.speaker_name IN ({marks}) GROUP BY 1, 2, 3 ORDER BY n",
        tuple(names),
    )
    return {r["name"]: {"name": r["name"], "type": r["type"], "country": r["country"]} for r in rows}


# --- the entity page ------------------------------------------------------------------------------------------


def entity(conn: sqlite3.Connection, key: EntityKey) -> dict[str, Any] | None:
    """An entity across documents: its documents, mentions per day, quotes, events, attributes and the
    entities named in the same paragraphs. None when no document names it."""
    where, params = key.where("e")
    docs = list(
        iter_rows(
            conn,
            "SELECT e.doc_id, e.entity_id, e.name, e.type, e.country, e.mentions, e.title AS ent_title, e.role,"
            " e.affiliation, e.wikidata, d.title, d.published, d.source, d.story_id"
            f" FROM entities e JOIN documents d ON d.id = e.doc_id WHERE {where}"
            " ORDER BY d.published IS NULL, d.published DESC, d.n DESC",
            tuple(params),
        )
    )
    if not docs:
        return None
    first = docs[0]

    def distinct(col: str) -> list[str]:
        return sorted({str(d[col]) for d in docs if d[col]})

    qid = next((d["wikidata"] for d in docs if d["wikidata"]), None)
    return {
        "name": first["name"],
        "type": first["type"] if key.type else ", ".join(distinct("type")),
        "country": first["country"],
        "wikidata": qid,
        "aliases": kb_aliases(qid, first["name"]),
        "titles": distinct("ent_title"),
        "roles": distinct("role"),
        "affiliations": distinct("affiliation"),
        "documents": docs,
        "stories": len({d["story_id"] for d in docs}),
        "mentions": sum(d["mentions"] for d in docs),
        "per_day": _per_day(docs),
        "quotes": _entity_quotes(conn, where, params),
        "events_as_source": _entity_events(conn, where, params, "source"),
        "events_as_target": _entity_events(conn, where, params, "target"),
        "together": _named_beside(conn, where, params),
    }


def _per_day(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An entity's mentions and documents per publication day, from its documents' rows."""
    per_day: dict[str, dict[str, int]] = defaultdict(lambda: {"mentions": 0, "documents": 0})
    for d in docs:
        if d["published"]:
            per_day[d["published"]]["mentions"] += d["mentions"]
            per_day[d["published"]]["documents"] += 1
    return [{"day": day, **v} for day, v in sorted(per_day.items())]


def _entity_quotes(conn: sqlite3.Connection, where: str, params: list[Any]) -> list[dict[str, Any]]:
    """The quotes an entity (``where`` over ``entities e``) speaks, newest documents first."""
    return list(
        iter_rows(
            conn,
            "SELECT x.doc_id, x.idx, x.kind, x.text, x.cue, x.channel, d.title, d.published, d.source"
            " FROM quotes x JOIN entities e ON e.doc_id = x.doc_id AND e.entity_id = x.speaker"
            f" JOIN documents d ON d.id = x.doc_id WHERE {where}"
            " ORDER BY d.published IS NULL, d.published DESC, d.n DESC, x.idx LIMIT 200",
            tuple(params),
        )
    )


def _entity_events(conn: sqlite3.Connection, where: str, params: list[Any], role: str) -> list[dict[str, Any]]:
    """The happenings (event clusters) an entity (``where`` over ``entities e``) is the ``role`` ("source"
    or "target") of, latest first: each told by its latest mention naming the entity, with the cluster's
    id and counts."""
    assert role in ("source", "target")
    rows = iter_rows(
        conn,
        "SELECT m.cluster_id AS cluster, v.doc_id, v.idx, v.type, v.mode, v.modality, v.source_name, v.target_name,"
        " v.trigger, coalesce(c.day, v.day) AS day, v.place, d.title, d.source AS outlet,"
        " coalesce(c.mentions, 1) AS mentions, coalesce(c.articles, 1) AS articles, coalesce(c.sources, 1) AS sources"
        f" FROM events v JOIN entities e ON e.doc_id = v.doc_id AND e.entity_id = v.{role}"
        " JOIN documents d ON d.id = v.doc_id"
        " LEFT JOIN event_mentions m ON m.doc_id = v.doc_id AND m.idx = v.idx"
        " LEFT JOIN event_clusters c ON c.id = m.cluster_id"
        f" WHERE {where} ORDER BY coalesce(c.day, v.day) IS NULL, coalesce(c.day, v.day) DESC, d.n DESC, v.idx",
        tuple(params),
    )
    out: list[dict[str, Any]] = []
    seen: set[Any] = set()
    for r in rows:
        key = r["cluster"] if r["cluster"] is not None else (r["doc_id"], r["idx"])
        if key in seen:
            continue
        seen.add(key)
        out.append(r)
        if len(out) >= ENTITY_EVENTS:
            break
    return out


def _named_beside(conn: sqlite3.Connection, where: str, params: list[Any]) -> list[dict[str, Any]]:
    """The entities most often named in the same paragraphs as an entity (``where`` over ``entities e``):
    by the (document, paragraph) pairs naming both, ties by name, type and country.

    The entity's paragraphs are listed once first, and each other entity's pairs counted as distinct
    rows, not as distinct ``doc_id || ':' || paragraph`` strings over every pair of mentions (at 1,700
    documents, for an entity named in half of them: 300 ms -> 115 ms; the same answer)."""
    return list(
        iter_rows(
            conn,
            "SELECT name, type, country, count(*) AS paragraphs FROM ("
            " SELECT DISTINCT o.name, o.type, o.country, m2.doc_id, m2.paragraph FROM ("
            "  SELECT DISTINCT m1.doc_id, m1.paragraph, m1.entity_id FROM entities e"
            "  JOIN mentions m1 ON m1.doc_id = e.doc_id AND m1.entity_id = e.entity_id"
            f"  WHERE {where} AND m1.paragraph IS NOT NULL) p"
            " JOIN mentions m2 ON m2.doc_id = p.doc_id AND m2.paragraph = p.paragraph AND m2.entity_id != p.entity_id"
            " JOIN entities o ON o.doc_id = m2.doc_id AND o.entity_id = m2.entity_id)"
            " GROUP BY name, type, country ORDER BY paragraphs DESC, name, type, country LIMIT 20",
            tuple(params),
        )
    )


# --- the timeline --------------------------------------------------------------------------------------------


def _doc_filter(f: DocumentFilter) -> tuple[str, list[Any]]:
    """A clause keeping the documents ``f`` selects: the store's own filter clauses, joined."""
    where, params = document_where(f)
    return (" AND ".join(where) or "1"), params


def timeline(conn: sqlite3.Connection, f: DocumentFilter, *, lanes: int = 12) -> dict[str, Any]:
    """Articles (by publication day), quotes (by their article's day), dated mentions (the days and months
    the texts name, TIMEX3 values), and events (each happening once, at its cluster's day), over the
    documents ``f`` selects. With ``f.entity``: its quotes, the dates named in paragraphs that name it,
    and the events it takes part in. ``entities``: for the most reported entities, the days of the
    articles naming them."""
    where, params = _doc_filter(f)
    names = stored_entity_names(conn, f.entity) if f.entity else []  # "Clinton": Hillary Clinton's rows too
    return {
        "articles": _timeline_articles(conn, where, params),
        "quotes": _timeline_quotes(conn, where, params, names),
        "dated": _timeline_dated(conn, where, params, names),
        "events": _timeline_events(conn, where, params, names),
        "entities": _timeline_lanes(conn, where, params, lanes),
    }


def _timeline_articles(conn: sqlite3.Connection, where: str, params: list[Any]) -> list[dict[str, Any]]:
    """The documents (``where`` over ``documents d``) with a publication day, oldest first."""
    return list(
        iter_rows(
            conn,
            f"SELECT d.published AS day, d.id, d.title, d.source FROM documents d WHERE d.published IS NOT NULL"
            f" AND {where} ORDER BY d.published, d.n",
            tuple(params),
        )
    )


def _in(names: list[str]) -> str:
    return f"COLLATE NOCASE IN ({', '.join('?' * len(names))})"


def _timeline_quotes(
    conn: sqlite3.Connection, where: str, params: list[Any], entity: list[str]
) -> list[dict[str, Any]]:
    """The quotes of the dated documents (of the entity, by any of its names, as speaker, if given), their
    text clipped."""
    speaker, speaker_params = "", []
    if entity:
        speaker, speaker_params = f" AND x.speaker_name {_in(entity)}", entity
    return [
        {**r, "text": _clip(r["text"], 160)}
        for r in iter_rows(
            conn,
            "SELECT d.published AS day, x.doc_id, x.idx, x.speaker_name, x.text, d.title FROM quotes x"
            f" JOIN documents d ON d.id = x.doc_id WHERE d.published IS NOT NULL AND {where}{speaker}"
            f" ORDER BY d.published, d.n, x.idx LIMIT {TIMELINE_ROWS}",
            (*params, *speaker_params),
        )
    ]


def _timeline_dated(conn: sqlite3.Connection, where: str, params: list[Any], entity: list[str]) -> list[dict[str, Any]]:
    """The days and months the documents name (TIMEX3 values; with ``entity``, in paragraphs naming it),
    each with its ``day`` (a month's first) and ``span`` ("day" or "month")."""
    near, near_params = "", []
    if entity:
        near = (
            " AND EXISTS (SELECT 1 FROM mentions m JOIN entities e ON e.doc_id = m.doc_id"
            " AND e.entity_id = m.entity_id WHERE m.doc_id = t.doc_id AND m.paragraph = t.paragraph"
            f" AND e.name {_in(entity)})"
        )
        near_params = entity
    dated = []
    for r in iter_rows(
        conn,
        "SELECT t.value, t.text, t.doc_id, t.idx, d.title, d.published FROM times t"
        f" JOIN documents d ON d.id = t.doc_id WHERE t.value IS NOT NULL AND {where}{near}"
        f" ORDER BY t.value LIMIT {TIMELINE_ROWS}",
        (*params, *near_params),
    ):
        value = str(r["value"])
        if DAY.match(value):
            r["day"], r["span"] = value, "day"
        elif MONTH.match(value):
            r["day"], r["span"] = value + "-01", "month"
        else:
            continue
        dated.append(r)
    return dated


def _timeline_events(
    conn: sqlite3.Connection, where: str, params: list[Any], entity: list[str]
) -> list[dict[str, Any]]:
    """The happenings (event clusters) the documents tell, each once, at its day (the cluster's: its first
    mention's own date when that is a day, else that article's), told by its first mention among these
    documents; with ``entity``, those it is the source or target of (by the entity behind the actor,
    else the actor's name)."""
    actor, actor_params = "", []
    if entity:
        actor = (
            f" AND (v.source_name {_in(entity)} OR v.target_name {_in(entity)}"
            " OR EXISTS (SELECT 1 FROM entities e WHERE e.doc_id = v.doc_id AND e.entity_id IN (v.source, v.target)"
            f" AND e.name {_in(entity)}))"
        )
        actor_params = [*entity, *entity, *entity]
    rows = iter_rows(
        conn,
        "SELECT coalesce(c.day, v.day) AS day, v.type, v.modality, v.source_name, v.target_name, v.trigger,"
        " v.doc_id, v.idx, d.title, m.cluster_id AS cluster, coalesce(c.articles, 1) AS articles,"
        " coalesce(c.sources, 1) AS sources FROM events v JOIN documents d ON d.id = v.doc_id"
        " LEFT JOIN event_mentions m ON m.doc_id = v.doc_id AND m.idx = v.idx"
        " LEFT JOIN event_clusters c ON c.id = m.cluster_id"
        f" WHERE coalesce(c.day, v.day) IS NOT NULL AND {where}{actor}"
        " ORDER BY coalesce(c.day, v.day), d.published, d.n, v.idx",
        (*params, *actor_params),
    )
    out: list[dict[str, Any]] = []
    seen: set[Any] = set()
    for r in rows:
        key = r["cluster"] if r["cluster"] is not None else (r["doc_id"], r["idx"])
        if key not in seen:
            seen.add(key)
            out.append(r)
            if len(out) >= TIMELINE_ROWS:
                break
    return out


def _timeline_lanes(conn: sqlite3.Connection, where: str, params: list[Any], lanes: int) -> list[dict[str, Any]]:
    """The ``lanes`` most reported entities (by stories) of the dated documents, each with its ``days``:
    documents and mentions per publication day."""
    top = list(
        iter_rows(
            conn,
            "SELECT e.name, e.type, e.country, count(DISTINCT d.story_id) AS stories FROM entities e"
            f" JOIN documents d ON d.id = e.doc_id WHERE d.published IS NOT NULL AND {where}"
            f" AND e.type IN ({', '.join('?' * len(NETWORK_TYPES))})"
            " GROUP BY e.name, e.type, e.country ORDER BY stories DESC, sum(e.mentions) DESC, e.name LIMIT ?",
            (*params, *NETWORK_TYPES, lanes),
        )
    )
    by_entity = []
    for t in top:
        ew, ep = EntityKey(t["name"], t["type"], t["country"] or "").where("e")
        days = list(
            iter_rows(
                conn,
                "SELECT d.published AS day, count(*) AS documents, sum(e.mentions) AS mentions FROM entities e"
                f" JOIN documents d ON d.id = e.doc_id WHERE d.published IS NOT NULL AND {ew} AND {where}"
                " GROUP BY d.published ORDER BY d.published",
                (*ep, *params),
            )
        )
        by_entity.append({**t, "days": days})
    return by_entity


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


# --- the map -------------------------------------------------------------------------------------------------


def places(conn: sqlite3.Connection, f: DocumentFilter, doc_id: str | None = None) -> dict[str, Any]:
    """Resolved places with their mentions and documents (up to 8 per place), and ``countries``: mentions
    per country (ISO 3166-1 alpha-2, upper case; places without a country left out)."""
    where, params = _doc_filter(f)
    if doc_id:
        where += " AND d.id = ?"
        params.append(check_doc_id(doc_id))
    rows = list(
        iter_rows(
            conn,
            "SELECT p.name, p.country, p.kind, p.lat, p.lon, count(*) AS mentions,"
            " count(DISTINCT p.doc_id) AS documents, sum(coalesce(p.metonymy, 0)) AS metonymy"
            " FROM places p JOIN documents d ON d.id = p.doc_id"
            f" WHERE p.lat IS NOT NULL AND p.lon IS NOT NULL AND {where}"
            " GROUP BY p.name, p.country, p.lat, p.lon ORDER BY mentions DESC, p.name LIMIT 2000",
            tuple(params),
        )
    )
    docs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for name, country, doc_id, title, published in conn.execute(  # tuples: thousands of rows, 8 kept per place
        "SELECT DISTINCT p.name, coalesce(p.country, '') AS country, d.id, d.title, d.published FROM places p"
        f" JOIN documents d ON d.id = p.doc_id WHERE p.lat IS NOT NULL AND {where}"
        " ORDER BY d.published IS NULL, d.published DESC, d.n DESC",
        tuple(params),
    ):
        found = docs[(name or "", country)]
        if len(found) < 8:
            found.append({"id": doc_id, "title": title, "published": published})
    for r in rows:
        r["docs"] = docs.get((r["name"] or "", r["country"] or ""), [])
    per_country: Counter[str] = Counter()
    for r in rows:
        country = str(r["country"] or "").upper()
        if country:
            per_country[country] += r["mentions"]
    return {"places": rows, "countries": dict(per_country)}


def event_places(conn: sqlite3.Connection, f: DocumentFilter, doc_id: str | None = None) -> list[dict[str, Any]]:
    """The points where the documents' asserted events took place (their place's coordinates), each with
    its place, the number of happenings (event clusters) and of mentions there, the happenings per PLOVER
    type, and the latest MAP_EVENT_ITEMS happenings (cluster, type, actors, trigger, day)."""
    where, params = _doc_filter(f)
    if doc_id:
        where += " AND d.id = ?"
        params.append(check_doc_id(doc_id))
    rows = iter_rows(
        conn,
        "SELECT x.lat, x.lon, x.place, x.place_country AS country, x.type, x.source_name, x.target_name,"
        " x.trigger, coalesce(c.day, x.day) AS day, x.doc_id, x.idx, m.cluster_id AS cluster FROM events x"
        " JOIN documents d ON d.id = x.doc_id LEFT JOIN event_mentions m ON m.doc_id = x.doc_id AND m.idx = x.idx"
        " LEFT JOIN event_clusters c ON c.id = m.cluster_id"
        f" WHERE x.lat IS NOT NULL AND x.lon IS NOT NULL AND x.modality = 'asserted' AND {where}"
        " ORDER BY coalesce(c.day, x.day) IS NULL, coalesce(c.day, x.day) DESC, d.n DESC, x.idx",
        tuple(params),
    )
    points: dict[tuple[float, float], dict[str, Any]] = {}
    seen: dict[tuple[float, float], set[Any]] = defaultdict(set)
    for r in rows:
        at = (round(float(r["lat"]), 4), round(float(r["lon"]), 4))
        point = points.get(at)
        if point is None:
            point = points[at] = {"lat": at[0], "lon": at[1], "place": r["place"], "country": r["country"]}
            point |= {"happenings": 0, "mentions": 0, "types": Counter(), "items": []}
        point["mentions"] += 1
        key = r["cluster"] if r["cluster"] is not None else (r["doc_id"], r["idx"])
        if key in seen[at]:
            continue
        seen[at].add(key)
        point["happenings"] += 1
        point["types"][r["type"]] += 1
        if len(point["items"]) < MAP_EVENT_ITEMS:
            item = {k: r[k] for k in ("cluster", "type", "source_name", "target_name", "trigger", "day", "doc_id")}
            point["items"].append(item)
    out = sorted(points.values(), key=lambda p: (-p["happenings"], p["place"] or ""))
    for p in out:
        p["types"] = dict(p["types"].most_common())
    return out


# --- the co-mention network ----------------------------------------------------------------------------------


def network(conn: sqlite3.Connection, f: DocumentFilter, *, size: int = 40, min_weight: int = 1) -> dict[str, Any]:
    """Entities (the ``size`` most reported, or with ``f.entity`` that entity and those most often named
    beside it) and their co-mentions: two entities named in the same paragraph. A link's ``weight``
    counts such paragraphs, a story's near-duplicate copies once (by story and paragraph index).

    The whole store's (no filter) is read from what is kept as documents are written (``entity_counts``,
    ``co_mentions``): tens of rows, where pairing every mention of the store took 1.7-3.5 s at 1,700
    documents. With a filter but no entity, the entities are ranked first in SQL and only the mentions of
    the ``size`` kept are paired. Every way, the answer is the one pairing every mention gives."""
    where, params = _doc_filter(f)
    types = f"e.type IN ({', '.join('?' * len(NETWORK_TYPES))})"
    select = (
        "SELECT d.story_id, m.paragraph, e.name, e.type, coalesce(e.country, '') AS country"
        " FROM mentions m JOIN entities e ON e.doc_id = m.doc_id AND e.entity_id = m.entity_id"
        " JOIN documents d ON d.id = m.doc_id"
    )
    if f.entity:
        rows = iter_rows(conn, f"{select} WHERE {types} AND {where}", (*NETWORK_TYPES, *params))
        return _co_mentions(rows, f, size, min_weight, stored_entity_names(conn, f.entity))
    if where == "1" and not params:
        return _whole_store_network(conn, size, min_weight)
    ranked = _ranked_nodes(conn, where, params)[:size]
    if not ranked:
        return {"nodes": [], "links": []}
    keep = set(ranked)
    names = sorted({n[0] for n in ranked})
    rows = iter_rows(
        conn,
        f"{select} WHERE e.name COLLATE NOCASE IN ({', '.join('?' * len(names))}) AND {types} AND {where}",
        (*names, *NETWORK_TYPES, *params),
    )
    return _co_mentions((r for r in rows if (r["name"], r["type"], r["country"]) in keep), f, size, min_weight)


def _whole_store_network(conn: sqlite3.Connection, size: int, min_weight: int) -> dict[str, Any]:
    """The network of the whole store from what is kept as documents are written: the entities by their
    stories (``entity_counts``), their links' weights (``co_mentions``, schema 4)."""
    marks = ", ".join("?" * len(NETWORK_TYPES))
    nodes: list[Node] = []
    stories: dict[Node, int] = {}
    for name, type_, country, n in conn.execute(
        f"SELECT name, type, country, stories FROM entity_counts WHERE type IN ({marks})"
        " ORDER BY stories DESC, name, type, country LIMIT ?",
        (*NETWORK_TYPES, size),
    ):
        node = (str(name), str(type_), str(country))
        nodes.append(node)
        stories[node] = int(n)
    index = {n: i for i, n in enumerate(nodes)}
    names = sorted({n[0] for n in nodes})
    in_names = ", ".join("?" * len(names))
    pairs = conn.execute(
        "SELECT a_name, a_type, a_country, b_name, b_type, b_country, weight FROM co_mentions"
        f" WHERE a_name IN ({in_names}) AND b_name IN ({in_names}) AND weight >= ?",
        (*names, *names, min_weight),
    )
    found = []
    for an, at, ac, bn, bt, bc, w in pairs:
        a, b = (an, at, ac), (bn, bt, bc)
        if a in index and b in index:
            found.append((a, b, int(w)))
    found.sort()
    return {
        "nodes": [
            {"name": n[0], "type": n[1], "country": n[2] or None, "stories": stories[n], "focus": False} for n in nodes
        ],
        "links": [{"source": index[a], "target": index[b], "weight": w} for a, b, w in found],
    }


def _ranked_nodes(conn: sqlite3.Connection, where: str, params: list[Any]) -> list[Node]:
    """The network's entities of the documents ``where`` keeps, most reported first: by the stories whose
    documents name them (an entity row always has its mentions), then by (name, type, country)."""
    marks = ", ".join("?" * len(NETWORK_TYPES))
    rows = conn.execute(
        "SELECT e.name, e.type, coalesce(e.country, ''), count(DISTINCT d.story_id) FROM entities e"
        f" JOIN documents d ON d.id = e.doc_id WHERE e.type IN ({marks}) AND {where}"
        " AND EXISTS (SELECT 1 FROM mentions m WHERE m.doc_id = e.doc_id AND m.entity_id = e.entity_id)"
        " GROUP BY 1, 2, 3",
        (*NETWORK_TYPES, *params),
    )
    stories = {(str(n), str(t), str(c)): int(k) for n, t, c, k in rows}
    return sorted(stories, key=lambda n: (-stories[n], n))


def _co_mentions(
    rows: Iterable[dict[str, Any]], f: DocumentFilter, size: int, min_weight: int, focus_names: Iterable[str] = ()
) -> dict[str, Any]:
    """The network from mention rows (story_id, paragraph, name, type, country): every mention of the
    documents selected, or (without ``f.entity``) every mention of the entities to keep. ``focus_names``:
    the names of the entity ``f.entity`` names (``stored_entity_names``), its nodes the focus."""
    named = {n.casefold() for n in focus_names}
    paragraphs: dict[tuple[str, int], set[Node]] = defaultdict(set)
    stories: dict[Node, set[str]] = defaultdict(set)
    for r in rows:
        node = (r["name"], r["type"], r["country"])
        paragraphs[(r["story_id"], r["paragraph"] if r["paragraph"] is not None else -1)].add(node)
        stories[node].add(r["story_id"])
    weights: Counter[tuple[Node, Node]] = Counter()
    for members in paragraphs.values():
        for a, b in combinations(sorted(members), 2):
            weights[(a, b)] += 1
    if f.entity:
        focus = {n for n in stories if n[0].casefold() in named}
        near: Counter[Node] = Counter()
        for (a, b), w in weights.items():
            if a in focus:
                near[b] += w
            elif b in focus:
                near[a] += w
        keep = focus | {n for n, _ in near.most_common(max(size - len(focus), 0))}
    else:
        ranked = sorted(stories, key=lambda n: (-len(stories[n]), n))
        keep = set(ranked[:size])
    nodes = sorted(keep, key=lambda n: (-len(stories[n]), n))
    index = {n: i for i, n in enumerate(nodes)}
    links = [
        {"source": index[a], "target": index[b], "weight": w}
        for (a, b), w in sorted(weights.items())
        if a in index and b in index and w >= min_weight
    ]
    return {
        "nodes": [
            {
                "name": n[0],
                "type": n[1],
                "country": n[2] or None,
                "stories": len(stories[n]),
                "focus": bool(f.entity) and n[0].casefold() in named,
            }
            for n in nodes
        ],
        "links": links,
    }


# --- who acts on whom: the actor network ---------------------------------------------------------------------

Actor = tuple[str, str, str, str]  # ("entity", name, type, country) or ("described", words lower-cased, "", country)


def actor_network(
    conn: sqlite3.Connection,
    *,
    type: str | None = None,
    modality: str | None = "asserted",
    since: str | None = None,
    until: str | None = None,
    size: int = ACTOR_NETWORK_SIZE,
) -> dict[str, Any]:
    """Who acts on whom: the events with both a source and a target, as directed edges source -> target.

    An actor is the entity behind it when the event names one (its canonical name, type and country),
    else the actor's own words with its country ("Iraqi forces", IQ). An edge's ``weight`` counts the
    happenings (event clusters, so a story told by many outlets counts once), ``types`` them per PLOVER
    type, ``type`` is the most frequent one and ``quad`` its quad class (1 verbal cooperation, 2 material
    cooperation, 3 verbal conflict, 4 material conflict), ``clusters`` the first 20 clusters' ids.
    Filters: the PLOVER ``type``, the ``modality`` (default asserted: what happened as told; None, ""
    or "any" for all), the event's day between ``since`` and ``until``. The ``size`` actors in the most
    happenings are kept (``actors`` says how many there were)."""
    if not 1 <= size <= 1000:
        raise QueryError(f"size: must be between 1 and 1000, got {size}")
    where = Where()
    where.add("(x.source IS NOT NULL OR x.source_name IS NOT NULL)")
    where.add("(x.target IS NOT NULL OR x.target_name IS NOT NULL)")
    every = (modality or "").strip().lower() in ("", "any")
    add_event_filters(where, type=type, modality=None if every else modality, since=since, until=until)
    rows = iter_rows(
        conn,
        "SELECT x.doc_id, x.idx, x.type, m.cluster_id AS cluster,"
        " es.name AS s_entity, es.type AS s_type, es.country AS s_ecountry, x.source_name, x.source_country,"
        " et.name AS t_entity, et.type AS t_type, et.country AS t_ecountry, x.target_name, x.target_country"
        " FROM events x LEFT JOIN event_mentions m ON m.doc_id = x.doc_id AND m.idx = x.idx"
        " LEFT JOIN entities es ON es.doc_id = x.doc_id AND es.entity_id = x.source"
        " LEFT JOIN entities et ON et.doc_id = x.doc_id AND et.entity_id = x.target" + where.sql(),
        tuple(where.params),
    )
    names: dict[Actor, str] = {}
    edges: dict[tuple[Actor, Actor], dict[Any, str]] = defaultdict(dict)
    for r in rows:
        a, b = _actor(r, "s", "source", names), _actor(r, "t", "target", names)
        if a is None or b is None or a == b:
            continue
        key = r["cluster"] if r["cluster"] is not None else f"{r['doc_id']}/{r['idx']}"
        edges[(a, b)][key] = r["type"]
    happenings: dict[Actor, set[Any]] = defaultdict(set)
    as_source: dict[Actor, set[Any]] = defaultdict(set)
    as_target: dict[Actor, set[Any]] = defaultdict(set)
    for (a, b), clusters in edges.items():
        for found in (happenings[a], happenings[b], as_source[a], as_target[b]):
            found.update(clusters)
    ranked = sorted(happenings, key=lambda n: (-len(happenings[n]), names[n].lower(), n))
    kept = ranked[:size]
    index = {n: i for i, n in enumerate(kept)}
    out_edges = []
    for (a, b), clusters in edges.items():
        if a not in index or b not in index:
            continue
        types = Counter(clusters.values())
        top = sorted(types.items(), key=lambda t: (-t[1], t[0]))[0][0]
        ids = sorted(c for c in clusters if isinstance(c, int))
        out_edges.append(
            {
                "source": index[a],
                "target": index[b],
                "weight": len(clusters),
                "type": top,
                "quad": QUAD_CLASS.get(top, 0),
                "types": dict(sorted(types.items(), key=lambda t: (-t[1], t[0]))),
                "clusters": ids[:20],
            }
        )
    out_edges.sort(key=lambda e: (e["source"], e["target"]))
    nodes = [
        {
            "id": index[n],
            "name": names[n],
            "kind": n[0],
            "entity_type": n[2] or None,
            "country": n[3] or None,
            "happenings": len(happenings[n]),
            "as_source": len(as_source[n]),
            "as_target": len(as_target[n]),
        }
        for n in kept
    ]
    return {"nodes": nodes, "edges": out_edges, "actors": len(ranked), "cap": size}


def _actor(row: dict[str, Any], p: str, side: str, names: dict[Actor, str]) -> Actor | None:
    """One side of an event row as a network node (its display name into ``names``); None without one."""
    if row[f"{p}_entity"]:
        node: Actor = ("entity", row[f"{p}_entity"], row[f"{p}_type"] or "", row[f"{p}_ecountry"] or "")
        names.setdefault(node, row[f"{p}_entity"])
        return node
    words = row[f"{side}_name"]
    if not words:
        return None
    node = ("described", " ".join(words.lower().split()), "", row[f"{side}_country"] or "")
    names.setdefault(node, words)
    return node


__all__ = [
    "ACTOR_NETWORK_SIZE",
    "NETWORK_TYPES",
    "QUAD_CLASS",
    "EntityKey",
    "actor_network",
    "counts",
    "document_count",
    "entity",
    "entity_types",
    "event_places",
    "network",
    "places",
    "sources",
    "speaker_entities",
    "speakers",
    "timeline",
]
