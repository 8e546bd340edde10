"""Run the packaged Alembic migrations from code, so users never need an ``alembic.ini``.

``open_store`` calls :func:`upgrade` on every open. An up-to-date database costs one read of
the ``alembic_version`` table; Alembic itself only runs when there is something to apply.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from sitrep.errors import StoreError
from sitrep.store.schema import FTS_TABLE

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic config built in memory, pointing at the migrations shipped in the package.

    ``connection`` (when given) is the one migrations run on, inside the caller's
    transaction; ``url`` is only needed for offline (``--sql``) runs.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Hide the SQLite full-text tables from autogenerate, which cannot describe them."""
    return not (type_ == "table" and name is not None and name.startswith(FTS_TABLE))


def head_revisions(config: Config) -> tuple[str, ...]:
    """The revisions a fully migrated database is at."""
    return tuple(ScriptDirectory.from_config(config).get_heads())


def current_revisions(connection: Connection) -> tuple[str, ...]:
    """The revisions recorded in the database (empty for a new database)."""
    return tuple(MigrationContext.configure(connection).get_current_heads())


def upgrade(connection: Connection) -> bool:
    """Bring the database to the newest schema; return True if any migration ran.

    Run it inside a write transaction so two processes opening a new file at once do not
    both try to create the tables: the second waits, then finds nothing to do.
    """
    config = alembic_config(connection)
    script = ScriptDirectory.from_config(config)
    heads = set(script.get_heads())
    current = set(current_revisions(connection))
    if current == heads:
        return False
    known = {revision.revision for revision in script.walk_revisions()}
    unknown = sorted(current - known)
    if unknown:
        raise StoreError(
            f"the database is at schema revision {', '.join(unknown)}, which this version of "
            "sitrep does not know. Upgrade sitrep to read it."
        )
    command.upgrade(config, "heads")
    return True
