"""GDELT's Global Knowledge Graph (GKG 2.1) table of the documents: ``gkg.tsv`` in the ``--format gdelt``
folder, one row per article, GKG 2.1's 27 columns in the codebook's order, tab-separated, no header
(``gkg.header.tsv`` has the names; ``--header`` puts them on the first line), and ``gkg.newsgraph.tsv``
beside it: newsgraph's own columns for the same rows, keyed by ``GKGRECORDID``.

How each column is filled from the layers (GDELT's delimiters, its codebook's field order):

- ``GKGRECORDID``: ``YYYYMMDDHHMMSS-N``, the ingest time and the document's row number in the store.
- ``V2.1DATE``: the publication day (``YYYYMMDD000000``), 0 when the article has none (as the codebook
  allows); ``V2SOURCECOLLECTIONIDENTIFIER`` 1 (web) with the URL as ``V2DOCUMENTIDENTIFIER``, else 2
  (citation only) with the input it was read from; ``V2SOURCECOMMONNAME`` the URL's host without
  ``www.`` (GDELT's convention), else the source.
- ``V1COUNTS`` / ``V2.1COUNTS``: the event counts of the quantities layer ("killed 12 people":
  ``KILL#12#people#...``), their type from the count's verb (``lexicons/events/gkg_count_types.tsv``),
  with the nearest place of the same paragraph; V2.1 adds the character offset.
- ``V1LOCATIONS`` (one per place name) / ``V2ENHANCEDLOCATIONS`` (one per mention, with ADM2 and the
  offset): the places layer, ``Type#FullName#CountryCode(FIPS)#ADM1#Lat#Long#FeatureID``; ADM1 is the
  FIPS country code and the place's first-level division code ("USTX", "PK05"; ``export/adm1.py``), ADM2
  is empty.
- ``V1PERSONS``, ``V1ORGANIZATIONS`` (each name once) and ``V2ENHANCEDPERSONS``,
  ``V2ENHANCEDORGANIZATIONS`` (``Name,Offset`` per mention): the entities layer's canonical names;
  ``V2.1ALLNAMES``: every named entity of any type but demonyms (NORP), per mention.
- ``V2.1ENHANCEDDATES``: the times layer's calendar dates, ``Resolution#Month#Day#Year#Offset``
  (resolution 1 year, 2 month, 3 day, 4 month and day without a year; GDELT's files separate the
  fields with ``#``).
- ``V2.1QUOTATIONS``: the direct quotes, ``Offset|Length|Verb|Quote`` blocks joined by ``#``.
- ``V2.1AMOUNTS``: every quantity but percentages, ``Amount,Object,Offset``. A range ("four or five
  people", "between $30,000 and $60,000") is written as its low end in counts and amounts alike (a GKG
  amount is one number); its high end is in the store's ``quantities.value_high``.
- ``V2GCAM``: ``wc:N``, the word count only (GCAM's reserved first entry); ``V2EXTRASXML``: the title as
  ``<PAGE_TITLE>`` (as GDELT writes it for news).
- Themes, tone, images and translation information are empty: newsgraph does not compute them.

Every name or quote is written with GDELT's delimiters (``; # , |``, tabs and line breaks) replaced by
spaces, so a reader splitting on them gets the fields GDELT's codebook names.
"""

from __future__ import annotations

import bisect
import datetime as dt
import html
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from newsgraph.export.adm1 import adm1_code
from newsgraph.geo import gdelt_geo
from newsgraph.lexicons import EVENTS, rows
from newsgraph.outlets import host_of
from newsgraph.store.queries import clean_number

GKG_COLUMNS: tuple[str, ...] = (
    *("GKGRECORDID", "V2.1DATE", "V2SOURCECOLLECTIONIDENTIFIER", "V2SOURCECOMMONNAME", "V2DOCUMENTIDENTIFIER"),
    *("V1COUNTS", "V2.1COUNTS", "V1THEMES", "V2ENHANCEDTHEMES", "V1LOCATIONS", "V2ENHANCEDLOCATIONS"),
    *("V1PERSONS", "V2ENHANCEDPERSONS", "V1ORGANIZATIONS", "V2ENHANCEDORGANIZATIONS", "V1.5TONE"),
    *("V2.1ENHANCEDDATES", "V2GCAM", "V2.1SHARINGIMAGE", "V2.1RELATEDIMAGES", "V2.1SOCIALIMAGEEMBEDS"),
    *("V2.1SOCIALVIDEOEMBEDS", "V2.1QUOTATIONS", "V2.1ALLNAMES", "V2.1AMOUNTS", "V2.1TRANSLATIONINFO"),
    "V2EXTRASXML",
)
NEWSGRAPH_GKG_COLUMNS = ("GKGRECORDID", "DocumentId", "StoryId", "Title", "Published", "Language", "Source")

