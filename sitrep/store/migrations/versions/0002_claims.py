"""Claims across documents: the computed claims and the events each is made of.

Spelled out rather than taken from ``schema.metadata``, so this revision never changes when
the schema moves on; a test checks that a migrated database matches ``metadata``.

Revision ID: 0002_claims
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_claims"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("first_seen", sa.Date()),
        sa.Column("last_seen", sa.Date()),
        sa.Column("origins", sa.Integer(), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.Column("contested", sa.Boolean(), nullable=False),
        sa.Column("linker", sa.Text(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_claims"),
    )
    op.create_index("ix_claims_type", "claims", ["type"])
    op.create_index("ix_claims_last_seen", "claims", ["last_seen"])
    op.create_table(
        "claim_events",
        sa.Column("claim_id", sa.String(32), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float()),
        sa.Column("method", sa.Text()),
        sa.PrimaryKeyConstraint("claim_id", "event_id", name="pk_claim_events"),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name="fk_claim_events_claim_id_claims",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name="fk_claim_events_event_id_events",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_claim_events_event_id", "claim_events", ["event_id"])


def downgrade() -> None:
    op.drop_table("claim_events")
    op.drop_table("claims")
