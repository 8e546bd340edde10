"""Migrations: run on open, cheap and safe to repeat, matching the schema, dialect-aware."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from sitrep.errors import StoreError
from sitrep.records import Failure
from sitrep.store import migrate, open_store
from sitrep.store.engine import create_store_engine, transaction
from sitrep.store.schema import metadata

FTS_OBJECTS = {
    ("table", "documents_fts"),
    ("trigger", "documents_fts_insert"),
    ("trigger", "documents_fts_delete"),
    ("trigger", "documents_fts_update"),
}


def _revisions(path: Path) -> list[str]:
    engine = create_store_engine(str(path))
    try:
        with engine.connect() as connection:
            return list(
                connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars()
            )
    finally:
        engine.dispose()


def test_store_migrations_run_twice_on_same_file(db_path: Path) -> None:
    with open_store(str(db_path)) as first:
        first.record_failure(Failure("a", "b", "E101"))
    with open_store(str(db_path)) as second:
        assert second.counts()["failures"] == 1
    assert sorted(_revisions(db_path)) == sorted(migrate.head_revisions(migrate.alembic_config()))


def test_store_reopen_does_not_run_alembic(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_store(str(db_path)).close()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an up-to-date database must not be migrated again")

    monkeypatch.setattr(command, "upgrade", refuse)
    open_store(str(db_path)).close()


def test_store_upgrade_reports_whether_it_ran(db_path: Path) -> None:
    engine = create_store_engine(str(db_path))
    try:
        with transaction(engine, write=True) as connection:
            assert migrate.upgrade(connection) is True
        with transaction(engine, write=True) as connection:
            assert migrate.upgrade(connection) is False
            assert sorted(migrate.current_revisions(connection)) == sorted(
                migrate.head_revisions(migrate.alembic_config())
            )
    finally:
        engine.dispose()


def test_store_migrated_database_matches_schema(db_path: Path) -> None:
    open_store(str(db_path)).close()
    engine = create_store_engine(str(db_path))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_name": migrate.include_name, "compare_type": True}
            )
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()


def test_store_sqlite_migration_builds_fts(db_path: Path) -> None:
    open_store(str(db_path)).close()
    engine = create_store_engine(str(db_path))
    try:
        with engine.connect() as connection:
            query = sa.text("SELECT type, name FROM sqlite_master")
            objects = {(row.type, row.name) for row in connection.execute(query)}
    finally:
        engine.dispose()
    assert objects >= FTS_OBJECTS


def test_store_migrations_downgrade_and_upgrade_again(db_path: Path) -> None:
    open_store(str(db_path)).close()
    engine = create_store_engine(str(db_path))
    try:
        with transaction(engine, write=True) as connection:
            command.downgrade(migrate.alembic_config(connection), "base")
        with engine.connect() as connection:
            left = set(sa.inspect(connection).get_table_names())
        assert left == {"alembic_version"}
    finally:
        engine.dispose()
    with open_store(str(db_path)) as store:
        assert store.counts()["documents"] == 0


def test_store_postgresql_migration_sql_has_no_sqlite_bits() -> None:
    buffer = io.StringIO()
    config = migrate.alembic_config(url="postgresql://user:secret@db.invalid/sitrep")
    config.output_buffer = buffer
    command.upgrade(config, "heads", sql=True)
    sql = buffer.getvalue()
    assert "CREATE TABLE events" in sql
    assert "TIMESTAMP WITH TIME ZONE" in sql
    assert '"end" INTEGER' in sql
    assert "fts5" not in sql.lower()
    assert "PRAGMA" not in sql
    assert "ck_event_actors_role CHECK" in sql


def test_store_newer_database_is_refused(db_path: Path) -> None:
    open_store(str(db_path)).close()
    engine = create_store_engine(str(db_path))
    try:
        with transaction(engine, write=True) as connection:
            # One row per head: replace them all with a revision this sitrep does not know.
            connection.execute(sa.text("DELETE FROM alembic_version"))
            connection.execute(sa.text("INSERT INTO alembic_version VALUES ('9999')"))
    finally:
        engine.dispose()
    with pytest.raises(StoreError, match=r"9999.*Upgrade sitrep"):
        open_store(str(db_path))
