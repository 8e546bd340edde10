"""Bulk-loading imported events (GDELT, ACLED) and mention sightings into the store.

An :class:`Importer` works inside one write transaction, which ``Store.importing`` opens for
one input file: either everything read from the file is kept, or (when the caller raises,
as it does when the file breaks off half-way) none of it. Rows are buffered and written in
batches with ``executemany``, a few statements per batch rather than several per row, which
is what makes importing a 100,000-row export take seconds.

Each imported event is an ordinary ``events`` row with its actors and quantities, written
through the same ``rows`` functions as extracted events, plus an ``event_imports`` row with
the dataset's own id. That id is unique per dataset, so a row already stored (by an earlier
run, or earlier in the same input) is counted and skipped, never stored twice.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.engine import Connection

from sitrep import __version__
from sitrep.records import Failure, ImportedEvent, ImportedMention, ImportReport
from sitrep.store import rows
from sitrep.store.schema import (
    document_sightings,
    documents,
    event_actors,
    event_imports,
    event_quantities,
    event_weapons,
    events,
    failures,
)

__all__ = ["BATCH_SIZE", "Importer"]

BATCH_SIZE = 5_000  # rows buffered before a write: large enough to amortise each statement
_CHUNK = 500  # ids per IN (...) list, well under every backend's bound-parameter limit
_T = TypeVar("_T")


def _chunks(items: Sequence[_T]) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _insert(connection: Connection, table: sa.Table, batch: list[dict[str, Any]]) -> None:
    """``INSERT`` many rows (dicts with the same keys) in one ``executemany``.

    On SQLite the rows go straight to the driver as tuples, after each column's own bind
    processor (dates, timestamps and booleans are stored exactly as SQLAlchemy stores them)
    has run once per distinct value: SQLAlchemy's per-row parameter handling would cost
    more than SQLite takes to insert the row. Other backends take the ordinary Core path.
    """
    if not batch:
        return
    dialect = connection.dialect
    if dialect.name != "sqlite":
        connection.execute(table.insert(), batch)
        return
    names = list(batch[0])
    quote = dialect.identifier_preparer.quote
    statement = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in names)}) "
        f"VALUES ({', '.join('?' for _ in names)})"
    )
    for name in names:
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            done: dict[Any, Any] = {}  # imports repeat dates and timestamps many times over
            for row in batch:
                value = row[name]
                if value not in done:
                    done[value] = process(value)
                row[name] = done[value]
    if len(names) == 1:
        values = [(row[names[0]],) for row in batch]
    else:
        values = list(map(operator.itemgetter(*names), batch))
    connection.exec_driver_sql(statement, values)


class Importer:
    """Buffers imported records and writes them in batches on one connection.

    ``report`` counts what this importer stored (events, documents, sightings) and what it
    found already present. Memory is bounded by one batch whatever the file's size: what is
    already stored, earlier in this transaction included, is asked of the database. Call
    :meth:`flush` before the transaction commits; ``Store.importing`` does.
    """

    def __init__(self, connection: Connection, origin: str, batch_size: int | None = None) -> None:
        self._connection = connection
        self._origin = origin
        self._batch_size = batch_size or BATCH_SIZE
        self._now = datetime.now(UTC)
        self._events: list[ImportedEvent] = []
        self._mentions: list[ImportedMention] = []
        self._failures: list[Failure] = []
        self.report = ImportReport()

    # -- buffering -------------------------------------------------------------------------

    def add_event(self, item: ImportedEvent) -> None:
        if item.origin != self._origin:
            raise ValueError(f"an {self._origin} import cannot take a {item.origin} event")
        self._events.append(item)
        if len(self._events) >= self._batch_size:
            self._flush_events()

    def add_mention(self, item: ImportedMention) -> None:
        if item.origin != self._origin:
            raise ValueError(f"an {self._origin} import cannot take a {item.origin} mention")
        self._mentions.append(item)
        if len(self._mentions) >= self._batch_size:
            self._flush_mentions()

    def add_failure(self, failure: Failure) -> None:
        """Quarantine a bad row in the ``failures`` table, in the same transaction."""
        self._failures.append(failure)
        if len(self._failures) >= self._batch_size:
            self._flush_failures()

    def flush(self) -> None:
        """Write everything buffered."""
        self._flush_events()
        self._flush_mentions()
        self._flush_failures()

    # -- events ----------------------------------------------------------------------------

    def _flush_events(self) -> None:
        items, self._events = self._events, []
        fresh: dict[str, ImportedEvent] = {}
        for item in items:
            if item.external_id not in fresh:
                fresh[item.external_id] = item
        for key in self._stored_ids(list(fresh)):
            del fresh[key]
        self.report.already_present += len(items) - len(fresh)
        if not fresh:
            return
        new = list(fresh.values())
        self._store_documents(new)
        event_rows = [
            rows.event_row(item.event, item.document.id, None, __version__, self._now)
            for item in new
        ]
        ids = self._insert_events(event_rows)
        import_rows: list[dict[str, Any]] = []
        actor_rows: list[dict[str, Any]] = []
        quantity_rows: list[dict[str, Any]] = []
        weapon_rows: list[dict[str, Any]] = []
        for event_id, item in zip(ids, new, strict=True):
            import_rows.append(
                {
                    "event_id": event_id,
                    "origin": self._origin,
                    "external_id": item.external_id,
                    "source": item.source,
                    "line": item.line,
                    "imported_at": self._now,
                }
            )
            actor_rows += rows.actor_rows(event_id, item.event)
            quantity_rows += rows.quantity_rows(event_id, item.event)
            weapon_rows += rows.weapon_rows(event_id, item.event)
        for table, batch in (
            (event_imports, import_rows),
            (event_actors, actor_rows),
            (event_quantities, quantity_rows),
            (event_weapons, weapon_rows),
        ):
            _insert(self._connection, table, batch)
        self.report.imported += len(new)

    def _stored_ids(self, keys: Sequence[str]) -> set[str]:
        """Which of these dataset ids an earlier import already stored."""
        found: set[str] = set()
        for chunk in _chunks(keys):
            query = sa.select(event_imports.c.external_id).where(
                event_imports.c.origin == self._origin, event_imports.c.external_id.in_(chunk)
            )
            found.update(self._connection.execute(query).scalars())
        return found

    def _insert_events(self, event_rows: list[dict[str, Any]]) -> list[int]:
        """Insert event rows and return their ids, in order.

        On SQLite the write transaction holds the database's only write lock, so ids are
        assigned here (max + 1, what SQLite would pick) and the rows go in with one plain
        executemany. Elsewhere the backend assigns them and returns them in row order.
        """
        if self._connection.dialect.name == "sqlite":
            top = self._connection.execute(sa.select(sa.func.max(events.c.id))).scalar()
            first = (top or 0) + 1
            for offset, row in enumerate(event_rows):
                row["id"] = first + offset
            _insert(self._connection, events, event_rows)
            return list(range(first, first + len(event_rows)))
        statement = events.insert().returning(events.c.id, sort_by_parameter_order=True)
        return [row.id for row in self._connection.execute(statement, event_rows)]

    def _store_documents(self, items: Sequence[ImportedEvent]) -> None:
        """Store new documents, and one sighting per document and input file."""
        by_id = {item.document.id: item.document for item in items}
        stored = self._stored_documents(list(by_id))
        new = [doc for doc_id, doc in by_id.items() if doc_id not in stored]
        if new:
            document_rows = [rows.document_row(d, self._now) for d in new]
            if self._connection.dialect.name == "postgresql":  # no write lock: a rival may win
                statement = pg_dialect.insert(documents).on_conflict_do_nothing(
                    index_elements=[documents.c.id]
                )
                self._connection.execute(statement, document_rows)
            else:  # SQLite: the write lock is ours, and the ids were checked above
                _insert(self._connection, documents, document_rows)
            self.report.documents += len(new)
        wanted = list(by_id.values())
        known = self._known_sightings([d for d in wanted if d.id in stored])
        sightings = [
            rows.sighting_row(doc, self._now) for doc in wanted if (doc.id, doc.source) not in known
        ]
        _insert(self._connection, document_sightings, sightings)

    def _stored_documents(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(ids):
            query = sa.select(documents.c.id).where(documents.c.id.in_(chunk))
            found.update(self._connection.execute(query).scalars())
        return found

    def _known_sightings(self, docs: Sequence[Any]) -> set[tuple[str, str | None]]:
        """(document, source) pairs already recorded for documents stored before."""
        found: set[tuple[str, str | None]] = set()
        ids = [doc.id for doc in docs]
        for chunk in _chunks(ids):
            query = sa.select(document_sightings.c.document_id, document_sightings.c.source).where(
                document_sightings.c.document_id.in_(chunk)
            )
            found.update((row.document_id, row.source) for row in self._connection.execute(query))
        return found

    # -- mentions --------------------------------------------------------------------------

    def _flush_mentions(self) -> None:
        """Attach each mention's URL to the document of the event it mentions, once."""
        items, self._mentions = self._mentions, []
        if not items:
            return
        targets = self._documents_of(list(dict.fromkeys(item.external_id for item in items)))
        known = self._known_urls(list({doc_id for doc_id, _ in targets.values()}))
        new_rows: list[dict[str, Any]] = []
        for item in items:
            target = targets.get(item.external_id)
            if target is None:
                self.report.mentions_unmatched += 1
                continue
            doc_id, doc_url = target
            pair = (doc_id, item.url)
            if item.url == doc_url or pair in known:
                self.report.mentions_already_present += 1
                continue
            known.add(pair)
            new_rows.append(
                {
                    "document_id": doc_id,
                    "source": item.source,
                    "url": item.url,
                    "seen_at": item.seen_at or self._now,
                }
            )
        _insert(self._connection, document_sightings, new_rows)
        self.report.mentions += len(new_rows)

    def _documents_of(self, keys: Sequence[str]) -> dict[str, tuple[str, str | None]]:
        """Dataset id → (document id, document URL) for the events that are stored."""
        found: dict[str, tuple[str, str | None]] = {}
        for chunk in _chunks(keys):
            query = (
                sa.select(event_imports.c.external_id, events.c.document_id, documents.c.url)
                .join(events, events.c.id == event_imports.c.event_id)
                .join(documents, documents.c.id == events.c.document_id)
                .where(
                    event_imports.c.origin == self._origin,
                    event_imports.c.external_id.in_(chunk),
                )
            )
            for row in self._connection.execute(query):
                found[row.external_id] = (row.document_id, row.url)
        return found

    def _known_urls(self, doc_ids: Sequence[str]) -> set[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        for chunk in _chunks(doc_ids):
            query = sa.select(document_sightings.c.document_id, document_sightings.c.url).where(
                document_sightings.c.document_id.in_(chunk), document_sightings.c.url.is_not(None)
            )
            found.update((row.document_id, row.url) for row in self._connection.execute(query))
        return found

    # -- failures --------------------------------------------------------------------------

    def _flush_failures(self) -> None:
        """Quarantine bad rows; one already recorded (an earlier import of the same file) is
        not recorded again, so re-importing a file stores nothing new."""
        batch, self._failures = self._failures, []
        if not batch:
            return
        known: set[tuple[str, str, str]] = set()
        for chunk in _chunks(sorted({f.source for f in batch})):
            query = sa.select(failures.c.source, failures.c.code, failures.c.reason).where(
                failures.c.source.in_(chunk)
            )
            known.update(tuple(row) for row in self._connection.execute(query))
        new = []
        for failure in batch:
            key = (failure.source, failure.code, failure.reason)
            if key not in known:
                known.add(key)
                new.append(rows.failure_row(failure, self._now))
        _insert(self._connection, failures, new)
