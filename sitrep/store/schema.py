"""The tables of the store, described once with SQLAlchemy Core.

This module is the reference the migrations are checked against (a test compares a migrated
database with ``metadata``), and what the queries are written over. It only uses portable
types, so the same schema serves SQLite (the default) and PostgreSQL. SQLite-only objects
(the FTS5 index and its triggers) live in the migrations, not here, because they are not
tables SQLAlchemy can describe portably.

Conventions: dates are ``Date``; timestamps are timezone-aware UTC; every child row of an
event keeps its ``position`` so records come back in the order they were extracted.
"""

from __future__ import annotations

import sqlalchemy as sa

# Named constraints keep migrations reproducible across dialects (PostgreSQL needs names
# to drop or alter constraints later; SQLite batch mode needs them to recreate tables).
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES: tuple[str, ...] = ("source", "target", "asserter")

# Objects the migrations create outside ``metadata`` (SQLite full-text search). Tools that
# compare the database with ``metadata`` must skip them, or they would propose dropping them.
FTS_TABLE = "documents_fts"

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)

UTCDateTime = sa.DateTime(timezone=True)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # Document.id, the text hash
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("outlet", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("published", sa.Date),
    sa.Column("author", sa.Text),
    sa.Column("source", sa.Text),  # where it was first read from
    sa.Column("record_id", sa.Text),
    sa.Column("chars", sa.Integer, nullable=False),
    sa.Column("ingested_at", UTCDateTime, nullable=False),
    sa.Index(None, "published"),
    sa.Index(None, "outlet"),
)

# Every place a text was read from, including repeats: provenance is never thrown away,
# even when the document itself was already stored.
document_sightings = sa.Table(
    "document_sightings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "document_id",
        sa.String(64),
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("source", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("seen_at", UTCDateTime, nullable=False),
    sa.Index(None, "document_id"),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "document_id",
        sa.String(64),
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("type", sa.Text, nullable=False),  # a PLOVER category
    sa.Column("mode", sa.Text),
    sa.Column("context", sa.Text, nullable=False),  # a JSON list of strings
    sa.Column("cameo", sa.Text),
    sa.Column("status", sa.Text, nullable=False),  # a Status value
    sa.Column("negated", sa.Boolean, nullable=False),
    sa.Column("cue", sa.Text),  # the word that set the status (Attribution.cue)
    sa.Column("date", sa.Date),
    sa.Column("date_text", sa.Text),
    sa.Column("location_text", sa.Text),
    sa.Column("location_name", sa.Text),
    sa.Column("location_country", sa.Text),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("evidence_text", sa.Text, nullable=False),
    sa.Column("evidence_start", sa.Integer, nullable=False),
    sa.Column("evidence_end", sa.Integer, nullable=False),
    sa.Column("trigger", sa.Text),
    sa.Column("extractor", sa.Text),  # "name.vN" of what produced the event
    sa.Column("extractor_version", sa.Text, nullable=False),  # sitrep.__version__
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Index(None, "document_id"),
    sa.Index(None, "type"),
    sa.Index(None, "date"),
    sa.Index(None, "status"),
    sa.Index(None, "extractor"),
)


def _event_fk() -> sa.Column[int]:
    """The link from an event's child rows to the event; deleting an event removes them."""
    return sa.Column(
        "event_id",
        sa.Integer,
        sa.ForeignKey("events.id", ondelete="CASCADE"),
        primary_key=True,
    )


event_actors = sa.Table(
    "event_actors",
    metadata,
    _event_fk(),
    sa.Column("role", sa.Text, primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("country", sa.Text),
    sa.Column("sector", sa.Text),
    sa.Column("code", sa.Text),
    sa.CheckConstraint("role IN ('source', 'target', 'asserter')", name="role"),
    sa.Index(None, "code"),
    sa.Index(None, "country"),
)

event_quantities = sa.Table(
    "event_quantities",
    metadata,
    _event_fk(),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("value", sa.Float),
    sa.Column("unit", sa.Text),
    sa.Column("qualifier", sa.Text),
)

event_weapons = sa.Table(
    "event_weapons",
    metadata,
    _event_fk(),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("class", sa.Text),  # Weapon.weapon_class
    sa.Column("country", sa.Text),
)

entities = sa.Table(
    "entities",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "document_id",
        sa.String(64),
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("name", sa.Text),
    sa.Column("country", sa.Text),
    sa.Column("code", sa.Text),
    sa.Index(None, "document_id"),
    sa.Index(None, "code"),
)

failures = sa.Table(
    "failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("code", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
)
