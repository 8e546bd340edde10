"""Gazetteers of countries, actors, weapon systems and regions, validated when loaded.

The data lives in ``sitrep/data/gazetteer/*.yaml`` so it can be reviewed and extended
without touching code. Each file is checked entry by entry with pydantic; any problem
(an unknown key, a bad ISO-3 code or sector, coordinates out of range, one alias used for
two different things) raises :class:`~sitrep.errors.DataFileError` naming the file and the
entry, because a silently wrong alias would mis-code every event that mentions it.

Importing this module loads nothing: :func:`load_gazetteer` reads the files on first use
and caches the result, and spaCy is imported only when patterns are built without a
tokenizer.

Pattern ids, shared by :meth:`Gazetteer.ruler_patterns`, :meth:`Gazetteer.entry` and
:meth:`Gazetteer.alias_id`::

    country:PRK    GPE     a country's name or alias      ("North Korea", "DPRK")
    demonym:PRK    NORP    its demonyms                   ("North Korean")
    metonym:PRK    GPE     names used for its government  ("Pyongyang", "the Kremlin")
    actor:<slug>   ORG     a body, force, agency, IGO, party, armed group or outlet
                   PERSON  a person
    weapon:<slug>  WEAPON  a weapon system                ("Hwasong-19")
    region:<slug>  LOC     a region, sea, strait, town    ("Kursk Oblast")
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from sitrep.data import data_file_error, read_yaml_file
from sitrep.nlp.gazetteer_models import (
    EXTRA_ISO2_TO_ISO3,
    EXTRA_ISO3,
    SECTORS,
    ActorModel,
    CountryModel,
    RegionModel,
    WeaponModel,
    _Model,
    known_iso3,
)
from sitrep.records import Actor, Location, Weapon

__all__ = [
    "ACTOR_FILES",
    "EXTRA_ISO2_TO_ISO3",
    "EXTRA_ISO3",
    "GAZETTEER_FILES",
    "SECTORS",
    "ActorEntry",
    "CountryEntry",
    "Entry",
    "Gazetteer",
    "RegionEntry",
    "WeaponEntry",
    "add_entity_ruler",
    "known_iso3",
    "load_gazetteer",
    "normalise_alias",
    "slugify",
]

# Actors are split across files by kind of entry; they share one id space and one alias
# table, so a person and a body may not take the same name or alias in different files.
ACTOR_FILES = ("actors.yaml", "agencies.yaml", "people.yaml")
GAZETTEER_FILES = ("countries.yaml", *ACTOR_FILES, "weapons.yaml", "regions.yaml")

_ACRONYM_MAX_LETTERS = 3  # all-caps aliases this short match case-sensitively ("US" ≠ "us")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_SPACE = re.compile(r"\s+")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"'s$|(?<=s)'$")
_LETTER_DIGIT_HYPHEN = re.compile(r"(?<=[A-Za-z])-(?=\d)")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise_alias(text: str) -> str:
    """The lookup key for an alias: accents, case, dots, hyphens and a leading 'the' ignored.

    Used both to detect duplicates in the data and to resolve plain strings, so that
    "U.S." and "US", "Kim Jong-un" and "Kim Jong Un", "Élysée" and "Elysee" meet.
    """
    text = _strip_accents(unicodedata.normalize("NFKC", text)).translate(_APOSTROPHES)
    text = text.replace(".", "").replace("-", " ")
    text = _SPACE.sub(" ", text).strip().casefold()
    return _LEADING_THE.sub("", text)


def _acronym_key(text: str) -> str:
    return text.replace(".", "").replace(" ", "")


def _is_short_acronym(alias: str) -> bool:
    letters = [ch for ch in alias if ch.isalpha()]
    return alias.isupper() and 0 < len(letters) <= _ACRONYM_MAX_LETTERS and " " not in alias


def slugify(name: str) -> str:
    """A stable id from a canonical name: "Korean People's Army" → "korean-peoples-army"."""
    plain = _strip_accents(name).translate(_APOSTROPHES).replace("'", "").replace(".", "")
    return _NON_SLUG.sub("-", plain.casefold()).strip("-")


@dataclass(frozen=True, slots=True)
class CountryEntry:
    """A country: names, demonyms, government metonyms and a centroid."""

    iso3: str
    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    capital: str | None
    metonyms: tuple[str, ...]
    lat: float
    lon: float

    @property
    def id(self) -> str:
        return f"country:{self.iso3}"

    def location(self, text: str) -> Location:
        """The country as a place (its centroid)."""
        return Location(text=text, name=self.name, country=self.iso3, lat=self.lat, lon=self.lon)

    def actor(self, text: str, sector: str | None = None) -> Actor:
        """The country as an actor; a metonym ("the Kremlin") means sector GOV."""
        code = self.iso3 + (sector or "")
        return Actor(text=text, name=self.name, country=self.iso3, sector=sector, code=code)


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """A named body or person with its CAMEO-style country, sector and code."""

    slug: str
    name: str
    aliases: tuple[str, ...]
    country: str | None
    sector: str
    code: str | None
    kind: str
    title: str | None = None

    @property
    def id(self) -> str:
        return f"actor:{self.slug}"

    def actor(self, text: str) -> Actor:
        return Actor(
            text=text, name=self.name, country=self.country, sector=self.sector, code=self.code
        )


@dataclass(frozen=True, slots=True)
class WeaponEntry:
    """A weapon system with its class, country of origin and public range figure."""

    slug: str
    name: str
    aliases: tuple[str, ...]
    weapon_class: str
    country: str | None
    range_km: float | None

    @property
    def id(self) -> str:
        return f"weapon:{self.slug}"

    def weapon(self, text: str) -> Weapon:
        return Weapon(
            text=text, name=self.name, weapon_class=self.weapon_class, country=self.country
        )


@dataclass(frozen=True, slots=True)
class RegionEntry:
    """A region, town, sea or disputed area that city lists cover badly."""

    slug: str
    name: str
    aliases: tuple[str, ...]
    country: str | None
    kind: str
    lat: float
    lon: float

    @property
    def id(self) -> str:
        return f"region:{self.slug}"

    def location(self, text: str) -> Location:
        return Location(text=text, name=self.name, country=self.country, lat=self.lat, lon=self.lon)


Entry = CountryEntry | ActorEntry | WeaponEntry | RegionEntry


@dataclass(frozen=True, slots=True)
class _Form:
    """One surface form: the text, the pattern id it yields and the label it gets."""

    text: str
    pattern_id: str
    label: str


@dataclass(frozen=True, eq=False)
class Gazetteer:
    """All the gazetteers with lookups by id and by alias. Build with :func:`load_gazetteer`."""

    countries: Mapping[str, CountryEntry]
    actors: Mapping[str, ActorEntry]
    weapons: Mapping[str, WeaponEntry]
    regions: Mapping[str, RegionEntry]
    forms: tuple[_Form, ...]
    _by_alias: Mapping[str, str]
    _by_acronym: Mapping[str, str]

    def entry(self, pattern_id: str) -> Entry | None:
        """The entry behind a pattern id ("metonym:RUS", "actor:cia"); None if unknown."""
        prefix, _, key = pattern_id.partition(":")
        table: Mapping[str, Entry] = {
            "country": self.countries,
            "demonym": self.countries,
            "metonym": self.countries,
            "actor": self.actors,
            "weapon": self.weapons,
            "region": self.regions,
        }.get(prefix, {})
        return table.get(key)

    def alias_id(self, text: str) -> str | None:
        """The pattern id a plain string resolves to, or None.

        Case-insensitive and tolerant of a leading "the", curly apostrophes, dots and
        hyphens; a trailing possessive is dropped if the full text is unknown. Short
        all-caps acronyms ("US", "UN") must be written in capitals, so "us" is not the USA.
        """
        text = text.strip()
        if not text:
            return None
        for candidate in (text, _POSSESSIVE.sub("", text.translate(_APOSTROPHES))):
            exact = self._by_acronym.get(_acronym_key(_LEADING_THE.sub("", candidate)))
            if exact is not None:
                return exact
            found = self._by_alias.get(normalise_alias(candidate))
            if found is not None:
                return found
        return None

    def resolve_alias(self, text: str) -> Entry | None:
        """The entry a plain string names ("the Pentagon" → the US Department of Defense)."""
        pattern_id = self.alias_id(text)
        return None if pattern_id is None else self.entry(pattern_id)

    def ruler_patterns(
        self, tokenizer: Callable[[str], Iterable[Any]] | None = None
    ) -> list[dict[str, Any]]:
        """EntityRuler token patterns for every surface form, each with its id.

        Aliases are split with ``tokenizer`` (default: a blank English tokenizer, which
        matches the packaged pipelines) so patterns respect tokenization; a possessive
        "'s" is its own token and is never part of a match. Matching is case-insensitive
        (``LOWER``) with two guards against common words: short all-caps acronyms match
        exactly (``ORTH``: "US" but not "us"), and a one-word name does not match when
        written all in lowercase ("Turkey" but not "turkey"). Forms starting with "the"
        also match without it; weapon names also match in the plural ("F-16s").
        """
        tokenize = tokenizer if tokenizer is not None else _blank_tokenizer()
        seen: set[str] = set()
        patterns: list[dict[str, Any]] = []
        for form in self.forms:
            plural = form.label == "WEAPON"
            for variant in _variants(form.text, weapon=plural):
                tokens = [t.text for t in tokenize(variant)]
                if not tokens:
                    continue
                pattern = _token_pattern(tokens, plural=plural)
                key = json.dumps([form.label, form.pattern_id, pattern], sort_keys=True)
                if key not in seen:
                    seen.add(key)
                    patterns.append(
                        {"label": form.label, "pattern": pattern, "id": form.pattern_id}
                    )
        return patterns


def _variants(alias: str, *, weapon: bool) -> list[str]:
    """Surface variants of one alias: without a leading "the", curly apostrophes, spaced hyphens."""
    out = [alias]
    bare = _LEADING_THE.sub("", alias)
    if bare != alias and bare:
        out.append(bare)
    if weapon:
        out += [_LETTER_DIGIT_HYPHEN.sub(" ", v) for v in out if _LETTER_DIGIT_HYPHEN.search(v)]
    out += [v.replace("'", "\u2019") for v in out if "'" in v]
    return list(dict.fromkeys(out))


def _forms_of(token: str) -> list[str]:
    """A token as written, or with both straight and curly apostrophes."""
    plain = token.replace("\u2019", "'")
    return [plain, plain.replace("'", "\u2019")] if "'" in plain else [token]


def _token_pattern(tokens: list[str], *, plural: bool) -> list[dict[str, Any]]:
    content = [t for t in tokens if t.lower() != "the"]
    single = len(content) == 1
    pattern: list[dict[str, Any]] = []
    for i, token in enumerate(tokens):
        forms = _forms_of(token)
        if plural and i == len(tokens) - 1 and token[-1:].isalnum() and token[-1:] not in "sS":
            forms += [f + "s" for f in forms]
        spec: dict[str, Any]
        if _is_short_acronym(token) or (single and len(token) <= 2 and not token.islower()):
            spec = {"ORTH": _one_or_in(forms)}  # "US" and "Xi" as written, never "us" or "XI"
        elif token.isupper() and any(ch.isalpha() for ch in token):
            # A longer acronym also matches Title case, as some outlets write "Nato".
            spec = {"ORTH": _one_or_in(forms + [f[:1] + f[1:].lower() for f in forms])}
        else:
            spec = {"LOWER": _one_or_in([f.lower() for f in forms])}
            if single and token.lower() != "the" and any(ch.isupper() for ch in token):
                spec["IS_LOWER"] = False
        pattern.append(spec)
    return pattern


def _one_or_in(values: list[str]) -> str | dict[str, list[str]]:
    unique = list(dict.fromkeys(values))
    return unique[0] if len(unique) == 1 else {"IN": unique}


@functools.lru_cache(maxsize=1)
def _blank_tokenizer() -> Callable[[str], Iterable[Any]]:
    import spacy

    return spacy.blank("en").tokenizer  # type: ignore[no-any-return]


def add_entity_ruler(
    nlp: Any,
    gazetteer: Gazetteer | None = None,
    *,
    before: str = "ner",
    name: str = "sitrep_gazetteer",
) -> Any:
    """Add an EntityRuler with the gazetteer patterns before ``before`` (or last); return it.

    Placed before "ner", the statistical model keeps the ruler's entities and labels
    the rest of the text around them.
    """
    gaz = gazetteer if gazetteer is not None else load_gazetteer()
    where = {"before": before} if before in nlp.pipe_names else {}
    ruler = nlp.add_pipe("entity_ruler", name=name, config={"validate": True}, **where)
    ruler.add_patterns(gaz.ruler_patterns(nlp.tokenizer))
    return ruler


_M = TypeVar("_M", bound=BaseModel)


def _entry_label(raw: Any, index: int) -> str:
    name = (raw.get("name") or raw.get("iso3")) if isinstance(raw, dict) else None
    return f"entry {index} ({name!r})" if name else f"entry {index}"


def _describe(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'entry'}: {e['msg']}" for e in exc.errors())


def _read_models(root: Traversable | Path, filename: str, model: type[_M]) -> list[_M]:
    path, raw = read_yaml_file(root, filename)
    if not isinstance(raw, list):
        raise data_file_error(path, "the top level must be a list of entries")
    models = []
    for index, item in enumerate(raw, start=1):
        label = _entry_label(item, index)
        if not isinstance(item, dict):
            raise data_file_error(path, f"{label} is not a mapping")
        try:
            models.append(model.model_validate(item))
        except ValidationError as exc:
            raise data_file_error(path, f"{label}: {_describe(exc)}") from exc
    return models


class _Index:
    """Collects surface forms and refuses one alias meaning two different things."""

    def __init__(self) -> None:
        self.forms: list[_Form] = []
        self.by_alias: dict[str, str] = {}
        self.by_acronym: dict[str, str] = {}
        self._owner: dict[str, tuple[str, str, str]] = {}  # key → (id, file, entry name)

    def add(self, path: str, entry_name: str, text: str, pattern_id: str, label: str) -> None:
        key = normalise_alias(text)
        if not key:
            raise data_file_error(path, f"entry {entry_name!r}: alias {text!r} is empty")
        owner = self._owner.get(key)
        if owner is not None and owner[0] != pattern_id:
            raise data_file_error(
                path,
                f"entry {entry_name!r}: alias {text!r} is already used by {owner[2]!r} "
                f"({owner[1]}, {owner[0]}); an alias must name one thing",
            )
        self._owner[key] = (pattern_id, Path(path).name, entry_name)
        self.forms.append(_Form(text, pattern_id, label))
        if _is_short_acronym(text):
            self.by_acronym[_acronym_key(text)] = pattern_id
        else:
            self.by_alias[key] = pattern_id


def _slugged(
    path: str, models: Iterable[_Model], seen: dict[str, tuple[str, str]]
) -> Iterator[tuple[str, Any]]:
    """Each model with its slug; two names giving the same slug (in any file read into the
    same ``seen``) are an error."""
    for model in models:
        slug = slugify(model.name)
        if not slug or slug in seen:
            why = "is empty"
            if slug:
                other, where = seen[slug]
                why = f"clashes with entry {other!r}" + ("" if where == path else f" ({where})")
            raise data_file_error(path, f"entry {model.name!r}: its id {slug!r} {why}")
        seen[slug] = (model.name, path)
        yield slug, model


def _load_countries(root: Traversable | Path, index: _Index) -> dict[str, CountryEntry]:
    path, countries = str(root / "countries.yaml"), {}
    for c in _read_models(root, "countries.yaml", CountryModel):
        if c.iso3 in countries:
            raise data_file_error(path, f"entry {c.name!r}: ISO-3 code {c.iso3} is listed twice")
        fields = c.model_dump()
        fields.update({k: tuple(fields[k]) for k in ("aliases", "demonyms", "metonyms")})
        countries[c.iso3] = CountryEntry(**fields)
        for role, label, texts in (
            ("country", "GPE", (c.name, *c.aliases)),
            ("demonym", "NORP", c.demonyms),
            ("metonym", "GPE", c.metonyms),
        ):
            for text in texts:
                index.add(path, c.name, text, f"{role}:{c.iso3}", label)
    return countries


def _load_slugged(
    root: Traversable | Path,
    index: _Index,
    filenames: tuple[str, ...],
    model: type[_M],
    build: Callable[[str, _M], ActorEntry | WeaponEntry | RegionEntry],
) -> dict[str, Any]:
    """Entries of actors, weapons or regions by slug, their forms added to ``index``.

    Several files (the actor files) fill one table: ids must be unique across them.
    """
    table: dict[str, Any] = {}
    seen: dict[str, tuple[str, str]] = {}
    for filename in filenames:
        path = str(root / filename)
        for slug, item in _slugged(path, _read_models(root, filename, model), seen):
            entry = table[slug] = build(slug, item)
            kind = entry.id.split(":")[0]
            label = {"actor": "ORG", "weapon": "WEAPON", "region": "LOC"}[kind]
            if isinstance(entry, ActorEntry) and entry.kind == "person":
                label = "PERSON"
            for text in (entry.name, *entry.aliases):
                index.add(path, entry.name, text, entry.id, label)
    return table


def _actor(slug: str, a: ActorModel) -> ActorEntry:
    code = a.code or (f"{a.country}{a.sector}" if a.country else None)
    return ActorEntry(slug, a.name, tuple(a.aliases), a.country, a.sector, code, a.kind, a.title)


def _weapon(slug: str, w: WeaponModel) -> WeaponEntry:
    return WeaponEntry(slug, w.name, tuple(w.aliases), w.weapon_class, w.country, w.range_km)


def _region(slug: str, r: RegionModel) -> RegionEntry:
    return RegionEntry(slug, r.name, tuple(r.aliases), r.country, r.kind, r.lat, r.lon)


@functools.lru_cache(maxsize=8)
def load_gazetteer(directory: str | Path | None = None) -> Gazetteer:
    """Read and validate the gazetteer files, :data:`GAZETTEER_FILES` (cached per directory).

    ``directory`` defaults to the packaged ``sitrep/data/gazetteer``; tests pass another
    folder holding the same files. Raises DataFileError (E301) on any invalid entry.
    """
    root: Traversable | Path = (
        resources.files("sitrep") / "data" / "gazetteer" if directory is None else Path(directory)
    )
    index = _Index()
    countries = _load_countries(root, index)
    actors = _load_slugged(root, index, ACTOR_FILES, ActorModel, _actor)
    weapons = _load_slugged(root, index, ("weapons.yaml",), WeaponModel, _weapon)
    regions = _load_slugged(root, index, ("regions.yaml",), RegionModel, _region)
    return Gazetteer(
        countries=MappingProxyType(countries),
        actors=MappingProxyType(actors),
        weapons=MappingProxyType(weapons),
        regions=MappingProxyType(regions),
        forms=tuple(index.forms),
        _by_alias=MappingProxyType(index.by_alias),
        _by_acronym=MappingProxyType(index.by_acronym),
    )
