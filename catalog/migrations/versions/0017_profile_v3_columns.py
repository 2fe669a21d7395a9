"""DCAT-AP.de 3.0 per record: the stored 3.0 rendering, its violation count and report

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03

No backfill here: judging a record takes our 3.0 shapes (pyshacl, about 10 ms a record), too
slow for a migration. Until `catalog validate --profile 3.0 --store` (or the record's next save)
judges them, existing records stay out of the 3.0 outputs, never in them unjudged.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dataset_records") as batch:
        batch.add_column(sa.Column("graph_v3", sa.Text(), nullable=True))
        batch.add_column(sa.Column("violation_count_v3", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("validation_report_v3", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dataset_records") as batch:
        batch.drop_column("validation_report_v3")
        batch.drop_column("violation_count_v3")
        batch.drop_column("graph_v3")
