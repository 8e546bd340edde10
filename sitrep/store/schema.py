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

# -- feeds and near duplicates (revision 0002_feeds) -------------------------------------------

# Feeds polled by ``sitrep ingest --feed`` and ``sitrep watch``, with the validators of the
# last poll that finished: they are saved only once every item of that poll is settled, so a
# crash mid-poll is followed by a full fetch, not a 304 that would hide unsettled items.
feeds = sa.Table(
    "feeds",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("url", sa.Text, nullable=False, unique=True),  # a feed URL or a local file
    sa.Column("title", sa.Text),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("added_at", UTCDateTime, nullable=False),
    sa.Column("polled_at", UTCDateTime),  # when the last complete poll finished
    sa.Column("error", sa.Text),  # why the last poll failed; None when it succeeded
)

ITEM_STATUSES: tuple[str, ...] = ("stored", "present", "failed")

# Every item seen in a feed, written in the same transaction as the item's document, so an
# item is either settled with its document or not seen at all: a restart never repeats one.
feed_items = sa.Table(
    "feed_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("feed_id", sa.Integer, sa.ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
    sa.Column("key", sa.Text, nullable=False),  # guid / id, else link
    sa.Column("link", sa.Text),
    sa.Column("status", sa.Text, nullable=False),  # stored, present (text known) or failed
    sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="SET NULL")),
    sa.Column("code", sa.Text),  # error-catalogue code of the last failure
    sa.Column("reason", sa.Text),
    sa.Column("retry", sa.Boolean, nullable=False),  # a failure worth trying again
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("first_seen_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("feed_id", "key"),
    sa.CheckConstraint("status IN ('stored', 'present', 'failed')", name="status"),
    sa.Index(None, "document_id"),
)

# MinHash signature of every document, so the near-duplicate index is rebuilt without
# re-reading texts. ``method`` names the parameters (``dedup.minhash.v1``).
document_signatures = sa.Table(
    "document_signatures",
    metadata,
    sa.Column(
        "document_id",
        sa.String(64),
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("method", sa.Text, nullable=False),
    sa.Column("signature", sa.LargeBinary, nullable=False),
)

# A document stored as its own record but found to nearly duplicate an earlier one.
near_duplicates = sa.Table(
    "near_duplicates",
    metadata,
    sa.Column(
        "document_id",
        sa.String(64),
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "duplicate_of",
        sa.String(64),
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("similarity", sa.Float, nullable=False),  # estimated Jaccard of shingle sets
    sa.Column("method", sa.Text, nullable=False),
    sa.Column("found_at", UTCDateTime, nullable=False),
    sa.Index(None, "duplicate_of"),
)

# Events imported from coded datasets (GDELT, ACLED): the dataset's own event id, unique per
# dataset so importing a file twice stores each event once, and the file and line it came
# from. The event itself is an ordinary ``events`` row, so imported and extracted events are
# queried, listed and compared alike.
event_imports = sa.Table(
    "event_imports",
    metadata,
    _event_fk(),
    sa.Column("origin", sa.Text, nullable=False),  # "gdelt", "acled"
    sa.Column("external_id", sa.Text, nullable=False),  # GLOBALEVENTID, event_id_cnty …
    sa.Column("source", sa.Text),  # the file it was read from
    sa.Column("line", sa.Integer),
    sa.Column("imported_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("origin", "external_id"),
)

# -- claims across documents (revision 0002_claims) ---------------------------------------------

# One row per claim as last computed by ``sitrep relink``: the columns the listing filters on,
# and ``data``, the whole claim as JSON (``Claim.detail_dict``). Recomputed, never edited: a
# relink replaces every claim row in one transaction, and the events stay untouched.
claims = sa.Table(
    "claims",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),  # hash of the member keys
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("first_seen", sa.Date),
    sa.Column("last_seen", sa.Date),
    sa.Column("origins", sa.Integer, nullable=False),
    sa.Column("documents", sa.Integer, nullable=False),
    sa.Column("contested", sa.Boolean, nullable=False),
    sa.Column("linker", sa.Text, nullable=False),  # "claims.link.v1+lexical.v1"
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("linked_at", UTCDateTime, nullable=False),
    sa.Index(None, "type"),
    sa.Index(None, "last_seen"),
)

# Which events a claim is made of, with the score and similarity method of the best link
# that brought each in (None for a claim of one event).
claim_events = sa.Table(
    "claim_events",
    metadata,
    sa.Column(
        "claim_id",
        sa.String(32),
        sa.ForeignKey("claims.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "event_id",
        sa.Integer,
        sa.ForeignKey("events.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("score", sa.Float),
    sa.Column("method", sa.Text),
    sa.Index(None, "event_id"),
)
