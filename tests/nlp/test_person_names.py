"""Finding a gazetteer person under another spelling of the name."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import yaml

from sitrep.nlp.gazetteer import GAZETTEER_FILES, load_gazetteer
from sitrep.nlp.person_names import GIVEN_NAME_VARIANTS, match_person


@pytest.mark.parametrize(
    ("written", "listed"),
    [
        ("Muhammad Shia al-Sudani", "Mohammed Shia al-Sudani"),  # a given-name variant
        ("Abdul Fattah al-Sisi", "Abdel Fattah al-Sisi"),
        ("Hasan Sheikh Mohamud", "Hassan Sheikh Mohamud"),
        ("Laurent Gbagbo", "Laurent Gbagbo"),  # spelt as listed
        ("Laurent Gbago", "Laurent Gbagbo"),  # one letter dropped inside the name
        ("Yusuf Tugar", "Yusuf Tuggar"),
    ],
)
def test_match_person_finds_other_spellings(written: str, listed: str) -> None:
    person = match_person(load_gazetteer(), written)
    assert person is not None
    assert person.name == listed
    assert person.kind == "person"


@pytest.mark.parametrize(
    "written",
    [
        "Gbagbo",  # a bare surname is left to the gazetteer's own aliases
        "John Smith",  # nobody listed
        "Laurent Gbagboo x",  # two words away
        "Ali Khan",  # too short to accept a slip
    ],
)
def test_match_person_rejects_unknown_names(written: str) -> None:
    assert match_person(load_gazetteer(), written) is None


def test_given_name_variants_map_to_one_spelling() -> None:
    assert GIVEN_NAME_VARIANTS["muhammad"] == GIVEN_NAME_VARIANTS["mohammed"] == "mohamed"
    assert GIVEN_NAME_VARIANTS["oleksandr"] == "alexander"


def test_match_person_refuses_a_name_close_to_two_people(tmp_path: Path) -> None:
    source = resources.files("sitrep").joinpath("data", "gazetteer")
    for name in GAZETTEER_FILES:
        (tmp_path / name).write_text(source.joinpath(name).read_text("utf-8"), "utf-8")
    people = yaml.safe_load((tmp_path / "people.yaml").read_text("utf-8"))
    for name, country in (("Veronika Testorova", "CZE"), ("Veronika Testarova", "SVK")):
        people.append({"name": name, "country": country, "sector": "GOV", "kind": "person"})
    (tmp_path / "people.yaml").write_text(yaml.safe_dump(people, allow_unicode=True), "utf-8")
    gazetteer = load_gazetteer(tmp_path)
    assert match_person(gazetteer, "Veronika Testorova").country == "CZE"  # type: ignore[union-attr]
    assert match_person(gazetteer, "Veronika Testurova") is None  # one letter from both
