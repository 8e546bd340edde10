"""Find a gazetteer person under another spelling of the name.

News spells transliterated names many ways: "Mohammed Hussein Roble" is the gazetteer's
"Mohamed Hussein Roble", "Aleksandr" is "Alexander", "Evelyne" is "Evelyn". When NER finds
a person the gazetteer patterns missed, :func:`match_person` compares the name with every
listed person's name and aliases after reducing common given names to one spelling
(:data:`GIVEN_NAME_VARIANTS`), and also accepts one letter more, less, changed or swapped
inside the name (its first and last letters kept), as long as exactly one person matches.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from sitrep.nlp.gazetteer import normalise_alias
from sitrep.nlp.placenames import one_inner_edit

if TYPE_CHECKING:
    from sitrep.nlp.gazetteer import ActorEntry, Gazetteer

__all__ = ["GIVEN_NAME_VARIANTS", "MIN_FUZZY_NAME_LENGTH", "match_person"]

MIN_FUZZY_NAME_LENGTH = 10  # one-letter slips are only accepted in names this long

# Spellings of one given name or name part; each maps to the first of its row.
_VARIANT_ROWS = (
    "mohamed mohammed muhammad mohammad muhammed mohamad mohd mohamud mahamat",
    "ahmed ahmad ahmet",
    "abdul abdel abd abdoul",
    "abdullah abdallah abdullahi abdulla",
    "hussein husein hussain husain husayn hossein huseyin",
    "hassan hasan",
    "yusuf youssef yousef yousif yusif yousuf youssouf",
    "osman othman usman uthman ousmane",
    "omar umar oumar omer",
    "mahmoud mahmud mahmood",
    "mustafa mostafa moustafa mustapha",
    "ibrahim ebrahim ibraheem",
    "ismail ismael esmail",
    "suleiman sulaiman sulayman suleyman souleymane",
    "abubakar aboubacar abubakr",
    "khalid khaled",
    "walid waleed",
    "saeed said sayed saied",
    "alexander aleksandr alexandr oleksandr aleksander alexandre",
    "sergei sergey serhiy serhii",
    "dmitry dmitri dmitriy dmytro",
    "andrei andrey andriy andrii",
    "yevgeny evgeny yevgeniy evgeniy yevhen",
    "yuri yury yuriy yurii",
    "mikhail mykhailo",
    "nikolai nikolay mykola",
    "alexei alexey aleksei aleksey oleksiy oleksii",
    "vasily vasiliy vassily vasyl",
    "pyotr petro petr",
)
GIVEN_NAME_VARIANTS: Mapping[str, str] = MappingProxyType(
    {variant: row.split()[0] for row in _VARIANT_ROWS for variant in row.split()}
)


def _key(name: str) -> str:
    words = normalise_alias(name).replace("'", "").split()
    return " ".join(GIVEN_NAME_VARIANTS.get(w, w) for w in words)


@functools.lru_cache(maxsize=4)
def _people(gazetteer: Gazetteer) -> Mapping[str, frozenset[str]]:
    """Reduced name -> slugs of the people who bear it (as name or alias)."""
    table: dict[str, set[str]] = {}
    for slug, actor in gazetteer.actors.items():
        if actor.kind == "person":
            for text in (actor.name, *actor.aliases):
                if " " in text.strip():  # full names only, never a bare surname
                    table.setdefault(_key(text), set()).add(slug)
    return MappingProxyType({k: frozenset(v) for k, v in table.items()})


@functools.lru_cache(maxsize=4)
def _buckets(gazetteer: Gazetteer) -> Mapping[tuple[str, str], tuple[str, ...]]:
    buckets: dict[tuple[str, str], list[str]] = {}
    for key in _people(gazetteer):
        buckets.setdefault((key[0], key[-1]), []).append(key)
    return MappingProxyType({k: tuple(v) for k, v in buckets.items()})


def match_person(gazetteer: Gazetteer, name: str) -> ActorEntry | None:
    """The one listed person ``name`` spells differently, or None.

    Only names of two words or more are compared, and an unknown name close to two
    different people matches neither.
    """
    key = _key(name)
    if " " not in key:
        return None
    people = _people(gazetteer)
    slugs = people.get(key)
    if slugs is None and len(key) >= MIN_FUZZY_NAME_LENGTH:
        near = {
            slug
            for other in _buckets(gazetteer).get((key[0], key[-1]), ())
            if one_inner_edit(key, other)
            for slug in people[other]
        }
        slugs = frozenset(near)
    if not slugs or len(slugs) != 1:
        return None
    return gazetteer.actors[next(iter(slugs))]
