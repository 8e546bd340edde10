"""Documents: stored once, never overwritten, every sighting kept; listing and filters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
import sqlalchemy as sa

from sitrep.errors import StoreError
from sitrep.records import Document
from sitrep.store import Store
from sitrep.store.schema import document_sightings


def _sightings(store: Store) -> list[tuple[str, str | None, str | None]]:
    with store._engine.connect() as connection:
        query = sa.select(
            document_sightings.c.document_id, document_sightings.c.source, document_sightings.c.url
        ).order_by(document_sightings.c.id)
        return [tuple(row) for row in connection.execute(query)]


def test_store_add_document_new_then_present(
    store: Store, make_document: Callable[..., Document]
) -> None:
    doc = make_document(title="Launch", outlet="Yonhap", published="2024-01-02")
    assert not store.has_document(doc.id)
    assert store.add_document(doc) is True
    assert store.has_document(doc.id)
    assert store.add_document(doc) is False
    assert store.get_document(doc.id) == doc
    assert store.counts()["documents"] == 1


def test_store_add_document_never_overwrites(
    store: Store, make_document: Callable[..., Document]
) -> None:
    first = make_document(title="First title", outlet="Yonhap")
    again = make_document(title="Other title", outlet="KCNA", source="elsewhere.html")
    assert first.id == again.id
    store.add_document(first)
    assert store.add_document(again) is False
    assert store.get_document(first.id) == first


def test_store_add_document_keeps_every_sighting(
    store: Store, make_document: Callable[..., Document]
) -> None:
    doc = make_document(source="a.txt", url=None)
    store.add_document(doc)
    store.add_document(make_document(source="feed.xml", url="https://example.org/a"))
    store.add_document(make_document(source="a.txt", url=None))
    assert _sightings(store) == [
        (doc.id, "a.txt", None),
        (doc.id, "feed.xml", "https://example.org/a"),
        (doc.id, "a.txt", None),
    ]


def test_store_get_document_missing_is_none(store: Store) -> None:
    assert store.get_document("0" * 16) is None


def test_store_document_round_trip_keeps_every_field(store: Store) -> None:
    doc = Document.from_text(
        "Séoul: « text » with unicode — and\nnew lines.",
        title="Title ✓",
        outlet="Le Monde",
        url="https://example.org/x?y=1",
        published="2023-12-31",
        author="A. Writer",
        source="<stdin>",
        record_id="rec-7",
    )
    store.add_document(doc)
    assert store.get_document(doc.id) == doc


@pytest.fixture
def dated(store: Store, make_document: Callable[..., Document]) -> list[Document]:
    docs = [
        make_document("Third text.", outlet="Reuters", published=date(2024, 3, 1)),
        make_document("Undated text.", outlet="Blog"),
        make_document("First text.", outlet="Yonhap", published=date(2024, 1, 1)),
        make_document("Second text.", outlet="yonhap", published=date(2024, 2, 1)),
    ]
    for doc in docs:
        store.add_document(doc)
    return docs


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["First text.", "Second text.", "Third text.", "Undated text."]),
        ({"since": date(2024, 2, 1)}, ["Second text.", "Third text."]),
        ({"until": date(2024, 2, 1)}, ["First text.", "Second text."]),
        ({"since": date(2024, 1, 15), "until": date(2024, 2, 15)}, ["Second text."]),
        ({"outlet": "YONHAP"}, ["First text.", "Second text."]),
        ({"limit": 2}, ["First text.", "Second text."]),
        ({"limit": 0}, []),
        ({"outlet": "Nobody"}, []),
    ],
)
def test_store_documents_filters(
    store: Store, dated: list[Document], filters: dict[str, object], expected: list[str]
) -> None:
    assert [doc.text for doc in store.documents(**filters)] == expected  # type: ignore[arg-type]


def test_store_documents_negative_limit_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="limit"):
        store.documents(limit=-1)


def test_store_closed_store_refuses_work(store: Store) -> None:
    store.close()
    store.close()  # twice is fine
    with pytest.raises(StoreError, match="closed"):
        store.counts()
