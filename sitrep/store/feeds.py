"""Feed state, feed items, document signatures and near-duplicate links.

Reached through ``Store.feeds``. The point of this module is ``FeedStore.record``: an item's
outcome (its document with events, a sighting of a known text, or a failure), the item's
status, the document's signature and its near-duplicate link are written in one transaction.
A process killed at any moment therefore leaves each item either settled with its document
or untouched, which is what lets ``sitrep watch`` resume without storing anything twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sitrep.records import Document, Extraction, Failure
from sitrep.store import rows
from sitrep.store.schema import (
    document_signatures,
    documents,
    failures,
    feed_items,
    feeds,
    near_duplicates,
)
from sitrep.store.store import _add_document, _add_extraction

Begin = Callable[..., AbstractContextManager[Connection]]


@dataclass(frozen=True, slots=True)
class FeedState:
    """A feed as the store knows it: validators of the last complete poll, item counts."""

    id: int
    url: str
    title: str | None
    etag: str | None
    last_modified: str | None
    added_at: datetime
    polled_at: datetime | None
    error: str | None
    stored: int = 0
    present: int = 0
    failed: int = 0


@dataclass(frozen=True, slots=True)
class ItemState:
    """What happened to a feed item the last time it was processed."""

    key: str
    status: str  # stored, present or failed
    retry: bool
    attempts: int

    def settled(self, max_attempts: int) -> bool:
        """Done with: stored, known, or failed for good (or too often) - not fetched again."""
        return self.status != "failed" or not self.retry or self.attempts >= max_attempts


@dataclass(frozen=True, slots=True)
class ItemRef:
    """The feed item an outcome belongs to."""

    feed_id: int
    key: str
    link: str | None


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    """A stored document that nearly duplicates an earlier one."""

    document_id: str
    duplicate_of: str
    similarity: float
    method: str


@dataclass(frozen=True, slots=True)
class Signature:
    """A document's near-duplicate signature and the method (parameters) that made it."""

    method: str
    data: bytes


def _now() -> datetime:
    return datetime.now(UTC)


