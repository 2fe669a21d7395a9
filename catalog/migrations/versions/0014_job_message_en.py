"""harvest job and error messages in two languages: message (German) and message_en (English)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Earlier messages joined both languages in `message`; they keep it, with no English.
    for table in ("harvest_jobs", "harvest_errors"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("message_en", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    for table in ("harvest_jobs", "harvest_errors"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("message_en")
