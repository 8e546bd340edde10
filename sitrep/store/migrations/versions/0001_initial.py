"""Initial schema: documents, sightings, events and their parts, entities, failures.

On SQLite it also builds ``documents_fts``, an FTS5 index over documents(title, text) that
reads its content from ``documents`` and is kept in step by triggers. The tables are spelled
out here rather than taken from ``schema.metadata`` so this revision never changes when the
schema moves on; a test checks that a migrated database matches ``metadata``.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_FTS_SQLITE = (
    "CREATE VIRTUAL TABLE documents_fts USING fts5("
    "title, text, content='documents', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); "
    "END",
    "CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
    "VALUES ('delete', old.rowid, old.title, old.text); "
    "END",
    "CREATE TRIGGER documents_fts_update AFTER UPDATE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
    "VALUES ('delete', old.rowid, old.title, old.text); "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); "
    "END",
    # Index whatever rows already exist (none on a new database; cheap either way).
    "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')",
)

_DROP_FTS_SQLITE = (
    "DROP TRIGGER IF EXISTS documents_fts_update",
    "DROP TRIGGER IF EXISTS documents_fts_delete",
    "DROP TRIGGER IF EXISTS documents_fts_insert",
    "DROP TABLE IF EXISTS documents_fts",
)

_UTC = sa.DateTime(timezone=True)


def _document_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["document_id"],
        ["documents.id"],
        name=f"fk_{table}_document_id_documents",
        ondelete="CASCADE",
    )


def _event_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["event_id"], ["events.id"], name=f"fk_{table}_event_id_events", ondelete="CASCADE"
    )


def _indexes(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(f"ix_{table}_{column}", table, [column])


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("title", sa.Text()),
        sa.Column("outlet", sa.Text()),
        sa.Column("url", sa.Text()),
        sa.Column("published", sa.Date()),
        sa.Column("author", sa.Text()),
        sa.Column("source", sa.Text()),
        sa.Column("record_id", sa.Text()),
        sa.Column("chars", sa.Integer(), nullable=False),
        sa.Column("ingested_at", _UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
    )
    _indexes("documents", "published", "outlet")

    op.create_table(
        "document_sightings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(64), nullable=False),
        sa.Column("source", sa.Text()),
        sa.Column("url", sa.Text()),
        sa.Column("seen_at", _UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_document_sightings"),
        _document_fk("document_sightings"),
    )
    _indexes("document_sightings", "document_id")

    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(64), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("mode", sa.Text()),
        sa.Column("context", sa.Text(), nullable=False),
        sa.Column("cameo", sa.Text()),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("negated", sa.Boolean(), nullable=False),
        sa.Column("cue", sa.Text()),
        sa.Column("date", sa.Date()),
        sa.Column("date_text", sa.Text()),
        sa.Column("location_text", sa.Text()),
        sa.Column("location_name", sa.Text()),
        sa.Column("location_country", sa.Text()),
        sa.Column("lat", sa.Float()),
        sa.Column("lon", sa.Float()),
        sa.Column("evidence_text", sa.Text(), nullable=False),
        sa.Column("evidence_start", sa.Integer(), nullable=False),
        sa.Column("evidence_end", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.Text()),
        sa.Column("extractor", sa.Text()),
        sa.Column("extractor_version", sa.Text(), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        _document_fk("events"),
    )
    _indexes("events", "document_id", "type", "date", "status", "extractor")

    op.create_table(
        "event_actors",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("country", sa.Text()),
        sa.Column("sector", sa.Text()),
        sa.Column("code", sa.Text()),
        sa.PrimaryKeyConstraint("event_id", "role", "position", name="pk_event_actors"),
        sa.CheckConstraint(
            "role IN ('source', 'target', 'asserter')", name=op.f("ck_event_actors_role")
        ),
        _event_fk("event_actors"),
    )
    _indexes("event_actors", "code", "country")

    op.create_table(
        "event_quantities",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("value", sa.Float()),
        sa.Column("unit", sa.Text()),
        sa.Column("qualifier", sa.Text()),
        sa.PrimaryKeyConstraint("event_id", "position", name="pk_event_quantities"),
        _event_fk("event_quantities"),
    )

    op.create_table(
        "event_weapons",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("class", sa.Text()),
        sa.Column("country", sa.Text()),
        sa.PrimaryKeyConstraint("event_id", "position", name="pk_event_weapons"),
        _event_fk("event_weapons"),
    )

    op.create_table(
        "entities",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text()),
        sa.Column("country", sa.Text()),
        sa.Column("code", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_entities"),
        _document_fk("entities"),
    )
    _indexes("entities", "document_id", "code")

    op.create_table(
        "failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", _UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_failures"),
    )

    if op.get_context().dialect.name == "sqlite":
        for statement in _FTS_SQLITE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        for statement in _DROP_FTS_SQLITE:
            op.execute(statement)
    for table in (
        "failures",
        "entities",
        "event_weapons",
        "event_quantities",
        "event_actors",
        "events",
        "document_sightings",
        "documents",
    ):
        op.drop_table(table)
