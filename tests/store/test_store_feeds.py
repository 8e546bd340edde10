"""Feed state and items: one transaction per item, validators, signatures, near duplicates."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from sitrep.errors import StoreError
from sitrep.records import Document, Event, Extraction, Failure
from sitrep.store import Store
from sitrep.store.feeds import ItemRef, NearDuplicate, Signature

EXTRACTOR = "extract.events.rules.v1"
SIG = Signature("dedup.minhash.v1", b"\x01" * 512)


def _count(store: Store, table: str) -> int:
    with store._begin() as connection:  # a test peeking at rows the API does not list
        return int(connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_feed_is_added_once(store: Store) -> None:
    first = store.feeds.feed("https://example.org/rss.xml")
    again = store.feeds.feed("https://example.org/rss.xml")
    assert first.id == again.id
    assert (first.etag, first.polled_at, first.error) == (None, None, None)
    assert [f.url for f in store.feeds.feeds()] == ["https://example.org/rss.xml"]


def test_finish_poll_saves_validators_and_clears_the_error(store: Store) -> None:
    feed = store.feeds.feed("https://example.org/rss.xml")
    store.feeds.poll_failed(feed.id, Failure(feed.url, "the server answered HTTP 503.", "E552"))
    failed = store.feeds.feed(feed.url)
    assert failed.error is not None and "HTTP 503" in failed.error
    assert failed.polled_at is not None
    assert store.failures()[0].code == "E552"
    store.feeds.finish_poll(feed.id, title="Wire", etag='"v2"', last_modified="Tue, 05 Nov")
    done = store.feeds.feed(feed.url)
    assert (done.title, done.etag, done.last_modified, done.error) == (
        "Wire",
        '"v2"',
        "Tue, 05 Nov",
        None,
    )


def test_poll_failed_keeps_the_validators(store: Store) -> None:
    feed = store.feeds.feed("https://example.org/rss.xml")
    store.feeds.finish_poll(feed.id, etag='"v1"')
    store.feeds.poll_failed(feed.id, Failure(feed.url, "timed out", "E556"))
    assert store.feeds.feed(feed.url).etag == '"v1"'


def test_record_stores_document_item_signature_and_link_together(
    store: Store, make_document: Callable[..., Document], make_event: Callable[..., Event]
) -> None:
    feed = store.feeds.feed("https://example.org/rss.xml")
    original = make_document("The navy escorted three ships out of Halvik.")
    store.add_document(original)
    doc = make_document("The navy escorted three ships out of Halvik on Monday.")
    item = ItemRef(feed.id, "guid-1", "https://example.org/1")
    near = NearDuplicate(doc.id, original.id, 0.87, "dedup.minhash.v1")
    extraction = Extraction(doc, (make_event(),), (), EXTRACTOR)
    assert store.feeds.record(extraction, item=item, signature=SIG, near=near) == (True, 1)
    assert store.feeds.items(feed.id)["guid-1"].status == "stored"
    assert store.feeds.signatures("dedup.minhash.v1") == [(doc.id, SIG.data)]
    assert store.feeds.near_duplicates(original.id) == [near]
    assert store.feeds.feeds()[0].stored == 1


def test_record_known_text_is_a_sighting_and_a_present_item(
    store: Store, make_document: Callable[..., Document]
) -> None:
    feed = store.feeds.feed("https://example.org/rss.xml")
    doc = make_document(source="https://a.example/1", url="https://a.example/1")
    store.add_document(doc)
    copy = make_document(source="https://b.example/2", url="https://b.example/2")
    assert store.feeds.record(copy, item=ItemRef(feed.id, "k", copy.url)) == (False, 0)
    assert store.feeds.items(feed.id)["k"].status == "present"
    assert _count(store, "document_sightings") == 2
    assert store.counts()["documents"] == 1


def test_record_failure_counts_attempts_until_settled(store: Store) -> None:
    feed = store.feeds.feed("https://example.org/rss.xml")
    item = ItemRef(feed.id, "k", "https://example.org/broken")
    failure = Failure(feed.url, "item at line 7: HTTP 503", "E552")
    for attempt in (1, 2, 3):
        assert store.feeds.record(failure, item=item, retry=True) == (False, 0)
        state = store.feeds.items(feed.id)["k"]
        assert (state.status, state.retry, state.attempts) == ("failed", True, attempt)
        assert state.settled(max_attempts=3) is (attempt == 3)
    assert len(store.failures()) == 3


def test_record_permanent_failure_is_settled_at_once(store: Store) -> None:
    feed = store.feeds.feed("https://example.org/rss.xml")
    item = ItemRef(feed.id, "k", None)
    store.feeds.record(Failure(feed.url, "item at line 3 has no link", "E560"), item=item)
    state = store.feeds.items(feed.id)["k"]
    assert state.settled(max_attempts=3)
    assert store.feeds.feeds()[0].failed == 1


def test_record_is_all_or_nothing(
    store: Store, make_document: Callable[..., Document], make_event: Callable[..., Event]
) -> None:
    feed = store.feeds.feed("https://example.org/rss.xml")
    doc = make_document()
    broken = NearDuplicate(doc.id, "no-such-document", 0.9, "dedup.minhash.v1")  # breaks an FK
    extraction = Extraction(doc, (make_event(),), (), EXTRACTOR)
    with pytest.raises(StoreError):
        store.feeds.record(extraction, item=ItemRef(feed.id, "k", "u"), signature=SIG, near=broken)
    assert store.counts()["documents"] == 0
    assert store.counts()["events"] == 0
    assert store.feeds.items(feed.id) == {}
    assert store.feeds.signatures("dedup.minhash.v1") == []


def test_unsigned_documents_are_signed_once(
    store: Store, make_document: Callable[..., Document]
) -> None:
    first, second = make_document("First text."), make_document("Second text.")
    store.add_document(first)
    store.add_document(second)
    unsigned = store.feeds.unsigned_documents("dedup.minhash.v1")
    assert sorted(doc_id for doc_id, _ in unsigned) == sorted([first.id, second.id])
    assert store.feeds.unsigned_documents("dedup.minhash.v1", limit=1)[0][1] == "First text."
    store.feeds.add_signatures("dedup.minhash.v1", [(first.id, b"a"), (second.id, b"b")])
    assert store.feeds.unsigned_documents("dedup.minhash.v1") == []
    assert len(store.feeds.unsigned_documents("dedup.minhash.v2")) == 2  # a new method re-signs
    store.feeds.add_signatures("dedup.minhash.v2", [(first.id, b"c")])
    assert store.feeds.signatures("dedup.minhash.v2") == [(first.id, b"c")]


def test_deleting_a_feed_document_keeps_the_item(
    store: Store, make_document: Callable[..., Document], make_event: Callable[..., Event]
) -> None:
    feed = store.feeds.feed("https://example.org/rss.xml")
    doc = make_document()
    store.feeds.record(Extraction(doc, (), (), EXTRACTOR), item=ItemRef(feed.id, "k", "u"))
    with store._begin(write=True) as connection:
        connection.execute(sa.text("DELETE FROM documents"))
    assert store.feeds.items(feed.id)["k"].status == "stored"  # seen, so not fetched again
