"""Store.importing: imported events stored once, in batches, all-or-nothing per transaction."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from sitrep.records import (
    Actor,
    Attribution,
    Document,
    Event,
    Evidence,
    Failure,
    ImportedEvent,
    ImportedMention,
    Location,
    Quantity,
    Status,
)
from sitrep.store import Store
from sitrep.store import imports as store_imports
from sitrep.store.engine import create_store_engine

SOURCE = "exports/20241120.export.CSV"
OUTLET = Actor("news.example.com", "news.example.com", None, "MED", None)
RUSMIL = Actor("RUSSIAN", "Russia", "RUS", "MIL", "RUSMIL")
UKR = Actor("UKRAINE", "Ukraine", "UKR", None, "UKR")


def _document(url: str) -> Document:
    return Document.from_text(
        f"GDELT-coded article {url}", outlet="news.example.com", url=url, source=SOURCE
    )


def _item(
    external_id: str, url: str = "https://news.example.com/a", **fields: object
) -> ImportedEvent:
    event = Event(
        type=str(fields.pop("type", "ASSAULT")),
        source=(RUSMIL,),
        target=(UKR,),
        evidence=Evidence(f"GDELT event {external_id}", 0, 0),
        attribution=Attribution(status=Status.REPORTED, asserted_by=(OUTLET,)),
        mode="aerial",
        context=("military",),
        cameo="195",
        date=date(2024, 11, 5),
        date_text="20241105",
        location=Location("Kharkiv, Ukraine", "Kharkiv", "UKR", 49.98, 36.25),
        quantities=(Quantity("3 fatalities", 3.0, "fatalities"),),
        extractor="source.gdelt_events.v1",
        **fields,  # type: ignore[arg-type]
    )
    return ImportedEvent("gdelt", external_id, event, _document(url), SOURCE, int(external_id))


def _count(db_path: Path, table: str) -> int:
    engine = create_store_engine(str(db_path))
    try:
        with engine.connect() as connection:
            return int(connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


def test_store_imports_events_round_trip(store: Store) -> None:
    items = [_item("1"), _item("2", "https://news.example.com/b")]
    with store.importing("gdelt") as importer:
        for item in items:
            importer.add_event(item)
    assert importer.report.imported == 2 and importer.report.documents == 2
    stored = store.events()
    assert [s.event for s in stored] == [i.event for i in items]
    assert [s.document_id for s in stored] == [i.document.id for i in items]
    assert stored[0].event.date == date(2024, 11, 5)
    document = store.get_document(items[0].document.id)
    assert document == items[0].document
    assert store.search("GDELT-coded")  # imported documents are in the full-text index


def test_store_imports_each_external_id_once(store: Store, db_path: Path) -> None:
    with store.importing("gdelt") as importer:
        for item in (_item("1"), _item("2"), _item("1")):
            importer.add_event(item)
    assert (importer.report.imported, importer.report.already_present) == (2, 1)
    with store.importing("gdelt") as again:
        again.add_event(_item("2"))
        again.add_event(_item("3"))
    assert (again.report.imported, again.report.already_present, again.report.documents) == (
        1,
        1,
        0,
    )
    assert store.counts()["events"] == 3
    assert _count(db_path, "event_imports") == 3
    assert _count(db_path, "document_sightings") == 1  # one document, one file


def test_store_imports_same_id_from_another_dataset_is_another_event(store: Store) -> None:
    acled = _item("1")
    acled = ImportedEvent("acled", "1", acled.event, acled.document, SOURCE, 1)
    with store.importing("gdelt") as importer:
        importer.add_event(_item("1"))
    with store.importing("acled") as importer:
        importer.add_event(acled)
        with pytest.raises(ValueError, match="gdelt"):
            importer.add_event(_item("9"))
    assert store.counts()["events"] == 2


def test_store_imports_across_batches(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_imports, "BATCH_SIZE", 2)
    urls = ["https://news.example.com/a", "https://news.example.com/b"]
    with store.importing("gdelt") as importer:
        for n in range(7):
            importer.add_event(_item(str(n + 1), urls[n % 2]))
        importer.add_event(_item("3"))  # a repeat in a later batch
        importer.add_failure(Failure(SOURCE, "line 9: bad", "E602"))
    assert (importer.report.imported, importer.report.already_present) == (7, 1)
    assert importer.report.documents == 2
    assert [s.id for s in store.events()] == list(range(1, 8))
    assert _count(db_path, "document_sightings") == 2
    assert [f.reason for f in store.failures()] == ["line 9: bad"]


def test_store_imports_roll_back_whole(store: Store, db_path: Path) -> None:
    with pytest.raises(RuntimeError), store.importing("gdelt") as importer:
        importer.add_event(_item("1"))
        importer.flush()  # written, but not committed
        importer.add_failure(Failure(SOURCE, "line 2: bad", "E602"))
        raise RuntimeError("the file broke off")
    assert store.counts() == {"documents": 0, "events": 0, "actors": 0, "failures": 0}
    assert _count(db_path, "event_imports") == 0


def test_store_imports_mentions_attach_once(store: Store, db_path: Path) -> None:
    with store.importing("gdelt") as importer:
        importer.add_event(_item("1"))
        importer.add_event(_item("2"))  # same document as 1

    def mention(external_id: str, url: str) -> ImportedMention:
        seen = datetime(2024, 11, 5, 12, tzinfo=UTC)
        return ImportedMention("gdelt", external_id, url, seen, "m.CSV", 1)

    with store.importing("gdelt") as importer:
        importer.add_mention(mention("1", "https://other.example.org/x"))
        importer.add_mention(mention("2", "https://other.example.org/x"))  # same document
        importer.add_mention(mention("1", "https://news.example.com/a"))  # its own URL
        importer.add_mention(mention("404", "https://other.example.org/y"))
    report = importer.report
    assert (report.mentions, report.mentions_already_present, report.mentions_unmatched) == (
        1,
        2,
        1,
    )
    with store.importing("gdelt") as again:
        again.add_mention(mention("1", "https://other.example.org/x"))
    assert (again.report.mentions, again.report.mentions_already_present) == (0, 1)
    assert _count(db_path, "document_sightings") == 2


def test_store_imported_event_is_found_like_an_extracted_one(store: Store) -> None:
    with store.importing("gdelt") as importer:
        importer.add_event(_item("1"))
    assert [s.event.cameo for s in store.events(actor="RUS", type="ASSAULT")] == ["195"]
    assert [s.event.cameo for s in store.events(status="reported")] == ["195"]
    actors = {a.code or a.name: a for a in store.actors()}
    assert actors["news.example.com"].as_asserter == 1
    assert actors["RUSMIL"].as_source == 1


def test_store_imports_quarantine_each_bad_row_once(store: Store) -> None:
    bad = Failure(SOURCE, "line 9: bad SQLDATE '2024': not a date.", "E602")
    other = Failure("other.CSV", bad.reason, bad.code)
    for _ in range(2):
        with store.importing("gdelt") as importer:
            importer.add_failure(bad)
            importer.add_failure(bad)
            importer.add_failure(other)
    assert sorted(f.source for f in store.failures()) == [
        "exports/20241120.export.CSV",
        "other.CSV",
    ]
