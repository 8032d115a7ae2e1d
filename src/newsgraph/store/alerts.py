"""Saved searches (alerts): a search of the store kept under a name (table ``alerts``, migration 8), whose
matches are a feed of their own (``/api/alerts/{name}``, ``/alerts/{name}.atom``) and whose new matches
``newsgraph watch`` (or ``newsgraph alert run``) reports.

A search is ``store.queries.DocumentFilter``'s fields (checked by it, so a bad date or event type is refused
as the API refuses it) and a country (a place named in the document, or an event's actor or place, in it).
"New" is stored since the alert last ran: each alert keeps ``last_n``, the ``documents.n`` of the newest
document stored when it last ran (``n`` only grows: the store never deletes), so a document stored after
that is new once, whenever and however it was stored. A new alert starts at the store's newest document
(what is already stored is not new) unless asked to report what is stored too (``backfill``).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

from newsgraph.errors import QueryError
from newsgraph.store import queries
from newsgraph.store.db import iter_rows, transaction
from newsgraph.store.watch_state import now

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"
CRITERIA = ("q", "source", "entity", "event_type", "country", "since", "until", "language")
_NAME = re.compile(NAME_PATTERN)


@dataclass
class Alert:
    name: str
    q: str | None = None
    source: str | None = None
    entity: str | None = None
    event_type: str | None = None
    country: str | None = None
    since: str | None = None
    until: str | None = None
    language: str | None = None
    created_at: str | None = None
    last_run: str | None = None
    last_n: int = 0

    def search(self) -> dict[str, str]:
        """The saved search's criteria that are set."""
        return {k: v for k in CRITERIA if (v := getattr(self, k))}

    def describe(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.search().items())

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        del out["last_n"]
        return out


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise QueryError(
            f"alert name {name!r}: letters, digits, '-' and '_' (up to 64, starting with a letter or digit)"
        )
    return name


def checked(alert: Alert) -> Alert:
    """The alert with its criteria checked and normalised as the API's filters are (QueryError naming the bad
    one); one criterion at least."""
    check_name(alert.name)
    for key in CRITERIA:
        value = getattr(alert, key)
        if isinstance(value, str):
            setattr(alert, key, value.strip() or None)
    f = queries.DocumentFilter(**{k: getattr(alert, k) for k in CRITERIA if k != "country"})
    alert.since, alert.until, alert.event_type, alert.language = f.since, f.until, f.event_type, f.language
    alert.country = queries.check_country(alert.country) if alert.country else None
    if not alert.search():
        raise QueryError(f"alert {alert.name}: no search given (--q, --entity, --event-type, --country, ...)")
    if alert.q is not None and not queries.fts_query(alert.q):
        raise QueryError(f"q: {alert.q!r} has no word to search for")
    return alert


def add_alert(conn: sqlite3.Connection, alert: Alert, *, backfill: bool = False) -> Alert:
    """Save a search (QueryError when the name is taken or a criterion is bad). ``backfill``: the documents
    already stored are new to it (reported at its first run), else only those stored from now on."""
    checked(alert)
    with transaction(conn):
        if get_alert(conn, alert.name) is not None:
            raise QueryError(f"alert {alert.name} exists already (newsgraph alert rm {alert.name} first)")
        alert.created_at = now()
        alert.last_n = 0 if backfill else newest_n(conn)
        conn.execute(
            f"INSERT INTO alerts (name, {', '.join(CRITERIA)}, created_at, last_n)"
            f" VALUES (?, {', '.join('?' * len(CRITERIA))}, ?, ?)",
            (alert.name, *(getattr(alert, k) for k in CRITERIA), alert.created_at, alert.last_n),
        )
    return alert


