"""Reading events back: every filter, the ordering, and no N+1 queries."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import event as sa_event

from sitrep.records import Status
from sitrep.store import Store

ALL = ["e1", "e2", "e3", "e4", "e5"]


def _names(corpus: Any, store: Store, **filters: object) -> list[str]:
    by_id = {event_id: name for name, event_id in corpus.ids.items()}
    return [by_id[stored.id] for stored in store.events(**filters)]  # type: ignore[arg-type]


def test_store_events_order_by_effective_date_undated_last(store: Store, corpus: Any) -> None:
    # e1 has its own date (01-09); e2 falls back to its document (01-10); e3 is 01-20;
    # e4 falls back to 02-01; e5 has no date and an undated document.
    assert _names(corpus, store) == ALL


def test_store_events_rebuild_full_records(store: Store, corpus: Any) -> None:
    stored = {s.id: s for s in store.events()}
    for name, event in corpus.events.items():
        assert stored[corpus.ids[name]].event == event
    first = stored[corpus.ids["e1"]]
    assert first.document_id == corpus.documents["yonhap"].id
    assert (first.published, first.outlet, first.title) == (
        date(2024, 1, 10),
        "Yonhap",
        "Missile launch",
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        # actor: code, country or name of a source or target actor, any case
        ({"actor": "prk"}, ["e1", "e2", "e4"]),
        ({"actor": "PRKGOV"}, ["e2"]),
        ({"actor": "kim jong un"}, ["e2"]),
        ({"actor": "Red Cross"}, ["e5"]),
        ({"actor": "usa"}, ["e2", "e3"]),
        # an asserting source is not an actor of the event: USAGOV asserts e1, acts in e3
        ({"actor": "usagov"}, ["e3"]),
        ({"actor": "nobody"}, []),
        # type: a PLOVER category, any case
        ({"type": "assault"}, ["e1"]),
        ({"type": "THREATEN"}, ["e2"]),
        ({"type": "SANCTION"}, []),
        # status: a Status or its value
        ({"status": Status.CONFIRMED}, ["e1"]),
        ({"status": "denied"}, ["e4"]),
        ({"status": "Reported"}, ["e3", "e5"]),
        # dates are inclusive and fall back to the document's published date
        ({"since": date(2024, 1, 10)}, ["e2", "e3", "e4"]),
        ({"until": date(2024, 1, 10)}, ["e1", "e2"]),
        ({"since": date(2024, 1, 10), "until": date(2024, 1, 10)}, ["e2"]),
        ({"since": datetime(2024, 1, 20, 23, 59)}, ["e3", "e4"]),
        ({"since": date(2025, 1, 1)}, []),
        # document
        ({"document_id": "missing"}, []),
        # limit keeps the order
        ({"limit": 2}, ["e1", "e2"]),
        ({"limit": 0}, []),
        # filters combine
        ({"actor": "KOR", "since": date(2024, 1, 15)}, ["e3", "e4"]),
        ({"actor": "KOR", "type": "accuse", "status": "denied"}, ["e4"]),
    ],
)
def test_store_events_filters(
    store: Store, corpus: Any, filters: dict[str, object], expected: list[str]
) -> None:
    assert _names(corpus, store, **filters) == expected


def test_store_events_filter_by_document(store: Store, corpus: Any) -> None:
    assert _names(corpus, store, document_id=corpus.documents["reuters"].id) == ["e3", "e4"]


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"type": "bombing"}, "PLOVER"),
        ({"status": "probable"}, "status"),
        ({"limit": -5}, "limit"),
    ],
)
def test_store_events_bad_filters_say_what_is_allowed(
    store: Store, filters: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        store.events(**filters)  # type: ignore[arg-type]


def test_store_events_query_count_does_not_grow_with_events(store: Store, corpus: Any) -> None:
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    sa_event.listen(store._engine, "before_cursor_execute", count)
    try:
        store.events(limit=1)
        few = len(statements)
        statements.clear()
        store.events()
        many = len(statements)
    finally:
        sa_event.remove(store._engine, "before_cursor_execute", count)
    assert few == many
    assert many <= 5  # BEGIN, events, actors, quantities, weapons
