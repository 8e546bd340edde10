"""The validated shape of each gazetteer entry, and the codes the data may use.

Split from :mod:`sitrep.nlp.gazetteer` (which re-exports these names): the pydantic models
that check ``countries.yaml``, the actor files, ``weapons.yaml`` and ``regions.yaml`` entry
by entry, and the ISO-3166 and sector vocabularies they accept.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

__all__ = [
    "EXTRA_ISO2_TO_ISO3",
    "EXTRA_ISO3",
    "SECTORS",
    "ActorModel",
    "CountryModel",
    "RegionModel",
    "WeaponModel",
    "known_iso3",
]

# Codes in use for places pycountry does not list (user-assigned ISO-3166 codes).
EXTRA_ISO3: Mapping[str, str] = MappingProxyType({"XKX": "Kosovo"})
EXTRA_ISO2_TO_ISO3: Mapping[str, str] = MappingProxyType({"XK": "XKX"})

Sector = Literal[
    "GOV", "MIL", "SPY", "LEG", "JUD", "COP", "REB", "OPP", "PTY",
    "MED", "BUS", "NGO", "CIV", "IGO", "EDU",
]  # fmt: skip
SECTORS: frozenset[str] = frozenset(Sector.__args__)  # type: ignore[attr-defined]

ActorKind = Literal[
    "body", "military", "intelligence", "igo", "person", "party", "armed_group", "media",
    "think_tank",
]  # fmt: skip

WeaponClass = Literal[
    "ICBM", "IRBM", "MRBM", "SRBM", "SLBM", "cruise missile", "hypersonic missile",
    "anti-ship missile", "anti-tank missile", "air-to-air missile", "MLRS", "artillery",
    "tank", "armoured vehicle", "drone", "naval drone", "loitering munition",
    "fighter aircraft", "attack aircraft", "bomber", "surveillance aircraft",
    "attack helicopter", "air defence system", "warship", "submarine", "nuclear weapon",
    "glide bomb", "rocket", "space launch vehicle",
]  # fmt: skip

RegionKind = Literal[
    "oblast", "krai", "province", "region", "state", "disputed_area", "territory",
    "city", "town", "facility", "sea", "strait", "gulf", "ocean", "shoal", "island",
    "islands", "peninsula", "border", "continent",
]  # fmt: skip


@functools.lru_cache(maxsize=1)
def known_iso3() -> frozenset[str]:
    """ISO-3166 alpha-3 codes accepted in the data: pycountry's plus :data:`EXTRA_ISO3`."""
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries) | frozenset(EXTRA_ISO3)


def _check_iso3(value: str) -> str:
    if value not in known_iso3():
        raise ValueError(f"unknown ISO-3166 alpha-3 code {value!r}")
    return value


Iso3 = Annotated[str, AfterValidator(_check_iso3)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    name: Name
    aliases: list[Name] = Field(default_factory=list)


class CountryModel(_Model):
    """One entry of countries.yaml."""

    iso3: Iso3
    demonyms: list[Name] = Field(default_factory=list)
    capital: Name | None = None
    metonyms: list[Name] = Field(default_factory=list)
    lat: Latitude
    lon: Longitude


class ActorModel(_Model):
    """One entry of an actor file (actors, agencies, people); ``code`` defaults to country +
    sector."""

    country: Iso3 | None
    sector: Sector
    code: str | None = Field(default=None, pattern=r"^[A-Z][A-Z0-9]{1,15}$")
    kind: ActorKind
    title: Name | None = None

    @model_validator(mode="after")
    def _title_for_people_only(self) -> ActorModel:
        if self.title is not None and self.kind != "person":
            raise ValueError("only people have a title")
        return self


class WeaponModel(_Model):
    """One entry of weapons.yaml (``class`` is a Python keyword, hence the alias)."""

    model_config = ConfigDict(populate_by_name=True)

    weapon_class: WeaponClass = Field(alias="class")
    country: Iso3 | None
    range_km: float | None = Field(default=None, ge=0, le=25000)


class RegionModel(_Model):
    """One entry of regions.yaml."""

    country: Iso3 | None
    kind: RegionKind
    lat: Latitude
    lon: Longitude