def remove_alert(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("DELETE FROM alerts WHERE name = ?", (name,)).rowcount > 0


def _alerts(conn: sqlite3.Connection, where: str = "", params: tuple[Any, ...] = ()) -> list[Alert]:
    cols = f"name, {', '.join(CRITERIA)}, created_at, last_run, last_n"
    return [Alert(**row) for row in iter_rows(conn, f"SELECT {cols} FROM alerts {where} ORDER BY name", params)]


def list_alerts(conn: sqlite3.Connection) -> list[Alert]:
    return _alerts(conn)


def get_alert(conn: sqlite3.Connection, name: str) -> Alert | None:
    found = _alerts(conn, "WHERE name = ?", (name,))
    return found[0] if found else None


def newest_n(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(n), 0) FROM documents").fetchone()[0])


def _matching(alert: Alert, *more: str) -> tuple[str, list[Any]]:
    """FROM ... WHERE ... over ``documents d`` for the alert's search (and the clauses ``more``, whose
    parameters come last): DocumentFilter's clauses, the full text (its words as ``fts_query`` reads them)
    and the country as IN subqueries."""
    f = queries.DocumentFilter(**{k: getattr(alert, k) for k in CRITERIA if k != "country"})
    where, params = queries.document_where(f)
    if f.q is not None and f.q.strip():
        match = queries.fts_query(f.q)
        # ``+d.n``: a filter, not an index key; as a key beside ``d.id IN (...)`` SQLite probes every pair of
        # the two lists (a common word and an event type: 90 ms at 1,700 documents, against 3 ms)
        where.append("+d.n IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)" if match else "0")
        params += [match] if match else []
    if alert.country:
        where.append(
            "d.id IN (SELECT doc_id FROM places WHERE country = ? UNION SELECT doc_id FROM events"
            " WHERE source_country = ? OR target_country = ? OR place_country = ?)"
        )
        params += [alert.country] * 4
    where += more
    return "FROM documents d" + (" WHERE " + " AND ".join(where) if where else ""), params


_COLS = "d.n, d.id, d.title, d.published, d.source, d.url, d.story_id, d.duplicate_of, d.ingested_at AS stored_at"


def matches(conn: sqlite3.Connection, alert: Alert, *, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """The alert's matches, the most recently stored first: ``{"alert", "items", "total", "new"}``; each item
    ``new`` when it was stored since the alert last ran (``new`` counts them)."""
    if not 1 <= limit <= queries.MAX_LIMIT or not 0 <= offset <= queries.MAX_INT:
        raise QueryError(f"limit, offset: limit 1 to {queries.MAX_LIMIT}, offset 0 or more")
    sql, params = _matching(alert)
    total, new = conn.execute(f"SELECT count(*), coalesce(sum(d.n > ?), 0) {sql}", [alert.last_n, *params]).fetchone()
    items = list(iter_rows(conn, f"SELECT {_COLS} {sql} ORDER BY d.n DESC LIMIT ? OFFSET ?", (*params, limit, offset)))
    for item in items:
        item["new"] = item.pop("n") > alert.last_n
    return {"alert": alert.to_json(), "items": items, "total": total, "new": new}


def take_new(conn: sqlite3.Connection, alert: Alert) -> list[dict[str, Any]]:
    """The matches stored since the alert last ran, oldest first, and the alert moved on past them (and past
    every document stored until now): each new match is taken once."""
    upto = newest_n(conn)
    sql, params = _matching(alert, "d.n > ?", "d.n <= ?")
    rows = list(iter_rows(conn, f"SELECT {_COLS} {sql} ORDER BY d.n", (*params, alert.last_n, upto)))
    when = now()
    conn.execute("UPDATE alerts SET last_n = ?, last_run = ? WHERE name = ?", (upto, when, alert.name))
    alert.last_n, alert.last_run = upto, when
    for row in rows:
        del row["n"]
    return rows


__all__ = [
    "CRITERIA",
    "NAME_PATTERN",
    "Alert",
    "add_alert",
    "check_name",
    "get_alert",
    "list_alerts",
    "matches",
    "remove_alert",
    "take_new",
]
