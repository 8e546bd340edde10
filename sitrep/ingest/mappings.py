"""The coding tables imports rely on: CAMEO → PLOVER, CAMEO actor codes, FIPS → ISO-3, ACLED.

The tables are data files in ``sitrep/data/mappings/`` so they can be reviewed and extended
without touching code. Each is validated with pydantic when loaded, and any problem (an
unknown PLOVER category or mode, a CAMEO code whose parent is missing, an ISO-3 code that
does not exist) raises :class:`~sitrep.errors.DataFileError` naming the file and the entry:
a silently wrong row in a mapping would mis-code every event that uses it.

Importing this module reads nothing; each ``load_*`` function reads its file on first use
and caches the result.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from sitrep.data import data_file_error, read_yaml_file
from sitrep.records import PLOVER_CATEGORIES

__all__ = [
    "AcledMapping",
    "AcledTable",
    "ActorCodeTable",
    "CameoMapping",
    "CameoTable",
    "FipsTable",
    "Group",
    "load_acled_table",
    "load_actor_codes",
    "load_cameo_table",
    "load_fips_table",
]

_CAMEO_CODE = re.compile(r"^\d{2,4}$")


def _check_iso3(value: str) -> str:
    from sitrep.nlp.gazetteer import known_iso3

    if value not in known_iso3():
        raise ValueError(f"unknown ISO-3166 alpha-3 code {value!r}")
    return value


def _check_sector(value: str) -> str:
    from sitrep.nlp.lexicon import SECTOR_CODES

    if value not in SECTOR_CODES:
        raise ValueError(f"unknown sector {value!r}; known: {', '.join(sorted(SECTOR_CODES))}")
    return value


def _check_category(value: str) -> str:
    if value not in PLOVER_CATEGORIES:
        raise ValueError(f"{value!r} is not a PLOVER category")
    return value


def _check_cameo(value: str) -> str:
    if not _CAMEO_CODE.match(value):
        raise ValueError(f"CAMEO code {value!r} must be 2-4 digits")
    return value


Iso3 = Annotated[str, AfterValidator(_check_iso3)]
Sector = Annotated[str, AfterValidator(_check_sector)]
Category = Annotated[str, AfterValidator(_check_category)]
CameoCode = Annotated[str, AfterValidator(_check_cameo)]
Code3 = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# -- CAMEO event codes → PLOVER ------------------------------------------------------------


class CameoEntryModel(_Strict):
    """One code of cameo_plover.yaml; unset fields are inherited from the parent code."""

    name: str = Field(min_length=1)
    type: Category | None = None
    mode: str | None = None
    context: tuple[str, ...] = ()


class CameoFileModel(_Strict):
    modes: dict[Category, list[str]]
    contexts: list[str]
    codes: dict[CameoCode, CameoEntryModel]


@dataclass(frozen=True, slots=True)
class CameoMapping:
    """A CAMEO event code resolved to PLOVER; ``type`` None means "no PLOVER category"."""

    code: str
    name: str
    type: str | None
    mode: str | None
    context: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CameoTable:
    """Every CAMEO event code the codebook defines, resolved to PLOVER."""

    codes: Mapping[str, CameoMapping]
    modes: Mapping[str, frozenset[str]]
    contexts: frozenset[str]

    def get(self, code: str) -> CameoMapping | None:
        """The mapping of a code, or None when the codebook has no such code."""
        return self.codes.get(code)


def _resolve_cameo(path: str, raw: CameoFileModel) -> CameoTable:
    modes = {category: frozenset(values) for category, values in raw.modes.items()}
    contexts = frozenset(raw.contexts)
    resolved: dict[str, CameoMapping] = {}
    for code in sorted(raw.codes, key=len):  # parents (shorter codes) first
        entry = raw.codes[code]
        fields = entry.model_fields_set
        if len(code) == 2:
            if "type" not in fields:
                raise data_file_error(path, f"root code {code!r} must set type (null for none)")
            parent = CameoMapping(code, entry.name, None, None, ())
        else:
            found = resolved.get(code[:-1])
            if found is None:
                raise data_file_error(path, f"code {code!r} has no parent code {code[:-1]!r}")
            parent = found
        mapping = CameoMapping(
            code=code,
            name=entry.name,
            type=entry.type if "type" in fields else parent.type,
            mode=entry.mode if "mode" in fields else parent.mode,
            context=entry.context if "context" in fields else parent.context,
        )
        if mapping.type is None and (mapping.mode or mapping.context):
            raise data_file_error(
                path, f"code {code!r} has no PLOVER type but sets a mode or context"
            )
        if mapping.mode is not None and mapping.mode not in modes.get(mapping.type or "", ()):
            raise data_file_error(
                path, f"code {code!r}: mode {mapping.mode!r} is not a {mapping.type} mode"
            )
        unknown = set(mapping.context) - contexts
        if unknown:
            raise data_file_error(path, f"code {code!r}: unknown context {sorted(unknown)}")
        resolved[code] = mapping
    return CameoTable(MappingProxyType(resolved), MappingProxyType(modes), contexts)


@functools.lru_cache(maxsize=4)
def load_cameo_table(directory: str | Path | None = None) -> CameoTable:
    """CAMEO event codes → PLOVER from cameo_plover.yaml (cached per directory)."""
    path, raw = _read(directory, "cameo_plover.yaml", CameoFileModel)
    return _resolve_cameo(path, raw)


# -- CAMEO actor codes ---------------------------------------------------------------------


class GroupModel(_Strict):
    """A CAMEO known group: the organisation key, sector and (for some) country."""

    name: str = Field(min_length=1)
    code: str = Field(pattern=r"^[A-Z][A-Z0-9]{1,15}$")
    sector: Sector
    country: Iso3 | None = None


class ActorCodeFileModel(_Strict):
    types: dict[Code3, Sector | None]
    groups: dict[Code3, GroupModel]
    countries: dict[Code3, Iso3]
    regions: dict[Code3, str]


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    code: str
    sector: str
    country: str | None


@dataclass(frozen=True, slots=True)
class ActorCodeTable:
    """CAMEO actor type → sector, known groups, non-ISO country codes and region codes."""

    types: Mapping[str, str | None]
    groups: Mapping[str, Group]
    countries: Mapping[str, str]
    regions: Mapping[str, str]


@functools.lru_cache(maxsize=4)
def load_actor_codes(directory: str | Path | None = None) -> ActorCodeTable:
    """CAMEO actor codes from cameo_actor_types.yaml (cached per directory)."""
    _, raw = _read(directory, "cameo_actor_types.yaml", ActorCodeFileModel)
    groups = {key: Group(g.name, g.code, g.sector, g.country) for key, g in raw.groups.items()}
    return ActorCodeTable(
        types=MappingProxyType(dict(raw.types)),
        groups=MappingProxyType(groups),
        countries=MappingProxyType(dict(raw.countries)),
        regions=MappingProxyType(dict(raw.regions)),
    )


# -- FIPS 10-4 → ISO-3 ---------------------------------------------------------------------


class FipsEntryModel(_Strict):
    iso3: Iso3 | None
    name: str = Field(min_length=1)


class FipsFileModel(_Strict):
    codes: dict[Annotated[str, Field(pattern=r"^[A-Z]{2}$")], FipsEntryModel]


@dataclass(frozen=True, slots=True)
class FipsTable:
    """FIPS 10-4 country code → (ISO-3 or None, name)."""

    codes: Mapping[str, tuple[str | None, str]]

    def iso3(self, fips: str) -> str | None:
        found = self.codes.get(fips)
        return found[0] if found else None


@functools.lru_cache(maxsize=4)
def load_fips_table(directory: str | Path | None = None) -> FipsTable:
    """FIPS 10-4 → ISO-3 from fips_iso3.yaml (cached per directory)."""
    _, raw = _read(directory, "fips_iso3.yaml", FipsFileModel)
    return FipsTable(MappingProxyType({k: (v.iso3, v.name) for k, v in raw.codes.items()}))


# -- ACLED ---------------------------------------------------------------------------------


class AcledEntryModel(_Strict):
    type: Category | None
    mode: str | None = None
    context: tuple[str, ...] = ()
    cameo: CameoCode | None = None


class AcledFileModel(_Strict):
    event_types: dict[str, dict[str, AcledEntryModel]]
    prefixes: dict[str, Sector]
    groups: dict[str, Sector]
    inter: dict[str, Sector | None]


@dataclass(frozen=True, slots=True)
class AcledMapping:
    """An ACLED event/sub-event type resolved to PLOVER; ``type`` None means skip."""

    event_type: str
    sub_event_type: str
    type: str | None
    mode: str | None
    context: tuple[str, ...]
    cameo: str | None


@dataclass(frozen=True, slots=True)
class AcledTable:
    """ACLED types → PLOVER (keys lower-cased) and actor-name rules → sectors."""

    types: Mapping[tuple[str, str], AcledMapping]
    prefixes: tuple[tuple[str, str], ...]  # longest first, so the most specific wins
    groups: Mapping[str, str]  # lower-cased name → sector
    inter: Mapping[str, str | None]  # lower-cased code or label → sector

    def get(self, event_type: str, sub_event_type: str) -> AcledMapping | None:
        return self.types.get((event_type.strip().lower(), sub_event_type.strip().lower()))


@functools.lru_cache(maxsize=4)
def load_acled_table(directory: str | Path | None = None) -> AcledTable:
    """ACLED mapping from acled_plover.yaml, its modes checked against the CAMEO table."""
    path, raw = _read(directory, "acled_plover.yaml", AcledFileModel)
    cameo = load_cameo_table(directory)
    types: dict[tuple[str, str], AcledMapping] = {}
    for event_type, subs in raw.event_types.items():
        for sub, entry in subs.items():
            where = f"{event_type} / {sub}"
            if entry.type is None and (entry.mode or entry.context or entry.cameo):
                raise data_file_error(
                    path, f"{where}: no PLOVER type but sets a mode, context or cameo"
                )
            if entry.mode is not None and entry.mode not in cameo.modes.get(entry.type or "", ()):
                raise data_file_error(
                    path, f"{where}: mode {entry.mode!r} is not a {entry.type} mode"
                )
            if set(entry.context) - cameo.contexts:
                raise data_file_error(path, f"{where}: unknown context in {list(entry.context)}")
            if entry.cameo is not None and cameo.get(entry.cameo) is None:
                raise data_file_error(path, f"{where}: {entry.cameo!r} is not a CAMEO code")
            types[(event_type.lower(), sub.lower())] = AcledMapping(
                event_type, sub, entry.type, entry.mode, entry.context, entry.cameo
            )
    prefixes = tuple(sorted(raw.prefixes.items(), key=lambda item: -len(item[0])))
    return AcledTable(
        types=MappingProxyType(types),
        prefixes=prefixes,
        groups=MappingProxyType({k.lower(): v for k, v in raw.groups.items()}),
        inter=MappingProxyType({k.lower(): v for k, v in raw.inter.items()}),
    )


# -- reading -------------------------------------------------------------------------------

_M = TypeVar("_M", bound=BaseModel)


def _describe(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'file'}: {e['msg']}" for e in exc.errors())


def _read(directory: str | Path | None, filename: str, model: type[_M]) -> tuple[str, _M]:
    root: Any = (
        resources.files("sitrep") / "data" / "mappings" if directory is None else Path(directory)
    )
    path, raw = read_yaml_file(root, filename)
    try:
        return path, model.model_validate(raw)
    except ValidationError as exc:
        raise data_file_error(path, _describe(exc)) from exc
