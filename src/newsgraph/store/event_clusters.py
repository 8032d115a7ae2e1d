"""One real-world event, many mentions: events from different articles that tell the same happening.

GDELT 2.0 splits its data into an events table (one row per happening) and a mentions table (one row
per article that reports it), joined by an exact key. Here the join is by meaning: an event mention
joins a stored cluster when

* the PLOVER type and the modality are the same (a planned attack is not the attack);
* the days are at most one apart (the event's own day when the text gives one, else the article's);
* the actors are compatible, side by side: a side named in both must agree, by entity name or, for
  actors no entity names, by country and sector ("US troops" and "American soldiers": US MIL);
* the places are compatible: both named and the same place, or the same country; one unnamed is no
  contradiction;
* and something positive ties them: an agreeing actor or the same place.

Of several compatible clusters the one with the most agreements wins (then the earliest). Clusters
are assigned when a document is written, in its transaction, with an indexed look-up of the
clusters of that type within a day: linear in the number of events.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import Any

from newsgraph.dates import day_prefix
from newsgraph.geo import country_name


@dataclass(frozen=True)
class Side:
    name: str | None  # an entity's canonical name, lower-cased
    country: str | None
    sector: str | None

    def agrees(self, other: Side) -> bool | None:
        """True/False when both sides can be compared, None when one is unknown."""
        if self.name and other.name:
            return self.name == other.name
        if self.country and other.country and self.sector and other.sector:
            return (self.country, self.sector) == (other.country, other.sector)
        if self.country and other.country and self.country != other.country:
            return False
        return None


@dataclass(frozen=True)
class Mention:
    type: str
    modality: str
    day: str | None
    source: Side
    target: Side
    place: str | None
    country: str | None


def side(event: dict[str, Any], role: str, entity_names: dict[str, str]) -> Side:
    entity = event.get(role)
    actor = event.get(f"{role}_actor") or {}
    name = entity_names.get(entity) if isinstance(entity, str) else None
    return Side(name.lower() if name else None, actor.get("country"), actor.get("sector"))


def mention_of(event: dict[str, Any], published: str | None, entity_names: dict[str, str]) -> Mention:
    return Mention(
        type=str(event["type"]),
        modality=str(event.get("modality") or "asserted"),
        day=day_prefix(event.get("date")) or published,
        source=side(event, "source", entity_names),
        target=side(event, "target", entity_names),
        place=(str(event["place"]).lower() if event.get("place") else None),
        country=event.get("place_country"),
    )


def compatible(a: Mention, b: Mention) -> int | None:
    """How many things tie two mentions (actors, place), or None when something sets them apart."""
    if (a.type, a.modality) != (b.type, b.modality):
        return None
    ties = 0
    for x, y in ((a.source, b.source), (a.target, b.target)):
        agree = x.agrees(y)
        if agree is False:
            return None
        ties += bool(agree)
    if a.country and b.country and a.country != b.country:
        return None
    if a.place and b.place:
        if a.place == b.place:
            ties += 1
        elif not (_country_wide(a) or _country_wide(b)):
            return None  # two towns of one country: two events
    return ties if ties > 0 else None


def _country_wide(m: Mention) -> bool:
    """The place named is the country itself ("in Iraq"), which holds any place of it."""
    return bool(m.place and m.country and m.place == country_name(m.country).lower())


def _days_around(day: str | None) -> tuple[str, str] | None:
    if not day:
        return None
    d = dt.date.fromisoformat(day)
    return (d - dt.timedelta(days=1)).isoformat(), (d + dt.timedelta(days=1)).isoformat()


def _row_mention(row: sqlite3.Row | tuple[Any, ...]) -> Mention:
    (_, type_, modality, day, s_name, s_country, s_sector, t_name, t_country, t_sector, place, country) = row
    return Mention(
        type_, modality, day, Side(s_name, s_country, s_sector), Side(t_name, t_country, t_sector), place, country
    )


CLUSTER_COLUMNS = (
    "id, type, modality, day, source_name, source_country, source_sector,"
    " target_name, target_country, target_sector, place, place_country"
)


def assign(conn: sqlite3.Connection, doc_id: str, data: dict[str, Any], outlet: str | None) -> None:
    """Put each event of a just-written document into a cluster: a compatible stored one, else a new one;
    one row in ``event_mentions`` per event, and the cluster's counts brought up to date."""
    published = data["meta"].get("published")
    names = {e["id"]: e["name"] for e in data.get("entities", [])}
    for idx, event in enumerate(data.get("events", [])):
        m = mention_of(event, published, names)
        cluster = _find(conn, m)
        if cluster is None:
            cluster = conn.execute(
                f"INSERT INTO event_clusters ({CLUSTER_COLUMNS.removeprefix('id, ')}, mentions, sources, articles)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0)",
                (
                    m.type,
                    m.modality,
                    m.day,
                    m.source.name,
                    m.source.country,
                    m.source.sector,
                    m.target.name,
                    m.target.country,
                    m.target.sector,
                    m.place,
                    m.country,
                ),
            ).lastrowid
        assert cluster is not None  # an INSERT's row id
        _count(conn, int(cluster), doc_id, outlet)
        conn.execute(
            "INSERT INTO event_mentions (cluster_id, doc_id, idx, source, day_seen) VALUES (?, ?, ?, ?, ?)",
            (cluster, doc_id, idx, outlet, published),
        )


def _find(conn: sqlite3.Connection, m: Mention) -> int | None:
    around = _days_around(m.day)
    if around is None:
        return None
    rows = conn.execute(
        f"SELECT {CLUSTER_COLUMNS} FROM event_clusters WHERE type = ? AND modality = ? AND day BETWEEN ? AND ?"
        " ORDER BY id",
        (m.type, m.modality, *around),
    ).fetchall()
    best: tuple[int, int] | None = None
    for row in rows:
        ties = compatible(m, _row_mention(row))
        if ties is not None and (best is None or ties > best[0]):
            best = (ties, int(row[0]))
    return best[1] if best else None


def _count(conn: sqlite3.Connection, cluster: int, doc_id: str, outlet: str | None) -> None:
    """One more mention of the cluster; one more article and outlet when it is their first (indexed
    look-ups, so a story told thousands of times costs no more per mention)."""
    new_article = not conn.execute(
        "SELECT 1 FROM event_mentions WHERE cluster_id = ? AND doc_id = ? LIMIT 1", (cluster, doc_id)
    ).fetchone()
    # an article without an outlet is its own outlet, as it is its own story
    new_source = (
        new_article
        if outlet is None
        else not conn.execute(
            "SELECT 1 FROM event_mentions WHERE cluster_id = ? AND source = ? LIMIT 1", (cluster, outlet)
        ).fetchone()
    )
    conn.execute(
        "UPDATE event_clusters SET mentions = mentions + 1, articles = articles + ?, sources = sources + ?"
        " WHERE id = ?",
        (int(new_article), int(new_source), cluster),
    )
