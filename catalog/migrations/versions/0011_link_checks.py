"""link checks: each distribution URL's check history, and the URLs each record names

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_checks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("url_hash", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("final_url", sa.Text(), nullable=True),
        sa.Column("content_type", sa.String(length=200), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("elapsed_ms", sa.Integer(), nullable=False),
        sa.Column("problem", sa.String(length=40), nullable=True),
        sa.Column("announced", sa.String(length=200), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_checks")),
    )
    op.create_index("ix_link_checks_url_hash_checked_at", "link_checks", ["url_hash", "checked_at"])
    op.create_table(
        "record_links",
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("url_hash", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("announced", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["dataset_records.id"],
            name=op.f("fk_record_links_record_id_dataset_records"),
        ),
        sa.PrimaryKeyConstraint("record_id", "url_hash", name=op.f("pk_record_links")),
    )
    op.create_index("ix_record_links_url_hash", "record_links", ["url_hash"])


def downgrade() -> None:
    op.drop_index("ix_record_links_url_hash", table_name="record_links")
    op.drop_table("record_links")
    op.drop_index("ix_link_checks_url_hash_checked_at", table_name="link_checks")
    op.drop_table("link_checks")
