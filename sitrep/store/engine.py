"""Engines and transactions for the store, with the SQLite settings it relies on.

Transactions on SQLite: the ``sqlite3`` driver's own transaction handling is switched off
and SQLAlchemy emits ``BEGIN`` itself (the recipe in the SQLAlchemy SQLite docs), so DDL and
reads are transactional too. Writes take ``BEGIN IMMEDIATE`` so two writers queue on
``busy_timeout`` instead of failing with "database is locked" when a read lock is upgraded.
File databases use WAL so readers never block the writer.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool

BUSY_TIMEOUT_MS = 30_000  # how long a writer waits for another one before giving up
_IMMEDIATE = "sitrep_begin_immediate"  # execution option: open the transaction for writing


def store_url(url_or_path: str | os.PathLike[str]) -> URL:
    """A path (or ":memory:") as an SQLite URL; anything containing "://" as a URL."""
    text = os.fspath(url_or_path)
    if "://" in text:
        return make_url(text)
    if text in ("", ":memory:"):
        return URL.create("sqlite", database=":memory:")
    return URL.create("sqlite", database=str(Path(text).expanduser()))


def is_memory(url: URL) -> bool:
    """In-memory SQLite: one shared connection, and no WAL (it needs a file)."""
    return url.database in (None, "", ":memory:") or url.query.get("mode") == "memory"


def create_store_engine(url_or_path: str | os.PathLike[str] | URL) -> Engine:
    """An engine for the store; on SQLite every connection gets the pragmas the store needs."""
    url = url_or_path if isinstance(url_or_path, URL) else store_url(url_or_path)
    if url.get_backend_name() != "sqlite":
        return sa.create_engine(url)
    memory = is_memory(url)
    options: dict[str, Any] = {}
    if memory:
        # One shared connection: each new connection to ":memory:" would be a new database.
        options = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    engine = sa.create_engine(url, **options)

    @sa_event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN (see _on_begin)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not memory:
                cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()

    @sa_event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(_IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@contextmanager
def transaction(engine: Engine, *, write: bool) -> Iterator[Connection]:
    """One connection and one transaction, committed on success and rolled back on error."""
    with engine.connect() as connection:
        if write:
            connection.execution_options(**{_IMMEDIATE: True})
        with connection.begin():
            yield connection


def open_failure_reason(exc: BaseException, url: URL) -> str:
    """The reason an open failed, with the next step when there is an obvious one."""
    if isinstance(exc, ImportError):
        return (
            f"the database driver is not installed ({exc}). Install the driver the URL "
            "names: postgresql:// needs psycopg2, postgresql+psycopg:// needs psycopg."
        )
    reason = str(exc.orig) if isinstance(exc, DBAPIError) else str(exc)
    if url.get_backend_name() == "sqlite" and not is_memory(url) and url.database:
        folder = Path(url.database).parent
        if not folder.is_dir():
            return f"{reason}; the folder {str(folder)!r} does not exist. Create it first."
    return reason
