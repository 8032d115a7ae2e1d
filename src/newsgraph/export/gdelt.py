"""``--format gdelt``: the events as a GDELT 2.0-style event table, tab-separated, one header row.

The first 61 columns are GDELT 2.0's event table, in its order, filled where newsgraph knows the value
and empty where it does not; seven newsgraph columns follow. A reader that takes GDELT's columns by
position reads the first 61 and can ignore the rest. How each is filled:

- ``GLOBALEVENTID``: the event's row number in the store (stable for that store).
- ``SQLDATE``, ``MonthYear``, ``Year``, ``FractionDate``: the event's day (its own date when the
  text gives a day, else the article's publication date); empty when neither is known.
- ``Actor1Name``/``Actor2Name``: the event's source and target (canonical names);
  ``Actor1CountryCode``/``Actor2CountryCode`` and ``Actor1Code``/``Actor2Code``: the ISO 3166-1
  alpha-3 code of the actor's country affiliation (CAMEO's country codes are ISO alpha-3); the
  known-group, ethnic, religion and type codes are empty (newsgraph does not code them).
- ``IsRootEvent``: 1 when the trigger is in the title, subtitle or first body paragraph (GDELT's
  "lead"), else 0.
- ``EventRootCode`` and ``QuadClass``: the CAMEO root code the PLOVER type is mapped from
  (``CAMEO_ROOT``, from the PLOVER vocabulary's lexicon, after PLOVER's CAMEO2PLOVER table) and its
  quad class (1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict). ``EventCode`` and
  ``EventBaseCode`` are empty: PLOVER types are coarser than CAMEO codes. ``GoldsteinScale`` and
  ``AvgTone`` are empty.
- ``NumMentions``, ``NumSources``, ``NumArticles``: 1 (one event in one article; near-duplicate copies
  are not merged here: the ``StoryId`` column groups them).
- ``ActionGeo_*``: the event's place, from the article's places layer: type (1 country, 2 US state,
  3 US city, 4 world city or other place, 5 world state or region), "name, country" full name, the
  country's FIPS 10-4 code (as GDELT), latitude, longitude and GeoNames id as ``FeatureID``.
  ``Actor1Geo_*``, ``Actor2Geo_*`` and the ADM codes are empty.
- ``DATEADDED``: when the article was ingested (UTC, YYYYMMDDHHMMSS); ``SOURCEURL``: the article's URL,
  else the input it was read from.
- newsgraph's own: ``PLOVERType``, ``Mode``, ``Trigger``, ``DocumentId``, ``CharStart``, ``CharEnd``,
  ``StoryId``.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from typing import Any, TextIO

from newsgraph.export.tables import ID_CHUNK
from newsgraph.geo import country_name as country_name
from newsgraph.geo import fips as fips
from newsgraph.geo import iso3 as iso3
from newsgraph.lexicons import cameo_roots

_ACTOR = (
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
)
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
GDELT_COLUMNS: tuple[str, ...] = (
    *("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"),
    *(f"Actor1{c}" for c in _ACTOR),
    *(f"Actor2{c}" for c in _ACTOR),
    *("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale"),
    *("NumMentions", "NumSources", "NumArticles", "AvgTone"),
    *(f"Actor1Geo_{c}" for c in _GEO),
    *(f"Actor2Geo_{c}" for c in _GEO),
    *(f"ActionGeo_{c}" for c in _GEO),
    *("DATEADDED", "SOURCEURL"),
)
NEWSGRAPH_COLUMNS = ("PLOVERType", "Mode", "Trigger", "DocumentId", "CharStart", "CharEnd", "StoryId")
COLUMNS = GDELT_COLUMNS + NEWSGRAPH_COLUMNS

# PLOVER type -> the CAMEO root code most of its CAMEO codes come from (lexicons/events/plover_types.tsv)
CAMEO_ROOT = cameo_roots()


def quad_class(cameo_root: str) -> int:
    """GDELT's QuadClass of a CAMEO root code: 01-05 verbal cooperation, 06-08 material cooperation,
    09-13 verbal conflict, 14-20 material conflict."""
    root = int(cameo_root)
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


def geo_type(kind: str | None, country: str | None) -> int:
    us = (country or "").upper() == "US"
    if kind == "country":
        return 1
    if kind == "admin":
        return 2 if us else 5
    return 3 if us and kind == "city" else 4


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def write_gdelt(conn: sqlite3.Connection, doc_ids: Sequence[str] | None, out: TextIO) -> int:
    """Write the events of the documents (None: all) as a GDELT-style table; the number of events."""
    out.write("\t".join(COLUMNS) + "\n")
    if doc_ids is None:
        doc_ids = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY published, n")]
    n = 0
    for i in range(0, len(doc_ids), ID_CHUNK):
        chunk = list(doc_ids[i : i + ID_CHUNK])
        marks = ", ".join("?" * len(chunk))
        docs = {
            r[0]: r
            for r in conn.execute(
                f"SELECT id, url, input, ingested_at, story_id, json FROM documents WHERE id IN ({marks})", chunk
            )
        }
        events = conn.execute(
            "SELECT n, doc_id, type, mode, source, target, source_name, target_name, trigger, char_start, char_end,"
            f" place, day FROM events WHERE doc_id IN ({marks}) ORDER BY doc_id, idx",
            chunk,
        ).fetchall()
        by_doc: dict[str, list[tuple[Any, ...]]] = {}
        for ev in events:
            by_doc.setdefault(ev[1], []).append(ev)
        for doc_id in chunk:
            if doc_id not in by_doc or doc_id not in docs:
                continue
            _, url, input_name, ingested_at, story_id, text = docs[doc_id]
            context = _Context(json.loads(text))
            for ev in by_doc[doc_id]:
                row = context.row(ev, url or input_name or "", ingested_at, story_id)
                out.write("\t".join(_cell(row.get(c)) for c in COLUMNS) + "\n")
                n += 1
    return n


class _Context:
    """What one document gives its events' rows: actors' countries, places, where the lead ends."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.countries = {e["id"]: e.get("country") for e in doc.get("entities", [])}
        self.places = doc.get("places", [])
        body = [p for p in doc.get("paragraphs", []) if p.get("kind") == "body"]
        self.lead_end = body[0]["end"] if body else len(doc.get("text", ""))

    def place(self, name: str | None, near: int | None) -> dict[str, Any] | None:
        if not name:
            return None
        found: list[dict[str, Any]] = [p for p in self.places if p.get("name") == name or p.get("text") == name]
        return min(found, key=lambda p: abs(int(p.get("start", 0)) - (near or 0)), default=None)

    def row(self, ev: tuple[Any, ...], url: str, ingested_at: str, story_id: str) -> dict[str, Any]:
        (n, doc_id, etype, mode, source, target, source_name, target_name, trigger, start, end, place, day) = ev
        row: dict[str, Any] = {
            "GLOBALEVENTID": n,
            "PLOVERType": etype,
            "Mode": mode,
            "Trigger": trigger,
            "DocumentId": doc_id,
            "CharStart": start,
            "CharEnd": end,
            "StoryId": story_id,
            "SOURCEURL": url,
            "NumMentions": 1,
            "NumSources": 1,
            "NumArticles": 1,
            "IsRootEvent": int(start is not None and start < self.lead_end),
        }
        if day:
            d = dt.date.fromisoformat(day)
            row |= {
                "SQLDATE": d.strftime("%Y%m%d"),
                "MonthYear": d.strftime("%Y%m"),
                "Year": d.year,
                "FractionDate": f"{d.year + (d.timetuple().tm_yday - 1) / 365:.4f}",
            }
        if ingested_at:
            row["DATEADDED"] = dt.datetime.fromisoformat(ingested_at).strftime("%Y%m%d%H%M%S")
        for prefix, entity, name in (("Actor1", source, source_name), ("Actor2", target, target_name)):
            code = iso3(self.countries.get(entity)) if entity else ""
            row |= {f"{prefix}Name": name, f"{prefix}CountryCode": code, f"{prefix}Code": code}
        root = CAMEO_ROOT.get(str(etype).upper())
        if root:
            row |= {"EventRootCode": root, "QuadClass": quad_class(root)}
        p = self.place(place, start)
        if p is not None:
            full = p.get("name") or p.get("text") or ""
            if p.get("kind") != "country" and country_name(p.get("country")):
                full = f"{full}, {country_name(p.get('country'))}"
            row |= {
                "ActionGeo_Type": geo_type(p.get("kind"), p.get("country")),
                "ActionGeo_FullName": full,
                "ActionGeo_CountryCode": fips(p.get("country")),
                "ActionGeo_Lat": p.get("lat"),
                "ActionGeo_Long": p.get("lon"),
                "ActionGeo_FeatureID": p.get("geonameid"),
            }
        elif place:
            row["ActionGeo_FullName"] = place
        return row
