"""``--format gdelt``: the events as GDELT 2.0's two tables and the documents as its GKG table, in a folder,
in the form GDELT publishes them (tab-separated, no header row, GDELT's columns in GDELT's order and
nothing else), so that a script written for GDELT's files reads them unchanged:

- ``events.tsv``: GDELT 2.0's 61 event columns, one row per happening (an event cluster: the mentions
  of one event across articles, ``store/event_clusters.py``);
- ``mentions.tsv``: GDELT 2.0's 16 mention columns, one row per article's mention of a happening;
- ``gkg.tsv``: GKG 2.1's 27 columns, one row per article (how they are filled: ``export/gkg.py``);
- ``events.header.tsv``, ``mentions.header.tsv``, ``gkg.header.tsv``: the column names, one tab-separated
  line each (as GDELT's ``CSV.header.dailyupdates.txt``); ``--header`` puts them on the tables' first
  line instead;
- ``events.newsgraph.tsv``, ``mentions.newsgraph.tsv``, ``gkg.newsgraph.tsv``: what newsgraph knows beyond
  GDELT's columns, one
  row for each row of the GDELT table beside it, in the same order, keyed by ``GLOBALEVENTID`` (and
  ``MentionIdentifier``), with a header row.

A cluster's row is told by its first mention among the exported documents (the earliest published).
How each GDELT column is filled:

- ``GLOBALEVENTID``: the event cluster's id in the store (stable for that store); the mentions table
  points to it.
- ``SQLDATE``, ``MonthYear``, ``Year``, ``FractionDate``: the event's day (its own date when the
  text gives a day, else the article's publication date); empty when neither is known.
- ``Actor1Name``/``Actor2Name``: the event's source and target (canonical names, else the actor's
  words); ``Actor1CountryCode``/``Actor2CountryCode``: the ISO 3166-1 alpha-3 code of the actor's
  country (CAMEO's country codes are ISO alpha-3); ``Actor1Type1Code``/``Actor2Type1Code``: its
  sector (CAMEO agent codes: GOV, MIL, REB...); ``Actor1Code``/``Actor2Code``: the two joined, as
  CAMEO writes actor codes ("USAGOV"); the known-group, ethnic and religion codes are empty.
- ``IsRootEvent``: 1 when the trigger is in the title, subtitle or first body paragraph (GDELT's
  "lead"), else 0.
- ``EventCode``, ``EventBaseCode``, ``GoldsteinScale``: the CAMEO code of the event's PLOVER type and
  mode, PLOVER's CAMEO2PLOVER table read backwards (``lexicons/events/cameo_codes.tsv``, which says how):
  the one CAMEO code a type and mode come from ("ASSAULT", mode "firearms": 193), else the base code most
  of them share, else the "not specified" code of their root as GDELT writes an event coded at that level
  ("ASSAULT" without a mode: 180); a mode the table lacks is its type's without one. The Goldstein value
  is GDELT's for that CAMEO code (its ``CAMEO.goldsteinscale.txt``).
- ``EventRootCode`` and ``QuadClass``: the EventCode's first two digits (so "ACCUSE", mode "investigate",
  090, has root 09) and its quad class (1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
  4 material conflict). ``AvgTone`` is empty.
- ``NumMentions``, ``NumSources``, ``NumArticles``: the cluster's mentions, distinct outlets and
  distinct articles in the store.
- ``ActionGeo_*``: the event's place, from the article's places layer: type (1 country, 2 US state,
  3 US city, 4 world city or other place, 5 world state or region), "name, country" full name, the
  country's FIPS 10-4 code (as GDELT), latitude, longitude and GeoNames id as ``FeatureID`` (for a
  country, its FIPS code, as the codebook says); ``ActionGeo_ADM1Code`` the country's FIPS code followed
  by the place's first-level division code from the gazetteer ("USTX" for a place in Texas, "IZ15" in
  Nineveh; the country's code alone for a country; ``export/adm1.py``), empty when the gazetteer does not
  know it. ``Actor1Geo_*``, ``Actor2Geo_*`` and ``ActionGeo_ADM2Code`` are empty.
- ``DATEADDED``: when the article was ingested (UTC, YYYYMMDDHHMMSS); ``SOURCEURL``: the article's URL,
  else the input it was read from.
- newsgraph's own (``events.newsgraph.tsv``): ``PLOVERType``, ``Mode``, ``Modality`` (asserted, negated,
  future, hypothetical, demanded: filter on it, GDELT has no such column), ``Trigger``, ``DocumentId``,
  ``CharStart``, ``CharEnd``, ``StoryId``.

``mentions.tsv`` has GDELT 2.0's 16 mention columns in their order (``GLOBALEVENTID``,
``EventTimeDate`` and ``MentionTimeDate`` as YYYYMMDDHHMMSS from the event's and the article's day,
``MentionType`` 1 (web), ``MentionSourceName`` the outlet, ``MentionIdentifier`` the URL,
``SentenceID`` the number of the event's sentence in the article, the first 1 (counted again from the
sentence offsets the event keeps: ``export/sentences.py``), ``ActionCharOffset`` the trigger's offset,
``InRawText`` 1, ``MentionDocLen``; the actor offsets, ``Confidence``, tone and translation are empty:
the event record keeps no actor offsets and no confidence score, and none is made up); ``mentions.newsgraph.tsv`` has
``DocumentId``, ``PLOVERType``, ``Modality``, ``Trigger``, ``SentenceStart``, ``SentenceEnd``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from newsgraph.export.adm1 import adm1_code
from newsgraph.export.gkg import GKG_COLUMNS, NEWSGRAPH_GKG_COLUMNS, gkg_row
from newsgraph.export.sentences import sentence_number, sentence_starts
from newsgraph.export.tables import ID_CHUNK
from newsgraph.geo import gdelt_geo, iso3
from newsgraph.lexicons import cameo_code, cameo_roots

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
NEWSGRAPH_COLUMNS = (
    *("GLOBALEVENTID", "PLOVERType", "Mode", "Modality", "Trigger", "DocumentId", "CharStart", "CharEnd"),
    "StoryId",
)
MENTION_COLUMNS: tuple[str, ...] = (
    *("GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName"),
    *("MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset"),
    *("InRawText", "Confidence", "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras"),
)
NEWSGRAPH_MENTION_COLUMNS = (
    *("GLOBALEVENTID", "MentionIdentifier", "DocumentId", "PLOVERType", "Modality", "Trigger"),
    *("SentenceStart", "SentenceEnd"),
)

# PLOVER type -> the CAMEO root code most of its CAMEO codes come from (lexicons/events/plover_types.tsv): the
# root of a type lexicons/events/cameo_codes.tsv has no row for
CAMEO_ROOT = cameo_roots()


def quad_class(cameo_root: str) -> int:
    """GDELT's QuadClass of a CAMEO root code: 01-05 verbal cooperation, 06-08 material cooperation,
    09-13 verbal conflict, 14-20 material conflict."""
    root = int(cameo_root)
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


_EVENT_SQL = (
    "SELECT m.cluster_id, x.doc_id, x.type, x.mode, x.modality, x.source_name, x.target_name, x.source_country,"
    " x.source_sector, x.target_country, x.target_sector, x.trigger, x.char_start, x.char_end, x.sentence_start,"
    " x.sentence_end, x.place, x.day, c.mentions, c.sources, c.articles, m.source"
    " FROM events x JOIN event_mentions m ON m.doc_id = x.doc_id AND m.idx = x.idx"
    " JOIN event_clusters c ON c.id = m.cluster_id"
)


def write_gdelt(
    conn: sqlite3.Connection, doc_ids: Sequence[str] | None, folder: Path, *, header: bool = False
) -> dict[str, int]:
    """Write the events of the documents (None: all) as GDELT's events and mentions tables, and the documents
    as its GKG table (``export/gkg.py``), into ``folder``; the rows of each. ``header``: the column names on
    each GDELT table's first line (GDELT's have none)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, columns in (("events", GDELT_COLUMNS), ("mentions", MENTION_COLUMNS), ("gkg", GKG_COLUMNS)):
        with _Table(folder / f"{name}.header.tsv", columns, header=True):
            pass
    if doc_ids is None:
        doc_ids = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY published, n")]
    else:
        marks_all = {d: i for i, d in enumerate(doc_ids)}
        order = conn.execute("SELECT id FROM documents ORDER BY published, n").fetchall()
        doc_ids = [r[0] for r in order if r[0] in marks_all]  # the earliest article tells a cluster's row
    seen: set[int] = set()
    counts = {"events": 0, "mentions": 0, "gkg records": 0}
    with (
        _Table(folder / "events.tsv", GDELT_COLUMNS, header=header) as events,
        _Table(folder / "events.newsgraph.tsv", NEWSGRAPH_COLUMNS, header=True) as events_more,
        _Table(folder / "mentions.tsv", MENTION_COLUMNS, header=header) as mentions,
        _Table(folder / "mentions.newsgraph.tsv", NEWSGRAPH_MENTION_COLUMNS, header=True) as mentions_more,
        _Table(folder / "gkg.tsv", GKG_COLUMNS, header=header) as gkg,
        _Table(folder / "gkg.newsgraph.tsv", NEWSGRAPH_GKG_COLUMNS, header=True) as gkg_more,
    ):
        for i in range(0, len(doc_ids), ID_CHUNK):
            chunk = list(doc_ids[i : i + ID_CHUNK])
            marks = ", ".join("?" * len(chunk))
            cursor = conn.execute(
                "SELECT id, url, input, ingested_at, story_id, published, json, n, source FROM documents"
                f" WHERE id IN ({marks})",
                chunk,
            )
            names = [c[0] for c in cursor.description]
            docs = {r[0]: dict(zip(names, r, strict=True)) for r in cursor}
            by_doc: dict[str, list[tuple[Any, ...]]] = {}
            for ev in conn.execute(f"{_EVENT_SQL} WHERE x.doc_id IN ({marks}) ORDER BY x.doc_id, x.idx", chunk):
                by_doc.setdefault(ev[1], []).append(ev)
            for doc_id in chunk:
                if doc_id not in docs:
                    continue
                stored = docs[doc_id]
                doc = json.loads(stored["json"])  # read once: the GKG row and the events' context
                record = gkg_row(doc, stored)
                gkg.write(record)
                gkg_more.write(record)
                counts["gkg records"] += 1
                context = _Context(doc)
                where = stored["url"] or stored["input"] or ""
                for ev in by_doc.get(doc_id, ()):
                    mention = context.mention(ev, where, stored["published"])
                    mentions.write(mention)
                    mentions_more.write(mention)
                    counts["mentions"] += 1
                    if ev[0] not in seen:
                        seen.add(ev[0])
                        row = context.row(ev, where, stored["ingested_at"], stored["story_id"])
                        events.write(row)
                        events_more.write(row)
                        counts["events"] += 1
    return counts