_DELIMITERS = re.compile(r"[;#,|\t\r\n]+")
_QUOTE_DELIMITERS = re.compile(r"[#|\t\r\n]+")
_PLACE_DELIMITERS = re.compile(r"[;#|\t\r\n]+")  # a place's full name keeps its commas ("Mosul, Iraq")
_WORD = re.compile(r"\w+")
_DATE = re.compile(r"^(\d{4}|XXXX)(?:-(\d{2})(?:-(\d{2}))?)?$")


@cache
def count_types() -> dict[str, str]:
    """A count's verb form ("killed") -> its GKG count type ("KILL")."""
    return {r[0]: r[1] for r in rows("gkg_count_types.tsv", EVENTS)}


def field(value: Any) -> str:
    """A value as one field inside a GKG block: GDELT's delimiters become spaces."""
    return " ".join(_DELIMITERS.sub(" ", str(value)).split()) if value is not None else ""


def _number(value: float | Sequence[float]) -> str:
    """An amount as GKG writes it: digits, no separators, no float artefacts (16600000, 2.5). A range
    ("between $30,000 and $60,000", "four or five people": ``[low, high]``) is its low end, the figure the
    text asserts at least, as the events layer counts one: a GKG amount is one number."""
    low = value[0] if isinstance(value, Sequence) else value
    clean = clean_number(low) or 0.0
    return str(int(clean)) if clean.is_integer() else repr(clean)


def gkg_date(value: str) -> tuple[int, int, int, int] | None:
    """(resolution, month, day, year) of a TIMEX3 calendar value, as GKG's dates give them; None for
    anything else (durations, weeks, PAST_REF)."""
    m = _DATE.match(value or "")
    if not m:
        return None
    year = 0 if m[1] == "XXXX" else int(m[1])
    month, day = int(m[2] or 0), int(m[3] or 0)
    if year == 0:
        return (4, month, day, 0) if month and day else None
    return (3 if day else 2 if month else 1), month, day, year


