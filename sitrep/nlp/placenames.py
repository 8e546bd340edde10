"""Countries from place names inside actor phrases, and from misspelt country names.

Two rules the actor resolver falls back on when a phrase names no known actor or country:

* an organisation or group named after a place belongs to that place's country: "Oxford
  University" (GBR), "Santa Marta Self Defense Forces" (COL), "Rakhine Buddhists" (MMR),
  "Lagos State Police" (NGA). :func:`country_named_in` scans the capitalised words of a
  name for a city of :data:`MIN_CITY_POPULATION` or more, a first-level region of a
  country in :data:`ADMIN1_COUNTRIES`, a region of ``regions.yaml`` or a country name;
* a demonym, country or large city misspelt by one letter still names its country:
  "Kazahks" (KAZ), "Dehli police" (IND). :func:`fuzzy_country` accepts one edit *inside*
  the word (its first and last letters kept), only where exactly one country is that
  close, so that real names one letter away from a country ("Roland", "Franck") are not
  read as misspellings.

Indexes are built on first use and cached; importing this module loads nothing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from sitrep.nlp.gazetteer import load_gazetteer, normalise_alias

__all__ = [
    "ADMIN1_COUNTRIES",
    "GROUP_HEADS",
    "INTERNATIONAL_HEADS",
    "MIN_CITY_POPULATION",
    "country_named_in",
    "fuzzy_country",
    "one_inner_edit",
]

MIN_CITY_POPULATION = 100_000  # smaller towns' names are too often words or surnames
MIN_ALTERNATE_CITY_POPULATION = 1_000_000  # other names of smaller cities are too noisy
MIN_FUZZY_CITY_POPULATION = 1_000_000  # only the largest cities are matched when misspelt
MIN_FUZZY_LENGTH = 6  # one inserted, dropped or changed letter: words this long or longer
MIN_FUZZY_SWAP_LENGTH = 5  # two adjacent letters swapped ("Dehli"): a rarer accident
_MAX_NGRAM = 5

# Countries whose first-level divisions are widely named in English-language news and listed
# under English or usual Latin-script names by ISO 3166-2 (pycountry): federations and
# countries whose states or provinces are often the scene of conflict.
ADMIN1_COUNTRIES = (
    "AF", "AU", "BR", "CA", "CD", "CO", "ET", "IN", "JP", "KE", "ML", "MM", "MX", "MY",
    "NE", "NG", "PK", "SD", "SO", "SS", "TH", "US", "ZA",
)  # fmt: skip
# A first-level name that is also a city of this size in another country is left out
# ("Bari" is a Somali region but an Italian city).
_ADMIN1_CLASH_POPULATION = 300_000

# Region names that are a compass point or a common word are not read as places ("North
# West", "Plateau", "Unity" and "Lakes" are regions of South Africa, Nigeria, South Sudan);
# single-word city names that are common English words, given names or surnames are not
# either: a company "Orange" or a "Warren" is not in the US.
_COMPASS_WORDS = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western",
    "central", "centre", "center", "far", "upper", "lower", "middle", "est", "nord", "sud",
    "ouest"
})  # fmt: skip
_GENERIC_WORDS = frozenset({
    "capital", "federal", "national", "district", "territory", "region", "province",
    "state", "city", "islands", "island", "coast", "coastal", "lakes", "lake", "river",
    "rivers", "nile", "delta", "plateau", "unity", "highlands", "mountain", "littoral",
    "sahel", "cascades", "bay"
})  # fmt: skip
_NOT_PLACES = frozenset({
    "allen", "aurora", "bade", "bale", "bali", "bally", "basic", "batman", "bethlehem",
    "billings", "bimbo", "bole", "bone", "brent", "brits", "broach", "brusque", "bush",
    "caesarea", "caller", "canton", "carolina", "carrefour", "centennial", "chandler",
    "charlotte", "chico", "chin", "commonwealth", "concord", "constantine", "corona",
    "cypress", "dali", "damask", "dandy", "deli", "derby", "drug", "dual", "durham",
    "edison", "elizabeth", "enterprise", "eugene", "florence", "ganja", "george",
    "georgetown", "gilbert", "gold", "google", "hail", "hamilton", "hang", "hardscrabble",
    "hollywood", "honcho", "hub", "independence", "irving", "jackson", "judah", "kennedy",
    "kent", "koto", "lafayette", "lancaster", "lander", "leon", "lime", "limo", "lincoln",
    "lira", "livingstone", "logos", "lone", "madison", "male", "man", "mango", "mantilla",
    "mary", "masai", "medina", "meshed", "metro", "midway", "milton", "mobile",
    "montgomery", "moro", "nada", "name", "nancy", "natal", "newcastle", "newton", "nice",
    "norman", "okay", "oral", "orange", "pali", "para", "paradise", "pare", "paries",
    "pert", "pest", "pesto", "phoenix", "pristine", "providence", "reading", "regina",
    "rest", "revel", "riant", "richardson", "roan", "rouse", "ruse", "sabah", "saga",
    "sale", "salisbury", "salvador", "samba", "sana", "santiago", "santos", "serra",
    "shaping", "shevchenko", "sidney", "simmering", "solo", "soul", "sour", "souse",
    "split", "spoken", "surprise", "surrey", "tango", "tape", "ting", "torn", "tour",
    "tours", "tuba", "turn", "tyler", "valencia", "van", "vena", "vermilion", "victoria",
    "vine", "vista", "warder", "warren", "wean", "westminster", "westside", "windsor"
})  # fmt: skip
# Inside a name, a demonym after one of these is part of a wider region ("Inter-American",
# "Latin American", "Pan African"), not a country.
_WIDER_PREFIXES = frozenset({
    "inter", "pan", "latin", "north", "south", "central", "ibero", "afro", "anglo", "euro",
    "trans", "sub"
})  # fmt: skip
# Heads of names that a place names the owner of ("the Santa Marta Self Defense Forces") when
# the lexicon gives them no sector; and heads of names that join several countries ("the
# Paris Club", "the Minsk Group", "the Astana talks"), which a place does not own.
GROUP_HEADS = frozenset({
    "university", "college", "school", "academy", "institute", "hospital", "clinic",
    "foundation", "association", "union", "federation", "league", "alliance", "council",
    "assembly", "authority", "court", "party", "movement", "front", "forces", "brigade",
    "brigades", "battalion", "regiment", "militia", "guards", "corps", "command", "gang",
    "cartel", "network", "brotherhood", "organisation", "organization", "society",
    "committee", "chamber", "municipality", "territory", "services", "service", "agency",
    "administration", "government", "police", "church", "mosque", "temple", "diocese"
})  # fmt: skip
INTERNATIONAL_HEADS = frozenset({
    "club", "group", "process", "format", "convention", "conventions", "accord", "accords",
    "agreement", "pact", "treaty", "talks", "summit", "conference", "tribunal",
    "initiative", "declaration", "protocol", "statute", "forum", "dialogue", "consensus",
    "principles", "framework", "partnership", "plan", "deal", "compact"
})  # fmt: skip
_CONNECTORS = frozenset({"de", "del", "do", "da", "dos", "das", "la", "el", "al", "of", "and"})


def _clean_admin1(name: str) -> str:
    """ "Asturias, Principado de" -> "Asturias"; "Ilocos (Region I)" -> "Ilocos"."""
    name = re.sub(r"\s*[\[(].*?[\])]", "", name)
    return name.split(",")[0].strip()


@functools.lru_cache(maxsize=1)
def _named_places() -> Mapping[str, str]:
    """Normalised place name -> ISO-3 of its country, for names found inside actor names."""
    import pycountry

    from sitrep.nlp.places import _city_index, _iso2_to_iso3

    gazetteer = load_gazetteer()
    iso3 = _iso2_to_iso3()
    places: dict[str, str] = {}
    for key, cities in _city_index().items():
        city = cities[0]
        own_name = normalise_alias(city.name) == key
        if city.country and city.population >= (
            MIN_CITY_POPULATION if own_name else MIN_ALTERNATE_CITY_POPULATION
        ):
            places[key] = city.country  # other names only of the largest: "Bombay", "Kiev"
    admin1: dict[str, set[str]] = {}
    for code in ADMIN1_COUNTRIES:
        for sub in pycountry.subdivisions.get(country_code=code) or ():
            if sub.parent_code is None:
                key = normalise_alias(_clean_admin1(sub.name))
                admin1.setdefault(key, set()).add(iso3[code])
    for key, countries in admin1.items():
        if len(countries) != 1:
            continue  # "Punjab" is a province of Pakistan and a state of India
        (country,) = countries
        rival = _city_index().get(key, ())
        if any(c.country != country and c.population >= _ADMIN1_CLASH_POPULATION for c in rival):
            continue
        places[key] = country
    for region in gazetteer.regions.values():
        if region.country:
            for text in (region.name, *region.aliases):
                places[normalise_alias(text)] = region.country
    shared = {  # seas, straits and wide regions belong to no one country
        normalise_alias(text)
        for region in gazetteer.regions.values()
        if region.country is None
        for text in (region.name, *region.aliases)
    }
    usable = {}
    for key, country in places.items():
        words = key.split()
        if len(key) < 4 or key in shared or (len(words) == 1 and key in _NOT_PLACES):
            continue
        if all(w in _COMPASS_WORDS for w in words) or (len(words) == 1 and key in _GENERIC_WORDS):
            continue  # "Northern", "North West", "Plateau"; "Northern Territory" stays
        usable[key] = country
    return MappingProxyType(usable)


def _country_alias(text: str) -> str | None:
    """The country a name names outright (a country, demonym or capital), if any."""
    pattern_id = load_gazetteer().alias_id(text)
    if pattern_id and pattern_id.split(":")[0] in {"country", "demonym", "metonym"}:
        return pattern_id.partition(":")[2]
    return None


def country_named_in(words: Sequence[str], *, places_only: bool = False) -> str | None:
    """The one country named by places in ``words`` (the tokens of a name), or None.

    Scans runs of capitalised words, longest first, for a country name, demonym or capital
    (which win), else a place of :func:`_named_places`. Names of two different countries,
    or of none, give None. Lowercase words are never read as places ("reading", "mobile").
    With ``places_only``, country names and demonyms are skipped: only a city or region
    counts ("Rakhine Buddhists", but not "Japanese machine tools").
    """
    tokens = [w for w in words if w.strip() and w != "-"]
    countries: set[str] = set()
    places: set[str] = set()
    named = _named_places()
    i = 0
    while i < len(tokens):
        if not tokens[i][:1].isupper():
            i += 1
            continue
        for n in range(min(_MAX_NGRAM, len(tokens) - i), 0, -1):
            run = tokens[i : i + n]
            if not run[-1][:1].isupper() or any(
                not w[:1].isupper() and w.lower() not in _CONNECTORS for w in run
            ):
                continue
            key = normalise_alias(" ".join(run))
            country = _country_alias(" ".join(run))
            before = tokens[i - 1].lower() if i else ""
            if country is not None and places_only:
                pass  # a country or demonym: neither a place here nor a way past one
            elif country is not None and before not in _WIDER_PREFIXES:
                countries.add(country)
            elif key in named:
                places.add(named[key])
            else:
                continue
            i += n - 1
            break
        i += 1
    found = countries or places
    return next(iter(found)) if len(found) == 1 else None


# --- misspellings -------------------------------------------------------------------------

# Names of peoples and regions one inner letter from a demonym: real words, not misspellings.
_NOT_MISSPELLINGS = frozenset({
    "javanese", "sundanese", "breton", "bretons", "columbian"
})  # fmt: skip


def one_inner_edit(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by one edit that keeps the first and last letters.

    The edit is a letter inserted, dropped or changed, or two adjacent letters swapped
    (optimal string alignment distance 1). Written out rather than taken from a string
    distance library: this one comparison is all that is needed, and a dependency for it
    would have to be vetted, pinned and installed with every deployment.
    """
    if a == b or a[0] != b[0] or a[-1] != b[-1] or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return len(a) >= MIN_FUZZY_LENGTH
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
            and len(a) >= MIN_FUZZY_SWAP_LENGTH
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    if len(short) < MIN_FUZZY_LENGTH - 1 or len(long_) < MIN_FUZZY_LENGTH:
        return False
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


