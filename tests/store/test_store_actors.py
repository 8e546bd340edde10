"""Actor summaries and store counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sitrep.records import Actor, ActorSummary, Document, Event, Extraction
from sitrep.store import Store


def test_store_actors_counts_roles_and_documents(store: Store, corpus: Any) -> None:
    assert store.actors() == [
        ActorSummary("KOR", "South Korea", "KOR", None, 1, 2, 0, 2),
        ActorSummary("PRK", "North Korea", "PRK", None, 1, 1, 0, 2),
        # "United States" (asserting e1) and "Washington" (acting in e3) share a code;
        # the tie on how often each name is used goes to the first name.
        ActorSummary("USAGOV", "United States", "USA", "GOV", 1, 0, 1, 2),
        ActorSummary("PRKGOV", "Kim Jong Un", "PRK", "GOV", 1, 0, 0, 1),
        ActorSummary(None, "Red Cross", None, None, 1, 0, 0, 1),
        ActorSummary("USA", "United States", "USA", None, 0, 1, 0, 1),
    ]


def test_store_actors_limit(store: Store, corpus: Any) -> None:
    assert [a.code for a in store.actors(limit=2)] == ["KOR", "PRK"]
    assert store.actors(limit=0) == []


def test_store_actors_count_events_not_mentions(
    store: Store, make_document: Callable[..., Document], make_event: Callable[..., Event]
) -> None:
    kor = Actor("Seoul", "South Korea", "KOR", "GOV", "KORGOV")
    twice = make_event("COOPERATE", (kor, kor), (kor,), asserted_by=(kor,))
    store.add_extraction(Extraction(make_document(), (twice, twice), (), "x.v1"))
    (summary,) = store.actors()
    assert (summary.as_source, summary.as_target, summary.as_asserter) == (2, 2, 2)
    assert summary.documents == 1


def test_store_actors_most_used_name_wins(
    store: Store, make_document: Callable[..., Document], make_event: Callable[..., Event]
) -> None:
    names = ["Pyongyang", "North Korea", "Pyongyang"]
    for i, name in enumerate(names):
        actor = Actor(name, name, "PRK", None, "PRK")
        store.add_extraction(
            Extraction(
                make_document(f"Text {i}."), (make_event(source=(actor,), target=()),), (), "x.v1"
            )
        )
    assert store.actors()[0].name == "Pyongyang"


def test_store_counts(store: Store, corpus: Any) -> None:
    assert store.counts() == {"documents": 3, "events": 5, "actors": 6, "failures": 0}


def test_store_counts_empty(store: Store) -> None:
    assert store.counts() == {"documents": 0, "events": 0, "actors": 0, "failures": 0}
