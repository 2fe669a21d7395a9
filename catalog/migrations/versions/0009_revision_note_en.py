"""revision notes in two languages: note (German) and note_en (English)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Earlier notes joined both languages in `note`; they keep it, with no English of their own.
    with op.batch_alter_table("revisions") as batch:
        batch.add_column(sa.Column("note_en", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("revisions") as batch:
        batch.drop_column("note_en")
