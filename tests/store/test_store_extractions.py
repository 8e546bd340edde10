"""Extractions: stored whole in one transaction, read back as the same records."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
import sqlalchemy as sa

import sitrep
from sitrep.errors import StoreError
from sitrep.records import (
    Actor,
    Attribution,
    Document,
    Entity,
    Event,
    Evidence,
    Extraction,
    Location,
    Quantity,
    Status,
    Weapon,
)
from sitrep.store import Store, rows
from sitrep.store.schema import document_sightings, entities, event_actors, events

EXTRACTOR = "extract.events.rules.v1"
PRK = Actor("North Korea", "North Korea", "PRK", None, "PRK")
KOR = Actor("Seoul", "South Korea", "KOR", "GOV", "KORGOV")
JCS = Actor("the Joint Chiefs of Staff", "Joint Chiefs of Staff", "KOR", "MIL", "KORMIL")
EVIDENCE = Evidence("North Korea fired two ballistic missiles, Seoul said.", 0, 53)


def _table_counts(store: Store) -> dict[str, int]:
    tables = {"sightings": document_sightings, "entities": entities, "actors": event_actors}
    with store._engine.connect() as connection:
        counted = {
            name: connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for name, table in tables.items()
        }
    return {**store.counts(), **counted}


# Several shapes of Event, from the barest to every field set: each must come back equal.
SHAPES: dict[str, Event] = {
    "minimal": Event(type="AGREE", source=(), target=(), evidence=Evidence("", 0, 0)),
    "full": Event(
        type="ASSAULT",
        source=(PRK,),
        target=(KOR, Actor("Japan", "Japan", "JPN")),
        evidence=EVIDENCE,
        attribution=Attribution(
            status=Status.CONFIRMED, asserted_by=(JCS, KOR), negated=False, cue="confirmed"
        ),
        mode="missile",
        context=("military", "nuclear"),
        cameo="195",
        date=date(2024, 1, 14),
        date_text="on Sunday",
        location=Location("off the east coast", "Sea of Japan", None, 40.0, 135.25),
        quantities=(
            Quantity("two", 2.0, "missile"),
            Quantity("about 1,000 km", 1000.0, "km", "about"),
            Quantity("dozens", None),
        ),
        weapons=(
            Weapon("ballistic missiles", "ballistic missile", "missile", None),
            Weapon("Hwasong-18", "Hwasong-18", "ICBM", "PRK"),
        ),
        trigger="fired",
        extractor=EXTRACTOR,
    ),
    "negated_denied": Event(
        type="ACCUSE",
        source=(PRK,),
        target=(KOR,),
        evidence=EVIDENCE,
        attribution=Attribution(status=Status.DENIED, asserted_by=(PRK,), negated=True),
        extractor="extract.claims.llm.v2",
    ),
    "location_name_only": Event(
        type="PROTEST",
        source=(Actor("protesters", "protesters", sector="CIV"),),
        target=(),
        evidence=Evidence("Protesters gathered in Seoul.", 10, 39),
        location=Location("Seoul", "Seoul"),
        attribution=Attribution(status=Status.UNCONFIRMED),
    ),
    "empty_location_strings": Event(
        type="AID",
        source=(),
        target=(),
        evidence=EVIDENCE,
        location=Location("", ""),
    ),
    "same_actor_twice": Event(
        type="COOPERATE",
        source=(KOR, KOR),
        target=(KOR,),
        evidence=EVIDENCE,
        attribution=Attribution(status=Status.BELIEVED, asserted_by=(KOR,)),
        context=("",),
    ),
    "unicode": Event(
        type="REJECT",
        source=(Actor("Türkiye", "Türkiye", "TUR"),),
        target=(Actor("Ελλάδα", "Greece", "GRC"),),
        evidence=Evidence("Türkiye rejected Ελλάδα's «offer» 🚫.", 3, 40),
        date_text="yesterday",
        location=Location("Ankara", "Ankara", "TUR", -0.0, 32.85),
    ),
}


@pytest.mark.parametrize("name", list(SHAPES))
def test_store_event_shapes_round_trip(
    store: Store, make_document: Callable[..., Document], name: str
) -> None:
    event = SHAPES[name]
    doc = make_document(f"Text for the {name} shape.")
    assert store.add_extraction(Extraction(doc, (event,), (), EXTRACTOR)) == (True, 1)
    (stored,) = store.events()
    expected = event if event.extractor else _with_extractor(event, EXTRACTOR)
    assert stored.event == expected
    assert stored.document_id == doc.id


def _with_extractor(event: Event, extractor: str) -> Event:
    data = {field: getattr(event, field) for field in Event.__dataclass_fields__}
    return Event(**{**data, "extractor": extractor})


def test_store_extraction_round_trip(store: Store, make_document: Callable[..., Document]) -> None:
    doc = make_document(
        "North Korea fired two ballistic missiles, Seoul said.",
        title="Launch",
        outlet="Yonhap",
        published="2024-01-15",
    )
    extraction = Extraction(
        doc,
        (SHAPES["full"], SHAPES["negated_denied"], SHAPES["minimal"]),
        (
            Entity("North Korea", "GPE", 0, 11, "North Korea", "PRK", "PRK"),
            Entity("Seoul", "GPE", 42, 47),
        ),
        EXTRACTOR,
    )
    assert store.add_extraction(extraction) == (True, 3)
    assert store.get_document(doc.id) == doc
    stored = store.events(document_id=doc.id)
    # Ordered by effective date (the full shape's own date comes first), then id.
    assert [s.event for s in stored] == [
        SHAPES["full"],
        SHAPES["negated_denied"],
        _with_extractor(SHAPES["minimal"], EXTRACTOR),
    ]
    assert {(s.published, s.outlet, s.title) for s in stored} == {
        (date(2024, 1, 15), "Yonhap", "Launch")
    }
    with store._engine.connect() as connection:
        stored_entities = [
            (r.text, r.label, r.start, r.end, r.name, r.country, r.code)
            for r in connection.execute(sa.select(entities).order_by(entities.c.id))
        ]
        versions = connection.execute(sa.select(events.c.extractor_version)).scalars().all()
    assert stored_entities == [
        ("North Korea", "GPE", 0, 11, "North Korea", "PRK", "PRK"),
        ("Seoul", "GPE", 42, 47, None, None, None),
    ]
    assert set(versions) == {sitrep.__version__}


def test_store_add_extraction_is_idempotent(
    store: Store, make_document: Callable[..., Document]
) -> None:
    doc = make_document()
    extraction = Extraction(doc, (SHAPES["full"],), (Entity("Seoul", "GPE", 0, 5),), EXTRACTOR)
    assert store.add_extraction(extraction) == (True, 1)
    before = _table_counts(store)
    changed = Extraction(doc, (SHAPES["minimal"], SHAPES["unicode"]), (), "other.v9")
    assert store.add_extraction(changed) == (False, 0)
    assert store.add_extraction(extraction) == (False, 0)
    after = _table_counts(store)
    assert after == {**before, "sightings": before["sightings"] + 2}
    assert [s.event for s in store.events()] == [SHAPES["full"]]


def test_store_add_extraction_after_add_document_only_records_a_sighting(
    store: Store, make_document: Callable[..., Document]
) -> None:
    doc = make_document()
    store.add_document(doc)
    assert store.add_extraction(Extraction(doc, (SHAPES["full"],), (), EXTRACTOR)) == (False, 0)
    assert _table_counts(store)["sightings"] == 2
    assert store.events() == []


def test_store_add_extraction_rolls_back_on_error_midway(
    store: Store, make_document: Callable[..., Document], monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = make_document()
    extraction = Extraction(doc, (SHAPES["full"], SHAPES["unicode"]), (), EXTRACTOR)
    calls: list[int] = []

    def failing_weapon_rows(event_id: int, event: Event) -> list[dict[str, object]]:
        calls.append(event_id)
        if len(calls) == 2:  # the first event and its document are already written
            raise RuntimeError("disk on fire")
        return original(event_id, event)

    original = rows.weapon_rows
    monkeypatch.setattr(rows, "weapon_rows", failing_weapon_rows)
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.add_extraction(extraction)
    assert calls == [1, 2]
    assert not store.has_document(doc.id)
    assert _table_counts(store) == {
        "documents": 0,
        "events": 0,
        "actors": 0,
        "failures": 0,
        "sightings": 0,
        "entities": 0,
    }
    monkeypatch.undo()
    assert store.add_extraction(extraction) == (True, 2)


def test_store_add_extraction_rolls_back_on_failing_insert(
    store: Store, make_document: Callable[..., Document]
) -> None:
    doc = make_document()
    broken = Entity("Seoul", "GPE", None, None)  # type: ignore[arg-type]
    extraction = Extraction(doc, (SHAPES["full"],), (broken,), EXTRACTOR)
    with pytest.raises(StoreError, match="Cannot write to the store"):
        store.add_extraction(extraction)
    assert _table_counts(store) == {
        "documents": 0,
        "events": 0,
        "actors": 0,
        "failures": 0,
        "sightings": 0,
        "entities": 0,
    }
    assert store.search("Korea") == []
