"""dataset_records.source_hash: what a harvest received, before normalisation

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dataset_records") as batch:
        batch.add_column(sa.Column("source_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dataset_records") as batch:
        batch.drop_column("source_hash")
