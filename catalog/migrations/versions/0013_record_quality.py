"""MQA quality score per record and daily quality snapshots

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing records get their score from `catalog init` (catalog.quality.score_unscored).
    op.create_table(
        "record_quality",
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("rating", sa.String(20), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("breakdown", sa.JSON(), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["dataset_records.id"],
            name="fk_record_quality_record_id_dataset_records",
        ),
        sa.PrimaryKeyConstraint("record_id", name="pk_record_quality"),
    )
    op.create_index("ix_record_quality_points", "record_quality", ["points"])
    op.create_table(
        "quality_snapshots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("scope", sa.String(20), nullable=False),
        sa.Column("scope_id", sa.String(36), nullable=False),
        sa.Column("datasets", sa.Integer(), nullable=False),
        sa.Column("mean_points", sa.Float(), nullable=False),
        sa.Column("excellent", sa.Integer(), nullable=False),
        sa.Column("good", sa.Integer(), nullable=False),
        sa.Column("sufficient", sa.Integer(), nullable=False),
        sa.Column("bad", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_quality_snapshots"),
        sa.UniqueConstraint("day", "scope", "scope_id", name="uq_quality_snapshots_day_scope"),
    )


def downgrade() -> None:
    op.drop_table("quality_snapshots")
    op.drop_index("ix_record_quality_points", table_name="record_quality")
    op.drop_table("record_quality")
