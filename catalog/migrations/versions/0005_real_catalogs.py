"""real catalogs: per-source defaults and mappings, honest job counts, a record's origin catalog

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("harvest_sources") as batch:
        batch.add_column(sa.Column("defaults", sa.JSON(), nullable=False, server_default="{}"))
        batch.add_column(sa.Column("mappings", sa.JSON(), nullable=False, server_default="{}"))
        batch.add_column(
            sa.Column("city_defaults", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("harvest_jobs") as batch:
        for column in ("held_back_count", "refused_count", "warning_count"):
            batch.add_column(sa.Column(column, sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("dataset_records") as batch:
        batch.add_column(sa.Column("origin_catalog", sa.String(length=2000), nullable=True))
        batch.add_column(sa.Column("origin_catalog_title", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dataset_records") as batch:
        batch.drop_column("origin_catalog_title")
        batch.drop_column("origin_catalog")
    with op.batch_alter_table("harvest_jobs") as batch:
        for column in ("warning_count", "refused_count", "held_back_count"):
            batch.drop_column(column)
    with op.batch_alter_table("harvest_sources") as batch:
        batch.drop_column("city_defaults")
        batch.drop_column("mappings")
        batch.drop_column("defaults")
