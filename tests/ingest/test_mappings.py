"""The coding tables: packaged files load, and a wrong entry is refused naming file and entry."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest

from sitrep.errors import DataFileError
from sitrep.ingest.mappings import (
    load_acled_table,
    load_actor_codes,
    load_cameo_table,
    load_fips_table,
)
from sitrep.nlp.gazetteer import ActorEntry, load_gazetteer
from sitrep.records import PLOVER_CATEGORIES

PACKAGED = Path(str(resources.files("sitrep") / "data" / "mappings"))


def test_mappings_cameo_covers_every_root_and_every_plover_category() -> None:
    table = load_cameo_table()
    assert {f"{n:02d}" for n in range(1, 21)} <= set(table.codes)
    assert {m.type for m in table.codes.values()} - {None} == set(PLOVER_CATEGORIES)


@pytest.mark.parametrize(
    ("code", "plover", "mode", "context"),
    [
        ("010", None, None, ()),
        ("0256", None, None, ()),
        ("036", "AGREE", None, ("diplomatic",)),
        ("042", "CONSULT", "visit", ()),
        ("057", "SUPPORT", None, ("diplomatic",)),  # PLOVER: signing is SUPPORT
        ("0841", "RETREAT", "release", ()),
        ("083", "CONCEDE", None, ("political",)),
        ("091", "ACCUSE", "investigate", ("legal",)),
        ("1053", "REQUEST", None, ()),
        ("116", "ACCUSE", None, ("legal",)),
        ("129", "REJECT", "yield", ("diplomatic",)),
        ("1384", "THREATEN", "military", ("military",)),
        ("145", "PROTEST", "riot", ()),
        ("151", "MOBILIZE", "alert", ()),
        ("166", "SANCTION", "expel", ()),
        ("1712", "COERCE", "seize", ()),
        ("191", "COERCE", "restrict", ("military",)),
        ("1952", "ASSAULT", "aerial", ("military",)),
        ("201", "COERCE", "deport", ()),
        ("2042", "ASSAULT", "wmd", ("military",)),
    ],
)
def test_mappings_cameo_codes_inherit_from_their_parents(
    code: str, plover: str | None, mode: str | None, context: tuple[str, ...]
) -> None:
    mapping = load_cameo_table().get(code)
    assert mapping is not None
    assert (mapping.type, mapping.mode, mapping.context) == (plover, mode, context)


@pytest.mark.parametrize("code", ["21", "099", "1955", "", "abc"])
def test_mappings_cameo_unknown_codes_are_none(code: str) -> None:
    assert load_cameo_table().get(code) is None


@pytest.mark.parametrize(
    ("fips", "iso3"),
    [("RS", "RUS"), ("KN", "PRK"), ("KS", "KOR"), ("UP", "UKR"), ("NO", "NOR"), ("GZ", "PSE")],
)
def test_mappings_fips_to_iso3(fips: str, iso3: str) -> None:
    assert load_fips_table().iso3(fips) == iso3


def test_mappings_fips_places_without_a_country() -> None:
    fips = load_fips_table()
    assert fips.iso3("OS") is None and fips.codes["OS"][1] == "Oceans"
    assert fips.iso3("ZZ") is None


def test_mappings_known_groups_use_the_gazetteer_keys() -> None:
    gazetteer = load_gazetteer()
    checked = 0
    for group in load_actor_codes().groups.values():
        entry = gazetteer.resolve_alias(group.name)
        if isinstance(entry, ActorEntry):
            assert (entry.code, entry.sector) == (group.code, group.sector), group
            checked += 1
    assert checked >= 20


def test_mappings_acled_types() -> None:
    table = load_acled_table()
    assert table.get("Battles", "Armed clash").type == "ASSAULT"  # type: ignore[union-attr]
    assert table.get("riots", "MOB VIOLENCE").mode == "riot"  # type: ignore[union-attr]
    assert table.get("Strategic developments", "Other").type is None  # type: ignore[union-attr]
    assert table.get("Battles", "Dance-off") is None
    assert table.prefixes[0][0] == "Private Security Forces of"  # longest first


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "mappings"
    shutil.copytree(PACKAGED, folder)
    return folder


@pytest.mark.parametrize(
    ("filename", "old", "new", "loader", "message"),
    [
        ("cameo_plover.yaml", 'type: AID}', "type: HELP}", load_cameo_table, "PLOVER"),
        ("cameo_plover.yaml", "mode: phone}", "mode: fax}", load_cameo_table, "'fax'"),
        ("cameo_plover.yaml", '  "04": {name: Consult, type: CONSULT}\n', "", load_cameo_table,
         "parent"),
        ("cameo_plover.yaml", "context: [legal]}", "context: [legel]}", load_cameo_table,
         "legel"),
        ("fips_iso3.yaml", "iso3: RUS", "iso3: RUX", load_fips_table, "RUX"),
        ("cameo_actor_types.yaml", "COP: COP ", "COP: CAP ", load_actor_codes, "CAP"),
        ("cameo_actor_types.yaml", "ROM: ROU", "ROM: ROX", load_actor_codes, "ROX"),
        ("acled_plover.yaml", "mode: aerial", "mode: airy", load_acled_table, "airy"),
        ("acled_plover.yaml", 'cameo: "194"', 'cameo: "199"', load_acled_table, "199"),
    ],
)  # fmt: skip
def test_mappings_bad_entries_are_refused(
    filename: str, old: str, new: str, loader: object, message: str, tmp_path: Path
) -> None:
    folder = _copy(tmp_path)
    path = folder / filename
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"E301") as caught:
        loader(str(folder))  # type: ignore[operator]
    assert filename in str(caught.value) and message in str(caught.value)


def test_mappings_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="file not found"):
        load_fips_table(str(tmp_path))
