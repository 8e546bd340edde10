"""Tests for sitrep.nlp.places: whole names resolve to locations, substrings never do."""

from __future__ import annotations

import pytest

from sitrep.nlp.places import haversine_km, resolve_place
from sitrep.records import Location


@pytest.mark.parametrize(
    ("text", "name", "country", "lat", "lon"),
    [
        ("Kursk region", "Kursk Oblast", "RUS", 51.6, 36.1),
        ("the Kursk region", "Kursk Oblast", "RUS", 51.6, 36.1),
        ("Brussels", "Brussels", "BEL", 50.85, 4.35),
        ("Pyongyang", "Pyongyang", "PRK", 39.03, 125.75),
        ("Moscow", "Moscow", "RUS", 55.75, 37.62),
        ("Kyiv", "Kyiv", "UKR", 50.45, 30.52),
        ("Kiev", "Kyiv", "UKR", 50.45, 30.52),
        ("Odessa", "Odesa", "UKR", 46.49, 30.74),
        ("Germany", "Germany", "DEU", 51.2, 10.45),
        ("North Korea", "North Korea", "PRK", 40.3, 127.5),
        ("Gaza Strip", "Gaza Strip", "PSE", 31.42, 34.36),
        ("Taiwan Strait", "Taiwan Strait", None, 24.0, 119.5),
    ],
)
def test_places_resolve_place(
    text: str, name: str, country: str | None, lat: float, lon: float
) -> None:
    place = resolve_place(text)
    assert place is not None
    assert (place.text, place.name, place.country) == (text, name, country)
    assert place.lat == pytest.approx(lat, abs=0.05)
    assert place.lon == pytest.approx(lon, abs=0.05)


@pytest.mark.parametrize("text", ["Qwertyville", "", "   ", "North", "South", "the Kremlin"])
def test_places_resolve_place_unknown(text: str) -> None:
    assert resolve_place(text) is None


def test_places_north_korea_is_never_a_subdivision() -> None:
    for text in ("North Korea", "north korea", "NORTH KOREA"):
        place = resolve_place(text)
        assert place is not None
        assert (place.name, place.country) == ("North Korea", "PRK")


@pytest.mark.parametrize("hint", ["USA", "US", "usa"])
def test_places_country_hint_picks_among_same_name(hint: str) -> None:
    place = resolve_place("Moscow", country_hint=hint)
    assert place is not None
    assert place.country == "USA"
    assert place.lon == pytest.approx(-117.0, abs=0.1)


def test_places_country_hint_does_not_invent_a_city() -> None:
    place = resolve_place("Pyongyang", country_hint="FRA")
    assert place is not None and place.country == "PRK"


def test_places_haversine_km() -> None:
    seoul, pyongyang = resolve_place("Seoul"), resolve_place("Pyongyang")
    assert seoul is not None and pyongyang is not None
    assert haversine_km(seoul, pyongyang) == pytest.approx(195, abs=5)
    assert haversine_km((0.0, 0.0), (0.0, 180.0)) == pytest.approx(20015, abs=1)
    assert haversine_km(seoul, seoul) == pytest.approx(0.0)


def test_places_haversine_km_needs_coordinates() -> None:
    with pytest.raises(ValueError, match="no coordinates"):
        haversine_km(Location(text="x", name="x"), (0.0, 0.0))