class _Table:
    """One tab-separated table, written to a temporary name and moved into place when complete; ``header``:
    the column names on its first line."""

    def __init__(self, path: Path, columns: tuple[str, ...], *, header: bool) -> None:
        self.path, self.columns, self.header = path, columns, header
        self.tmp = path.with_name(f".{path.name}.tmp")

    def __enter__(self) -> _Table:
        self.fh: TextIO = self.tmp.open("w", encoding="utf-8", newline="\n")
        if self.header:
            self.fh.write("\t".join(self.columns) + "\n")
        return self

    def write(self, row: dict[str, Any]) -> None:
        self.fh.write("\t".join(_cell(row.get(c)) for c in self.columns) + "\n")

    def __exit__(self, kind: object, *_: object) -> None:
        self.fh.close()
        if kind is None:
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)


def _stamp(day: str | None) -> str:
    return day.replace("-", "") + "000000" if day else ""


class _Context:
    """What one document gives its events' rows: actors' countries, places, where the lead ends."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.length = len(doc.get("text", ""))
        self.places = doc.get("places", [])
        body = [p for p in doc.get("paragraphs", []) if p.get("kind") == "body"]
        self.lead_end = body[0]["end"] if body else len(doc.get("text", ""))
        self._sentences: list[int] | None = None

    def sentence_id(self, sentence_start: int | None) -> int | None:
        """GDELT's SentenceID of the sentence beginning at ``sentence_start`` (the first sentence 1)."""
        if sentence_start is None:
            return None
        if self._sentences is None:  # counted once per article, and only for one that has events
            known = [
                int(e["sentence_start"]) for e in self.doc.get("events", []) if e.get("sentence_start") is not None
            ]
            self._sentences = sentence_starts(self.doc, known)
        return sentence_number(self._sentences, sentence_start)

    def place(self, name: str | None, near: int | None) -> dict[str, Any] | None:
        if not name:
            return None
        found: list[dict[str, Any]] = [p for p in self.places if p.get("name") == name or p.get("text") == name]
        return min(found, key=lambda p: abs(int(p.get("start", 0)) - (near or 0)), default=None)

    def mention(self, ev: tuple[Any, ...], url: str, published: str | None) -> dict[str, Any]:
        cluster, doc_id, etype, _, modality, *_rest = ev
        start, sent_start, sent_end, day, outlet = ev[12], ev[14], ev[15], ev[17], ev[21]
        return {
            "GLOBALEVENTID": cluster,
            "EventTimeDate": _stamp(day),
            "MentionTimeDate": _stamp(published),
            "MentionType": 1,
            "MentionSourceName": outlet,
            "MentionIdentifier": url,
            "SentenceID": self.sentence_id(sent_start),
            "ActionCharOffset": start,
            "InRawText": 1,
            "MentionDocLen": self.length,
            "DocumentId": doc_id,
            "PLOVERType": etype,
            "Modality": modality,
            "Trigger": ev[11],
            "SentenceStart": sent_start,
            "SentenceEnd": sent_end,
        }

    def row(self, ev: tuple[Any, ...], url: str, ingested_at: str, story_id: str) -> dict[str, Any]:
        (cluster, doc_id, etype, mode, modality, source_name, target_name, s_country, s_sector, t_country,
         t_sector, trigger, start, end, _, _, place, day, n_mentions, n_sources, n_articles, _) = ev  # fmt: skip
        row: dict[str, Any] = {
            "GLOBALEVENTID": cluster,
            "PLOVERType": etype,
            "Mode": mode,
            "Modality": modality,
            "Trigger": trigger,
            "DocumentId": doc_id,
            "CharStart": start,
            "CharEnd": end,
            "StoryId": story_id,
            "SOURCEURL": url,
            "NumMentions": n_mentions,
            "NumSources": n_sources,
            "NumArticles": n_articles,
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
        for prefix, name, country, sector in (
            ("Actor1", source_name, s_country, s_sector),
            ("Actor2", target_name, t_country, t_sector),
        ):
            code = iso3(country) if country else ""
            row |= {
                f"{prefix}Name": name,
                f"{prefix}CountryCode": code,
                f"{prefix}Type1Code": sector,
                f"{prefix}Code": f"{code}{sector or ''}" if (code or sector) else "",
            }
        coded = cameo_code(str(etype).upper(), mode)
        if coded is not None:
            code, base, goldstein = coded
            row |= {"EventCode": code, "EventBaseCode": base, "GoldsteinScale": f"{goldstein:g}"}
        root = coded[0][:2] if coded is not None else CAMEO_ROOT.get(str(etype).upper())
        if root:
            row |= {"EventRootCode": root, "QuadClass": quad_class(root)}
        p = self.place(place, start)
        if p is not None:
            row |= {f"ActionGeo_{k}": v for k, v in gdelt_geo(p).items()}
            row["ActionGeo_ADM1Code"] = adm1_code(p)
        elif place:
            row["ActionGeo_FullName"] = place
        return row
