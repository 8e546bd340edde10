"""Feeds, their items, document signatures and near-duplicate links.

Spelled out rather than taken from ``schema.metadata``, so this revision never changes when
the schema moves on; a test checks that a migrated database matches ``metadata``.

Revision ID: 0002_feeds
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_feeds"
down_revision = "0001"
branch_labels = None
depends_on = None

_UTC = sa.DateTime(timezone=True)


def _document_fk(
    table: str, column: str = "document_id", **options: str
) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["documents.id"], name=f"fk_{table}_{column}_documents", **options
    )


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("title", sa.Text()),
        sa.Column("etag", sa.Text()),
        sa.Column("last_modified", sa.Text()),
        sa.Column("added_at", _UTC, nullable=False),
        sa.Column("polled_at", _UTC),
        sa.Column("error", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_feeds"),
        sa.UniqueConstraint("url", name="uq_feeds_url"),
    )

    op.create_table(
        "feed_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("link", sa.Text()),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("document_id", sa.String(64)),
        sa.Column("code", sa.Text()),
        sa.Column("reason", sa.Text()),
        sa.Column("retry", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("first_seen_at", _UTC, nullable=False),
        sa.Column("updated_at", _UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_feed_items"),
        sa.UniqueConstraint("feed_id", "key", name="uq_feed_items_feed_id_key"),
        sa.CheckConstraint(
            "status IN ('stored', 'present', 'failed')", name=op.f("ck_feed_items_status")
        ),
        sa.ForeignKeyConstraint(
            ["feed_id"], ["feeds.id"], name="fk_feed_items_feed_id_feeds", ondelete="CASCADE"
        ),
        _document_fk("feed_items", ondelete="SET NULL"),
    )
    op.create_index("ix_feed_items_document_id", "feed_items", ["document_id"])

    op.create_table(
        "document_signatures",
        sa.Column("document_id", sa.String(64), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("document_id", name="pk_document_signatures"),
        _document_fk("document_signatures", ondelete="CASCADE"),
    )

    op.create_table(
        "near_duplicates",
        sa.Column("document_id", sa.String(64), nullable=False),
        sa.Column("duplicate_of", sa.String(64), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("found_at", _UTC, nullable=False),
        sa.PrimaryKeyConstraint("document_id", name="pk_near_duplicates"),
        _document_fk("near_duplicates", ondelete="CASCADE"),
        _document_fk("near_duplicates", "duplicate_of", ondelete="CASCADE"),
    )
    op.create_index("ix_near_duplicates_duplicate_of", "near_duplicates", ["duplicate_of"])


def downgrade() -> None:
    for table in ("near_duplicates", "document_signatures", "feed_items", "feeds"):
        op.drop_table(table)
