"""usage figures: daily counts per dataset, DCAT endpoint fetches, search terms

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "usage_counts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("audience", sa.String(10), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["dataset_records.id"],
            name="fk_usage_counts_record_id_dataset_records",
        ),
        sa.PrimaryKeyConstraint("day", "kind", "record_id", "audience", name="pk_usage_counts"),
    )
    op.create_table(
        "endpoint_fetch_counts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("client", sa.String(20), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("day", "client", name="pk_endpoint_fetch_counts"),
    )
    op.create_table(
        "search_term_counts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("term", sa.String(200), nullable=False),
        sa.Column("audience", sa.String(10), nullable=False),
        sa.Column("searches", sa.Integer(), nullable=False),
        sa.Column("without_result", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "term", "audience", name="pk_search_term_counts"),
    )


def downgrade() -> None:
    op.drop_table("search_term_counts")
    op.drop_table("endpoint_fetch_counts")
    op.drop_table("usage_counts")
