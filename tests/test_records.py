"""Typed records: identity, the extract contract shape, and round trips."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.records import (
    Actor,
    Attribution,
    Document,
    Event,
    Evidence,
    Location,
    Quantity,
    Status,
    Weapon,
    document_id,
)


def test_document_id_ignores_whitespace_and_quote_style() -> None:
    assert document_id("Troops  arrived\n in Kursk’s region.") == document_id(
        "Troops arrived in Kursk's region."
    )
    assert document_id("a") != document_id("b")


def test_document_from_text_parses_published() -> None:
    doc = Document.from_text("text", published="2024-11-12T08:00:00", title="T")
    assert doc.published == date(2024, 11, 12)
    assert doc.header() == {
        "id": doc.id,
        "title": "T",
        "outlet": None,
        "url": None,
        "published": "2024-11-12",
    }


def _event() -> Event:
    prk = Actor("North Korean soldiers", "North Korea (MIL)", "PRK", "MIL", "PRKMIL")
    return Event(
        type="AID",
        mode="military",
        context=("military",),
        cameo="072",
        source=(prk,),
        target=(Actor("Russia", "Russia", "RUS", None, "RUS"),),
        attribution=Attribution(
            Status.CONFIRMED, (Actor("the Pentagon", "Pentagon", "USA", "MIL", "USAMIL"),)
        ),
        date=date(2024, 10, 31),
        date_text="October 31",
        location=Location("Kursk", "Kursk Oblast", "RUS", 51.7, 36.2),
        quantities=(Quantity("over 10,000", 10000.0, "soldiers", "over"),),
        weapons=(Weapon("Hwasong-19", "Hwasong-19", "ICBM", "PRK"),),
        evidence=Evidence("Some sentence.", 10, 24),
    )


def test_event_to_dict_has_the_contract_keys() -> None:
    data = _event().to_dict()
    assert set(data) == {
        "type",
        "mode",
        "context",
        "cameo",
        "source",
        "target",
        "status",
        "asserted_by",
        "negated",
        "date",
        "date_text",
        "location",
        "quantities",
        "weapons",
        "evidence",
    }
    assert data["status"] == "confirmed"
    assert data["source"][0] == {
        "text": "North Korean soldiers",
        "name": "North Korea (MIL)",
        "country": "PRK",
        "sector": "MIL",
        "code": "PRKMIL",
    }
    assert data["weapons"][0]["class"] == "ICBM"
    assert data["date"] == "2024-10-31"


def test_event_round_trips_through_dict() -> None:
    event = _event()
    again = Event.from_dict(event.to_dict())
    assert again.to_dict() == event.to_dict()


def test_event_rejects_unknown_category() -> None:
    with pytest.raises(ValueError, match="PLOVER"):
        Event(type="FIGHT", source=(), target=(), evidence=Evidence("", 0, 0))


@pytest.mark.parametrize(
    ("actor", "key"),
    [
        (Actor("NATO", "NATO", None, "IGO", "NATO"), "NATO"),
        (Actor("Russia", "Russia", "RUS", None, "RUS"), "RUS"),
        (Actor("troops", "x", "PRK", "MIL", "PRKMIL"), "PRK"),
        (Actor("Kim", "Kim Jong Un", "PRK", "GOV", "PRKGOV"), "PRK"),
    ],
)
def test_actor_key_is_country_or_organisation(actor: Actor, key: str) -> None:
    assert actor.key == key