class _Places:
    """A document's places as GKG location blocks, and the nearest one to an offset in a paragraph."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.places = sorted(doc.get("places", []), key=lambda p: int(p.get("start", 0)))
        self.starts = [int(p.get("start", 0)) for p in self.places]
        self.paragraph_starts = [int(p["start"]) for p in doc.get("paragraphs", [])]
        self.paragraph_ends = [int(p["end"]) for p in doc.get("paragraphs", [])]

    def block(self, p: dict[str, Any], *, adm2: bool) -> str:
        g = gdelt_geo(p)
        full = " ".join(_PLACE_DELIMITERS.sub(" ", str(g["FullName"])).split())
        cells = [g["Type"], full, g["CountryCode"], adm1_code(p)] + ([""] if adm2 else [])
        return "#".join("" if c is None else str(c) for c in [*cells, g["Lat"], g["Long"], g["FeatureID"]])

    def nearest(self, offset: int) -> dict[str, Any] | None:
        """The place nearest ``offset`` in the same paragraph."""
        k = bisect.bisect_right(self.paragraph_starts, offset) - 1
        if k < 0 or offset >= self.paragraph_ends[k]:
            return None
        lo, hi = self.paragraph_starts[k], self.paragraph_ends[k]
        i = bisect.bisect_left(self.starts, offset)
        near = [self.places[j] for j in (i - 1, i) if 0 <= j < len(self.places) and lo <= self.starts[j] < hi]
        return min(near, key=lambda p: abs(int(p.get("start", 0)) - offset), default=None)


def _unique(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def gkg_row(doc: dict[str, Any], stored: dict[str, Any]) -> dict[str, Any]:
    """The GKG row (and newsgraph's columns) of one document's JSON; ``stored``: its documents row
    (n, url, input, ingested_at, story_id, source)."""
    meta = doc.get("meta", {})
    text = doc.get("text", "")
    url = stored.get("url") or ""
    host = host_of(url) if url.startswith(("http://", "https://")) else None
    web = host is not None
    stamp = dt.datetime.fromisoformat(stored["ingested_at"]).strftime("%Y%m%d%H%M%S")
    published = meta.get("published")
    places = _Places(doc)

    counts_v1, counts_v2, amounts = [], [], []
    for q in doc.get("quantities", []):
        if q.get("value") is None:
            continue
        value, noun, start = _number(q["value"]), field(q.get("noun")), int(q["start"])
        kind = count_types().get(q.get("verb") or "")
        if kind:
            near = places.nearest(start)
            where = places.block(near, adm2=False) if near else "#".join([""] * 7)
            counts_v1.append(f"{kind}#{value}#{noun}#{where}")
            counts_v2.append(f"{kind}#{value}#{noun}#{where}#{start}")
        if q.get("category") != "percent":
            amounts.append(f"{value},{noun},{start}")

    persons: list[tuple[str, int]] = []
    orgs: list[tuple[str, int]] = []
    names: list[tuple[str, int]] = []
    for e in doc.get("entities", []):
        name = field(e.get("name"))
        for m in e.get("mentions", []):
            mention = (name, int(m["start"]))
            if e.get("type") != "NORP":  # "Iraqi", "pro-Iranian": adjectives of a name, not names
                names.append(mention)
            if e.get("type") == "PERSON":
                persons.append(mention)
            elif e.get("type") == "ORG":
                orgs.append(mention)
    for group in (persons, orgs, names):
        group.sort(key=lambda m: m[1])

    dates = []
    for t in doc.get("times", []):
        if t.get("type") == "DATE" and (d := gkg_date(t.get("value", ""))):
            dates.append("#".join(str(x) for x in (*d, t["start"])))

    quotes = []
    for q in doc.get("quotes", []):
        if q.get("kind") == "direct":
            said = " ".join(_QUOTE_DELIMITERS.sub(" ", q.get("text", "")).split())
            quotes.append(f"{q['start']}|{int(q['end']) - int(q['start'])}|{field(q.get('cue'))}|{said}")

    title = meta.get("title") or ""
    page_title = html.escape(" ".join(title.split()), quote=False)
    record = f"{stamp}-{stored['n']}"
    return {
        "GKGRECORDID": record,
        "V2.1DATE": published.replace("-", "") + "000000" if published else "0",
        "V2SOURCECOLLECTIONIDENTIFIER": 1 if web else 2,
        "V2SOURCECOMMONNAME": host if web else (stored.get("source") or ""),
        "V2DOCUMENTIDENTIFIER": url if web else (url or stored.get("input") or ""),
        "V1COUNTS": ";".join(counts_v1),
        "V2.1COUNTS": ";".join(counts_v2),
        "V1LOCATIONS": ";".join(_unique([places.block(p, adm2=False) for p in places.places])),
        "V2ENHANCEDLOCATIONS": ";".join(f"{places.block(p, adm2=True)}#{p['start']}" for p in places.places),
        "V1PERSONS": ";".join(_unique([n for n, _ in persons])),
        "V2ENHANCEDPERSONS": ";".join(f"{n},{o}" for n, o in persons),
        "V1ORGANIZATIONS": ";".join(_unique([n for n, _ in orgs])),
        "V2ENHANCEDORGANIZATIONS": ";".join(f"{n},{o}" for n, o in orgs),
        "V2.1ENHANCEDDATES": ";".join(dates),
        "V2GCAM": f"wc:{len(_WORD.findall(text))}",
        "V2.1QUOTATIONS": "#".join(quotes),
        "V2.1ALLNAMES": ";".join(f"{n},{o}" for n, o in names),
        "V2.1AMOUNTS": ";".join(amounts),
        "V2EXTRASXML": f"<PAGE_TITLE>{page_title}</PAGE_TITLE>" if title else "",
        "DocumentId": doc.get("id"),
        "StoryId": stored.get("story_id"),
        "Title": title,
        "Published": published,
        "Language": meta.get("language"),
        "Source": stored.get("source"),
    }
