"""Countries from place names inside actor names, and from misspelt country names."""

from __future__ import annotations

import pytest

from sitrep.nlp.placenames import (
    INTERNATIONAL_HEADS,
    country_named_in,
    fuzzy_country,
    one_inner_edit,
)

# --- a city or region inside a name -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Lagos State Police Command", "NGA"),  # a city and a Nigerian state
        ("Kandahar University", "AFG"),  # a city of more than 100,000
        ("University of Peshawar", "PAK"),
        ("Queensland Fire Service", "AUS"),  # a first-level region (pycountry)
        ("Borno Elders Forum", "NGA"),
        ("Kachin Baptist Convention", "MMR"),
        ("Tigray Regional Council", "ETH"),  # a region of regions.yaml
        ("Bombay Stock Exchange", "IND"),  # another name of a city of a million or more
        ("Syrian Network for Human Rights", "SYR"),  # a demonym
        ("Nigerian Kandahar Society", "NGA"),  # a country or demonym wins over a place
    ],
)
def test_country_named_in_finds_the_owner(name: str, country: str) -> None:
    assert country_named_in(name.split()) == country


@pytest.mark.parametrize(
    "name",
    [
        "Human Rights Watch",  # no place at all
        "Inter - American Press Association",  # part of a wider region, not the USA
        "Latin American Studies Association",
        "Orange Democratic Movement",  # a US city's name that is an ordinary word
        "Independence Party",
        "Lagos Karachi Friendship Society",  # two countries: no single owner
        "Punjab Farmers Union",  # a province of Pakistan and a state of India
        "reading room",  # lowercase words are never places
        "Northern Region Farmers",  # a compass point is not a place
    ],
)
def test_country_named_in_refuses_unclear_names(name: str) -> None:
    assert country_named_in(name.split()) is None


def test_country_named_in_places_only_skips_countries() -> None:
    assert country_named_in(["Japanese", "Exporters"], places_only=True) is None
    assert country_named_in(["Kachin", "Villagers"], places_only=True) == "MMR"


def test_international_heads_cover_meetings_and_groupings() -> None:
    assert {"club", "group", "talks", "accords", "process"} <= INTERNATIONAL_HEADS


# --- misspellings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "close"),
    [
        ("pakistani", "pakistanni", True),  # a letter inserted
        ("ukrainian", "ukranian", True),  # a letter dropped
        ("nigerian", "nigerain", True),  # two letters swapped
        ("israeli", "isreali", True),
        ("kabul", "kaubl", True),  # a swap is accepted from five letters
        ("kenya", "kenia", False),  # a change needs six letters or more
        ("poland", "roland", False),  # the first letter is kept
        ("france", "franck", False),  # and the last
        ("austria", "australia", False),  # two edits
        ("india", "india", False),  # identical is not a misspelling
    ],
)
def test_one_inner_edit(a: str, b: str, close: bool) -> None:
    assert one_inner_edit(a, b) is close
    assert one_inner_edit(b, a) is close


@pytest.mark.parametrize(
    ("word", "country"),
    [
        ("Pakistanni", "PAK"),
        ("Ukranian", "UKR"),
        ("Afganistan", "AFG"),
        ("Isreali", "ISR"),
        ("Phillippines", "PHL"),  # a doubled letter
        ("Kaubl", "AFG"),  # the capital, a city of a million or more
    ],
)
def test_fuzzy_country_reads_misspelt_names(word: str, country: str) -> None:
    assert fuzzy_country(word) == country


@pytest.mark.parametrize(
    "word",
    [
        "Pakistani",  # spelt right: the gazetteer's job, not a misspelling
        "Roland",
        "Franck",
        "Javanese",  # a people, one letter from "Japanese"
        "Sundanese",
        "Columbian",  # "pre-Columbian" is English
        "pakistanni",  # lowercase
        "Irak",  # too short
        "Zambiax",  # not inside the word
    ],
)
def test_fuzzy_country_leaves_real_words_alone(word: str) -> None:
    assert fuzzy_country(word) is None
