"""Imports of coded datasets: ``event_imports`` keys an imported event by its dataset id.

One row per event imported from GDELT or ACLED (``origin``) with the dataset's own event id
(``external_id``), unique per origin so that importing the same file twice stores each
event once, and the file and line it was read from. The events themselves are ordinary
``events`` rows. Only a new table: existing tables are not touched, so this revision sits
beside any other revision branching from 0001.

Revision ID: 0002_imports
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_imports"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_imports",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("external_id", sa.Text(), nullable=False),
        sa.Column("source", sa.Text()),
        sa.Column("line", sa.Integer()),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name="pk_event_imports"),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name="fk_event_imports_event_id_events",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("origin", "external_id", name="uq_event_imports_origin_external_id"),
    )


def downgrade() -> None:
    op.drop_table("event_imports")
