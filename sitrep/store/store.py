"""The store: typed records in, typed records out, over SQLite by default or PostgreSQL.

``open_store`` is the only way in. It builds the engine (``engine.py`` sets the SQLite
pragmas on every connection) and migrates the schema, so a ``Store`` in hand is always
ready. Every public method runs in one transaction of its own. Nothing runs at import time.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

import sqlalchemy as sa
from alembic.util import CommandError
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from sitrep import __version__
from sitrep.errors import ErrorCode, StoreError
from sitrep.records import (
    PLOVER_CATEGORIES,
    ActorSummary,
    Document,
    Extraction,
    Failure,
    Status,
    StoredEvent,
)
from sitrep.store import imports, migrate, rows, search
from sitrep.store.engine import create_store_engine, open_failure_reason, store_url, transaction
from sitrep.store.schema import (
    FTS_TABLE,
    ROLES,
    document_sightings,
    documents,
    entities,
    event_actors,
    event_quantities,
    event_weapons,
    events,
    failures,
)

if TYPE_CHECKING:
    from sitrep.store.claims import ClaimStore
    from sitrep.store.feeds import FeedStore

_T = TypeVar("_T")
_CHUNK = 500  # ids per IN (...) list, well under every backend's bound-parameter limit


def open_store(url_or_path: str | os.PathLike[str] = "sitrep.db") -> Store:
    """Open (creating and migrating if needed) the store at a path or SQLAlchemy URL.

    Raises ``StoreError`` (E401) when the database cannot be opened or migrated.
    """
    try:
        url = store_url(url_or_path)
    except SQLAlchemyError as exc:
        raise StoreError(ErrorCode.E401.format(url=str(url_or_path), why=str(exc))) from exc
    shown = url.render_as_string(hide_password=True)
    engine: Engine | None = None
    try:
        engine = create_store_engine(url)
        with transaction(engine, write=True) as connection:
            migrate.upgrade(connection)
    except (SQLAlchemyError, CommandError, StoreError, OSError, ImportError) as exc:
        if engine is not None:
            engine.dispose()
        raise StoreError(
            ErrorCode.E401.format(url=shown, why=open_failure_reason(exc, url))
        ) from exc
    return Store(engine)


def _now() -> datetime:
    return datetime.now(UTC)


def _check_limit(limit: int | None) -> int | None:
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be 0 or more, not {limit!r}")
    return limit


def _as_date(value: date | None) -> date | None:
    """Dates compare as dates: a datetime bound would compare as text on SQLite."""
    return value.date() if isinstance(value, datetime) else value


def _nulls_last(column: sa.ColumnElement[Any]) -> sa.ColumnElement[int]:
    """Sort undated rows last on every backend (SQLite and PostgreSQL disagree by default)."""
    return sa.case((column.is_(None), 1), else_=0)


def _chunks(items: Sequence[_T]) -> Iterator[Sequence[_T]]:
    """Split a long id list so no IN (...) exceeds the backend's bound-parameter limit."""
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


