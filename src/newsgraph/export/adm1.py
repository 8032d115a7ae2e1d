"""GDELT's ADM1 code of a place of the places layer: the country's FIPS 10-4 code, and for a place inside a
country the first-level division's code after it ("USTX", "IZ15" for Nineveh), as GDELT writes
``ActionGeo_ADM1Code`` and the ADM1 field of the GKG's locations.

The division's code is the GeoNames admin1 code of the gazetteer's entry for the place: the place record
keeps its name, country, kind, point and GeoNames id, not its division, so the entry is found again by name
and then by id, or, for an entry GeoNames has no id for ("Sindh"), by country, kind and point. GeoNames'
admin1 codes are the US states' postal codes and, for many countries, the FIPS 10-4 division numbers GDELT
uses ("IZ15", "PK05"); for countries where GeoNames keeps national codes instead, they are those. Empty
when the gazetteer does not know the place's division."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from newsgraph.geo import fips

_SAME_POINT = 1e-3  # degrees: the record's point is the entry's, rounded as the places layer writes it


def adm1_code(place: dict[str, Any]) -> str:
    """``place``'s GDELT ADM1 code: FIPS country code, then its division's code; "" when unknown."""
    return _adm1(
        str(place.get("name") or place.get("text") or ""),
        place.get("geonameid"),
        place.get("country"),
        place.get("kind"),
        place.get("lat"),
        place.get("lon"),
    )


@lru_cache(maxsize=1 << 16)  # an article names the same places again and again, and so do a store's articles
def _adm1(
    name: str, geonameid: int | None, iso2: str | None, kind: str | None, lat: float | None, lon: float | None
) -> str:
    country = fips(iso2)
    if not country:
        return ""
    if kind == "country":
        return str(country)
    division = _division(name, geonameid, iso2, kind, lat, lon)
    return f"{country}{division}" if division else ""


def _division(
    name: str, geonameid: int | None, country: str | None, kind: str | None, lat: float | None, lon: float | None
) -> str:
    # imported here, not at the top: the exporters stand on the store and shared ground, and only a GDELT
    # export reads the gazetteer (the index the places layer built when the documents were analysed)
    from newsgraph.layers._support.gazetteer import gazetteer

    entries = gazetteer().lookup(name) if name else ()
    for entry in entries:
        if geonameid is not None and entry.geonameid == geonameid:
            return entry.admin1
    if lat is None or lon is None:
        return ""
    for entry in entries:
        if (
            entry.country == country
            and entry.kind == kind
            and abs(entry.lat - lat) < _SAME_POINT
            and abs(entry.lon - lon) < _SAME_POINT
        ):
            return entry.admin1
    return ""
