"""stored flat views of records (a cache for reindex; filled by saves and by reindex itself)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stored_views",
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.Column("view", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("record_id", "lang", name=op.f("pk_stored_views")),
    )


def downgrade() -> None:
    op.drop_table("stored_views")