class Store:
    """Typed access to the database. Use ``open_store`` to get one; close it when done."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._closed = False

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The database URL, password hidden (safe to show and log)."""
        return self._engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        """The backend name: "sqlite" or "postgresql"."""
        return self._engine.dialect.name

    def close(self) -> None:
        """Close every pooled connection. Safe to call twice."""
        if not self._closed:
            self._closed = True
            self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Store {self.url}{' closed' if self._closed else ''}>"

    @contextmanager
    def _begin(self, *, write: bool = False) -> Iterator[Connection]:
        """One transaction; database errors surface as ``StoreError`` so callers need not
        know SQLAlchemy. Anything raised inside rolls the whole transaction back."""
        if self._closed:
            raise StoreError(
                ErrorCode.E401.format(url=self.url, why="this store was closed; open it again")
            )
        try:
            with transaction(self._engine, write=write) as connection:
                yield connection
        except SQLAlchemyError as exc:
            action = "write to" if write else "read from"
            reason = str(exc.orig) if isinstance(exc, DBAPIError) else str(exc)
            raise StoreError(f"Cannot {action} the store at {self.url}: {reason}") from exc

    # -- writing -----------------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        """Whether a text is already stored, so callers can skip extracting it again."""
        with self._begin() as connection:
            found = connection.execute(
                sa.select(documents.c.id).where(documents.c.id == doc_id)
            ).first()
        return found is not None

    def add_document(self, doc: Document) -> bool:
        """Store a document; False (and only a sighting recorded) if its id is already stored."""
        with self._begin(write=True) as connection:
            return _add_document(connection, doc, _now())

    def add_extraction(self, extraction: Extraction) -> tuple[bool, int]:
        """Store a document with its events and entities, all or nothing.

        Returns ``(document_was_new, events_stored)``. A document already stored gets a
        sighting and nothing else: ``(False, 0)``; existing rows are never rewritten.
        """
        with self._begin(write=True) as connection:
            return _add_extraction(connection, extraction, _now())

    @contextmanager
    def importing(self, origin: str) -> Iterator[imports.Importer]:
        """Bulk-import one input's rows in one write transaction: all kept or, if the caller
        raises, none (see ``store/imports.py``)."""
        with self._begin(write=True) as connection:
            importer = imports.Importer(connection, origin)
            yield importer
            importer.flush()

    def record_failure(self, failure: Failure) -> None:
        """Quarantine an input that could not be read, so a run can report it later."""
        with self._begin(write=True) as connection:
            connection.execute(failures.insert(), rows.failure_row(failure, _now()))

    @property
    def claims(self) -> ClaimStore:
        """Claims across documents, replaced as a whole by a relink (``sitrep.store.claims``)."""
        from sitrep.store.claims import ClaimStore

        return ClaimStore(self._begin)

    @property
    def feeds(self) -> FeedStore:
        """Feeds, their items and near-duplicate links (``sitrep.store.feeds``)."""
        from sitrep.store.feeds import FeedStore

        return FeedStore(self._begin)

    # -- reading -----------------------------------------------------------------------------

    def failures(self, limit: int | None = None) -> list[Failure]:
        """Recorded failures, most recent first."""
        query = sa.select(failures).order_by(failures.c.id.desc()).limit(_check_limit(limit))
        with self._begin() as connection:
            return [rows.failure_from_row(r) for r in connection.execute(query).mappings()]

    def get_document(self, doc_id: str) -> Document | None:
        """The stored document with this id, or None."""
        with self._begin() as connection:
            row = (
                connection.execute(sa.select(documents).where(documents.c.id == doc_id))
                .mappings()
                .first()
            )
        return rows.document_from_row(row) if row else None

    def documents(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        outlet: str | None = None,
        limit: int | None = None,
    ) -> list[Document]:
        """Documents by published date (inclusive bounds), undated last, then by id."""
        query = sa.select(documents)
        if since is not None:
            query = query.where(documents.c.published >= _as_date(since))
        if until is not None:
            query = query.where(documents.c.published <= _as_date(until))
        if outlet is not None:
            query = query.where(sa.func.lower(documents.c.outlet) == outlet.lower())
        query = query.order_by(
            _nulls_last(documents.c.published), documents.c.published, documents.c.id
        ).limit(_check_limit(limit))
        with self._begin() as connection:
            return [rows.document_from_row(r) for r in connection.execute(query).mappings()]

    def events(
        self,
        *,
        actor: str | None = None,
        type: str | None = None,  # mirrors Event.type
        since: date | None = None,
        until: date | None = None,
        status: Status | str | None = None,
        document_id: str | None = None,
        limit: int | None = None,
    ) -> list[StoredEvent]:
        """Stored events matching every filter given, by effective date then id.

        The effective date is the event's date, else its document's published date; undated
        events come last. ``actor`` matches a source or target actor's code, country or name,
        ignoring case.
        """
        effective = sa.func.coalesce(events.c.date, documents.c.published)
        query = sa.select(
            events, documents.c.published, documents.c.outlet, documents.c.title
        ).join(documents, documents.c.id == events.c.document_id)
        if actor is not None:
            wanted = actor.lower()
            query = query.where(
                sa.exists().where(
                    event_actors.c.event_id == events.c.id,
                    event_actors.c.role.in_(("source", "target")),
                    sa.or_(
                        sa.func.lower(event_actors.c.code) == wanted,
                        sa.func.lower(event_actors.c.country) == wanted,
                        sa.func.lower(event_actors.c.name) == wanted,
                    ),
                )
            )
        if type is not None:
            category = type.upper()
            if category not in PLOVER_CATEGORIES:
                raise ValueError(
                    f"{type!r} is not a PLOVER category. Use one of: "
                    f"{', '.join(PLOVER_CATEGORIES)}."
                )
            query = query.where(events.c.type == category)
        if status is not None:
            query = query.where(events.c.status == _status(status).value)
        if document_id is not None:
            query = query.where(events.c.document_id == document_id)
        if since is not None:
            query = query.where(effective >= _as_date(since))
        if until is not None:
            query = query.where(effective <= _as_date(until))
        query = query.order_by(_nulls_last(effective), effective, events.c.id).limit(
            _check_limit(limit)
        )
        with self._begin() as connection:
            event_rows = list(connection.execute(query).mappings())
            ids = [row["id"] for row in event_rows]
            actors = _children(connection, event_actors, ids, event_actors.c.role)
            quantities = _children(connection, event_quantities, ids)
            weapons = _children(connection, event_weapons, ids)
        return [
            StoredEvent(
                id=row["id"],
                document_id=row["document_id"],
                event=rows.event_from_row(
                    row, actors[row["id"]], quantities[row["id"]], weapons[row["id"]]
                ),
                published=row["published"],
                outlet=row["outlet"],
                title=row["title"],
            )
            for row in event_rows
        ]

    def actors(self, *, limit: int | None = None) -> list[ActorSummary]:
        """Actors across the store, keyed by code (else name), most involved first."""
        key = sa.func.coalesce(event_actors.c.code, event_actors.c.name)

        def role_count(role: str) -> sa.ColumnElement[int]:
            return sa.func.count(
                sa.distinct(sa.case((event_actors.c.role == role, event_actors.c.event_id)))
            )

        as_source, as_target, as_asserter = (role_count(r) for r in ROLES)
        query = (
            sa.select(
                key.label("key"),
                sa.func.max(event_actors.c.code).label("code"),
                as_source.label("as_source"),
                as_target.label("as_target"),
                as_asserter.label("as_asserter"),
                sa.func.count(sa.distinct(events.c.document_id)).label("documents"),
                (as_source + as_target + as_asserter).label("total"),
            )
            .join(events, events.c.id == event_actors.c.event_id)
            .group_by(key)
            .order_by(sa.desc("total"), "key")
            .limit(_check_limit(limit))
        )
        with self._begin() as connection:
            groups = list(connection.execute(query).mappings())
            names = _actor_names(connection, [g["key"] for g in groups])
        summaries = []
        for group in groups:
            name, country, sector = names.get(group["key"], (group["key"], None, None))
            summaries.append(
                ActorSummary(
                    code=group["code"],
                    name=name,
                    country=country,
                    sector=sector,
                    as_source=group["as_source"],
                    as_target=group["as_target"],
                    as_asserter=group["as_asserter"],
                    documents=group["documents"],
                )
            )
        return summaries

    def search(self, query: str, limit: int = 20) -> list[tuple[Document, str]]:
        """Documents matching every word (or "quoted phrase") of ``query``, with a snippet.

        Matches are marked ``[like this]``. Punctuation in the query never raises: terms are
        quoted before they reach the full-text engine. Best matches first on SQLite (FTS5
        rank); by published date elsewhere (case-insensitive LIKE).
        """
        _check_limit(limit)
        if self.dialect == "sqlite":
            return self._search_fts5(query, limit)
        return self._search_like(query, limit)

    def _search_fts5(self, query: str, limit: int) -> list[tuple[Document, str]]:
        expression = search.fts5_query(query)
        if expression is None:
            return []
        snippet = f"snippet({FTS_TABLE}, -1, :open, :close, :ellipsis, {search.SNIPPET_TOKENS})"
        statement = sa.text(
            f"SELECT documents.id AS id, {snippet} AS snippet "
            f"FROM {FTS_TABLE} JOIN documents ON documents.rowid = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH :match ORDER BY rank LIMIT :limit"
        )
        params = {
            "match": expression,
            "open": search.SNIPPET_OPEN,
            "close": search.SNIPPET_CLOSE,
            "ellipsis": search.SNIPPET_ELLIPSIS,
            "limit": limit,
        }
        with self._begin() as connection:
            hits = list(connection.execute(statement, params))
            found = _documents_by_id(connection, [hit.id for hit in hits])
        return [(found[hit.id], hit.snippet) for hit in hits if hit.id in found]

    def _search_like(self, query: str, limit: int) -> list[tuple[Document, str]]:
        terms = search.like_terms(query)
        if not terms:
            return []
        conditions = [
            sa.or_(
                documents.c.title.ilike(search.like_pattern(term), escape="\\"),
                documents.c.text.ilike(search.like_pattern(term), escape="\\"),
            )
            for term in terms
        ]
        statement = (
            sa.select(documents)
            .where(*conditions)
            .order_by(_nulls_last(documents.c.published), documents.c.published, documents.c.id)
            .limit(limit)
        )
        with self._begin() as connection:
            found = [rows.document_from_row(r) for r in connection.execute(statement).mappings()]
        return [(doc, search.like_snippet(doc.text, terms)) for doc in found]

    def counts(self) -> dict[str, int]:
        """How many documents, events, distinct actors and failures are stored."""
        actor_key = sa.func.coalesce(event_actors.c.code, event_actors.c.name)
        query = sa.select(
            sa.select(sa.func.count()).select_from(documents).scalar_subquery().label("documents"),
            sa.select(sa.func.count()).select_from(events).scalar_subquery().label("events"),
            sa.select(sa.func.count(sa.distinct(actor_key))).scalar_subquery().label("actors"),
            sa.select(sa.func.count()).select_from(failures).scalar_subquery().label("failures"),
        )
        with self._begin() as connection:
            row = connection.execute(query).mappings().one()
        return {name: int(row[name]) for name in ("documents", "events", "actors", "failures")}