@functools.lru_cache(maxsize=1)
def _fuzzy_targets() -> Mapping[tuple[str, str], tuple[tuple[str, str], ...]]:
    """Single-word names that may be misspelt, bucketed by (first letter, last letter)."""
    from sitrep.nlp.places import _city_index

    gazetteer = load_gazetteer()
    names: dict[str, set[str]] = {}
    for country in gazetteer.countries.values():
        for text in (country.name, *country.aliases, *country.demonyms, *country.metonyms):
            names.setdefault(normalise_alias(text), set()).add(country.iso3)
    for key, cities in _city_index().items():
        city = cities[0]
        if city.country and city.population >= MIN_FUZZY_CITY_POPULATION:
            names.setdefault(key, set()).add(city.country)
    buckets: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for key, countries in names.items():
        if " " in key or len(key) < MIN_FUZZY_SWAP_LENGTH or len(countries) != 1:
            continue
        buckets.setdefault((key[0], key[-1]), []).append((key, next(iter(countries))))
    return MappingProxyType({k: tuple(v) for k, v in buckets.items()})


@functools.lru_cache(maxsize=4096)
def fuzzy_country(word: str) -> str | None:
    """The country a capitalised word names if it is a demonym, country or large city
    misspelt by one inner letter ("Kazahks" -> KAZ, "Dehli" -> IND); else None.

    A word that is itself a known name (any city, region, country or actor alias) is
    never a misspelling, and neither is one within one edit of two different countries.
    """
    if not word[:1].isupper() or not word.isalpha() or len(word) < MIN_FUZZY_SWAP_LENGTH:
        return None
    key = normalise_alias(word)
    if key in _NOT_MISSPELLINGS or load_gazetteer().alias_id(word) is not None:
        return None
    from sitrep.nlp.places import _city_index

    if key in _city_index() or key in _named_places():
        return None
    found = {
        country
        for name, country in _fuzzy_targets().get((key[0], key[-1]), ())
        if one_inner_edit(key, name)
    }
    return next(iter(found)) if len(found) == 1 else None
