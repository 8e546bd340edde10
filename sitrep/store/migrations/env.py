"""Alembic environment for the sitrep store.

``sitrep.store.migrate`` passes an open connection in ``config.attributes["connection"]``
and runs the migrations inside the caller's transaction. Without one (a developer running
``alembic`` by hand with ``sqlalchemy.url`` set) an engine is made the same way
``open_store`` makes one, so the SQLite pragmas apply. No logging is configured here:
the library never touches the application's loggers.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from sitrep.store.migrate import include_name
from sitrep.store.schema import metadata

config = context.config


def _configure(connection: Connection) -> None:
    """Settings shared by online runs: batch mode lets later migrations alter SQLite tables."""
    is_sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_name=include_name,
        render_as_batch=is_sqlite,
        # The store emits BEGIN itself on SQLite, so DDL is transactional there too.
        transactional_ddl=True if is_sqlite else None,
    )


def run_offline() -> None:
    """Write the migration SQL for ``sqlalchemy.url``'s dialect instead of running it."""
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url,
        target_metadata=metadata,
        include_name=include_name,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=bool(url and url.startswith("sqlite")),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Run on the connection handed over by the store, or on a new engine for the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    from sitrep.store.engine import create_store_engine

    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set sqlalchemy.url (or pass a connection) to run migrations")
    engine = create_store_engine(url)
    try:
        with engine.begin() as own_connection:
            _configure(own_connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
