"""search index follows the change log: the search_queue outbox is dropped

Every node's index now follows the change log (catalog.search.service) from a position
stored with the index; the queue, whose entries one process deleted once it had applied
them, could feed only one index. Entries still queued at the upgrade are not lost: an
index without a stored position is rebuilt from the database before it follows the log.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("search_queue")


def downgrade() -> None:
    op.create_table(
        "search_queue",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_queue")),
    )
    # The older code applies its queue to the index: every record is due once more.
    op.execute(
        "INSERT INTO search_queue (record_id, queued_at) SELECT id, updated_at FROM dataset_records"
    )
