"""Fixtures for the store tests: a fresh file database and records built by hand (no spaCy)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sitrep.records import (
    Actor,
    Attribution,
    Document,
    Event,
    Evidence,
    Extraction,
    Status,
)
from sitrep.store import Store, open_store

EXTRACTOR = "extract.events.rules.v1"

PRK = Actor("North Korea", "North Korea", "PRK", None, "PRK")
KOR = Actor("South Korea", "South Korea", "KOR", None, "KOR")
KIM = Actor("Kim Jong Un", "Kim Jong Un", "PRK", "GOV", "PRKGOV")
USA = Actor("the United States", "United States", "USA", None, "USA")
USAGOV = Actor("U.S. officials", "United States", "USA", "GOV", "USAGOV")
WASHINGTON = Actor("Washington", "Washington", "USA", "GOV", "USAGOV")
RED_CROSS = Actor("the Red Cross", "Red Cross")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "sitrep.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with open_store(str(db_path)) as opened:
        yield opened


@pytest.fixture
def make_document() -> Callable[..., Document]:
    def make(text: str = "North Korea fired a missile on Tuesday.", **meta: Any) -> Document:
        meta.setdefault("source", "tests/article.txt")
        return Document.from_text(text, **meta)

    return make


@pytest.fixture
def make_event() -> Callable[..., Event]:
    def make(
        type: str = "ASSAULT",
        source: tuple[Actor, ...] = (PRK,),
        target: tuple[Actor, ...] = (KOR,),
        status: Status = Status.REPORTED,
        asserted_by: tuple[Actor, ...] = (),
        **fields: Any,
    ) -> Event:
        fields.setdefault("evidence", Evidence("North Korea fired a missile.", 0, 28))
        fields.setdefault("extractor", EXTRACTOR)
        return Event(
            type=type,
            source=source,
            target=target,
            attribution=Attribution(status=status, asserted_by=asserted_by),
            **fields,
        )

    return make


@dataclass
class Corpus:
    """Three documents and five events spread over dates, outlets, actors and statuses."""

    documents: dict[str, Document]
    events: dict[str, Event]
    ids: dict[str, int]


@pytest.fixture
def corpus(
    store: Store, make_document: Callable[..., Document], make_event: Callable[..., Event]
) -> Corpus:
    yonhap = make_document(
        "North Korea fired a missile toward South Korea, U.S. officials confirmed. "
        "Kim Jong Un threatened the United States.",
        title="Missile launch",
        outlet="Yonhap",
        published=date(2024, 1, 10),
    )
    reuters = make_document(
        "Washington consulted Seoul. South Korea accused North Korea, which denied it.",
        title="Talks in Seoul",
        outlet="Reuters",
        published=date(2024, 2, 1),
    )
    undated = make_document("The Red Cross sent aid.", title="Aid", outlet="Blog")
    events = {
        "e1": make_event(
            "ASSAULT",
            (PRK,),
            (KOR,),
            Status.CONFIRMED,
            (USAGOV,),
            date=date(2024, 1, 9),
        ),
        "e2": make_event("THREATEN", (KIM,), (USA,), Status.EXPECTED),
        "e3": make_event("CONSULT", (WASHINGTON,), (KOR,), date=date(2024, 1, 20)),
        "e4": make_event("ACCUSE", (KOR,), (PRK,), Status.DENIED),
        "e5": make_event("AID", (RED_CROSS,), ()),
    }
    store.add_extraction(Extraction(yonhap, (events["e1"], events["e2"]), (), EXTRACTOR))
    store.add_extraction(Extraction(reuters, (events["e3"], events["e4"]), (), EXTRACTOR))
    store.add_extraction(Extraction(undated, (events["e5"],), (), EXTRACTOR))
    ids = {name: i + 1 for i, name in enumerate(events)}
    return Corpus(
        documents={"yonhap": yonhap, "reuters": reuters, "undated": undated},
        events=events,
        ids=ids,
    )
