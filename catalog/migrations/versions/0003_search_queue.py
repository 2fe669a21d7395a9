"""search_queue: records whose search documents are due

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_queue",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_queue")),
    )
    # Every record is due once after the upgrade: the first sync builds the index.
    op.execute("INSERT INTO search_queue (record_id, queued_at) SELECT id, updated_at FROM dataset_records")


def downgrade() -> None:
    op.drop_table("search_queue")