def _status(value: Status | str) -> Status:
    try:
        return Status(value.lower() if isinstance(value, str) else value)
    except ValueError:
        known = ", ".join(s.value for s in Status)
        raise ValueError(f"{value!r} is not a status. Use one of: {known}.") from None


def _add_document(connection: Connection, doc: Document, now: datetime) -> bool:
    """Insert the document unless its id is stored; always record where it was seen."""
    row = rows.document_row(doc, now)
    dialect = connection.dialect.name
    if dialect == "sqlite":
        statement: Any = sqlite_dialect.insert(documents).on_conflict_do_nothing(
            index_elements=[documents.c.id]
        )
        new = connection.execute(statement, row).rowcount == 1
    elif dialect == "postgresql":
        statement = pg_dialect.insert(documents).on_conflict_do_nothing(
            index_elements=[documents.c.id]
        )
        new = connection.execute(statement, row).rowcount == 1
    else:
        exists = connection.execute(
            sa.select(documents.c.id).where(documents.c.id == doc.id)
        ).first()
        new = exists is None
        if new:
            connection.execute(documents.insert(), row)
    connection.execute(document_sightings.insert(), rows.sighting_row(doc, now))
    return new


def _add_extraction(
    connection: Connection, extraction: Extraction, now: datetime
) -> tuple[bool, int]:
    """``Store.add_extraction`` inside a caller's transaction (feed items share it)."""
    doc = extraction.document
    if not _add_document(connection, doc, now):
        return False, 0
    actor_rows: list[dict[str, Any]] = []
    quantity_rows: list[dict[str, Any]] = []
    weapon_rows: list[dict[str, Any]] = []
    for event in extraction.events:
        row = rows.event_row(event, doc.id, extraction.extractor, __version__, now)
        result = connection.execute(events.insert(), row)
        event_id = int(result.inserted_primary_key[0])
        actor_rows += rows.actor_rows(event_id, event)
        quantity_rows += rows.quantity_rows(event_id, event)
        weapon_rows += rows.weapon_rows(event_id, event)
    for table, batch in (
        (event_actors, actor_rows),
        (event_quantities, quantity_rows),
        (event_weapons, weapon_rows),
        (entities, rows.entity_rows(doc.id, extraction.entities)),
    ):
        if batch:
            connection.execute(table.insert(), batch)
    return True, len(extraction.events)


