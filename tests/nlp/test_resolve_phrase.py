"""Resolving a bare actor phrase with the extractor's own resolver (loads the model)."""

from __future__ import annotations

import pytest

from sitrep.api import get_extractor
from sitrep.nlp.resolve_phrase import resolve_phrase


@pytest.mark.parametrize(
    ("phrase", "country", "code"),
    [
        ("a US destroyer", "USA", None),
        ("Russia's ambassador to Poland", "RUS", None),
        ("NATO", None, "NATO"),
        ("the Kremlin", "RUS", "RUSGOV"),
        ("Mariupol", "UKR", None),  # a place named alone stands for its country
        ("Lagos State Police", "NGA", "NGACOP"),  # a body named after a place
        ("Kandahar University", "AFG", None),
        ("Kachin Christians", "MMR", None),  # people named after a region
        ("Pakistanni soldiers", "PAK", "PAKMIL"),  # a misspelt demonym
        ("Afganistan", "AFG", None),  # a misspelt country named alone
        ("Muhammad Shia al-Sudani", "IRQ", "IRQGOV"),  # another spelling of a listed person
        ("Rex Tillerson", "USA", "USAGOV"),  # people.yaml
        ("the DEA", "USA", "USACOP"),  # agencies.yaml
        ("the Minsk Group", None, "OSCE"),  # named after a city, but international
    ],
)
def test_resolve_phrase_finds_country_or_organisation(
    phrase: str, country: str | None, code: str | None
) -> None:
    actors = resolve_phrase(get_extractor(), phrase)
    assert actors, phrase
    assert actors[0].country == country
    if code is not None:
        assert actors[0].code == code


@pytest.mark.parametrize("phrase", ["", "   ", "a cat", "puppies", "Roland", "Warren Buffett"])
def test_resolve_phrase_names_nothing(phrase: str) -> None:
    assert resolve_phrase(get_extractor(), phrase) == []