class FeedStore:
    """Feed and item bookkeeping over the store's transactions."""

    def __init__(self, begin: Begin) -> None:
        self._begin = begin

    # -- feeds -------------------------------------------------------------------------------

    def feed(self, url: str) -> FeedState:
        """The feed at ``url`` (a URL or a local file as given), added on first use."""
        with self._begin(write=True) as connection:
            row = _feed_row(connection, url)
            if row is None:
                connection.execute(feeds.insert(), {"url": url, "added_at": _now()})
                row = _feed_row(connection, url)
        assert row is not None
        return _feed_state(row)

    def feeds(self) -> list[FeedState]:
        """Every feed with its item counts by status, in the order they were added."""
        counts = sa.select(
            feed_items.c.feed_id, feed_items.c.status, sa.func.count().label("n")
        ).group_by(feed_items.c.feed_id, feed_items.c.status)
        with self._begin() as connection:
            tally: dict[int, dict[str, int]] = {}
            for row in connection.execute(counts):
                tally.setdefault(row.feed_id, {})[row.status] = row.n
            found = list(connection.execute(sa.select(feeds).order_by(feeds.c.id)).mappings())
        return [_feed_state(row, tally.get(row["id"], {})) for row in found]

    def finish_poll(
        self,
        feed_id: int,
        *,
        title: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """Save the validators of a poll whose items are all settled, and clear the error."""
        values: dict[str, Any] = {
            "etag": etag,
            "last_modified": last_modified,
            "polled_at": _now(),
            "error": None,
        }
        if title is not None:
            values["title"] = title
        with self._begin(write=True) as connection:
            connection.execute(feeds.update().where(feeds.c.id == feed_id).values(**values))

    def poll_failed(self, feed_id: int, failure: Failure) -> None:
        """Record a poll that could not read the feed; its validators are kept as they were."""
        now = _now()
        with self._begin(write=True) as connection:
            connection.execute(failures.insert(), rows.failure_row(failure, now))
            connection.execute(
                feeds.update()
                .where(feeds.c.id == feed_id)
                .values(polled_at=now, error=failure.message())
            )

    # -- items -------------------------------------------------------------------------------

    def items(self, feed_id: int) -> dict[str, ItemState]:
        """The state of every item seen in a feed, by key."""
        query = sa.select(
            feed_items.c.key, feed_items.c.status, feed_items.c.retry, feed_items.c.attempts
        ).where(feed_items.c.feed_id == feed_id)
        with self._begin() as connection:
            return {
                row.key: ItemState(row.key, row.status, bool(row.retry), row.attempts)
                for row in connection.execute(query)
            }

    def record(
        self,
        outcome: Extraction | Document | Failure,
        *,
        item: ItemRef | None = None,
        signature: Signature | None = None,
        near: NearDuplicate | None = None,
        retry: bool = False,
    ) -> tuple[bool, int]:
        """Store one outcome, and settle its feed item, all or nothing.

        ``Extraction``: the document with its events (or a sighting when the text is known),
        plus its signature and near-duplicate link when it is new. ``Document``: a sighting
        of a text already stored. ``Failure``: quarantined; ``retry`` says whether the item
        is worth fetching again. Returns ``(document_was_new, events_stored)``.
        """
        now = _now()
        with self._begin(write=True) as connection:
            new, stored = False, 0
            document_id: str | None = None
            if isinstance(outcome, Failure):
                connection.execute(failures.insert(), rows.failure_row(outcome, now))
            elif isinstance(outcome, Extraction):
                document_id = outcome.document.id
                new, stored = _add_extraction(connection, outcome, now)
            else:
                document_id = outcome.id
                new = _add_document(connection, outcome, now)
            if new and signature is not None:
                _save_signature(connection, document_id, signature)
            if new and near is not None:
                connection.execute(near_duplicates.insert(), _near_row(near, now))
            if item is not None:
                status = "failed" if document_id is None else "stored" if new else "present"
                failure = outcome if isinstance(outcome, Failure) else None
                _settle(connection, item, status, document_id, failure, retry, now)
        return new, stored

    # -- signatures and near duplicates ------------------------------------------------------

    def signatures(self, method: str) -> list[tuple[str, bytes]]:
        """Every stored signature made by ``method``, as (document id, bytes)."""
        query = sa.select(document_signatures.c.document_id, document_signatures.c.signature)
        query = query.where(document_signatures.c.method == method)
        with self._begin() as connection:
            return [(row.document_id, bytes(row.signature)) for row in connection.execute(query)]

    def unsigned_documents(self, method: str, limit: int = 500) -> list[tuple[str, str]]:
        """Up to ``limit`` (id, text) of documents with no ``method`` signature yet."""
        signed = sa.select(document_signatures.c.document_id).where(
            document_signatures.c.method == method
        )
        query = (
            sa.select(documents.c.id, documents.c.text)
            .where(documents.c.id.not_in(signed))
            .order_by(documents.c.ingested_at, documents.c.id)
            .limit(limit)
        )
        with self._begin() as connection:
            return [(row.id, row.text) for row in connection.execute(query)]

    def add_signatures(self, method: str, signed: Iterable[tuple[str, bytes]]) -> None:
        """Store signatures of documents stored before (or without) near-duplicate detection."""
        with self._begin(write=True) as connection:
            for document_id, data in signed:
                _save_signature(connection, document_id, Signature(method, data))

    def near_duplicates(self, document_id: str | None = None) -> list[NearDuplicate]:
        """Near-duplicate links, oldest first; only those of one document when given."""
        query = sa.select(near_duplicates).order_by(near_duplicates.c.found_at)
        if document_id is not None:
            query = query.where(
                sa.or_(
                    near_duplicates.c.document_id == document_id,
                    near_duplicates.c.duplicate_of == document_id,
                )
            )
        with self._begin() as connection:
            return [
                NearDuplicate(r.document_id, r.duplicate_of, r.similarity, r.method)
                for r in connection.execute(query)
            ]


def _feed_row(connection: Connection, url: str) -> sa.RowMapping | None:
    return connection.execute(sa.select(feeds).where(feeds.c.url == url)).mappings().first()


def _feed_state(row: sa.RowMapping, counts: dict[str, int] | None = None) -> FeedState:
    counts = counts or {}
    return FeedState(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        added_at=row["added_at"],
        polled_at=row["polled_at"],
        error=row["error"],
        stored=counts.get("stored", 0),
        present=counts.get("present", 0),
        failed=counts.get("failed", 0),
    )


def _save_signature(connection: Connection, document_id: str | None, signature: Signature) -> None:
    """Insert or replace a document's signature (one per document)."""
    connection.execute(
        document_signatures.delete().where(document_signatures.c.document_id == document_id)
    )
    connection.execute(
        document_signatures.insert(),
        {"document_id": document_id, "method": signature.method, "signature": signature.data},
    )


def _near_row(near: NearDuplicate, now: datetime) -> dict[str, Any]:
    return {
        "document_id": near.document_id,
        "duplicate_of": near.duplicate_of,
        "similarity": near.similarity,
        "method": near.method,
        "found_at": now,
    }


def _settle(
    connection: Connection,
    item: ItemRef,
    status: str,
    document_id: str | None,
    failure: Failure | None,
    retry: bool,
    now: datetime,
) -> None:
    """Insert or update the item's row; ``attempts`` counts every time it was processed."""
    found = connection.execute(
        sa.select(feed_items.c.id, feed_items.c.attempts).where(
            feed_items.c.feed_id == item.feed_id, feed_items.c.key == item.key
        )
    ).first()
    values = {
        "link": item.link,
        "status": status,
        "document_id": document_id,
        "code": failure.code if failure else None,
        "reason": failure.reason if failure else None,
        "retry": retry and failure is not None,
        "attempts": (found.attempts if found else 0) + 1,
        "updated_at": now,
    }
    if found is None:
        values.update(feed_id=item.feed_id, key=item.key, first_seen_at=now)
        connection.execute(feed_items.insert(), values)
    else:
        connection.execute(feed_items.update().where(feed_items.c.id == found.id), values)