def _children(
    connection: Connection, table: sa.Table, ids: Sequence[int], *order: sa.ColumnElement[Any]
) -> defaultdict[int, list[sa.RowMapping]]:
    """Child rows of many events in a few queries, grouped by event id, in position order."""
    grouped: defaultdict[int, list[sa.RowMapping]] = defaultdict(list)
    for chunk in _chunks(ids):
        query = (
            sa.select(table)
            .where(table.c.event_id.in_(chunk))
            .order_by(table.c.event_id, *order, table.c.position)
        )
        for row in connection.execute(query).mappings():
            grouped[row["event_id"]].append(row)
    return grouped


def _actor_names(
    connection: Connection, keys: Sequence[str]
) -> dict[str, tuple[str, str | None, str | None]]:
    """The most used (name, country, sector) for each actor key; ties go to the first name."""
    key = sa.func.coalesce(event_actors.c.code, event_actors.c.name)
    tallies: dict[str, Counter[tuple[str, str | None, str | None]]] = defaultdict(Counter)
    for chunk in _chunks(keys):
        query = (
            sa.select(
                key.label("key"),
                event_actors.c.name,
                event_actors.c.country,
                event_actors.c.sector,
                sa.func.count().label("n"),
            )
            .where(key.in_(chunk))
            .group_by(key, event_actors.c.name, event_actors.c.country, event_actors.c.sector)
        )
        for row in connection.execute(query):
            tallies[row.key][(row.name, row.country, row.sector)] += row.n
    return {
        actor_key: min(tally, key=lambda item: (-tally[item], item[0], str(item[1:])))
        for actor_key, tally in tallies.items()
    }


def _documents_by_id(connection: Connection, ids: Sequence[str]) -> dict[str, Document]:
    found: dict[str, Document] = {}
    for chunk in _chunks(ids):
        query = sa.select(documents).where(documents.c.id.in_(chunk))
        for row in connection.execute(query).mappings():
            found[row["id"]] = rows.document_from_row(row)
    return found
