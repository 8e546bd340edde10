"""Trigger, attribution and sector lexicons: data files in the package, validated on load."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from sitrep.data import data_file_error, read_yaml_file
from sitrep.records import PLOVER_CATEGORIES, Status

LEXICON_PACKAGE = "sitrep.data.lexicon"


class TriggerOverride(BaseModel):
    """A different coding of the same trigger under a condition (non-state actor, joint…)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str
    mode: str | None = None
    cameo: str | None = None

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in PLOVER_CATEGORIES:
            raise ValueError(f"{value!r} is not a PLOVER category")
        return value


class ObjectOverride(TriggerOverride):
    """A coding that applies when the verb's direct object is one of ``objects``."""

    objects: frozenset[str]


class TriggerEntry(BaseModel):
    """One trigger word: the PLOVER category, mode, context and CAMEO code it signals."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str
    mode: str | None = None
    context: tuple[str, ...] = ()
    cameo: str | None = None
    movement: bool = False  # theme carries the actor; destination decides the target
    target_preps: tuple[str, ...] | None = None
    needs_object: bool = False  # verb fires only with an object ("test a missile")
    needs_argument: bool = False  # noun fires only with an actor argument
    light_only: bool = False  # noun fires only as object of a light verb
    needs_target: bool = False  # fires only when a target is found ("gave Ukraine weapons")
    particle: str | None = None  # "pull out"
    particle_prep: str | None = None  # "call on"; "on|for" allows either; required
    nonstate: TriggerOverride | None = None  # protesters "blocked roads" -> PROTEST
    joint: TriggerOverride | None = None  # several countries' "exercises" -> COOPERATE
    aimed: TriggerOverride | None = None  # "fired rockets at Israel" -> ASSAULT
    or_future_clause: bool = False  # "warned that it would seal the border" also fires
    # Other readings of an ambiguous word ("launch" missiles at a city, "strike" a deal), as
    # categories or {type, mode, cameo}; the learned stage (nlp/retype.py) may pick one.
    alternatives: tuple[TriggerOverride, ...] = ()
    # A coding that the verb's object decides: "accepted a proposal" is AGREE where
    # "accepted demands" is CONCEDE ({objects: [...], type, mode, cameo}).
    by_object: tuple[ObjectOverride, ...] = ()

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in PLOVER_CATEGORIES:
            raise ValueError(f"{value!r} is not a PLOVER category")
        return value

    @field_validator("alternatives", mode="before")
    @classmethod
    def _bare_categories(cls, value: Any) -> Any:
        """``[ASSAULT]`` is short for ``[{type: ASSAULT}]``."""
        if isinstance(value, list | tuple):
            return [{"type": v} if isinstance(v, str) else v for v in value]
        return value

    @field_validator("alternatives")
    @classmethod
    def _other_categories(
        cls, value: tuple[TriggerOverride, ...], info: ValidationInfo
    ) -> tuple[TriggerOverride, ...]:
        types = [o.type for o in value]
        if info.data.get("type") in types or len(set(types)) != len(types):
            raise ValueError(f"alternatives {types} repeat a category or the entry's own type")
        return value

    @field_validator("cameo")
    @classmethod
    def _cameo_digits(cls, value: str | None) -> str | None:
        if value is not None and not (value.isdigit() and 2 <= len(value) <= 4):
            raise ValueError(f"CAMEO code {value!r} must be 2-4 digits")
        return value


class Reversals(BaseModel):
    model_config = ConfigDict(extra="forbid")

    verbs: frozenset[str]
    types: dict[str, TriggerOverride]


class Intent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cooperative: frozenset[str]
    conflictual: frozenset[str]
    conditional_markers: frozenset[str]
    declaring_words: frozenset[str]


class Obligation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    modals: frozenset[str]
    entry: TriggerEntry


class Verdicts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    verbs: frozenset[str]
    accuse: frozenset[str]
    support: frozenset[str]
    reject: frozenset[str] = frozenset()  # "declared the deal null and void"
    threaten: frozenset[str] = frozenset()  # "what Beijing called a stern warning"


class Punitive(BaseModel):
    """Speech verbs that, promising someone punishment, make a THREATEN against them."""

    model_config = ConfigDict(extra="forbid")

    speech: frozenset[str]
    words: frozenset[str]


class TriggerFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    verbs: dict[str, TriggerEntry]
    nouns: dict[str, TriggerEntry]
    light_verbs: frozenset[str] = Field(default_factory=frozenset)
    context_words: dict[str, list[str]] = Field(default_factory=dict)
    reversals: Reversals
    suppressions: Reversals | None = None
    complaints: Reversals | None = None
    intent: Intent
    obligation: Obligation
    irregular_forms: dict[str, list[str]] = Field(default_factory=dict)
    verdicts: Verdicts | None = None
    punitive: Punitive | None = None


StatusName = Status


class AttributionFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reporting_verbs: dict[str, StatusName]
    cue_nouns: dict[str, StatusName]
    raising_participles: dict[str, StatusName]
    future_verbs: frozenset[str]
    modals: dict[str, StatusName]
    adverbs: dict[str, StatusName]
    unconfirmed_governors: frozenset[str]
    verification_verbs: frozenset[str]
    according_preps: frozenset[str]
    allegation_verbs: frozenset[str] = frozenset()


SECTOR_CODES = frozenset(
    {
        "GOV",
        "MIL",
        "SPY",
        "LEG",
        "JUD",
        "COP",
        "REB",
        "OPP",
        "PTY",
        "MED",
        "BUS",
        "NGO",
        "CVL",
        "IGO",
        "EDU",
        "CRM",
        "INS",
    }
)


class SectorFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sectors: dict[str, list[str]]
    vague_heads: frozenset[str]

    @field_validator("sectors")
    @classmethod
    def _known_sectors(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = set(value) - SECTOR_CODES
        if unknown:
            raise ValueError(
                f"unknown sector codes {sorted(unknown)}; known: {sorted(SECTOR_CODES)}"
            )
        seen: dict[str, str] = {}
        for sector, words in value.items():
            for word in words:
                if seen.get(word, sector) != sector:
                    raise ValueError(f"{word!r} is listed under both {seen[word]} and {sector}")
                seen[word] = sector
        return value


@dataclass(frozen=True)
class Lexicon:
    """Everything the rule extractor looks words up in."""

    triggers: TriggerFile
    attribution: AttributionFile
    sectors: SectorFile

    sector_index: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        index = {w: s for s, words in self.sectors.sectors.items() for w in words}
        object.__setattr__(self, "sector_index", index)

    def sector_of(self, phrase: str) -> str | None:
        """Sector of a generic noun or title ("soldier", "foreign minister")."""
        return self.sector_index.get(phrase.lower())


def _read(name: str, model: type[BaseModel], directory: Path | None) -> Any:
    root = directory if directory else resources.files(LEXICON_PACKAGE)
    path, data = read_yaml_file(root, name)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise data_file_error(path, str(exc).replace("\n", " ")) from exc


def load_lexicon(directory: Path | None = None) -> Lexicon:
    """Load and validate the lexicons (from the package unless ``directory`` is given)."""
    if directory is None:
        return _packaged_lexicon()
    return _build(directory)


@lru_cache(maxsize=1)
def _packaged_lexicon() -> Lexicon:
    return _build(None)


def _build(directory: Path | None) -> Lexicon:
    return Lexicon(
        triggers=_read("triggers.yaml", TriggerFile, directory),
        attribution=_read("attribution.yaml", AttributionFile, directory),
        sectors=_read("sectors.yaml", SectorFile, directory),
    )
